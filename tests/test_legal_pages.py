"""The accessibility statement and the privacy notice (issue 14): the EU model statement's
sections in every language, and footer links to the visitor's own language's pages."""

import re

import pytest
from django.db import transaction
from django.test import Client

from tests.factories import (
    AccessibilityStatementPageFactory,
    PrivacyNoticePageFactory,
    multilingual_home,
    translate_page,
)

LANGUAGES = ("en", "fr", "es", "hu")
SECTIONS = {
    "en": [
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "Feedback and contact information",
        "Enforcement procedure",
    ],
    "fr": [
        "État de conformité",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et coordonnées",
        "Procédure de mise en œuvre",
    ],
    "es": [
        "Situación de cumplimiento",
        "Contenido no accesible",
        "Preparación de la presente declaración de accesibilidad",
        "Observaciones y datos de contacto",
        "Procedimiento de aplicación",
    ],
    "hu": [
        "Megfelelőségi állapot",
        "Nem akadálymentes tartalom",
        "Az akadálymentességi nyilatkozat elkészítése",
        "Visszajelzés és elérhetőségek",
        "Végrehajtási eljárás",
    ],
}


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        multilingual_home()
        statement = AccessibilityStatementPageFactory()
        notice = PrivacyNoticePageFactory()
        pages = {"en": {"statement": statement, "notice": notice}}
        for code in LANGUAGES[1:]:
            pages[code] = {
                "statement": translate_page(statement, code, title=f"Statement {code}"),
                # The Hungarian notice is still a draft: the control for the footer.
                "notice": translate_page(notice, code, title=f"Notice {code}", live=code != "hu"),
            }
        yield pages
        transaction.set_rollback(True)


@pytest.fixture
def world(world_once, db):
    return world_once


def headings(html):
    return re.findall(r"<h2>([^<]+)</h2>", html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_statement_follows_the_eu_model_in_every_language(
    world, language, django_assert_max_num_queries
):
    statement = world[language]["statement"]
    with django_assert_max_num_queries(15):
        response = Client().get(statement.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert headings(html) == SECTIONS[language]
    assert 'href="mailto:accessibility@example.org"' in html
    assert "2026" in html  # the date it was prepared


def test_the_compliance_status_is_said_in_the_visitors_language(world):
    assert (
        "<strong>partially compliant</strong>"
        in Client().get("/en/accessibility/").content.decode()
    )
    assert "<strong>partiellement conforme</strong>" in (
        Client().get("/fr/accessibility/").content.decode()
    )
    assert (
        "<strong>részben megfelel</strong>" in Client().get("/hu/accessibility/").content.decode()
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footer_links_to_the_pages_of_the_visitors_language(world, language):
    html = Client().get(f"/{language}/").content.decode()
    footer = re.search(r"<footer.*</footer>", html, re.S).group(0)
    assert f'href="/{language}/accessibility/"' in footer
    if language == "hu":
        # Not live in Hungarian: no link, and none to another language's notice either.
        assert "/privacy/" not in footer
    else:
        assert f'href="/{language}/privacy/"' in footer


def test_the_privacy_notice_is_served_in_each_language_it_is_live_in(world):
    for code in ("en", "fr", "es"):
        response = Client().get(f"/{code}/privacy/")
        assert response.status_code == 200, code
        assert "<h2>Progress codes</h2>" in response.content.decode()
    assert Client().get("/hu/privacy/").status_code == 404
