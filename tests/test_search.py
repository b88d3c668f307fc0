"""Search across content types and languages. The same tests run on every backend:
SQLite or PostgreSQL full text by default, OpenSearch when SEARCH_URL points at a node."""

import io
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Page, PageViewRestriction

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LessonPageFactory,
    translate_page,
)

pytestmark = pytest.mark.django_db


def reindex():
    call_command("update_index", verbosity=0)


@pytest.fixture
def corpus(course, glossary_concepts):
    module = course["en"]["module"]
    twin_lesson = LessonPageFactory(
        parent=module,
        title="Pilots with virtual factory models",
        slug="virtual-models",
        introduction="How a digital twin lets SMEs test changes before touching the shop floor.",
    )
    translate_page(
        twin_lesson,
        "fr",
        title="Des pilotes avec des modèles d'usine virtuels",
        introduction="Comment un jumeau numérique permet aux PME de tester des changements.",
    )
    cases = CaseStudyIndexPageFactory()
    french_cases = translate_page(cases, "fr", title="Études de cas")
    french_only = CaseStudyPageFactory(
        parent=cases, title="Organisation de cluster en Occitanie", slug="oc", live=False
    )
    french_only_fr = translate_page(
        french_only,
        "fr",
        title="Une organisation de cluster en Occitanie",
        summary="Comment une organisation de cluster anime ses membres.",
    )
    reindex()
    return {"twin_lesson": twin_lesson, "french_only": french_only_fr, "french_cases": french_cases}


@pytest.fixture
def glossary_concepts(home_pages):
    index = GlossaryIndexPageFactory()
    for code, title in (("fr", "Glossaire"), ("es", "Glosario"), ("hu", "Szószedet")):
        translate_page(index, code, title=title)
    twin = GlossaryTermPageFactory(
        parent=index, title="digital twin", slug="digital-twin", concept_id="c036"
    )
    for code, title in (
        ("fr", "jumeau numérique"),
        ("es", "gemelo digital"),
        ("hu", "digitális iker"),
    ):
        translate_page(twin, code, title=title)
    organisation = GlossaryTermPageFactory(
        parent=index, title="cluster organisation", slug="cluster-organisation", concept_id="c002"
    )
    for code, title in (("fr", "organisation de cluster"), ("hu", "klaszterszervezet")):
        translate_page(organisation, code, title=title)
    return {"index": index, "twin": twin}


def search(client, site_language, **params):
    response = client.get(f"/{site_language}/search/", params)
    html = response.content.decode()
    results = re.findall(
        r'<li class="search-result">.*?<h3><a href="([^"]+)"[^>]*>([^<]+)</a>', html, re.S
    )
    return response, html, [(url, unescape(title)) for url, title in results]


def test_results_in_the_visitors_language_link_to_its_translation(client, corpus):
    _response, _html, results = search(client, "fr", q="virtuels")
    assert (
        corpus["twin_lesson"].get_translation(corpus["french_only"].locale).url,
        "Des pilotes avec des modèles d'usine virtuels",
    ) in results


def test_one_result_per_translation_and_other_languages_after_with_a_label(client, corpus):
    _response, html, results = search(client, "en", q="cluster", expand="0")
    urls = [url for url, _title in results]
    assert len(urls) == len(set(urls))
    french = corpus["french_only"].url
    assert french in urls
    english_urls = [url for url in urls if url.startswith("/en/")]
    assert urls[: len(english_urls)] == english_urls  # the visitor's language comes first
    assert re.search(
        rf'<span class="badge" lang="fr">Français</span></p>\s*<h3><a href="{french}"', html
    )


def test_a_spanish_term_on_the_english_site_finds_english_pages(client, corpus):
    _response, html, results = search(client, "en", q="gemelo digital")
    assert (
        "/en/modules/smart-industry/virtual-models/",
        "Pilots with virtual factory models",
    ) in results
    assert "jumeau numérique" in html and "digital twin" in html  # the expansions are shown
    assert '<aside class="definition-card"' in html


