"""Four languages: redirects, lang/dir, hreflang, canonical and the switcher."""

import re

import pytest

from tests.factories import HomePageFactory, translate_page


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"),
        ("hu", "/hu/"),
        ("es-ES", "/es/"),
        ("de-DE,de;q=0.9", "/en/"),
        ("", "/en/"),
        ("';;;===,,,q=abc" * 20, "/en/"),
        ("x" * 2000, "/en/"),
    ],
)
def test_root_redirects_to_the_visitors_best_language(
    client, home_pages, accept_language, expected
):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("code", ["en", "fr", "es", "hu"])
def test_each_home_page_has_its_language_and_direction(client, home_pages, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}" dir="ltr">' in html
    assert home_pages[code].hero_heading in html


def test_hreflang_lists_every_live_translation_and_x_default(client, home_pages):
    html = client.get("/hu/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert alternates == {
        "en": "http://testserver/en/",
        "fr": "http://testserver/fr/",
        "es": "http://testserver/es/",
        "hu": "http://testserver/hu/",
        "x-default": "http://testserver/en/",
    }
    assert '<link rel="canonical" href="http://testserver/hu/">' in html


def test_translated_slugs_are_taken_from_the_translation_itself(client, home_pages):
    english_child = HomePageFactory._meta.model  # noqa: F841 (documents intent below)
    from home.models import HomePage

    parent_en = home_pages["en"]
    child = HomePage(title="About", slug="about", hero_heading="About")
    parent_en.add_child(instance=child)
    child.save_revision().publish()
    translate_page(child, "fr", title="À propos", slug="a-propos", hero_heading="À propos")

    html = client.get("/en/about/").content.decode()
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/a-propos/">' in html
    assert '<link rel="canonical" href="http://testserver/en/about/">' in html


def test_draft_translations_are_not_advertised(client, locales):
    english = HomePageFactory()
    translate_page(english, "fr", live=False, title="Brouillon")
    html = client.get("/en/").content.decode()
    assert 'hreflang="fr"' not in html.split("</head>")[0]
    # The switcher still offers French, but leads to the French home with a notice.
    assert 'href="/fr/?missing_translation=1"' in html


def test_switcher_leads_to_the_translation_when_it_exists(client, home_pages):
    html = client.get("/en/").content.decode()
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert 'href="/fr/" lang="fr" hreflang="fr"' in switcher
    assert 'aria-current="true">English' in switcher
    assert "missing_translation" not in switcher


def test_switcher_tells_the_visitor_when_a_page_is_not_translated(client, home_pages):
    from home.models import HomePage

    only_english = HomePage(title="News", slug="news", hero_heading="News")
    home_pages["en"].add_child(instance=only_english)
    only_english.save_revision().publish()

    html = client.get("/en/news/").content.decode()
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert 'href="/hu/?missing_translation=1"' in switcher
    assert "még nincs lefordítva" in switcher  # the note is in the target language

    landing = client.get("/hu/?missing_translation=1").content.decode()
    assert 'role="status"' in landing
    assert "még nincs lefordítva" in landing


def test_pages_answer_in_a_bounded_number_of_queries(
    client, home_pages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get("/fr/").status_code == 200
