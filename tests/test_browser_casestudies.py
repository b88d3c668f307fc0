"""Filtering case studies in Hungarian in a real browser, without JavaScript tricks."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    ThemeFactory,
    translate_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hungarian_listing(live_server, home_pages):
    index = CaseStudyIndexPageFactory()
    hungarian_index = translate_page(index, "hu", title="Esettanulmányok")
    cases = [
        ("Skills in Győr", "Készségek Győrben", "HU", ["skills"]),
        ("Cyber in Szeged", "Kiberbiztonság Szegeden", "HU", ["digitalisation"]),
        ("Skills in Styria", "Készségek Stájerországban", "AT", ["skills"]),
    ]
    for english_title, hungarian_title, country, themes in cases:
        page = CaseStudyPageFactory(
            parent=index, title=english_title, country=country, themes=themes
        )
        translate_page(page, "hu", title=hungarian_title)
    ThemeFactory(slug="skills", name="Skills")
    return live_server, hungarian_index


def test_filter_by_country_and_theme_in_hungarian_and_open_a_case(hungarian_listing, page):
    server, index = hungarian_listing
    page.goto(server.url + index.url)
    expect(page.get_by_role("heading", level=2, name="3 esettanulmány")).to_be_visible()

    page.get_by_label("Magyarország").check()
    page.get_by_label("Skills").check()
    page.get_by_role("button", name="Szűrők alkalmazása").click()

    expect(page).to_have_url(re.compile(r"\?(.*&)?country=HU&(.*&)?theme=skills"))
    results = page.locator(".results .card__title")
    expect(results).to_have_count(1)
    expect(results).to_have_text("Készségek Győrben")
    expect(page.get_by_label("Magyarország")).to_be_checked()

    results.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Készségek Győrben")
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    expect(page.locator(".facts")).to_contain_text("Magyarország")