def test_a_hungarian_term_finds_french_pages_and_accents_are_optional(client, corpus):
    for query in ("klaszterszervezet", "KLASZTERSZERVEZET"):
        _response, _html, results = search(client, "hu", q=query)
        assert corpus["french_only"].url in [url for url, _title in results]
    _response, _html, results = search(client, "en", q="jumeau numerique")
    assert "/en/modules/smart-industry/virtual-models/" in [url for url, _title in results]


def test_expansions_can_be_switched_off(client, corpus):
    _response, html, results = search(client, "en", q="gemelo digital", expand="0")
    assert "/en/modules/smart-industry/virtual-models/" not in [url for url, _title in results]
    assert "Also search for glossary terms in other languages" in html


def test_drafts_and_private_pages_are_never_found(client, corpus, course):
    draft = LessonPageFactory(
        parent=course["en"]["module"], title="Secret draft about twins", slug="secret", live=False
    )
    private = LessonPageFactory(
        parent=course["en"]["module"], title="Members only twins", slug="members"
    )
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Partners"))
    reindex()
    for query in ("twins", "secret", "members"):
        _response, html, _results = search(client, "en", q=query)
        assert "Secret draft" not in html and "Members only" not in html
    suggestions = client.get("/en/search/suggest/", {"q": "Secr"}).json()["suggestions"]
    assert suggestions == [] and draft.pk


def test_facets_count_and_filters_combine(client, corpus):
    _response, html, _results = search(client, "en", q="cluster", expand="0")
    counts = dict(
        re.findall(
            r'name="type" value="([^"]+)"[^>]*>\s*<label[^>]*>[^<]*<span class="facet__count">\((\d+)\)',
            html,
        )
    )
    assert counts.get("case-study") == "1"
    _response, html, results = search(
        client, "en", q="cluster", expand="0", type="case-study", language="fr"
    )
    assert [url for url, _title in results] == [corpus["french_only"].url]
    _response, html, results = search(
        client, "en", q="cluster", expand="0", type="case-study", language="en"
    )
    assert results == []


def test_autocomplete_returns_titles_urls_and_types(client, corpus):
    response = client.get("/fr/search/suggest/", {"q": "jum"})
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert {"title": "jumeau numérique", "type": "term"}.items() <= data["suggestions"][0].items()
    assert data["suggestions"][0]["url"].startswith("/fr/glossary/")
    assert client.get("/fr/search/suggest/", {"q": "j"}).json()["suggestions"] == []


def test_each_suggestion_is_named_by_its_type_in_the_visitors_language(client, corpus):
    """What a screen reader says for an option, and the live region's sentence."""
    data = client.get("/fr/search/suggest/", {"q": "jum"}).json()
    first = data["suggestions"][0]
    assert first["label"] == "Terme du glossaire : jumeau numérique"
    assert first["type_label"] == "Terme du glossaire"
    count = len(data["suggestions"])
    expected = (
        "1 suggestion. Choisissez-la avec les flèches haut et bas."
        if count == 1
        else f"{count} suggestions. Choisissez-en une avec les flèches haut et bas."
    )
    assert data["status"] == expected
    english = client.get("/en/search/suggest/", {"q": "pilo"}).json()
    assert english["suggestions"][0]["label"].startswith(
        ("Lesson: ", "Module: ", "Case study: ", "Glossary term: ")
    )
    assert english["status"].startswith(f"{len(english['suggestions'])} suggestion")
    assert client.get("/hu/search/suggest/", {"q": "zzzzqx"}).json()["status"] == "Nincs javaslat."


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 5000},
        {"q": 'cluster" OR (digital AND NOT'},
        {"q": "((("},
        {"q": "🚀 clúster 🇪🇺"},
        {"q": "twin\x00"},
        {"q": "*:*"},
        {"q": "twin", "page": "abc"},
        {"q": "twin", "page": "-1"},
        {"q": "twin", "page": "99999"},
        {"q": "twin", "type": "spaceship", "theme": "<script>", "language": "xx"},
    ],
)
def test_bad_input_gives_a_normal_page(client, corpus, params):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_long_queries_are_cut_with_a_notice(client, corpus):
    _response, html, _results = search(client, "en", q="twin " * 500)
    assert "shortened to its first 200 characters" in html


