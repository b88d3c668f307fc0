"""Language-aware search (issue 17): inflected forms in each page's language, typo
tolerance and zero-result help on every backend, suggestions with inflected prefixes
and a typo. The same tests run on SQLite, on PostgreSQL (DATABASE_URL) and on
OpenSearch (SEARCH_URL); one world is built per module."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from wagtail.models import PageViewRestriction

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    multilingual_home,
    translate_page,
)

NEUTRAL = {
    "summary": "Source text.",
    "challenge": "<p>-</p>",
    "approach": "<p>-</p>",
    "results": "<p>-</p>",
    "cluster_name": "Source",
    "region": "Source",
}


def build_world():
    multilingual_home()
    cases = CaseStudyIndexPageFactory()
    for code in ("fr", "es", "hu"):
        translate_page(cases, code, title=f"Cases {code}")
    pages = {}

    def case(name, language, title, text):
        source = CaseStudyPageFactory(parent=cases, title=f"Source {name}", slug=name, **NEUTRAL)
        texts = {**NEUTRAL, "title": title, "summary": text}
        page = source if language == "en" else translate_page(source, language, **texts)
        if language == "en":
            for field, value in texts.items():
                setattr(page, field, value)
            page.save_revision().publish()
        pages[name] = page
        return page

    # Hungarian: one page with the base form only, one with the plural, one with the
    # exact form the test types, not in their titles (titles are ranked by the portal).
    case("hu-base", "hu", "Régiós együttműködés", "Egy klaszter a régióban.")
    case("hu-plural", "hu", "Közös szolgáltatások", "A klaszterek közösen dolgoznak.")
    case("hu-exact", "hu", "Tagok munkája", "A klaszterekben dolgozó tagok.")
    case("hu-twin", "hu", "Digitális iker a gyártásban", "Egy digitális iker a műhelyben.")
    case("hu-twins", "hu", "Gyártócellák", "Digitális ikrek épülnek cellánként.")
    case("hu-intl", "hu", "Klaszterek nemzetköziesítése", "Külföldi partnerek.")
    case("fr-am", "fr", "Fabrication additive en Occitanie", "La fabrication additive des PME.")
    case("fr-oi", "fr", "Innovation ouverte entre PME", "Une innovation ouverte régionale.")
    case("es-twin", "es", "Gemelo digital en la industria", "Un gemelo digital para la planta.")
    case("en-bench", "en", "Benchmarking suppliers", "How suppliers compare their results.")
    case("en-pm", "en", "Predictive maintenance for machines", "Sensors warn before failures.")
    case("en-phrase", "en", "Additive manufacturing in practice", "Printing metal parts.")
    case("en-apart", "en", "Additive inks", "Inks for printing on manufacturing lines.")
    case("en-word", "en", "Frobnicator workshops", "Members meet at frobnicator workshops.")
    draft = case("en-draft", "en", "Zymurgical notes", "Zymurgical processes.")
    draft.unpublish()
    private = case("en-private", "en", "Quixotical plans", "Quixotical members only.")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Partners"))

    glossary = GlossaryIndexPageFactory()
    translate_page(glossary, "hu", title="Szószedet")
    term = GlossaryTermPageFactory(
        parent=glossary, title="predictive maintenance", slug="predictive-maintenance"
    )
    pages["term-hu"] = translate_page(
        term,
        "hu",
        title="prediktív karbantartás",
        short_definition="A gépek hibáinak előrejelzése.",
    )
    catalogue = ModuleIndexPageFactory()
    translate_page(catalogue, "hu", title="Modulok")
    for n, (english, hungarian) in enumerate(
        [("Smart industry", "Intelligens ipar"), ("Going international", "Nemzetköziesítés")]
    ):
        module = ModulePageFactory(parent=catalogue, title=english, slug=f"module-{n}")
        pages[f"module-{n}"] = translate_page(module, "hu", title=hungarian)
    call_command("update_index", verbosity=0)
    return pages


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def pages(world, db):
    return world


def search(client, language, query, **params):
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'<li class="search-result">.*?<h3><a href="([^"]+)"', html, re.S)
    return html, urls


def test_hungarian_case_and_plural_endings_find_the_other_forms(client, pages):
    _html, urls = search(client, "hu", "klaszterekben", expand="0")
    for name in ("hu-base", "hu-plural", "hu-exact"):
        assert pages[name].url in urls, name
    _html, base = search(client, "hu", "klaszter", expand="0")
    assert {pages["hu-plural"].url, pages["hu-exact"].url} <= set(base)
    assert pages["fr-am"].url not in urls  # control: a page without the word


def test_the_exact_form_ranks_above_other_forms(client, pages):
    _html, urls = search(client, "hu", "klaszterekben", expand="0")
    assert urls.index(pages["hu-exact"].url) < urls.index(pages["hu-base"].url)


def test_hungarian_plural_of_a_word_whose_stem_vowel_drops(client, pages):
    _html, plural = search(client, "hu", "digitális ikrek", expand="0")
    _html, singular = search(client, "hu", "digitális iker", expand="0")
    both = {pages["hu-twin"].url, pages["hu-twins"].url}
    assert both <= set(plural) and both <= set(singular)


def test_french_plural_and_gender_and_spanish_plural(client, pages):
    _html, urls = search(client, "fr", "fabrications additives", expand="0")
    assert pages["fr-am"].url in urls
    _html, urls = search(client, "fr", "innovations ouvertes", expand="0")
    assert pages["fr-oi"].url in urls
    _html, urls = search(client, "es", "gemelos digitales", expand="0")
    assert pages["es-twin"].url in urls
    assert pages["fr-am"].url not in urls  # control


def test_english_ed_forms_find_ing_forms(client, pages):
    _html, urls = search(client, "en", "benchmarked", expand="0")
    assert pages["en-bench"].url in urls


def test_quoted_phrases_match_as_phrases(client, pages):
    _html, loose = search(client, "en", "additive manufacturing", expand="0")
    assert {pages["en-phrase"].url, pages["en-apart"].url} <= set(loose)
    html, quoted = search(client, "en", '"additive manufacturing"', expand="0")
    assert pages["en-phrase"].url in quoted and pages["en-apart"].url not in quoted
    assert 'value="&quot;additive manufacturing&quot;"' in html  # the quotes kept in the box


def test_a_typo_is_corrected_from_the_portals_vocabulary_and_said_so(client, pages):
    _html, urls = search(client, "en", "maintenence", expand="0")  # the example
    assert pages["en-pm"].url in urls
    html, urls = search(client, "en", "maintanance", expand="0")  # another stem: corrected
    assert pages["en-pm"].url in urls
    assert "Showing results for" in html and ">maintenance</a>" in html
    _html, urls = search(client, "en", "maintenance", expand="0")
    assert pages["en-pm"].url in urls
    html, _urls = search(client, "en", "maintenance", expand="0")
    assert "Showing results for" not in html  # only when what was typed found nothing


def test_corrections_never_come_from_drafts_or_private_pages(client, pages):
    from search.vocabulary import correct

    assert correct("frobnicatr", "en") == "frobnicator"  # control: a public page's word
    assert correct("zymurgicel", "en") == ""
    assert correct("quixoticel", "en") == ""
    html, urls = search(client, "en", "zymurgicel")
    assert urls == [] and "zymurgical" not in html.lower()


def test_zero_results_offer_glossary_concepts_and_most_visited_modules(client, pages):
    module = pages["module-1"]
    for _visit in range(2):
        assert client.get(module.url).status_code == 200
    html, urls = search(client, "hu", "prediktiv karbantartsa qqxz")
    assert urls == []
    concepts = html.split('id="help-concepts-title"')[1].split("</section>")[0]
    assert pages["term-hu"].url in concepts and "prediktív karbantartás" in concepts
    assert "predictive maintenance" not in concepts  # in the visitor's language
    modules = html.split('id="help-modules-title"')[1].split("</section>")[0]
    titles = [unescape(t) for t in re.findall(r'<a href="[^"]+">([^<]+)</a>', modules)]
    assert titles[:2] == ["Nemzetköziesítés", "Intelligens ipar"]  # the visited one first
    assert "A leggyakrabban látogatott képzési modulok" in html
    html, urls = search(client, "hu", "klaszter")
    assert urls and 'id="help-concepts-title"' not in html  # control: results, no help


def test_hungarian_suggestions_match_inflected_prefixes_and_a_typo(client, pages):
    def titles(typed):
        data = client.get("/hu/search/suggest/", {"q": typed}).json()
        return [suggestion["title"] for suggestion in data["suggestions"]]

    assert "Klaszterek nemzetköziesítése" in titles("klaszterekb")  # inflected prefix
    assert "Klaszterek nemzetköziesítése" in titles("klaszetrek")  # one typo (swapped)
    assert "Klaszterek nemzetköziesítése" in titles("klaszterek nemzetköz")
    assert "Digitális iker a gyártásban" in titles("digitális ikre")
    assert titles("qqxz") == []
    assert "Zymurgical notes" not in [
        s["title"] for s in client.get("/en/search/suggest/", {"q": "zymur"}).json()["suggestions"]
    ]
