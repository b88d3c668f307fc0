"""The learner's path in a real browser: French catalogue to Spanish progress."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def progress_value(page):
    return page.locator("progress").first.get_attribute("value")


def test_learner_fails_then_passes_a_quiz_and_keeps_progress_across_languages(
    live_server, course, page
):
    page.goto(f"{live_server.url}/fr/modules/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Module fr").click()

    expect(page.locator("progress").first).to_have_attribute("value", "0")
    page.get_by_role("link", name="Commencer le module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 1 fr")

    # First attempt: a wrong answer to the single-choice question.
    page.get_by_label("The national bank").check()
    page.get_by_label("Digital twins").check()
    page.get_by_label("Internet of Things").check()
    page.get_by_role("button", name="Vérifier mes réponses").click()
    expect(page.locator("#quiz-result")).to_contain_text(re.compile(r"50\s?%"))
    expect(page.locator(".quiz__review")).to_contain_text("No: banks may fund, not coordinate.")

    # Second attempt passes.
    page.get_by_role("link", name="Refaire le quiz").click()
    page.get_by_label("The cluster organisation").check()
    page.get_by_label("Digital twins").check()
    page.get_by_label("Internet of Things").check()
    page.get_by_role("button", name="Vérifier mes réponses").click()
    expect(page.locator("#quiz-result")).to_contain_text(re.compile(r"100\s?%"))
    expect(page.locator(".lesson__standing progress")).to_have_attribute("value", "33")

    # The same progress in Spanish.
    page.get_by_role("navigation", name="Choisir une langue").get_by_role(
        "link", name="Español"
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".lesson__standing progress")).to_have_attribute("value", "33")
    page.goto(f"{live_server.url}/es/modules/smart-industry/")
    expect(page.locator("progress").first).to_have_attribute("value", "33")
    expect(page.get_by_role("link", name="Continuar").first).to_be_visible()