def test_the_search_page_is_not_indexed_by_search_engines(client, corpus):
    _response, html, _results = search(client, "en", q="twin")
    assert '<meta name="robots" content="noindex, follow">' in html


def test_promoted_results_per_language_and_anonymous_query_counts(
    client, corpus, glossary_concepts
):
    french_term = glossary_concepts["twin"].get_translation(corpus["french_only"].locale)
    query = Query.get("usine")
    SearchPromotion.objects.create(query=query, page=french_term, sort_order=0)
    SearchPromotion.objects.create(query=query, page=glossary_concepts["twin"], sort_order=1)
    _response, html, _results = search(client, "fr", q="usine")
    promoted = html.split("search-results--promoted")[1].split("</ul>")[0]
    assert "jumeau numérique" in promoted and ">digital twin<" not in promoted
    search(client, "fr", q="usine")
    assert Query.get("usine").hits == 0  # counted in the cache, not written per request
    call_command("flush_search_hits", stdout=io.StringIO())
    assert Query.get("usine").hits == 2
    assert not hasattr(Query, "user")  # only the words and a daily count are kept


def test_related_content_is_shown_across_languages(client, corpus, course):
    html = client.get(course["en"]["lessons"][0].url).content.decode()
    assert 'aria-labelledby="related-title"' in html


def test_pages_with_alike_text_are_related_where_the_engine_has_more_like_this(client, home_pages):
    from wagtail.search.backends import get_search_backend

    if getattr(get_search_backend(), "es", None) is None:
        pytest.skip(
            "more-like-this needs OpenSearch/Elasticsearch; Wagtail's database backend has "
            "none: run with SEARCH_URL=opensearch://..."
        )
    cases = CaseStudyIndexPageFactory()
    texts = [
        (
            "Sand casting foundries share furnace telemetry",
            "Foundries pooled furnace telemetry to cut scrap in sand casting moulds.",
        ),
        ("Wine exporters meet at trade fairs", "Wineries travelled together to export fairs."),
        (
            "Foundry furnace telemetry cuts scrap",
            "Sand casting foundries compared furnace telemetry and mould scrap rates.",
        ),
        ("Tourism boards pool booking data", "Hotels shared booking data with tourism boards."),
    ]
    pages = [
        CaseStudyPageFactory(
            parent=cases,
            title=title,
            summary=summary,
            slug=f"case-{n}",
            cluster_name=title,
            region=title,
            challenge=f"<p>{summary}</p>",
            approach="<p>-</p>",
            results="<p>-</p>",
        )
        for n, (title, summary) in enumerate(texts)
    ]
    reindex()
    html = client.get(pages[0].url).content.decode()
    related = re.findall(
        r'<li><a href="[^"]*">([^<]+)</a>', html[html.index('id="related-title"') :]
    )
    # No shared theme or glossary concept: the engine alone relates them, best match first.
    assert related[0] == "Foundry furnace telemetry cuts scrap"


def test_the_search_page_query_count_is_bounded(
    client, corpus, course, django_assert_max_num_queries
):
    for n in range(15):
        LessonPageFactory(
            parent=course["en"]["module"], title=f"Cluster twin lesson {n}", slug=f"t-{n}"
        )
    reindex()
    client.get("/en/search/", {"q": "cluster"})
    with django_assert_max_num_queries(25):
        assert client.get("/en/search/", {"q": "cluster twin"}).status_code == 200


