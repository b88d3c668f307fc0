"""Every public page type in four languages, as browsers and two checkers see it.

One world for the whole file: the demo content (four languages, every page type, quizzes,
glossary links in lessons), one server thread and one Chromium. Each page is loaded once
and then looked at in every width and both colour schemes:

* axe-core (tools/a11y, from npm) with WCAG 2.0/2.1 A and AA plus best-practice rules, in
  the light and the dark colour scheme: no violation;
* reflow (WCAG 1.4.10) at 320, 375, 768 and 1280 px: no horizontal scrolling, no element
  wider than the viewport, the main navigation reachable;
* the Nu HTML checker (vnu.jar, from npm, run with Java once over every page): no error;
* keyboard journeys: the skip link, the navigation, the search suggestions, the glossary
  tooltips and the quiz (with errors, then answered).

Screenshots of each page type at 375 and 1280 px, in English and Hungarian (the longest
words), go to var/screenshots/ for a reviewer.
``make a11y-tools`` (part of ``make test``) installs the checkers with ``npm ci``.
"""

import io
import json
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.services import require

# The marker makes pytest-django create the test database; _django_db_helper below keeps
# it from wrapping each test in a transaction or flushing the database after it (the
# world's own flush at the end is undone by tests/conftest.py, like any other).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "a11y" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "var" / "screenshots"
LANGUAGES = ["en", "fr", "es", "hu"]
WIDTHS = [1280, 768, 375, 320]
SCREENSHOT_WIDTHS = {1280, 375}
SCREENSHOT_LANGUAGES = {"en", "hu"}  # English, and the longest words
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGE_TYPES = [
    "home",
    "catalogue",
    "module",
    "lesson",
    "case-study listing",
    "case study",
    "glossary",
    "glossary term",
    "search",
    "not found",
    "self-assessment",
    "my learning",
    "certificate lookup",
    "accessibility statement",
    "privacy notice",
]
# Search words with results in each language's demo content.
SEARCH_WORDS = {"en": "cluster", "fr": "cluster", "es": "clúster", "hu": "klaszter"}


TIMINGS = {}


def timed(name):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            TIMINGS.setdefault(name, []).append(time.perf_counter() - self.start)

    return Timer()


# -- the world ---------------------------------------------------------------------------


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """Replaces pytest-django's per-test database handling for this module: a transaction
    around each test would hold SQLite's write lock (transactions are IMMEDIATE) that the
    server thread needs for the quiz, and a flush after each would take the world with it.
    The world is committed once for the module and flushed after it; tests only read."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo content, committed (the server thread reads it), flushed at the end."""
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setenv("PORTAL_ADMIN_PASSWORD", "a11y-demo-password-for-tests")
        try:
            with timed("load the demo content"):
                outside_the_event_loop(
                    lambda: call_command("load_demo_content", stdout=io.StringIO())
                )
            yield outside_the_event_loop(build_urls)
        finally:
            outside_the_event_loop(lambda: call_command("flush", interactive=False, verbosity=0))


def outside_the_event_loop(function):
    """``function()`` run in a thread of its own, whose database connections are closed after.

    Playwright's sync API keeps an event loop in the test thread, so Django's immediate
    task backend would hand the loader's tasks (search index, references) to an executor
    thread whose connection stays open, and PostgreSQL could not drop the test database.
    """
    from django.db import connections

    errors, results = [], []

    def run():
        try:
            results.append(function())
        except BaseException as error:  # re-raised in the test thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def build_urls():
    from assessment.models import SelfAssessmentPage
    from casestudies.models import CaseStudyIndexPage, CaseStudyPage
    from glossary.models import GlossaryIndexPage, GlossaryTermPage
    from home.models import HomePage
    from legal.models import AccessibilityStatementPage, PrivacyNoticePage
    from modules.models import LessonPage, ModuleIndexPage, ModulePage

    urls, lessons = {}, {}
    for code in LANGUAGES:

        def first(model, code=code, **filters):
            return model.objects.live().filter(locale__language_code=code, **filters).first()

        lesson = next(
            page
            for page in LessonPage.objects.live().filter(locale__language_code=code)
            if page.quiz
        )
        lessons[code] = lesson
        urls[code] = {
            "home": first(HomePage).url,
            "catalogue": first(ModuleIndexPage).url,
            "module": first(ModulePage).url,
            "lesson": lesson.url,
            "case-study listing": first(CaseStudyIndexPage).url,
            "case study": first(CaseStudyPage, tagged_items__isnull=False).url,
            "glossary": first(GlossaryIndexPage).url,
            "glossary term": first(GlossaryTermPage, theme__isnull=False).url,
            "search": f"/{code}/search/?q={urllib.request.quote(SEARCH_WORDS[code])}",
            "not found": f"/{code}/no-such-page/",
            "self-assessment": first(SelfAssessmentPage).url,
            "my learning": f"/{code}/my-learning/",
            "certificate lookup": f"/{code}/certificates/",
            "accessibility statement": first(AccessibilityStatementPage).url,
            "privacy notice": first(PrivacyNoticePage).url,
        }
    return {"urls": urls, "lessons": lessons}


