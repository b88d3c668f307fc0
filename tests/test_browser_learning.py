"""Continue on another device, in real browsers: two browser contexts share nothing but
the progress code (issue 14)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_progress_code_carries_progress_from_one_browser_to_another(live_server, course, browser):
    first = browser.new_context()
    page = first.new_page()
    page.goto(f"{live_server.url}/fr/modules/smart-industry/lesson-1/")
    page.locator('form[action$="/complete/"] button').click()
    # The header's link to My learning, in French.
    page.get_by_role("link", name="Mon apprentissage").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("progress").first).to_have_attribute("value", "33")
    page.get_by_role("button", name="Créer un code de progression").click()
    code = page.locator(".progress-code__value").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    expect(page.get_by_role("img", name=re.compile("QR"))).to_be_visible()
    link = page.locator(".progress-code__link").get_attribute("href")
    assert link == f"{live_server.url}/fr/my-learning/restore/{code}/"

    # Another browser: nothing yet.
    second = browser.new_context()
    other = second.new_page()
    other.goto(f"{live_server.url}/es/my-learning/")
    expect(other.locator("progress").first).to_have_attribute("value", "0")
    # It opens the link (as a phone would from the QR code) and confirms.
    other.goto(link)
    expect(other.locator("#restore-code")).to_have_value(code)
    other.locator(".restore-form button").click()
    expect(other).to_have_url(re.compile(r"/fr/my-learning/\?restored=1$"))
    expect(other.locator("progress").first).to_have_attribute("value", "33")
    # The same progress in Spanish, from the language switcher's My learning.
    other.goto(f"{live_server.url}/es/modules/smart-industry/")
    expect(other.locator("progress").first).to_have_attribute("value", "33")

    # A code typed wrong in a third browser: a message, and no progress.
    third = browser.new_context()
    stranger = third.new_page()
    stranger.goto(f"{live_server.url}/en/my-learning/")
    stranger.locator("#restore-code").fill("ABCD-EFGH-JKMN")
    stranger.locator(".restore-form button").first.click()
    expect(stranger.get_by_role("alert")).to_contain_text("unknown or has expired")
    assert not [c for c in third.cookies() if c["name"] == "sessionid"]

    # The owner deletes the code; the second browser keeps what it restored.
    page.get_by_role("button", name="Supprimer mon code de progression").click()
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("supprimé")
    other.goto(f"{live_server.url}/es/my-learning/")
    expect(other.locator("progress").first).to_have_attribute("value", "33")
    for context in (first, second, third):
        context.close()
