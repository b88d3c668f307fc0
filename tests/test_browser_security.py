"""The Content Security Policy in a real browser: nothing on the public site, the page
editor, its preview or wagtail-localize's editor breaks it.

A listener added before any page script records every `securitypolicyviolation` event,
in every frame, and Chromium's console reports of blocked content (a refused frame is
only reported there). The control serves an inline script through the same middleware
and must be caught.
"""

import re

import pytest
from django.http import HttpResponse
from django.urls import path
from playwright.sync_api import expect

from portal.urls import urlpatterns as portal_urlpatterns
from tests.factories import UserFactory, start_translation, translate_page
from tests.security_site import PAGE_PASSWORD, build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"

LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolation(JSON.stringify({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    document: event.documentURI,
  }));
}, true);
"""


def inline_script_view(request):
    """Test only: a page that breaks the policy, to show that the listener can fail."""
    return HttpResponse(
        "<!DOCTYPE html><html><head><title>Control</title></head><body><p>Control</p>"
        "<script>document.title = 'inline script ran';</script></body></html>"
    )


urlpatterns = [path("csp-control/", inline_script_view), *portal_urlpatterns]


class Violations(list):
    def since(self, mark):
        return self[mark:]


@pytest.fixture
def site(live_server):
    return live_server, build_site()


@pytest.fixture
def watched(browser):
    """A browser context whose pages report violations to ``violations``."""
    violations = Violations()
    context = browser.new_context()

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append({"console": message.text[:300]})

    context.expose_binding("__cspViolation", lambda source, data: violations.append(data))
    context.add_init_script(LISTENER)
    context.on("console", on_console)
    outside = []
    context.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(
                ("http://localhost", "http://127.0.0.1", "data:", "blob:")
            )
            else None
        ),
    )
    page = context.new_page()
    page.on("console", on_console)
    yield page, violations, outside
    context.close()


def settle(page):
    page.wait_for_load_state("networkidle")


@pytest.mark.urls(__name__)
def test_control_an_inline_script_is_caught(site, watched):
    server, _ = site
    page, violations, _ = watched
    page.goto(server.url + "/csp-control/")
    settle(page)
    expect(page.get_by_text("Control")).to_be_visible()
    expect(page).to_have_title("Control")  # the script did not run
    assert any("script-src" in str(violation) for violation in violations), violations


def test_every_public_page_type_keeps_to_the_policy(site, watched):
    server, pages = site
    page, violations, outside = watched
    visited = []

    def visit(url):
        page.goto(server.url + url)
        settle(page)
        visited.append(url)

    visit("/en/")
    expect(page.locator("h1")).to_be_visible()
    visit(pages["catalogue"].url)
    visit(pages["module"].url)

    # A lesson with an image, a video with captions and transcript, an external video
    # behind consent, a fact sheet, a glossary term and a quiz, which is submitted.
    visit(pages["lesson"].url)
    expect(page.locator("video.video__player")).to_have_count(1)
    expect(page.locator(".video__transcript").first).to_contain_text("Hello and welcome")
    page.get_by_label("The cluster organisation").check()
    page.get_by_label("Internet of Things").check()
    page.get_by_role("button", name="Check my answers").click()
    settle(page)
    expect(page).to_have_url(re.compile(r"result="))

    # Case studies: the listing, filtered through its form, and a case study.
    visit(pages["cases"].url)
    page.get_by_role("button", name="Apply filters").click()
    settle(page)
    visit(pages["cases"].url + "?country=FR&theme=skills")
    expect(page.locator(".results .card__title")).to_have_count(1)
    page.locator(".results .card__title").get_by_role("link").click()
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Twin pilots")

    # The glossary A to Z, a letter, a term.
    visit(pages["glossary"].url)
    page.locator(".alphabet a", has_text="D").first.click()
    settle(page)
    expect(page).to_have_url(re.compile(r"letter=D", re.IGNORECASE))
    visit(pages["term"].url)

    # Search with results, and the suggestions typed into.
    visit("/en/search/?q=twin")
    expect(page.locator("main")).to_contain_text("Twin pilots")
    page.locator("#site-search-q").press_sequentially("digi", delay=50)
    expect(page.locator(".suggestions li").first).to_be_visible()

    # The password form of a protected page, and the page once the password is given.
    visit(pages["secret"].url)
    page.get_by_label("Password").fill(PAGE_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Members only")

    # The 404 page.
    response = page.goto(server.url + "/en/no-such-page/")
    settle(page)
    assert response.status == 404

    assert len(visited) >= 10
    assert list(violations) == []
    assert outside == []


def log_in(page, server, username):
    page.goto(server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_the_admin_editors_keep_to_the_admin_policy(site, watched):
    server, pages = site
    translate_page(pages["module"], "es", title="Industria inteligente")
    translation = start_translation(pages["lesson"], "es")
    UserFactory(username="editor", is_superuser=True, is_staff=True)
    page, violations, outside = watched

    log_in(page, server, "editor")
    page.goto(f"{server.url}/admin/pages/")
    settle(page)

    # The page editor, its live preview, and the page chooser of a block.
    page.goto(f"{server.url}/admin/pages/{pages['lesson'].pk}/edit/")
    settle(page)
    expect(page.locator("[data-contentpath=body]")).to_be_visible()
    page.locator("[data-side-panel-toggle=preview]").first.click()
    preview = page.frame_locator("iframe[id=w-preview-iframe], .preview-panel iframe").first
    expect(preview.locator("h1")).to_have_text("Digital twins")
    page.locator("[data-side-panel-toggle=preview]").first.click()
    chooser = page.locator("[data-contentpath=body] .chooser[data-chooser-url*='choose-page']")
    chooser.first.get_by_role("button", name="Actions").click()
    chooser.first.get_by_role("button", name="Choose another page").click()
    expect(page.locator(".modal-content").first).to_be_visible()
    expect(page.locator(".modal-content").first).to_contain_text("digital twin")
    page.keyboard.press("Escape")

    # wagtail-localize's translation editor (the edit view of a translation).
    target = translation.get_target_instance()
    page.goto(f"{server.url}/admin/pages/{target.pk}/edit/")
    settle(page)
    expect(page.get_by_text("Key ideas").first).to_be_visible()
    segment = page.locator("xpath=//li[p[normalize-space()='Key ideas']]")
    segment.get_by_role("button").first.click()
    segment.locator("textarea").fill("Ideas clave")
    segment.get_by_role("button").last.click()
    expect(segment).to_contain_text("Ideas clave")

    # The lockouts listing.
    page.goto(f"{server.url}/admin/lockouts/")
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Login lockouts")

    assert list(violations) == []
    assert outside == []