@pytest.fixture(scope="module")
def server(world):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    # Each request thread closes its database connection when the browser closes the
    # connection; wait for them, or PostgreSQL refuses to drop the test database later.
    for other in threading.enumerate():
        if "process_request_thread" in repr(getattr(other, "_target", None)):
            other.join(timeout=10)


@pytest.fixture(scope="module")
def axe_source():
    require(AXE.exists(), f"axe-core not installed at {AXE} (run `make a11y-tools`)")
    return AXE.read_text()


@pytest.fixture(scope="module")
def visitor(browser, server):
    """One browser context for the page sweep: a visitor without a session."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server)
    yield context
    context.close()


@pytest.fixture(scope="module", autouse=True)
def report_timings():
    yield
    if TIMINGS:
        lines = [
            f"  {name}: {len(values)} × {sum(values) / len(values):.2f} s = {sum(values):.1f} s"
            for name, values in TIMINGS.items()
        ]
        print("\nAccessibility sweep timings:\n" + "\n".join(lines))


# -- checks run inside the page ------------------------------------------------------------

REFLOW_SCRIPT = """
(label) => {
    const width = document.documentElement.clientWidth;
    const scrolls = document.documentElement.scrollWidth > width + 1;
    const clipped = (element) => {
        for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
            const overflow = getComputedStyle(node).overflowX;
            if (overflow !== "visible") { return true; }
        }
        return false;
    };
    const name = (element) => element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + (element.classList.length ? "." + [...element.classList].join(".") : "");
    const offenders = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) { continue; }  // visually hidden
        if (getComputedStyle(element).visibility === "hidden") { continue; }
        if ((box.right > width + 1 || box.left < -1) && !clipped(element)) {
            if (!offenders.some((outer) => outer.element.contains(element))) {
                offenders.push({element, text: name(element) + " (" + Math.round(box.left) + "–" + Math.round(box.right) + " px)"});
            }
        }
    }
    // The main navigation: its links on screen, or a control on screen that opens it.
    const visible = (element) => {
        const box = element.getBoundingClientRect();
        return box.width > 1 && box.height > 1 && box.left >= -1 && box.right <= width + 1
            && getComputedStyle(element).visibility !== "hidden";
    };
    const nav = [...document.querySelectorAll("nav")].find((n) => n.getAttribute("aria-label") === label);
    let navigation = "missing";
    if (nav) {
        const links = [...nav.querySelectorAll("a")];
        if (links.length && links.every(visible)) { navigation = "shown"; }
        else {
            const details = nav.closest("details");
            const ids = [];
            for (let node = nav; node; node = node.parentElement) { if (node.id) { ids.push(node.id); } }
            const controls = [...document.querySelectorAll("[aria-controls], label[for]")].filter((control) =>
                ids.includes(control.getAttribute("aria-controls")) || ids.includes(control.getAttribute("for")));
            const toggle = (details && details.querySelector(":scope > summary")) || controls.find(visible)
                || [...document.querySelectorAll("input[type=checkbox]")].map((box) => box.labels && box.labels[0]).find((l) => l && visible(l) && l.closest("header") === nav.closest("header"));
            navigation = toggle && visible(toggle) ? "behind a control" : "hidden";
        }
    }
    return {width, scrolls, offenders: offenders.slice(0, 8).map((o) => o.text), navigation};
}
"""

AXE_SCRIPT = """
(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
    .then((results) => results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + n.failureSummary.split("\\n").slice(0, 2).join(" ")),
    })))
