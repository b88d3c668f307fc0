"""Content-Security-Policy, Permissions-Policy and the other security headers.

Every public response (pages of every type, the API, the feed, the sitemap, search and
suggestions, error pages) sends the strict public policy: this origin only, no inline
script or style, nothing framed, no plug-ins. The header is the same bytes for every
anonymous visitor, so a page cached for one is right for all. The Wagtail admin gets its
own policy, the page preview the public one with the admin allowed to frame it.
"""

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.security_site import build_site

PUBLIC_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; frame-src 'none'"
)
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"]


@pytest.fixture(scope="module")
def site_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(site_once, db):
    return site_once


def public_paths(site):
    cases = site["cases"].url
    return {
        "home": "/en/",
        "home (fr)": "/fr/",
        "module index": site["catalogue"].url,
        "module": site["module"].url,
        "lesson": site["lesson"].url,
        "lesson result": site["lesson"].url + "?result=1",
        "case-study listing": cases,
        "case-study listing, filtered": cases + "?country=FR&theme=skills",
        "case study": site["case"].url,
        "case-study feed": cases + "feed/",
        "glossary": site["glossary"].url,
        "glossary letter": site["glossary"].url + "?letter=d",
        "glossary term": site["term"].url,
        "password form": site["secret"].url,
        "search": "/en/search/?q=twin",
        "suggestions": "/en/search/suggest/?q=tw",
        "API pages": "/api/v2/pages/",
        "API page": f"/api/v2/pages/{site['lesson'].pk}/",
        "API 404": "/api/v2/nothing/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "404": "/en/no-such-page/",
        "bare root": "/",
    }


def check_public_headers(response, what):
    assert response.status_code < 500, what
    policy = response.get("Content-Security-Policy")
    assert policy == PUBLIC_POLICY, what
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, what
    permissions = response.get("Permissions-Policy", "")
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in permissions, (what, feature)
    assert response.get("X-Content-Type-Options") == "nosniff", what
    assert response.get("Referrer-Policy") == "same-origin", what


def test_every_public_response_sends_the_public_policy(site):
    client = Client()
    statuses = {}
    for what, path in public_paths(site).items():
        response = client.get(path)
        statuses[what] = response.status_code
        check_public_headers(response, what)
    # Controls: the pages were what they claim to be.
    assert statuses["home"] == statuses["lesson"] == statuses["case-study feed"] == 200
    assert statuses["password form"] == 200
    assert statuses["404"] == 404
    assert statuses["API 404"] == 404
    assert statuses["bare root"] == 302


def test_a_bad_request_and_a_quiz_submission_send_it_too(site):
    response = Client().get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    check_public_headers(response, "400")
    response = Client().post(site["lesson"].url + "quiz/", {})
    check_public_headers(response, "quiz POST")
    response = Client().post(site["password_url"], {"password": "wrong", "return_url": "/"})
    check_public_headers(response, "wrong page password")
    assert response.status_code == 200


def test_documents_keep_wagtails_stricter_policy(site):
    """Wagtail serves documents with a policy of its own that allows nothing at all."""
    response = Client().get(site["sheet"].url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_header_is_the_same_for_every_anonymous_visitor(site):
    path = site["lesson"].url
    headers = {
        Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
        .get(path)
        .get("Content-Security-Policy")
        for language, address in (("en", "192.0.2.1"), ("fr", "192.0.2.2"), ("hu", "::1"))
    }
    assert headers == {PUBLIC_POLICY}
    # No nonce was made for any of them (it would differ per request).
    assert "nonce-" not in PUBLIC_POLICY


def test_a_changed_policy_setting_is_sent_at_once(site, settings):
    """The public header is built once per process; a changed setting rebuilds it."""
    path = site["lesson"].url
    assert Client().get(path)["Content-Security-Policy"] == PUBLIC_POLICY
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": ["'self'"]}
    settings.CONTENT_SECURITY_POLICY = policy
    changed = Client().get(path)["Content-Security-Policy"]
    assert "img-src 'self';" in changed and "data:" not in changed
    assert changed != PUBLIC_POLICY


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def inline_code(html):
    return INLINE_CODE.findall(html)


def test_public_pages_hold_no_inline_script_style_or_handlers(site):
    # Control: the check finds each kind of inline code.
    for sample in (
        "<script>alert(1)</script>",
        '<p style="color:red">',
        "<style>p{}</style>",
        '<a onclick="x()">',
        '<a href="javascript:x()">',
    ):
        assert inline_code(sample), sample
    assert not inline_code('<script src="/static/js/a.js" defer></script>')
    assert not inline_code('<script type="application/ld+json">{}</script>')

    client = Client()
    for what, path in public_paths(site).items():
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = b"".join(response).decode() if response.streaming else response.content.decode()
        assert inline_code(html) == [], what


def test_the_admin_gets_its_own_policy(site):
    response = Client().get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert policy != PUBLIC_POLICY
    for directive in ("object-src 'none'", "base-uri 'self'", "form-action 'self'"):
        assert directive in policy
    assert "frame-ancestors 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy  # no other origin, not even for the admin
    assert "camera=()" in response["Permissions-Policy"]
    assert policy.startswith("default-src 'self'; script-src 'self' 'unsafe-inline';")


def test_the_page_preview_keeps_the_public_rules_and_may_be_framed_by_the_admin(site):
    """Wagtail renders a preview by sending a request for the page's own URL through the
    middleware (``make_preview_request``), as its preview panel does."""
    response = site["lesson"].make_preview_request()
    assert response.status_code == 200
    assert "Digital twins" in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert policy == PUBLIC_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


def test_no_third_party_origins_in_any_policy():
    public = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    admin = settings.PORTAL_ADMIN_CSP_DIRECTIVES
    for directives in (public, admin):
        for sources in directives.values():
            for source in sources:
                assert source in {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