def test_suggestions_are_json_for_the_search_box(client, corpus):
    data = json.loads(client.get("/en/search/suggest/", {"q": "pilo"}).content)
    assert data["suggestions"][0]["title"] == "Pilots with virtual factory models"


def test_queries_typed_without_accents_find_accented_pages(client, corpus, glossary_concepts):
    french_term = glossary_concepts["twin"].get_translation(corpus["french_only"].locale)
    french_lesson = corpus["twin_lesson"].get_translation(corpus["french_only"].locale)
    for query in ("numerique", "NUMERIQUE", "numérique"):
        # expand=0: found by the backend's own folding, not through the glossary
        _response, _html, results = search(client, "fr", q=query, expand="0")
        assert (french_term.url, "jumeau numérique") in results, query
        assert french_lesson.url in [url for url, _title in results], query
        # The backend itself, without the engine's fuzzy retry, and in a field other than
        # the title (OpenSearch also matches titles through their autocomplete grams).
        found = Page.objects.live().search(query, operator="and")
        assert {french_term.pk, french_lesson.pk} <= {page.pk for page in found}, query
    hungarian = glossary_concepts["twin"].get_translation(Locale.objects.get(language_code="hu"))
    _response, _html, results = search(client, "hu", q="digitalis", expand="0")
    assert hungarian.url in [url for url, _title in results]


def test_autocomplete_ignores_accents(client, corpus):
    for typed in ("numeri", "numéri", "NUMERI"):
        titles = [
            suggestion["title"]
            for suggestion in client.get("/fr/search/suggest/", {"q": typed}).json()["suggestions"]
        ]
        assert "jumeau numérique" in titles, typed


def test_typos_are_tolerated_on_every_backend(client, corpus, course):
    # The portal's vocabulary everywhere (search/vocabulary.py), Fuzzy on OpenSearch too.
    LessonPageFactory(
        parent=course["en"]["module"],
        title="Predictive maintenance for machines",
        slug="predictive-maintenance",
    )
    reindex()
    _response, _html, results = search(client, "en", q="maintenence", expand="0")
    assert "Predictive maintenance for machines" in [title for _url, title in results]
    _response, _html, results = search(client, "en", q="maintenance", expand="0")
    assert "Predictive maintenance for machines" in [title for _url, title in results]


def test_a_query_that_finds_nothing_gives_a_normal_page_on_every_backend(client, corpus):
    response, html, results = search(client, "en", q="maintenence zzqx")
    assert response.status_code == 200 and results == []


def test_glossary_expansion_adds_a_bounded_number_of_terms():
    from search.expansion import MAX_EXPANSION_TERMS, Expansion, expansion_terms

    concepts = [
        Expansion(
            concept_key=f"k{n}",
            matched=f"term {n}",
            terms={
                "en": f"term {n}",
                "fr": f"terme {n}",
                "es": f"término {n}",
                "hu": f"fogalom {n}",
            },
        )
        for n in range(5)
    ]
    terms = expansion_terms(concepts, "hu")
    assert len(terms) == MAX_EXPANSION_TERMS < 5 * 3
    assert terms[:5] == [
        f"fogalom {n}" for n in range(5)
    ]  # every concept, visitor's language first
    assert len({t.lower() for t in terms}) == len(terms)
    # the same name in two languages ("leadership") and the typed form are not added twice
    same = Expansion("k", "leadership", {"en": "leadership", "fr": "leadership", "es": "liderazgo"})
    assert expansion_terms([same, same], "en") == ["liderazgo"]


def test_a_query_naming_many_concepts_searches_a_bounded_number_of_terms(client, corpus):
    from search.engine import run_search
    from search.expansion import MAX_EXPANSION_TERMS

    outcome = run_search("digital twin cluster organisation gemelo digital")
    assert 0 < len(outcome.searched_terms) <= MAX_EXPANSION_TERMS