"""


def main_navigation_label(code):
    with translation.override(code):
        return gettext("Main")


def axe_violations(page, axe_source):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # evaluated by the debugger: the page's CSP does not apply
    return page.evaluate(AXE_SCRIPT, AXE_TAGS)


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


# -- every page type, every language, every width and both colour schemes -------------------


def page_cases():
    return [
        pytest.param(kind, code, id=f"{kind}-{code}") for kind in PAGE_TYPES for code in LANGUAGES
    ]


@pytest.mark.parametrize(("kind", "code"), page_cases())
def test_page_type_passes_axe_and_reflows(world, visitor, axe_source, kind, code):
    url = world["urls"][code][kind]
    page = visitor.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.emulate_media(color_scheme="light")
        with timed("load a page"):
            response = page.goto(url)
        assert response.status == (404 if kind == "not found" else 200), url
        expect(page.locator("html")).to_have_attribute("lang", code)

        problems = []
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            with timed("axe, one colour scheme"):
                violations = axe_violations(page, axe_source)
            if violations:
                problems.append(f"axe, {scheme} scheme:\n{describe(violations)}")
        page.emulate_media(color_scheme="light")

        slug = re.sub(r"\W+", "-", kind)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        label = main_navigation_label(code)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            with timed("reflow, one width"):
                reflow = page.evaluate(REFLOW_SCRIPT, label)
            assert reflow["width"] == width
            if reflow["scrolls"] or reflow["offenders"]:
                problems.append(
                    f"{width} px: {'scrolls sideways; ' if reflow['scrolls'] else ''}"
                    f"wider than the viewport: {', '.join(reflow['offenders']) or '(none)'}"
                )
            if reflow["navigation"] not in ("shown", "behind a control"):
                problems.append(f"{width} px: main navigation “{label}” {reflow['navigation']}")
            if width in SCREENSHOT_WIDTHS and code in SCREENSHOT_LANGUAGES:
                with timed("screenshot"):
                    page.screenshot(path=SCREENSHOTS / f"{slug}-{code}-{width}.png", full_page=True)
        assert not problems, f"{kind} ({code}) {url}\n" + "\n".join(problems)
    finally:
        page.close()


# -- the Nu HTML checker, once over every page -------------------------------------------------


def fetch(server, path):
    try:
        with urllib.request.urlopen(server + path, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as error:  # the 404 page is checked too
        return error.read()


def test_every_page_type_is_valid_html(world, server, tmp_path):
    java = shutil.which("java")
    require(java is not None, "Java not found (install Debian's default-jdk-headless)")
    require(VNU.exists(), f"vnu.jar not installed at {VNU} (run `make a11y-tools`)")
    pages = {}
    for code in LANGUAGES:
        urls = world["urls"][code]
        extra = {
            "search form": f"/{code}/search/",
            "lesson, quiz summary": urls["lesson"] + "?quiz=incomplete",
            "glossary letter": urls["glossary"] + "?letter=D",
            "case studies filtered": urls["case-study listing"] + "?sort=title",
        }
        for kind, path in {**urls, **extra}.items():
            name = f"{re.sub(r'[^a-z]+', '-', kind)}-{code}.html"
            (tmp_path / name).write_bytes(fetch(server, path))
            pages[name] = (kind, code, path)
    with timed("vnu.jar over every page"):
        result = subprocess.run(
            [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always"]
            + sorted(str(tmp_path / name) for name in pages),
            capture_output=True,
            text=True,
            timeout=600,
        )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert len(pages) == (len(PAGE_TYPES) + 4) * len(LANGUAGES)
    assert not errors, "\n".join(
        f"{pages[Path(m.get('url', '')).name][2] if Path(m.get('url', '')).name in pages else m.get('url')}"
        f":{m.get('lastLine')}: {m['message']}"
        for m in errors[:40]
    )


# -- keyboard journeys ------------------------------------------------------------------------


@pytest.fixture
def fresh(browser, server):
    """A browser context of its own (its own session) for one journey."""
    contexts = []

    def make(width=1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, base_url=server)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def tab_until(page, predicate, limit=80, backwards=False):
    """Press Tab until ``predicate`` (JS, given the focused element) holds; the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"(element => {predicate})(document.activeElement)"):
            return presses
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_the_skip_link_leads_to_the_content(world, fresh):
    page = fresh()
    page.goto(world["urls"]["hu"]["lesson"])
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    with translation.override("hu"):
        expect(skip).to_have_text(gettext("Skip to main content"))
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


