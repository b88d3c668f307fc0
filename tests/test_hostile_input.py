"""Findings of the hostile-input review (issue 12): each one answers 4xx, never 500."""

import pytest
from django.test import Client

from modules.models import LessonPage
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, translate_page
from tests.test_modules import ALL_RIGHT, answers, submit

pytestmark = pytest.mark.django_db

CSRF_TOKEN = "a" * 32


@pytest.fixture
def strict_client():
    """A browser-like client: CSRF is checked, errors come back as responses."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = CSRF_TOKEN
    return client


# -- form bodies in a charset Django refuses --------------------------------------------


@pytest.mark.parametrize("path", ["/admin/login/", "/en/admin/login/", "/en/", "/en/search/"])
def test_a_utf16_form_body_gets_a_clear_400(strict_client, home_pages, path):
    response = strict_client.post(
        path,
        data="username=admin",  # the client encodes it in the declared charset
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        HTTP_ORIGIN="http://testserver",
        HTTP_X_CSRFTOKEN=CSRF_TOKEN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bad request" in html
    assert 'name="robots" content="noindex"' in html


def test_the_400_page_is_in_the_language_of_the_url(strict_client, home_pages):
    response = strict_client.post(
        "/fr/",
        data=b"a=b",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Requête incorrecte" in html


def test_a_utf8_form_body_still_reaches_the_admin_login(strict_client, home_pages):
    """Control: the same request in UTF-8 is an ordinary failed login."""
    response = strict_client.post(
        "/admin/login/",
        {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": CSRF_TOKEN},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 200
    assert b"username and password" in response.content


def test_a_body_over_the_limit_gets_413(strict_client, home_pages, settings):
    response = strict_client.post(
        "/admin/login/",
        data=b"a=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()


def test_a_declared_length_over_the_largest_upload_gets_413_unread(strict_client, home_pages):
    response = strict_client.post(
        "/admin/login/",
        data=b"a=b",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(10**12),
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 413


def test_a_forged_form_gets_a_localised_403(home_pages):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post("/hu/", {"a": "b"}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="hu"' in html
    assert "Hozzáférés megtagadva" in html


def test_a_bad_host_gets_a_400_page_not_a_500(strict_client, home_pages):
    response = strict_client.get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()


# -- numbers in query strings -----------------------------------------------------------


@pytest.fixture
def case_studies(home_pages):
    index = CaseStudyIndexPageFactory()
    translate_page(index, "fr", title="Études de cas")
    for year in (2018, 2022):
        CaseStudyPageFactory(parent=index, title=f"Case {year}", year=year)
    return index


UNICODE_DIGITS = ["²", "١", "٣", "１２", "2⁰2⁰", "٢٠٢٠", "99999999999999999999999", "-1", " 0"]


@pytest.mark.parametrize("name", ["page", "year_from", "year_to"])
def test_unicode_digits_in_case_study_filters_are_ignored_with_a_notice(client, case_studies, name):
    for value in UNICODE_DIGITS:
        response = client.get(case_studies.url, {name: value})
        assert response.status_code == 200, value
        assert "not valid" in response.content.decode(), value


def test_ascii_years_still_filter_the_case_studies(client, case_studies):
    html = client.get(case_studies.url, {"year_from": "2020"}).content.decode()
    assert "Case 2022" in html
    assert "Case 2018" not in html
    assert "not valid" not in html


def test_unicode_digits_in_the_search_page_number_show_the_first_page(client, course):
    for value in UNICODE_DIGITS:
        response = client.get("/en/search/", {"q": "lesson", "page": value})
        assert response.status_code == 200, value
        html = response.content.decode()
        assert "That page of results does not exist" in html, value
        assert "Lesson 1" in html, value
    html = client.get("/en/search/", {"q": "lesson", "page": "1"}).content.decode()
    assert "That page of results does not exist" not in html


# -- the API ------------------------------------------------------------------------------

API_ENDPOINTS = ["/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"]
BAD_API_QUERIES = [
    {"search": "a\x00b"},
    {"search": "x", "search_operator": "zzz"},
    {"offset": "100000000000000000000"},
    {"offset": "²"},
    {"limit": "-1"},
    {"limit": "١"},
    {"id": "99999999999999999999"},
    {"title": "a\x00b"},
    {"fields": "title("},
    {"order": "nonexistent"},
]


@pytest.mark.parametrize("endpoint", API_ENDPOINTS)
def test_bad_api_queries_get_a_json_400(client, home_pages, endpoint):
    for query in BAD_API_QUERIES:
        response = client.get(endpoint, query)
        assert response.status_code == 400, (query, response.content[:300])
        assert "message" in response.json()


def test_bad_page_filters_get_a_json_400(client, home_pages):
    for query in [
        {"type": "nonexistent"},
        {"child_of": "abc"},
        {"child_of": "99999999999999999999"},
        {"descendant_of": "²"},
        {"translation_of": "a\x00"},
        {"slug": "a\x00b"},
        {"locale": "xx\x00"},
    ]:
        response = client.get("/api/v2/pages/", query)
        assert response.status_code == 400, (query, response.content[:300])
        assert "message" in response.json()
    for query in [{"id": "abc"}, {"html_path": "/en/\x00"}]:
        response = client.get("/api/v2/pages/find/", query)
        assert response.status_code == 400, query


def test_search_syntax_in_the_api_is_read_as_plain_words(client, home_pages):
    for endpoint in API_ENDPOINTS:
        for search in ['"', "((", "*", "'", "-", "\u200b"]:
            response = client.get(endpoint, {"search": search})
            assert response.status_code == 200, (endpoint, search)
            assert response.json()["items"] == []
    # The words of a query with stray syntax are still searched.
    response = client.get("/api/v2/pages/", {"search": 'Cluster4Smart "FR'})
    assert response.status_code == 200
    assert "Cluster4Smart FR" in [item["title"] for item in response.json()["items"]]


@pytest.mark.parametrize("path", ["/api/v2/nothing/", "/api/v2/pages/999999/", "/api/x/"])
def test_api_404s_answer_json_not_a_redirect(client, home_pages, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "message" in response.json()
    response = client.get("/api/v2/images/999999/")
    assert response.status_code == 404


def test_an_unprefixed_page_url_is_still_redirected_to_its_language(client, home_pages):
    """Control: the language redirect still applies where pages live."""
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response["Location"] == "/es/no-such-page/"


# -- quiz results kept in the session -------------------------------------------------------


def answered(client, lesson):
    response = submit(client, lesson, answers(lesson, ALL_RIGHT), follow=False)
    assert response.status_code == 302
    return response["Location"]


def test_the_result_survives_an_editor_removing_an_answered_question(client, course):
    lesson = course["en"]["lessons"][0]
    result_url = answered(client, lesson)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    del lesson.quiz[0]
    lesson.save_revision().publish()

    response = client.get(result_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This quiz was changed after you answered it" in html
    assert "Your score: 100% (1 of 1 correct)." in html


def test_a_removed_answer_choice_asks_to_take_the_quiz_again(client, course):
    lesson = course["en"]["lessons"][0]
    result_url = answered(client, lesson)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    raw = list(lesson.quiz.raw_data)
    raw[0]["value"]["choices"] = [
        choice for choice in raw[0]["value"]["choices"] if not choice["value"]["correct"]
    ]
    lesson.quiz = raw
    lesson.save_revision().publish()

    response = client.get(result_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "so your earlier result cannot be shown" in html
    assert "Check my answers" in html
    assert "Your score:" not in html


def test_an_unchanged_quiz_shows_the_result_without_a_notice(client, course):
    lesson = course["en"]["lessons"][0]
    html = client.get(answered(client, lesson)).content.decode()
    assert "Your score: 100% (2 of 2 correct)." in html
    assert "This quiz was changed" not in html


# -- cookies ------------------------------------------------------------------------------


def test_a_forged_session_cookie_is_no_session_not_a_database_error(client, course):
    """PostgreSQL refuses NUL in a query; a cookie Django could not have made is ignored."""
    lesson = course["en"]["lessons"][0]
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "You have completed this lesson." not in response.content.decode()


def test_a_real_session_still_keeps_progress(client, course):
    lesson = course["en"]["lessons"][0]
    assert client.post(lesson.url + "complete/").status_code == 302
    assert "You have completed this lesson." in client.get(lesson.url).content.decode()


def test_a_missing_page_asked_with_too_many_query_fields_gets_400(strict_client, home_pages):
    """The 404 page reads the query string; over Django's 1,000 fields it is refused."""
    query = "&".join(f"p{n}=x" for n in range(1200))
    assert strict_client.get("/en/no-such-page/?" + query).status_code == 400
    assert strict_client.get("/en/no-such-page/?p=x").status_code == 404  # control
