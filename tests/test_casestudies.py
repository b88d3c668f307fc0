"""Case studies: combined filters, facet counts, bad input, the feed, structured data."""

import json
import re

import defusedxml.ElementTree as ET
import pytest
from django.core.management import call_command

from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(home_pages):
    index = CaseStudyIndexPageFactory()
    cases = [
        ("Hungarian skills", "HU", 2019, ["skills", "smart-industry"], ["mobility"]),
        ("Hungarian cyber", "HU", 2023, ["digitalisation", "skills"], ["ict-security"]),
        ("French twins", "FR", 2023, ["smart-industry"], ["advanced-manufacturing"]),
        ("Spanish export", "ES", 2017, ["internationalisation"], ["furniture-wood"]),
        ("German energy", "DE", 2020, ["green-transition"], ["energy"]),
    ]
    pages = {}
    for title, country, year, themes, sectors in cases:
        pages[title] = CaseStudyPageFactory(
            parent=index, title=title, country=country, year=year, themes=themes, sectors=sectors
        )
    return {"index": index, "cases": pages}


def results(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    titles = re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)
    return html, titles


def reindex():
    """The search index as the pages now are (OpenSearch shows new documents only after a
    refresh; the database backends at once)."""
    call_command("update_index", verbosity=0)


def facet_count(html, name, value):
    match = re.search(
        rf'id="{name}-{value}"[^>]*>\s*<label[^>]*>[^<]*<span class="facet__count">\((\d+)\)', html
    )
    return int(match.group(1)) if match else None


def test_filters_combine(client, listing):
    url = listing["index"].url
    _html, titles = results(client, url, country="HU", theme="skills")
    assert sorted(titles) == ["Hungarian cyber", "Hungarian skills"]
    _html, titles = results(client, url, country="HU", theme="smart-industry")
    assert titles == ["Hungarian skills"]
    _html, titles = results(client, url, year_from=2020, year_to=2023, sort="title")
    assert titles == ["French twins", "German energy", "Hungarian cyber"]
    _html, titles = results(client, url, country=["FR", "ES"], sort="title")
    assert titles == ["French twins", "Spanish export"]


def test_facet_counts_reflect_the_other_active_filters(client, listing):
    html, _titles = results(client, listing["index"].url, country="HU")
    assert facet_count(html, "theme", "skills") == 2
    assert facet_count(html, "theme", "smart-industry") == 1
    assert facet_count(html, "theme", "green-transition") == 0
    # The country facet ignores its own filter: it shows what picking another gives.
    assert facet_count(html, "country", "FR") == 1
    assert facet_count(html, "country", "HU") == 2


def test_free_text_search_combines_with_filters(client, listing):
    reindex()
    _html, titles = results(client, listing["index"].url, q="cyber")
    assert titles == ["Hungarian cyber"]
    _html, titles = results(client, listing["index"].url, q="cyber", country="FR")
    assert titles == []


def test_free_text_search_finds_other_forms_of_a_word_in_the_listings_language(client, listing):
    CaseStudyPageFactory(
        parent=listing["index"],
        title="Digital twins in aerospace",
        summary="Subcontractors modelled their assembly lines.",
    )
    reindex()
    _html, titles = results(client, listing["index"].url, q="modelling lines")
    assert titles == ["Digital twins in aerospace"]
    _html, titles = results(client, listing["index"].url, q="twin")
    assert sorted(titles) == ["Digital twins in aerospace", "French twins"]
    # Control: a word the text has in no form finds nothing.
    _html, titles = results(client, listing["index"].url, q="modelling ships")
    assert titles == []
    hungarian = translate_page(
        listing["index"], "hu", title="Esettanulmányok", slug="esettanulmanyok"
    )
    CaseStudyPageFactory(
        parent=hungarian, title="Klaszterek a digitális átállásban", summary="Kis cégek."
    )
    reindex()
    _html, titles = results(client, hungarian.url, q="klaszterekben")
    assert titles == ["Klaszterek a digitális átállásban"]


def test_state_is_in_the_url_and_sorting_works(client, listing):
    html, titles = results(client, listing["index"].url, sort="title")
    assert titles == sorted(titles)
    html, titles = results(client, listing["index"].url)
    assert titles[0] in ("Hungarian cyber", "French twins")  # newest first
    assert titles[-1] == "Spanish export"


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"country": "XX"}, "is unknown and was ignored"),
        ({"theme": "<script>"}, "is unknown and was ignored"),
        ({"year_from": "19x"}, "is not valid and was ignored"),
        ({"year_to": "-5"}, "is not valid and was ignored"),
        ({"page": "abc"}, "is not valid; showing the first page"),
        ({"page": "99999"}, "showing the last one"),
        ({"sort": "price"}, "Unknown sort order"),
        ({"q": "x" * 5000}, "shortened to 200 characters"),
    ],
)
def test_malformed_values_are_ignored_with_a_notice(client, listing, params, notice):
    html, titles = results(client, listing["index"].url, **params)
    assert notice in html
    assert "&lt;script&gt;" in html or "<script>" not in html.split("<main")[1]