@pytest.mark.parametrize("width", [1280, 320])
def test_the_main_navigation_is_reachable_and_works_with_the_keyboard(world, fresh, width):
    page = fresh(width)
    page.goto(world["urls"]["fr"]["glossary"])
    label = main_navigation_label("fr")
    inside = f"!!element.closest('nav[aria-label=\"{label}\"]') && element.tagName === 'A'"
    opener = (
        "(element.tagName === 'SUMMARY' || element.getAttribute('aria-expanded') === 'false'"
        " || (element.type === 'checkbox' && !element.checked))"
        " && !element.closest('.site-search, .language-switcher, main')"
    )
    reached = tab_until(page, f"({inside}) || ({opener})", limit=30)
    if not page.evaluate(f"(element => {inside})(document.activeElement)"):
        # A collapsed menu on a narrow screen: open it, then its links follow.
        page.keyboard.press("Space" if page.evaluate("document.activeElement.type") else "Enter")
        reached += tab_until(page, inside, limit=10)
    link = page.locator(":focus")
    expect(link).to_be_in_viewport()
    href = link.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    assert reached <= 12, f"{reached} Tab presses to the first link of the main navigation"


def suggestion_names(code):
    from search.views import option_labels

    with translation.override(code):
        return {key: str(label).split("%(title)s")[0] for key, label in option_labels().items()}


def test_search_suggestions_follow_the_combobox_pattern(world, fresh, server):
    from search.views import suggestions_status

    page = fresh()
    page.goto(world["urls"]["fr"]["home"])
    tab_until(page, "element.id === 'site-search-q'", limit=20)
    box = page.locator("#site-search-q")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.type("clu")
    with translation.override("fr"):
        listbox = page.get_by_role("listbox", name=gettext("Search suggestions"))
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    count = options.count()
    assert count >= 2
    assert listbox.locator("a, button, [tabindex]").count() == 0  # nothing interactive inside
    data = page.request.get(server + "/fr/search/suggest/?q=clu").json()
    prefixes = suggestion_names("fr")
    for option, suggestion in zip(options.all(), data["suggestions"], strict=True):
        expect(option).to_have_accessible_name(prefixes[suggestion["type"]] + suggestion["title"])
    with translation.override("fr"):
        expect(page.locator(".site-search [role=status]")).to_have_text(suggestions_status(count))
    expect(box).to_be_focused()

    # Arrows move the active option; focus stays in the input.
    page.keyboard.press("ArrowDown")
    first_id = options.nth(0).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # from the first option up to the last
    expect(box).to_have_attribute(
        "aria-activedescendant", options.nth(count - 1).get_attribute("id")
    )
    expect(box).to_be_focused()

    # Escape closes the list and keeps what was typed; a second Escape clears the field.
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    expect(box).to_have_value("clu")
    page.keyboard.press("Escape")
    expect(box).to_have_value("")

    # Enter on an option opens it.
    page.keyboard.type("clu")
    expect(listbox).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(server + data["suggestions"][1]["url"])

    # Enter without an active option searches, as the form does without JavaScript.
    tab_until(page, "element.id === 'site-search-q'", limit=20)
    page.keyboard.type("clu")
    expect(listbox).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/search/\?q=clu$"))


