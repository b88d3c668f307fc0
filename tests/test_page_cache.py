"""The application page cache: what it keeps, for whom, and when it lets go.

``X-Cache`` says whether a response came from the cache (hit), was stored (miss) or was
left alone (skip). Every "never cached" case has a control that is cached.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from portal.models import Theme
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(home_pages):
    index = CaseStudyIndexPageFactory()
    themes = {"themes": ["open-innovation"]}
    return {
        "index": index,
        "shown": CaseStudyPageFactory(parent=index, title="Shown case", **themes),
        "other": CaseStudyPageFactory(parent=index, title="Other case", **themes),
    }


def fetch(url, client=None, **headers):
    return (client or Client()).get(url, **headers)


def warm(url):
    """Fetch twice as two visitors: the second must come from the cache."""
    first, second = fetch(url), fetch(url)
    assert first["X-Cache"] == "miss", url
    assert second["X-Cache"] == "hit", url
    assert second.content == first.content
    return second


def test_a_second_anonymous_visitor_gets_the_stored_page_without_a_query(
    cases, django_assert_num_queries
):
    url = cases["shown"].url
    first = fetch(url)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = fetch(url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Cache-Control"] == first["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert second["ETag"] == first["ETag"]
    assert "Shown case" in second.content.decode()


def test_head_is_answered_from_the_stored_get(cases):
    url = cases["index"].url
    fetch(url)
    head = Client().head(url)
    assert head.status_code == 200 and head["X-Cache"] == "hit" and head.content == b""


def test_the_key_is_the_full_url_and_the_language(cases, home_pages):
    index = cases["index"].url
    warm(index)
    filtered = fetch(index + "?q=other")
    assert filtered["X-Cache"] == "miss"  # its own copy, with its own content
    assert "Other case" in filtered.content.decode()
    assert "Shown case" not in filtered.content.decode()
    assert fetch(index + "?q=other")["X-Cache"] == "hit"
    assert fetch(index)["X-Cache"] == "hit"
    english, french = fetch("/en/"), fetch("/fr/")
    assert english["X-Cache"] == french["X-Cache"] == "miss"
    assert 'lang="fr"' in fetch("/fr/").content.decode()
    # Outside the language prefixes the visitor's language is part of the key.
    assert fetch("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="fr")["X-Cache"] == "miss"
    assert fetch("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="hu")["X-Cache"] == "miss"
    assert fetch("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="fr")["X-Cache"] == "hit"


def test_if_none_match_is_answered_with_304_until_the_page_changes(cases):
    url = cases["shown"].url
    etag = fetch(url)["ETag"]
    for _ in range(2):  # on the miss's copy and on a hit
        response = fetch(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304 and response.content == b""
    assert fetch(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    page = cases["shown"]
    page.title = "Shown case, revised"
    page.save_revision().publish()
    changed = fetch(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Shown case, revised" in changed.content.decode()
    assert changed["ETag"] != etag


def superuser_client():
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_editors_are_never_served_nor_stored(cases):
    url = cases["shown"].url
    warm(url)
    editor = superuser_client()
    response = editor.get(url)
    assert response.status_code == 200
    assert response["X-Cache"] == "skip" and "private" in response["Cache-Control"]
    # An edit that no signal announces shows to the editor (fresh render) at once,
    # while anonymous visitors keep the stored copy: the editor's render was not stored.
    Page.objects.filter(pk=cases["shown"].pk).update(title="Quietly renamed")
    assert "Quietly renamed" in editor.get(url).content.decode()
    assert "Quietly renamed" not in fetch(url).content.decode()


def test_a_preview_is_never_stored(cases):
    page = cases["shown"]
    warm(page.url)
    page.title = "Draft title nobody should see"
    page.save_revision()  # a draft, not published
    editor = superuser_client()
    draft = editor.get(f"/admin/pages/{page.pk}/view_draft/")
    assert draft.status_code == 200
    assert "Draft title nobody should see" in draft.content.decode()
    assert draft["X-Cache"] == "skip"
    public = fetch(page.url)
    assert public["X-Cache"] in ("hit", "miss")
    assert "Draft title nobody should see" not in public.content.decode()
    assert "Shown case" in public.content.decode()


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_restricted_pages_are_never_stored(cases, kind):
    restriction = PageViewRestriction.objects.create(
        page=cases["other"], restriction_type=kind, password="s3cret" if kind == "password" else ""
    )
    if kind == "groups":
        restriction.groups.set([Group.objects.create(name="Members")])
    for _ in range(2):
        response = fetch(cases["other"].url)
        assert response["X-Cache"] == "skip"
        assert "public" not in response["Cache-Control"]
        assert "Other case" not in response.content.decode()
    warm(cases["shown"].url)  # the control: its unrestricted sibling is cached


@pytest.mark.urls("tests.page_cache_urls")
def test_a_response_that_leaves_a_message_is_never_stored(home_pages):
    for _ in range(2):
        response = fetch("/en/notice/?notice=1")
        assert response.status_code == 200 and response["X-Cache"] == "skip"
    warm("/en/notice/")  # the same page without a message is cached
    # A visitor bringing messages (Django's cookie storage) always gets a fresh page.
    carrying = Client()
    carrying.cookies["messages"] = "queued-for-this-visitor"
    assert carrying.get("/en/notice/")["X-Cache"] == "skip"


def test_posts_and_learner_pages_are_never_stored(course):
    lesson = course["en"]["lessons"][0]
    warm(lesson.url)
    learner = Client()
    posted = learner.post(lesson.url + "complete/")
    assert posted.status_code == 302 and posted["X-Cache"] == "skip"
    assert "private" in posted["Cache-Control"]
    own = learner.get(lesson.url)
    assert own["X-Cache"] == "skip" and "You have completed this lesson." in own.content.decode()
    stored = fetch(lesson.url)
    assert stored["X-Cache"] == "hit"
    assert "You have completed this lesson." not in stored.content.decode()


def test_errors_redirects_and_the_language_redirect_are_not_stored(cases):
    for _ in range(2):
        missing = fetch("/en/no-such-page/")
        assert missing.status_code == 404 and missing["X-Cache"] == "skip"
        assert "public" not in missing["Cache-Control"]
    french = fetch("/", HTTP_ACCEPT_LANGUAGE="fr")
    hungarian = fetch("/", HTTP_ACCEPT_LANGUAGE="hu")
    assert (french.status_code, french["Location"]) == (302, "/fr/")
    assert (hungarian.status_code, hungarian["Location"]) == (302, "/hu/")
    for redirect in (french, hungarian):
        assert "accept-language" in redirect["Vary"].lower()
        assert "private" in redirect["Cache-Control"]
        assert redirect["X-Cache"] == "skip"


def test_the_page_cache_can_be_turned_off_and_pages_stay_publicly_cacheable(cases, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.PAGE_CACHE_MAX_AGE = 60
    settings.PAGE_CACHE_S_MAXAGE = 600
    for _ in range(2):
        response = fetch(cases["shown"].url)
        assert response["X-Cache"] == "skip"
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=600"
        assert response["ETag"]


# Invalidation: each change the way an editor makes it, after the page was cached.


def rename(cases):
    page = cases["shown"]
    page.title = "Shown case, revised"
    page.save_revision().publish()
    return cases["shown"].url, "Shown case, revised", None


def publish_new(cases):
    CaseStudyPageFactory(parent=cases["index"], title="Brand new case")
    return cases["index"].url, "Brand new case", None


def unpublish(cases):
    cases["other"].unpublish()
    return cases["index"].url, None, "Other case"


def delete(cases):
    Page.objects.get(pk=cases["other"].pk).delete()
    return cases["index"].url, None, "Other case"


def restrict(cases):
    PageViewRestriction.objects.create(page=cases["other"], restriction_type="login")
    return cases["index"].url, None, "Other case"


def lift_restriction(cases):
    PageViewRestriction.objects.get(page=cases["other"]).delete()
    return cases["index"].url, "Other case", None


def rename_theme(cases):
    theme = Theme.objects.get(slug="open-innovation", locale__language_code="en")
    theme.name = "Open innovation networks"
    theme.save()
    return cases["index"].url, "Open innovation networks", None


CHANGES = [rename, publish_new, unpublish, delete, restrict, lift_restriction, rename_theme]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_every_change_the_public_sees_empties_the_page_cache(cases, change):
    if change is lift_restriction:
        PageViewRestriction.objects.create(page=cases["other"], restriction_type="login")
    url = cases["index"].url if change is not rename else cases["shown"].url
    before = warm(url).content.decode()
    url, appears, disappears = change(cases)
    after = fetch(url)
    assert after["X-Cache"] == "miss"
    html = after.content.decode()
    if appears:
        assert appears not in before and appears in html
    if disappears:
        assert disappears in before and disappears not in html
    assert fetch(url)["X-Cache"] == "hit"


def test_a_move_empties_the_page_cache(course):
    module = course["en"]["module"]
    other = ModulePageFactory(parent=course["en"]["catalogue"], title="Other module", slug="other")
    lesson = LessonPageFactory(parent=module, title="Moving lesson", slug="moving")
    old_url = lesson.url
    assert "Moving lesson" in warm(module.url).content.decode()
    warm(old_url)
    Page.objects.get(pk=lesson.pk).move(other, pos="last-child")
    assert "Moving lesson" not in fetch(module.url).content.decode()
    gone = fetch(old_url)  # Wagtail leaves a redirect where the page was
    assert (gone.status_code, gone["Location"], gone["X-Cache"]) == (
        301,
        "/en/modules/other/moving/",
        "skip",
    )
    moved = fetch(other.url + "moving/")
    assert moved.status_code == 200 and "Moving lesson" in moved.content.decode()
    assert re.search(r"/en/modules/other/moving/", fetch("/sitemap.xml").content.decode())
