"""The editorial journey in a real browser: a Spanish editor writes a case study, a
moderator approves it, a Hungarian translator translates it in wagtail-localize's editor,
and once approved the Hungarian page is live and found by the Hungarian search."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from casestudies.models import CaseStudyPage
from tests.factories import CaseStudyIndexPageFactory, UserFactory, translate_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


@pytest.fixture
def newsroom(live_server, home_pages):
    index = CaseStudyIndexPageFactory()
    indexes = {"en": index}
    for code, title in (("es", "Casos prácticos"), ("hu", "Esettanulmányok")):
        indexes[code] = translate_page(index, code, title=title)
    UserFactory(username="lucia", roles=["Spanish editors"])
    UserFactory(username="marta", roles=["Spanish moderators", "Hungarian moderators"])
    UserFactory(username="zsofia", roles=["Hungarian translators"])
    return live_server, indexes


def log_in(browser, server, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def rich_text(page, field, text):
    editable = page.locator(f"[data-contentpath={field}] [contenteditable=true]")
    editable.click()
    editable.press_sequentially(text)
    expect(editable).to_contain_text(text)
    # Draftail writes the hidden input the form submits a moment after typing stops.
    expect(page.locator(f"input[name={field}]")).to_have_value(re.compile(re.escape(text[:20])))


def settle_autosave(page):
    """Wait for Wagtail 8's autosave to finish. On a create form the first autosave
    creates the page and re-targets the form at its edit view; a submit sent before
    that lands on the create view again and collides with the page autosave made
    (a slug clash, a 500 inside Wagtail). An editor's pause does the same wait."""
    indicator = page.locator("#w-autosave-indicator")
    if not indicator.count():
        return
    page.wait_for_timeout(700)  # past the debounce (WAGTAIL_AUTOSAVE_INTERVAL, 500 ms)
    expect(indicator).not_to_have_attribute("data-w-autosave-state-value", "saving")
    if "/pages/add/" in page.url:
        expect(page.locator("#page-edit-form")).to_have_attribute("action", re.compile("/edit/"))


def footer_action(page, selector):
    settle_autosave(page)
    page.locator("footer .w-dropdown__toggle").click()
    page.locator(f"footer {selector}").click()


def translate_segment(translator, source_text, translated_text):
    """Translate one segment in wagtail-localize's editor: open it, type, save."""
    segment = translator.locator(f"xpath=//li[p[normalize-space()='{source_text}']]")
    segment.get_by_role("button").click()
    segment.locator("textarea").fill(translated_text)
    segment.get_by_role("button").last.click()  # save (the other one cancels)
    expect(segment.locator("textarea")).to_have_count(0)
    expect(segment).to_contain_text(translated_text)


def approve(moderator, server, title):
    """Approve from the dashboard's list of work awaiting review (wagtail-localize's
    editor, which translations open in, has no workflow actions of its own)."""
    moderator.goto(f"{server.url}/admin/")
    row = moderator.locator("tr", has_text=title)
    row.locator(".w-dropdown__toggle").click()
    row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").click()
    expect(moderator.locator("tr", has_text=title)).to_have_count(0)  # no longer awaiting review


def test_case_study_from_spanish_draft_to_hungarian_search(newsroom, browser):
    server, indexes = newsroom

    # A Spanish editor writes a case study and submits it for moderation.
    editor = log_in(browser, server, "lucia")
    editor.goto(f"{server.url}/admin/pages/add/casestudies/casestudypage/{indexes['es'].pk}/")
    editor.fill("#id_title", "Gemelos digitales en la industria vasca")
    editor.fill("#id_cluster_name", "Clúster Vasco de Fabricación Avanzada")
    editor.select_option("#id_country", "ES")
    editor.fill("#id_region", "País Vasco")
    editor.fill("#id_year", "2024")
    editor.fill("#id_summary", "Cómo un clúster ayudó a cuarenta pymes a probar gemelos digitales.")
    rich_text(editor, "challenge", "Las pymes no tenían datos de producción fiables.")
    rich_text(
        editor, "approach", "Un piloto compartido con cinco fábricas y un centro tecnológico."
    )
    rich_text(editor, "results", "Cuarenta empresas adoptaron gemelos digitales en dos años.")
    footer_action(editor, "button[name=action-submit]")
    expect(editor.locator(".messages")).to_contain_text("Gemelos digitales en la industria vasca")
    spanish = CaseStudyPage.objects.get(title="Gemelos digitales en la industria vasca")
    assert not spanish.live and spanish.workflow_in_progress

    # A moderator finds it on the dashboard and approves it.
    moderator = log_in(browser, server, "marta")
    approve(moderator, server, "Gemelos digitales en la industria vasca")
    spanish.refresh_from_db()
    assert spanish.live

    # A Hungarian translator finds it missing on the translation status board.
    translator = log_in(browser, server, "zsofia")
    translator.goto(f"{server.url}/admin/translation-status/?section=casestudies&language=hu")
    row = translator.locator("tr", has_text="Gemelos digitales en la industria vasca")
    expect(row.locator("[data-state]")).to_have_attribute("data-state", "not-translated")
    row.locator("a[data-action=translate]").click()
    # wagtail-localize's form, with Hungarian chosen and no other language on offer.
    expect(translator.locator("input[name=locales]")).to_have_count(1)
    expect(translator.locator("input[name=locales]")).to_be_checked()
    translator.locator("form[method=POST] input[type=submit]").click()
    translator.wait_for_load_state()
    expect(translator).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    translate_segment(
        translator, "Gemelos digitales en la industria vasca", "Digitális ikrek a baszk iparban"
    )
    translate_segment(
        translator,
        "Cómo un clúster ayudó a cuarenta pymes a probar gemelos digitales.",
        "Hogyan segített egy klaszter negyven kkv-nak kipróbálni a digitális ikreket.",
    )
    # The rest with the machine translator (the dummy one in tests), then off to review.
    translator.locator("form[action*=machine_translate] button").first.click()
    expect(translator.locator(".messages")).to_be_visible()
    translator.locator("form[action*='/translation-status/review/'] button").click()
    expect(translator.locator(".messages")).to_contain_text("Digitális ikrek a baszk iparban")
    hungarian = Page.objects.get(
        translation_key=spanish.translation_key, locale__language_code="hu"
    )
    assert not hungarian.live and hungarian.workflow_in_progress
    translator.goto(f"{server.url}/hu/search/?q=ikrek")
    expect(translator.locator("main")).not_to_contain_text("Digitális ikrek a baszk iparban")

    # The moderator approves; the Hungarian page is live and the Hungarian search finds it.
    approve(moderator, server, "Digitális ikrek a baszk iparban")
    hungarian.refresh_from_db()
    assert hungarian.live and hungarian.title == "Digitális ikrek a baszk iparban"
    visitor = browser.new_page()
    visitor.goto(f"{server.url}/hu/search/?q=ikrek")
    visitor.get_by_role("link", name="Digitális ikrek a baszk iparban").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Digitális ikrek a baszk iparban")
    expect(visitor.locator("html")).to_have_attribute("lang", "hu")