def test_glossary_tooltips_show_on_focus_and_hide_with_escape(world, fresh):
    page = fresh()
    page.goto(world["urls"]["es"]["lesson"])
    tab_until(page, "element.classList.contains('glossary-link')", limit=120)
    tip_id = page.locator(":focus").get_attribute("aria-describedby")
    link = page.locator(f'a.glossary-link[aria-describedby="{tip_id}"]')
    tip = page.locator(f"#{tip_id}")
    expect(link).to_be_focused()
    expect(tip).to_have_attribute("role", "tooltip")
    definition = tip.inner_text().strip()
    assert definition
    expect(link).to_have_accessible_description(definition)

    def expect_shown(shown):
        # The tip stays 0.3 s after the pointer or focus leaves (portal.css): wait for it.
        page.wait_for_function(
            "([tip, shown]) => (tip.getBoundingClientRect().width > 1) === shown",
            arg=[tip.element_handle(), shown],
            timeout=3000,
        )

    expect_shown(True)
    expect(tip).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(link).to_be_focused()  # Escape hides the tip, focus stays
    assert page.evaluate("(tip) => tip.getBoundingClientRect().width", tip.element_handle()) <= 1
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(link).to_be_focused()
    expect_shown(True)  # back on the next focus

    # The same with the pointer: hovering shows it, Escape hides it, a new hover shows it.
    page.keyboard.press("Tab")
    page.mouse.move(0, 0)
    expect_shown(False)
    link.hover()
    expect_shown(True)
    page.keyboard.press("Escape")
    expect_shown(False)
    page.mouse.move(0, 0)
    link.hover()
    expect_shown(True)


def statistic_attempts(lesson):
    from modules.models import QuizStatistic

    def attempts():
        statistic = QuizStatistic.objects.filter(lesson=lesson).first()
        return statistic.attempts if statistic else 0

    return outside_the_event_loop(attempts)


def test_the_quiz_with_the_keyboard_errors_first_then_answered(world, fresh, server, axe_source):
    code = "en"
    lesson = world["lessons"][code]
    questions = [block for block in lesson.quiz if block.block_type == "question"]
    assert len(questions) >= 2
    right = [
        [choice.id for choice in block.value["choices"].bound_blocks if choice.value["correct"]]
        for block in questions
    ]
    first_choices = [block.value["choices"].bound_blocks[0].id for block in questions]
    attempts = statistic_attempts(lesson)
    page = fresh()
    url = server + world["urls"][code]["lesson"]

    # Opened directly, the quiz's address leads to the quiz on the lesson (no 405).
    response = page.goto(url + "quiz/")
    assert response.status == 200
    expect(page).to_have_url(url + "#quiz")

    def answer(choice_id):
        page.locator(f"#c-{choice_id}").focus()
        page.keyboard.press("Space")
        expect(page.locator(f"#c-{choice_id}")).to_be_checked()

    with translation.override(code):
        submit_name = gettext("Check my answers")
    for choice_id in right[0]:
        answer(choice_id)
    page.get_by_role("button", name=submit_name).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url + "?quiz=incomplete#quiz-errors")
    summary = page.locator("#quiz-errors")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    with translation.override(code):
        expect(summary.get_by_role("link").first).to_have_text(
            gettext("Question %(number)s has no answer yet.") % {"number": 2}
        )
    expect(page.locator(f"#c-{right[0][0]}")).to_be_checked()  # what was answered stays
    assert not axe_violations(page, axe_source), describe(axe_violations(page, axe_source))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#c-{first_choices[1]}")).to_be_focused()
    page.reload()  # a GET: nothing is sent again
    expect(page.locator("#quiz-errors")).to_be_visible()
    assert statistic_attempts(lesson) == attempts

    for answers in right[1:]:
        for choice_id in answers:
            answer(choice_id)
    page.get_by_role("button", name=submit_name).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url + "?result=1#quiz-result")
    result = page.locator("#quiz-result")
    expect(result).to_be_focused()
    expect(result).to_contain_text("100")
    assert not axe_violations(page, axe_source), describe(axe_violations(page, axe_source))
    assert statistic_attempts(lesson) == attempts + 1
    page.reload()
    expect(page.locator("#quiz-result")).to_contain_text("100")
    assert statistic_attempts(lesson) == attempts + 1  # the reload counted nothing
