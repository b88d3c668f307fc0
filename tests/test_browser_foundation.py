"""The portal as a visitor's browser sees it: Chromium through Playwright."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, locales):
    from tests.conftest import HOME_TEXTS
    from tests.factories import HomePageFactory, translate_page

    english = HomePageFactory()
    for code, texts in HOME_TEXTS.items():
        translate_page(english, code, **texts)
    return live_server


@pytest.mark.parametrize(
    ("code", "heading"),
    [
        ("en", "Lead your cluster into smart industry"),
        ("fr", "Conduisez votre cluster"),
        ("es", "Lleve su clúster"),
        ("hu", "Vezesse klaszterét"),
    ],
)
def test_home_page_in_each_language(site, page, code, heading):
    page.goto(f"{site.url}/{code}/")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("contentinfo")).to_contain_text("CC BY 4.0")


def test_language_switcher_moves_to_the_translation(site, page):
    page.goto(f"{site.url}/en/")
    page.get_by_role("navigation", name="Choose a language").get_by_role(
        "link", name="Magyar"
    ).click()
    expect(page).to_have_url(f"{site.url}/hu/")
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vezesse klaszterét")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(site, page):
    page.goto(f"{site.url}/fr/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    expect(skip_link).to_have_text("Aller au contenu principal")
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
