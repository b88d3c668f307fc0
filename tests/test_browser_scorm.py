"""A Hungarian SCORM 1.2 package in Chromium, inside a small stand-in for a learning
platform that records every call of its SCORM 1.2 ``API`` object.

The unzipped package and the stand-in are served through Playwright's routing under one
made-up origin; any request for another address is recorded and refused, so the tests
also prove that nothing leaves the package.
"""

import io
import mimetypes
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.oer_world import SECOND_QUESTION, TEXTS, build_world

# django_db: pytest-django creates the test database only for runs holding such a test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ORIGIN = "http://lms.test"
LMS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="/lms-api.js"></script></head>
<body><iframe id="sco" title="lesson" src="/pkg/{lesson}" width="900" height="900"></iframe></body></html>
"""
OPENER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="/lms-api.js"></script></head><body><p>Launcher</p></body></html>
"""
# A SCORM 1.2 run-time API that records its calls and keeps the data model in memory.
API_SCRIPT = """
window.calls = [];
window.API = {
    data: {"cmi.core.lesson_status": "not attempted"},
    record: function (call) { window.calls.push(call); return "true"; },
    LMSInitialize: function (arg) { return this.record(["LMSInitialize", arg]); },
    LMSFinish: function (arg) { return this.record(["LMSFinish", arg]); },
    LMSGetValue: function (name) { window.calls.push(["LMSGetValue", name]); return this.data[name] || ""; },
    LMSSetValue: function (name, value) { this.data[name] = value; return this.record(["LMSSetValue", name, value]); },
    LMSCommit: function (arg) { return this.record(["LMSCommit", arg]); },
    LMSGetLastError: function () { return "0"; },
    LMSGetErrorString: function () { return "No error"; },
    LMSGetDiagnostic: function () { return ""; }
};
"""


