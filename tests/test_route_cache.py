"""Page URLs routed from the shared cache (portal/route_cache.py) follow every change.

Each test reads a page once to remember its route, changes what the route depends on as
an editor would, and reads again. The page cache is off: the route is what is tested.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from tests.factories import (
    HomePageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    translate_page,
)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def course(locales):
    HomePageFactory()
    catalogue = ModuleIndexPageFactory()
    first = ModulePageFactory(parent=catalogue, title="First module", slug="first")
    second = ModulePageFactory(parent=catalogue, title="Second module", slug="second")
    lesson = LessonPageFactory(parent=first, title="Routed lesson", slug="routed")
    return {"first": first, "second": second, "lesson": lesson}


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_known_route_takes_fewer_queries_and_serves_the_same_page(client, course):
    url = course["lesson"].url
    first, first_queries = queries_of(client, url)
    again, again_queries = queries_of(client, url)
    assert first.status_code == again.status_code == 200
    assert "Routed lesson" in again.content.decode()
    assert again.content == first.content
    # Site, root in the language, its specific page, the path match, the page, the
    # ancestors and their restrictions: replaced by one query for the page.
    assert again_queries <= first_queries - 5


def test_a_restriction_added_above_a_known_route_is_enforced(client, course):
    url = course["lesson"].url
    assert "Routed lesson" in client.get(url).content.decode()
    PageViewRestriction.objects.create(
        page=course["first"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    body = client.get(url).content.decode()
    assert 'name="password"' in body
    assert "Routed lesson" not in body


def test_an_unpublished_page_is_gone_from_its_known_route(client, course):
    url = course["lesson"].url
    assert client.get(url).status_code == 200
    Page.objects.get(pk=course["lesson"].pk).specific.unpublish()
    assert client.get(url).status_code == 404


def test_a_moved_page_leaves_its_old_route(client, course):
    old_url = course["lesson"].url
    assert client.get(old_url).status_code == 200
    Page.objects.get(pk=course["lesson"].pk).move(course["second"], pos="last-child")
    old = client.get(old_url)  # Wagtail's automatic redirect, not the remembered route
    assert old.status_code == 301 and old["Location"].endswith("/en/modules/second/routed/")
    response = client.get("/en/modules/second/routed/")
    assert response.status_code == 200
    assert "Routed lesson" in response.content.decode()


def test_routes_inside_a_page_and_unknown_children_are_still_routed_by_the_page(client, course):
    lesson_url = course["lesson"].url
    assert client.get(lesson_url).status_code == 200
    # The lesson's own quiz route, then a path below the lesson that leads nowhere.
    assert client.get(lesson_url + "quiz/").status_code != 404
    assert client.get(lesson_url + "quiz/").status_code != 404
    for _ in range(2):
        assert client.get(lesson_url + "no-such-child/").status_code == 404


def test_each_language_has_its_own_route(client, course):
    french = translate_page(course["lesson"], "fr", title="Leçon routée")
    assert "Routed lesson" in client.get("/en/modules/first/routed/").content.decode()
    body = client.get(french.url).content.decode()
    assert "Leçon routée" in body and "Routed lesson" not in body
    assert "Routed lesson" in client.get("/en/modules/first/routed/").content.decode()
