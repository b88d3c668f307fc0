"""The learner's path in a real browser with the page cache on, with and without JavaScript.

Lesson pages come from the page cache for visitors without a session; the quiz and the
completion form work all the same (no CSRF token in the page: the browser's Origin
header is checked), the learner then sees their own progress, and a stranger still gets
the shared copy without it.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_quiz_completion_and_progress_work_on_cached_pages(
    live_server, course, browser, javascript
):
    lesson_one = f"{live_server.url}/en/modules/smart-industry/lesson-1/"
    lesson_two = f"{live_server.url}/en/modules/smart-industry/lesson-2/"
    stranger = browser.new_context(java_script_enabled=javascript)
    learner = browser.new_context(java_script_enabled=javascript)
    try:
        # Someone read the lesson before (requests outside the browser's own HTTP cache).
        stranger.request.get(lesson_one)
        assert stranger.request.get(lesson_one).headers["x-cache"] == "hit"

        page = learner.new_page()
        first = page.goto(lesson_one)
        assert first.headers["x-cache"] == "hit"  # the learner starts on the shared copy
        assert "cookie" not in first.headers.get("vary", "").lower()
        page.get_by_label("The cluster organisation").check()
        page.get_by_label("Digital twins").check()
        page.get_by_label("Internet of Things").check()
        page.get_by_role("button", name="Check my answers").click()
        expect(page.locator("#quiz-result")).to_contain_text(re.compile(r"100\s?%"))
        expect(page.locator(".lesson__standing")).to_contain_text("You have completed this lesson.")
        expect(page.locator(".lesson__standing progress")).to_have_attribute("value", "33")

        assert page.goto(lesson_two).headers["x-cache"] == "skip"  # now their own page
        page.get_by_role("button", name="Mark this lesson as completed").click()
        expect(page.locator(".lesson__standing progress")).to_have_attribute("value", "67")
        page.goto(f"{live_server.url}/en/modules/smart-industry/")
        expect(page.get_by_text("2 of 3 lessons completed")).to_be_visible()

        # The stranger still gets the shared copy, with nobody's progress on it.
        visitor = stranger.new_page()
        shared = visitor.goto(lesson_one)
        assert shared.headers["x-cache"] == "hit"
        expect(visitor.locator(".lesson__standing progress")).to_have_attribute("value", "0")
        expect(visitor.locator("#quiz-result")).to_have_count(0)
        expect(visitor.get_by_role("button", name="Check my answers")).to_be_visible()
    finally:
        stranger.close()
        learner.close()