@pytest.fixture(scope="module")
def package(django_db_setup, django_db_blocker):
    """The files of the Hungarian module's SCORM package, downloaded from the portal."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(lesson_count=1, languages=("en", "hu"))
        response = Client().get(f"{world.modules['hu'].url}export/scorm12.zip")
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        files = {name: archive.read(name) for name in archive.namelist()}
        transaction.set_rollback(True)
    return files


@pytest.fixture
def lms(context, package):
    """Serves the stand-in platform and the package; returns the refused requests."""
    refused = []

    def serve(route):
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            refused.append(url)
            route.abort()
            return
        path = parts.path.lstrip("/")
        if path == "lms.html":
            lesson = parts.query.removeprefix("lesson=") or "lesson-01.html"
            body, kind = LMS_PAGE.format(lesson=lesson).encode(), "text/html"
        elif path == "opener.html":
            body, kind = OPENER_PAGE.encode(), "text/html"
        elif path == "lms-api.js":
            body, kind = API_SCRIPT.encode(), "text/javascript"
        elif path.startswith("pkg/") and path[4:] in package:
            body = package[path[4:]]
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        else:
            route.fulfill(status=404, body=b"")
            return
        route.fulfill(status=200, body=body, content_type=kind)

    context.route("**/*", serve)
    yield refused
    assert refused == [], "requests left the package"


def calls(page):
    return page.evaluate("window.calls")


def wait_for_call(page, name):
    page.wait_for_function(f"window.calls.some(call => call[0] === {name!r})")


def answer(frame, right):
    _question, choices, _feedback, _explanation = TEXTS["hu"]["quiz"]
    frame.get_by_label(choices[0] if right else choices[1]).check()
    _second, second_choices = SECOND_QUESTION["hu"]
    frame.get_by_label(second_choices[0]).check()
    frame.get_by_label(second_choices[1]).check()
    frame.get_by_role("button", name=hungarian("Check my answers")).click()


def hungarian(message):
    with translation.override("hu"):
        return gettext(message)


def set_values(recorded):
    return [(call[1], call[2]) for call in recorded if call[0] == "LMSSetValue"]


def test_a_lesson_reports_its_quiz_to_the_platform_and_finishes_on_leaving(page, lms):
    page.goto(f"{ORIGIN}/lms.html")
    wait_for_call(page, "LMSInitialize")
    frame = page.frame_locator("#sco")
    expect(frame.locator("html")).to_have_attribute("lang", "hu")
    expect(frame.locator("#lms-status")).to_have_text(
        hungarian("Your result is sent to your learning platform.")
    )
    assert calls(page)[0] == ["LMSInitialize", ""]
    assert ("cmi.core.lesson_status", "incomplete") in set_values(calls(page))

    # An unanswered quiz is not scored, and nothing is reported.
    frame.get_by_role("button", name=hungarian("Check my answers")).click()
    expect(frame.locator("#quiz-result")).to_have_text(
        hungarian("Some questions have no answer yet. Please answer every question.")
    )
    assert not any(name == "cmi.core.score.raw" for name, _value in set_values(calls(page)))

    # A wrong answer: 50%, failed, committed.
    answer(frame, right=False)
    expect(frame.locator("#quiz-result")).to_contain_text(re.compile(r"50\s?%"))
    recorded = calls(page)
    values = set_values(recorded)
    assert ("cmi.core.score.raw", "50") in values
    assert ("cmi.core.score.min", "0") in values and ("cmi.core.score.max", "100") in values
    assert values[-1] == ("cmi.core.lesson_status", "failed")
    assert recorded[-1] == ["LMSCommit", ""]
    # The feedback of the chosen wrong answer is shown.
    expect(frame.get_by_text(TEXTS["hu"]["quiz"][2][1])).to_be_visible()

    # A right answer: 100%, passed, committed.
    answer(frame, right=True)
    expect(frame.locator("#quiz-result")).to_contain_text(re.compile(r"100\s?%"))
    expect(frame.locator("#quiz-result")).to_contain_text(hungarian("You passed this quiz."))
    recorded = calls(page)
    assert set_values(recorded)[-2:] == [
        ("cmi.core.score.raw", "100"),
        ("cmi.core.lesson_status", "passed"),
    ]
    assert recorded[-1] == ["LMSCommit", ""]
    assert not any(call[0] == "LMSFinish" for call in recorded)

    # Leaving the lesson ends the session, once, after a last commit.
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    wait_for_call(page, "LMSFinish")
    recorded = calls(page)
    assert recorded[-1] == ["LMSFinish", ""] and recorded[-2] == ["LMSCommit", ""]
    session_time = dict(set_values(recorded))["cmi.core.session_time"]
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}", session_time)
    page.wait_for_timeout(200)
    assert [call[0] for call in calls(page)].count("LMSFinish") == 1


def test_a_lesson_opened_in_a_new_window_finds_the_api_in_its_opener(page, lms):
    page.goto(f"{ORIGIN}/opener.html")
    with page.expect_popup() as popup_info:
        page.evaluate("window.open('/pkg/lesson-02.html', 'sco')")
    popup = popup_info.value
    wait_for_call(page, "LMSInitialize")
    # A lesson without a quiz is completed by reading it.
    page.wait_for_function("window.calls.some(call => call[0] === 'LMSCommit')")
    assert ("cmi.core.lesson_status", "completed") in set_values(calls(page))
    popup.goto("about:blank")
    wait_for_call(page, "LMSFinish")


def test_without_a_platform_the_quiz_is_scored_in_the_page(page, lms):
    page.goto(f"{ORIGIN}/pkg/lesson-01.html")
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    expect(page.locator("#lms-status")).to_have_text(
        hungarian("No learning platform found: your result is shown here only.")
    )
    answer(page, right=True)
    expect(page.locator("#quiz-result")).to_contain_text(re.compile(r"100\s?%"))
    expect(page.locator(".quiz__explanation").first).to_be_visible()
    expect(page.locator(".quiz__verdict").first).to_have_text(hungarian("Right"))
    # The overview page links the lessons, inside the package.
    page.goto(f"{ORIGIN}/pkg/index.html")
    page.get_by_role("link", name=re.compile("Lecke 1.1")).click()
    expect(page).to_have_url(f"{ORIGIN}/pkg/lesson-01.html")
