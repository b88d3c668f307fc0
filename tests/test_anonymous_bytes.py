"""Every anonymous visitor gets the same bytes: no cookie set, no ``Vary: Cookie``.

A shared cache (the page cache, Varnish, a CDN) stores a response only when it sets no
cookie, and keeps one copy per visitor when it varies by cookie. Each public page type
is fetched by two visitors without cookies, with the page cache emptied between them,
so that both renders are compared, not one render and its cached copy. The controls: a
learner who has started a session, and a logged-in editor, do get ``Vary: Cookie`` and
a private response.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    AccessibilityStatementPageFactory,
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    PrivacyNoticePageFactory,
    SelfAssessmentPageFactory,
    log_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(course):
    cases = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(parent=cases, title="Shared maintenance", themes=["skills"])
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(parent=glossary, title="digital twin")
    assessment = SelfAssessmentPageFactory()
    statement = AccessibilityStatementPageFactory()
    notice = PrivacyNoticePageFactory()
    return {
        "home": "/en/",
        "French home": "/fr/",
        "catalogue": course["en"]["catalogue"].url,
        "module": course["en"]["module"].url,
        "lesson with quiz": course["en"]["lessons"][0].url,
        "lesson result link": course["en"]["lessons"][0].url + "?result=1",
        "lesson quiz summary link": course["en"]["lessons"][0].url + "?quiz=incomplete",
        "case-study list": cases.url,
        "case-study list, filtered": cases.url + "?theme=skills",
        "case-study detail": case.url,
        "case-study feed": cases.url + "feed/",
        "glossary A-Z": glossary.url,
        "glossary letter": glossary.url + "?letter=D",
        "glossary term": term.url,
        "search": "/en/search/?q=cluster",
        "search suggestions": "/en/search/suggest/?q=di",
        "sitemap": "/sitemap.xml",
        "robots.txt": "/robots.txt",
        "self-assessment": assessment.url,
        "accessibility statement": statement.url,
        "privacy notice": notice.url,
    }


def vary(response):
    return [item.strip().lower() for item in response.get("Vary", "").split(",") if item.strip()]


def test_every_public_page_type_is_the_same_for_every_anonymous_visitor(site):
    assert len(site) >= 18
    for name, url in site.items():
        cache.clear()
        first = Client().get(url)
        cache.clear()
        second = Client().get(url)
        assert first.status_code == 200, name
        assert not first.cookies, f"{name} sets {list(first.cookies)}"
        assert "Set-Cookie" not in first.headers, name
        assert "cookie" not in vary(first), f"{name}: Vary: {first.get('Vary')}"
        assert first["Cache-Control"].startswith("public"), name
        assert first.content == second.content, f"{name} differs between two visitors"
        assert first["ETag"] == second["ETag"], name


def test_a_lesson_offers_the_quiz_and_completion_without_a_token_or_progress(site):
    html = Client().get(site["lesson with quiz"]).content.decode()
    assert 'class="quiz__form"' in html and "Mark this lesson as completed" in html
    assert "csrfmiddlewaretoken" not in html
    assert "0 of 3 lessons completed" in html  # nobody's progress but a blank one


def test_a_learner_with_a_session_gets_their_own_private_page(site):
    learner = Client()
    learner.post(site["lesson with quiz"] + "complete/")
    assert "sessionid" in learner.cookies
    for name in ("module", "lesson with quiz", "catalogue"):
        response = learner.get(site[name])
        assert "cookie" in vary(response), name
        assert "private" in response["Cache-Control"], name
        assert response["X-Cache"] == "skip", name
    assert "1 of 3 lessons completed" in learner.get(site["module"]).content.decode()
    # Meanwhile a visitor without a session still sees the blank page.
    stranger = Client().get(site["module"])
    assert "0 of 3 lessons completed" in stranger.content.decode()
    assert "cookie" not in vary(stranger)


def test_the_self_assessment_offers_its_form_without_a_token_and_results_are_private(site):
    from assessment import scoring
    from assessment.models import SelfAssessmentPage

    html = Client().get(site["self-assessment"]).content.decode()
    assert 'class="self-assessment__form"' in html and "csrfmiddlewaretoken" not in html
    assert "See your last result" not in html
    page = SelfAssessmentPage.objects.get()
    answers = {
        f"q-{question.id}": "1" for area in scoring.areas_of(page) for question in area.questions
    }
    learner = Client(enforce_csrf_checks=True)
    learner.post(site["self-assessment"] + "assess/", answers, HTTP_ORIGIN=ORIGIN)
    assert "sessionid" in learner.cookies
    response = learner.get(site["self-assessment"])
    assert "See your last result" in response.content.decode()
    assert "cookie" in vary(response) and "private" in response["Cache-Control"]
    results = learner.get(site["self-assessment"] + "results/")
    assert "no-store" in results["Cache-Control"] and results["X-Cache"] == "skip"


def test_my_learning_is_never_shared_and_sets_no_cookie(site):
    for _ in range(2):
        response = Client().get("/en/my-learning/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and response["X-Cache"] == "skip"
        assert not response.cookies and "cookie" not in vary(response)


def test_a_logged_in_editor_gets_private_pages_that_vary_by_cookie(site, client):
    log_in(client, "French editors")
    for name in ("home", "case-study detail", "glossary term"):
        response = client.get(site[name])
        assert response.status_code == 200, name
        assert "cookie" in vary(response), name
        assert "private" in response["Cache-Control"], name
        assert response["X-Cache"] == "skip", name
    # What marks the editor's requests: the session cookie they carry.
    assert "sessionid" in client.cookies


def test_forgetting_progress_ends_the_session_and_the_visitor_is_anonymous_again(site):
    learner = Client()
    learner.post(site["lesson with quiz"] + "complete/")
    learner.post(site["catalogue"] + "forget-progress/")
    deleted = learner.cookies["sessionid"]
    assert not deleted.value and deleted["max-age"] == 0  # the cookie is deleted...
    del learner.cookies["sessionid"]  # ...so a browser sends it no more
    response = learner.get(site["module"])
    assert "cookie" not in vary(response)
    assert "0 of 3 lessons completed" in response.content.decode()


# The learner's forms carry no CSRF token; the origin check stands in for it
# (modules/csrf.py). These clients enforce CSRF checks, as a browser meets them.

ORIGIN = "http://testserver"


def quiz_answers(lesson):
    first, second = (block for block in lesson.quiz)
    right = {
        first: ["The cluster organisation"],
        second: ["Digital twins", "Internet of Things"],
    }
    return {
        f"q-{block.id}": [
            c.id for c in block.value["choices"].bound_blocks if c.value["text"] in texts
        ]
        for block, texts in right.items()
    }


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": ORIGIN}, {"HTTP_REFERER": f"{ORIGIN}/en/modules/smart-industry/lesson-1/"}],
    ids=["origin", "referer-only"],
)
def test_the_quiz_and_completion_work_from_the_site_itself(course, headers):
    from modules.models import QuizStatistic

    learner = Client(enforce_csrf_checks=True)
    lesson = course["en"]["lessons"][0]
    response = learner.post(lesson.url + "quiz/", quiz_answers(lesson), follow=True, **headers)
    assert response.status_code == 200
    assert "Your score: 100% (2 of 2 correct)." in response.content.decode()
    assert QuizStatistic.objects.get().attempts == 1
    learner.post(course["en"]["lessons"][1].url + "complete/", **headers)
    html = learner.get(course["en"]["module"].url).content.decode()
    assert "2 of 3 lessons completed" in html


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://elsewhere.example", "HTTP_REFERER": f"{ORIGIN}/en/"},
        {"HTTP_REFERER": "https://elsewhere.example/page"},
        {},
    ],
    ids=["other-origin", "null-origin", "other-origin-own-referer", "other-referer", "neither"],
)
def test_posts_from_another_site_are_refused_and_change_nothing(course, headers):
    from modules.models import QuizStatistic

    learner = Client(enforce_csrf_checks=True)
    lesson = course["en"]["lessons"][0]
    for route, data in (("quiz/", quiz_answers(lesson)), ("complete/", {})):
        response = learner.post(lesson.url + route, data, **headers)
        assert response.status_code == 403, route
    assert (
        learner.post(course["en"]["catalogue"].url + "forget-progress/", **headers).status_code
        == 403
    )
    assert not QuizStatistic.objects.exists()
    assert "sessionid" not in learner.cookies


def test_other_forms_keep_the_token_check(course):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/admin/login/", {"username": "x", "password": "y"}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 403  # same origin, but no token: Django refuses