def test_nul_bytes_and_operators_never_fail(client, listing):
    for q in ["\x00", "((", 'cluster" OR', "émoji 🚀", "a AND NOT b"]:
        assert client.get(listing["index"].url, {"q": q}).status_code == 200


def test_pagination_keeps_filters(client, listing):
    for n in range(30):
        CaseStudyPageFactory(
            parent=listing["index"], title=f"Extra {n:02}", country="IT", year=2018
        )
    html, titles = results(client, listing["index"].url, country="IT", sort="title")
    assert len(titles) == 24
    assert 'href="?country=IT&amp;sort=title&amp;page=2"' in html
    _html, titles = results(client, listing["index"].url, country="IT", sort="title", page=2)
    assert titles == [f"Extra {n:02}" for n in range(24, 30)]


def test_listing_query_count_does_not_grow(client, listing, django_assert_max_num_queries):
    for n in range(40):
        CaseStudyPageFactory(
            parent=listing["index"], title=f"Bulk {n}", country="PL", year=2021, themes=["skills"]
        )
    for params in (
        {},
        {"country": "HU", "theme": "skills", "year_from": 2018, "q": "cyber", "sort": "title"},
    ):
        client.get(listing["index"].url, params)  # warm the taxonomy cache like any running site
        with django_assert_max_num_queries(20):
            assert client.get(listing["index"].url, params).status_code == 200


def test_listing_query_count_with_a_cold_cache(client, listing, django_assert_max_num_queries):
    # Cold: the cover images' renditions (one query for all cards) come on top.
    with django_assert_max_num_queries(22):
        assert client.get(listing["index"].url, {"theme": "skills"}).status_code == 200


def test_cards_are_kept_per_filter_state_and_renewed_by_a_publish(client, listing, settings):
    from django.db import connection

    settings.PAGE_CACHE_SECONDS = 0  # every request renders: the kept cards are what is tested
    settings.DEBUG = True  # connection.queries: the queries of the last request

    def queries():
        return [query["sql"] for query in connection.queries]

    url = listing["index"].url
    hungarian = ["Hungarian cyber", "Hungarian skills"]
    assert sorted(results(client, url, country="HU")[1]) == hungarian
    cold = queries()
    assert results(client, url, country="FR")[1] == ["French twins"]  # its own cards
    assert sorted(results(client, url, country="HU")[1]) == hungarian
    warm = queries()
    # Kept cards: neither the cards nor their themes are queried again.
    themes = [sql for sql in cold if "_prefetch_related_val_casestudypage_id" in sql]
    assert themes and not [sql for sql in warm if "_prefetch_related_val" in sql]
    assert len(warm) < len(cold)
    CaseStudyPageFactory(parent=listing["index"], title="French newcomer", country="FR")
    assert sorted(results(client, url, country="FR")[1]) == ["French newcomer", "French twins"]


def test_drafts_and_private_case_studies_are_not_listed(client, listing):
    CaseStudyPageFactory(parent=listing["index"], title="Secret draft", live=False)
    _html, titles = results(client, listing["index"].url)
    assert "Secret draft" not in titles
    feed = client.get(listing["index"].url + "feed/").content.decode()
    assert "Secret draft" not in feed


def test_atom_feed_per_language(client, listing):
    french_index = translate_page(listing["index"], "fr", title="Études de cas")
    translate_page(listing["cases"]["French twins"], "fr", title="Jumeaux numériques")
    response = client.get(french_index.url + "feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert [entry.findtext("a:title", namespaces=ns) for entry in root.findall("a:entry", ns)] == [
        "Jumeaux numériques"
    ]
    english = ET.fromstring(client.get(listing["index"].url + "feed/").content)
    assert len(english.findall("a:entry", ns)) == 5


def test_case_study_page_shows_facts_and_article_data(client, listing):
    page = listing["cases"]["Hungarian skills"]
    french_index = translate_page(listing["index"], "fr")
    french = translate_page(page, "fr", title="Compétences en Hongrie", region="Dunántúl-Ouest")
    html = client.get(french.url).content.decode()
    assert "Hongrie" in html  # the country by its French name
    assert "illustratif" in html or "fictifs" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Article"
    assert data["spatialCoverage"]["address"]["addressCountry"] == "HU"
    assert data["inLanguage"] == "fr"
    assert {thing["name"] for thing in data["about"]} == {"Skills", "Smart-Industry"}
    assert french_index.live


def test_case_studies_are_in_the_api_with_their_fields(client, listing):
    response = client.get(
        "/api/v2/pages/", {"type": "casestudies.CaseStudyPage", "fields": "country,year,summary"}
    )
    items = response.json()["items"]
    assert len(items) == 5
    assert {item["country"] for item in items} == {"HU", "FR", "ES", "DE"}
