"""The embedded default holds under concurrency, and nothing on the read path writes.

Learners submit quizzes through a live server (real HTTP, one thread per request) while
other threads publish pages (the ORM, and the admin's create-and-publish) and others read
pages and search. The SQLite test database is a file (portal/settings/test.py), so every
thread has a connection of its own to the same database, as gunicorn's workers would.
Runs on PostgreSQL, too, with DATABASE_URL=postgres://...
"""

import http.cookiejar
import io
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail import hooks
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from casestudies.models import CaseStudyPage
from modules.models import QuizStatistic
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from tests.test_editorial_roles import add_url, case_study_form
from tests.test_modules import ALL_RIGHT, answers

pytestmark = pytest.mark.django_db(transaction=True)

LEARNERS = 6
ROUNDS = 3
ORM_PUBLISHERS = 2
PUBLISHES = 5
ADMIN_PUBLISHES = 4
READERS = 3
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes_in(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


class Browser:
    """One visitor: cookies of their own, every answer's status kept."""

    def __init__(self, base_url, log):
        self.base_url = base_url
        self.log = log
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # A browser names the page's origin on a form POST: the learner forms check it
        # instead of a CSRF token (modules/csrf.py).
        request = urllib.request.Request(
            self.base_url + path,
            body,
            headers={"Origin": self.base_url} if data is not None else {},
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                status, html = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, html = error.code, error.read().decode(errors="replace")
        self.log.append(("POST" if data is not None else "GET", path, status))
        return status, html


def run_threads(targets):
    """Start every target together; return the exceptions they raised."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


def test_quizzes_publishes_and_reads_at_the_same_time(live_server, course, admin_user):
    lessons = course["en"]["lessons"]
    quiz_lesson, other_lesson = lessons[0], lessons[1]
    module = course["en"]["module"]
    index = CaseStudyIndexPageFactory()
    published = [
        CaseStudyPageFactory(parent=index, title=f"Case {n}", slug=f"case-{n}")
        for n in range(ORM_PUBLISHERS)
    ]
    right_answers = answers(quiz_lesson, ALL_RIGHT)
    log, done = [], threading.Event()
    results = {"quiz": 0, "progress": [], "publish": [], "admin": []}
    lock = threading.Lock()

    def learner():
        browser = Browser(live_server.url, log)
        for _round in range(ROUNDS):
            browser.request(quiz_lesson.url)
            status, html = browser.request(quiz_lesson.url + "quiz/", right_answers)
            if status == 200 and "Your score: 100% (2 of 2 correct)." in html:
                with lock:
                    results["quiz"] += 1
            browser.request(other_lesson.url)
            browser.request(other_lesson.url + "complete/", {})
        _status, html = browser.request(module.url)
        with lock:
            results["progress"].append(re.search(r"(\d+) of 3 lessons completed", html)[1])

    def orm_publisher(number):
        def publish():
            for edit in range(PUBLISHES):
                page = CaseStudyPage.objects.get(pk=published[number].pk)
                page.title = f"Case {number}, edit {edit}"
                revision = page.save_revision()
                revision.publish()
                with lock:
                    results["publish"].append((page.pk, revision.pk, page.title))

        return publish

    def admin_publisher():
        client = Client()
        client.force_login(admin_user)
        for number in range(ADMIN_PUBLISHES):
            slug = f"admin-case-{number}"
            data = case_study_form(f"Admin case {number}", slug, **{"action-publish": "1"})
            response = client.post(add_url(index), data)
            log.append(("POST", add_url(index), response.status_code))
            results["admin"].append(slug)

    def reader():
        browser = Browser(live_server.url, log)
        paths = [
            "/en/",
            module.url,
            other_lesson.url,
            "/en/search/?q=lesson",
            "/en/search/?q=cluster+digital",
            "/en/search/suggest/?q=les",
            index.url,
        ]
        for number in range(60):
            if done.is_set():
                break
            browser.request(paths[number % len(paths)])

    writers = (
        [learner] * LEARNERS + [orm_publisher(n) for n in range(ORM_PUBLISHERS)] + [admin_publisher]
    )

    def writers_then_stop(target):
        def run():
            try:
                target()
            finally:
                with lock:
                    remaining["writers"] -= 1
                    if not remaining["writers"]:
                        done.set()

        return run

    remaining = {"writers": len(writers)}
    errors = run_threads([writers_then_stop(w) for w in writers] + [reader] * READERS)

    assert not errors
    statuses = Counter(status for _method, _path, status in log)
    failures = [entry for entry in log if entry[2] >= 500]
    assert not failures, (statuses, failures[:10])
    assert {"GET", "POST"} == {method for method, _path, _status in log}
    assert ("GET", "/en/search/?q=lesson", 200) in log  # the readers did search
    # Every quiz submission was answered with its result and counted, once.
    assert results["quiz"] == LEARNERS * ROUNDS
    # The quiz passed and the lesson marked completed: two of three, for every learner.
    assert results["progress"] == ["2"] * LEARNERS
    statistic = QuizStatistic.objects.get(lesson=quiz_lesson)
    assert statistic.attempts == LEARNERS * ROUNDS
    assert statistic.passes == LEARNERS * ROUNDS
    # Every publish kept its revision, and each page shows its last one.
    assert len(results["publish"]) == ORM_PUBLISHERS * PUBLISHES
    for page_pk, revision_pk, _title in results["publish"]:
        assert Page.objects.get(pk=page_pk).revisions.filter(pk=revision_pk).exists()
    for page in published:
        last = [r for r in results["publish"] if r[0] == page.pk][-1]
        page = CaseStudyPage.objects.get(pk=page.pk)
        assert page.live and page.live_revision_id == last[1]
        assert page.title == last[2]
    # The admin's create-and-publish: every page live with its revision, none half made.
    assert len(results["admin"]) == ADMIN_PUBLISHES
    for slug in results["admin"]:
        page = CaseStudyPage.objects.get(slug=slug)
        assert page.live and page.live_revision_id is not None
        assert page.live_revision_id == page.latest_revision_id


def test_an_admin_publish_that_fails_midway_leaves_nothing_behind(client, admin_user, home_pages):
    """Wagtail creates the (live) page, then its revision, then publishes, each step
    committed on its own; a failure in between left a live page without a revision."""
    index = CaseStudyIndexPageFactory()
    client.force_login(admin_user)

    def database_locked(request, page):
        raise OperationalError("database is locked")

    with (
        hooks.register_temporarily("before_publish_page", database_locked),
        pytest.raises(OperationalError),
    ):
        client.post(add_url(index), case_study_form("Half made", "half", **{"action-publish": "1"}))
    assert not CaseStudyPage.objects.filter(slug="half").exists()

    # Control: the same publish without the failure makes the page, live, with its revision.
    response = client.post(
        add_url(index), case_study_form("Whole", "whole", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(slug="whole")
    assert page.live and page.live_revision_id == page.latest_revision_id


def test_reading_pages_and_searching_write_nothing_to_the_database(
    client, course, admin_user, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders: copies would hide the reads
    lesson = course["en"]["lessons"][0]
    query = Query.get("lesson")  # an editor's pick, so promotions are looked up too
    SearchPromotion.objects.create(query=query, page=lesson, sort_order=0)
    client.get(lesson.url)  # warm caches: a cold cache is no excuse to write either
    read_paths = [
        "/en/",
        course["en"]["module"].url,
        lesson.url,
        lesson.url + "?result=1",
        "/en/search/?q=lesson",
        "/en/search/?q=a+query+nobody+made+before",
        "/en/search/suggest/?q=les",
    ]
    for path in read_paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        assert len(queries) > 0, path  # the pages do read
        assert not writes_in(queries), (path, writes_in(queries))
    assert not Query.objects.exclude(pk=query.pk).exists()

    # Control: a quiz submission does write (its statistics and the learner's session).
    with CaptureQueriesContext(connection) as queries:
        response = client.post(lesson.url + "quiz/", answers(lesson, ALL_RIGHT))
    assert response.status_code == 302
    assert any("modules_quizstatistic" in sql for sql in writes_in(queries))
    assert any("django_session" in sql for sql in writes_in(queries))
    # ...and reading on with that session writes nothing again.
    for path in (lesson.url + "?result=1", course["en"]["module"].url, "/en/search/?q=lesson"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert not writes_in(queries), (path, writes_in(queries))


def test_sqlite_runs_in_wal_mode_with_immediate_write_transactions(db):
    if connection.vendor != "sqlite":
        pytest.skip(f"SQLite's settings; this run uses {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000
    assert connection.transaction_mode == "IMMEDIATE"


def test_search_hits_reach_the_search_terms_report_through_the_flush_command(
    client, course, admin_user
):
    for query in ["Lesson", "lesson", "  LESSON ", "smart industry"]:
        assert client.get("/en/search/", {"q": query}).status_code == 200
    assert not Query.objects.exists()  # nothing written by the searches themselves

    out = io.StringIO()
    call_command("flush_search_hits", stdout=out)
    assert "4 search hits of 2 search terms written." in out.getvalue()
    assert Query.get("lesson").hits == 3
    assert Query.get("smart industry").hits == 1

    # Counted once: a second run finds nothing new; new searches are added to the day's row.
    call_command("flush_search_hits", stdout=io.StringIO())
    client.get("/en/search/", {"q": "lesson"})
    call_command("flush_search_hits", stdout=io.StringIO())
    assert Query.get("lesson").hits == 4
    assert Query.get("lesson").daily_hits.count() == 1

    client.force_login(admin_user)
    html = client.get("/admin/searchpicks/reports/search-terms/results/").content.decode()
    assert "smart industry" in html and "lesson" in html
    assert html.index("lesson") < html.index("smart industry")  # most searched first


def test_hits_of_an_earlier_day_are_written_to_that_day_and_then_let_go(client, course):
    """Counts wait in the cache until the command runs, even past midnight: they are
    written to the day they were made, and that day's cache entries are then removed."""
    from django.core.cache import cache

    from search import hits

    yesterday = (timezone.now() - timedelta(days=1)).date()
    key = hits._count_key(yesterday.isoformat(), "digital twin")
    cache.set(key, 5)
    cache.set(hits.SEQ_KEY, 1)
    cache.set(hits._slot_key(1), (yesterday.isoformat(), "digital twin"))
    client.get("/en/search/", {"q": "Digital   Twin"})  # today's, normalised alike

    assert hits.flush_hits() == (2, 6)
    days = dict(Query.get("digital twin").daily_hits.values_list("date", "hits"))
    assert days == {yesterday: 5, timezone.now().date(): 1}
    assert cache.get(key) is None and cache.get(hits._slot_key(1)) is None
    assert cache.get(hits._slot_key(2)) is not None  # today's slot stays for more hits
    assert hits.flush_hits() == (0, 0)
