"""Review means review; scheduled publishing; caches that agree across processes."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import Translation

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    HomePageFactory,
    LocaleFactory,
    log_in,
    start_translation,
    translate_page,
    translate_segments,
)
from tests.services import database_url, fetch_when_listening, free_port

ROOT = Path(__file__).resolve().parent.parent


def workflow_state(page):
    return WorkflowState.objects.filter(object_id=str(page.pk)).latest("created_at")


def act(client, page, action):
    state = workflow_state(page)
    url = f"/admin/pages/workflow/action/{page.pk}/{action}/{state.current_task_state.pk}/"
    return client.post(url, {"comment": "Checked."})


@pytest.fixture
def live_french_case_study(home_pages):
    """An English case study with a live French translation made in wagtail-localize."""
    index = CaseStudyIndexPageFactory()
    translate_page(index, "fr", title="Études de cas")
    english = CaseStudyPageFactory(
        parent=index, title="Shared testing facility", summary="A shared facility."
    )
    translation = start_translation(english, "fr")
    translate_segments(translation, text="Ancien")
    translation.save_target(publish=False)
    french = Page.objects.get(translation_key=english.translation_key, locale__language_code="fr")
    french.get_latest_revision().publish()
    french.refresh_from_db()
    return {"english": english, "french": french.specific, "translation": translation}


def public_views(client, french):
    """What the public sees of the French page: its page, the listing, search, API, feed."""
    index_url = french.get_parent().url
    return {
        "page": client.get(french.url).content.decode(),
        "listing": client.get(index_url).content.decode(),
        "feed": client.get(index_url + "feed/").content.decode(),
        "search": client.get("/fr/search/", {"q": "Ancien"}).content.decode(),
        "api": client.get(f"/api/v2/pages/{french.pk}/").content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
    }


def test_a_french_editors_review_submission_changes_nothing_public_until_approval(
    client, live_french_case_study
):
    """The regression: "Submit translation for review" used to put the new text live."""
    french, translation = live_french_case_study["french"], live_french_case_study["translation"]
    translate_segments(translation, text="Nouveau")
    log_in(client, "French editors")
    assert client.post(f"/admin/translation-status/review/{french.pk}/").status_code == 302

    french.refresh_from_db()
    assert french.live and french.workflow_in_progress
    assert french.title.startswith("Ancien")  # the live row
    assert french.get_latest_revision_as_object().title.startswith("Nouveau")  # the draft
    client.logout()
    seen = public_views(client, french)
    for channel, text in seen.items():
        if channel != "sitemap":
            assert "Ancien" in text, channel
        assert "Nouveau" not in text, channel
    assert french.url in seen["sitemap"] or french.full_url in seen["sitemap"]
    found = client.get("/fr/search/", {"q": "Nouveau"}).content.decode()
    assert f'href="{french.url}"' not in found

    log_in(client, "French moderators")
    assert act(client, french, "approve").status_code == 302
    client.logout()
    french.refresh_from_db()
    assert french.title.startswith("Nouveau")
    assert "Nouveau" in client.get(french.url).content.decode()
    assert f'href="{french.url}"' in client.get("/fr/search/", {"q": "Nouveau"}).content.decode()


def test_rejection_leaves_the_live_translation_untouched(client, live_french_case_study):
    french, translation = live_french_case_study["french"], live_french_case_study["translation"]
    translate_segments(translation, text="Refusé")
    log_in(client, "French translators")
    client.post(f"/admin/translation-status/review/{french.pk}/")
    log_in(client, "French moderators")
    act(client, french, "reject")
    client.logout()
    french.refresh_from_db()
    assert workflow_state(french).status == WorkflowState.STATUS_NEEDS_CHANGES
    assert french.live and french.title.startswith("Ancien")
    page = client.get(french.url).content.decode()
    assert "Ancien" in page and "Refusé" not in page


def _submit_then_edit(client, live_french_case_study):
    french, translation = live_french_case_study["french"], live_french_case_study["translation"]
    translate_segments(translation, text="Relu")
    log_in(client, "French translators")
    client.post(f"/admin/translation-status/review/{french.pk}/")
    later = Page.objects.get(pk=french.pk).specific.get_latest_revision_as_object()
    later.title = "Unreviewed change"
    later.save_revision()
    log_in(client, "French moderators")
    return french


def test_an_edit_during_review_must_be_reviewed_before_anything_is_published(
    client, live_french_case_study
):
    french = _submit_then_edit(client, live_french_case_study)
    assert act(client, french, "approve").status_code == 302
    french.refresh_from_db()
    assert french.title.startswith("Ancien")  # the approval was for the earlier revision
    assert french.workflow_in_progress  # and the edit now waits for its own review
    act(client, french, "approve")
    french.refresh_from_db()
    assert french.title == "Unreviewed change" and not french.workflow_in_progress


@override_settings(WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT=False)
def test_approval_publishes_the_reviewed_revision_not_a_later_draft(client, live_french_case_study):
    french = _submit_then_edit(client, live_french_case_study)
    assert act(client, french, "approve").status_code == 302
    french.refresh_from_db()
    assert french.title.startswith("Relu")
    assert french.has_unpublished_changes  # the later draft is still a draft


@pytest.mark.parametrize("path", ["po upload", "machine translation", "sync without publishing"])
def test_other_ways_of_saving_a_translation_leave_the_live_page_alone(
    client, live_french_case_study, path
):
    french, translation = live_french_case_study["french"], live_french_case_study["translation"]
    log_in(client, "Site administrators")
    if path == "po upload":
        po = translation.export_po()
        for entry in po:
            entry.msgstr = f"Téléversé {entry.msgid}"
        upload = SimpleUploadedFile("fr.po", str(po).encode(), content_type="text/x-gettext")
        response = client.post(
            f"/admin/localize/translate/{translation.pk}/pofile/upload/",
            {"file": upload, "next": "/admin/"},
        )
        assert response.status_code == 302
        assert polib.pofile(str(translation.export_po())).translated_entries()
    elif path == "machine translation":
        response = client.post(
            f"/admin/localize/translate/{translation.pk}/machine_translate/", {"next": "/admin/"}
        )
        assert response.status_code == 302
    else:
        english = live_french_case_study["english"]
        english.summary = "A shared facility, updated."
        english.save_revision().publish()
        response = client.post(
            f"/admin/localize/update/{translation.source.pk}/", {"publish_translations": ""}
        )
        assert response.status_code == 302
    # Saving the drafts (what "Submit for review" and re-translating do) is safe too.
    Translation.objects.get(pk=translation.pk).save_target(publish=False)
    client.logout()
    french.refresh_from_db()
    assert french.title.startswith("Ancien")
    assert "Ancien" in client.get(french.url).content.decode()


def _case_study_index():
    HomePageFactory()
    return CaseStudyIndexPageFactory()


def test_a_page_scheduled_to_go_live_is_absent_until_publish_scheduled_runs(client, locales):
    index = _case_study_index()
    page = CaseStudyPageFactory(parent=index, title="Scheduled opening", live=False)
    page.go_live_at = timezone.now() + timedelta(seconds=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live

    def everywhere():
        return (
            client.get("/sitemap.xml").content.decode()
            + client.get(index.url).content.decode()
            + client.get("/en/search/", {"q": "opening"}).content.decode()
            + client.get("/api/v2/pages/", {"limit": 50}).content.decode()
        )

    assert "Scheduled opening" not in everywhere() and "scheduled-opening" not in everywhere()
    assert client.get(page.url).status_code == 404
    time.sleep(1.1)
    call_command("publish_scheduled", verbosity=0)
    shown = everywhere()
    assert "Scheduled opening" in shown and "scheduled-opening" in shown
    assert client.get(page.url).status_code == 200


def test_an_expired_page_disappears_everywhere_at_its_expiry(client, locales):
    index = _case_study_index()
    page = CaseStudyPageFactory(parent=index, title="Closing call")
    page.expire_at = timezone.now() + timedelta(seconds=1.5)
    page.save_revision().publish()
    # Cached while the page is public...
    assert "closing-call" in client.get("/sitemap.xml").content.decode()
    assert "Closing call" in client.get(index.url).content.decode()
    assert client.get(page.url).status_code == 200
    time.sleep(1.6)
    # ...and gone at expiry, before publish_scheduled has unpublished it.
    assert Page.objects.get(pk=page.pk).live
    assert "closing-call" not in client.get("/sitemap.xml").content.decode()
    assert "Closing call" not in client.get(index.url).content.decode()
    assert client.get(page.url).status_code == 404
    call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    assert not page.live and page.expired


@pytest.fixture
def second_process(tmp_path, transactional_db):
    """A second app server (its own process) on the test database and a shared file cache;
    the test process uses the same cache, as two gunicorn workers would."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database cannot be shared with another process")
    cache_dir = tmp_path / "cache"
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url(),
        "CACHE_URL": f"filecache://{cache_dir}",
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(cache_dir),
        }
    }
    try:
        with override_settings(CACHES=shared):
            cache.clear()
            yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _fetch(base, path):
    return fetch_when_listening(base + path, timeout=30)[1]


def test_unpublishing_in_one_process_updates_the_sitemap_and_lists_of_another(second_process):
    LocaleFactory(language_code="en")
    index = _case_study_index()
    themes = {"themes": ["shared-facilities"]}
    leaving = CaseStudyPageFactory(parent=index, title="Leaving soon", **themes)
    staying = CaseStudyPageFactory(parent=index, title="Staying on", **themes)
    base = second_process

    assert "leaving-soon" in _fetch(base, "/sitemap.xml")
    assert "Leaving soon" in _fetch(base, staying.url)  # its related content
    # The other process serves from the shared cache: a change that no signal announces
    # is not seen there...
    Page.objects.filter(pk=leaving.pk).update(title="Renamed quietly")
    assert "Leaving soon" in _fetch(base, staying.url)
    # ...while an unpublish here is seen there at once.
    Page.objects.get(pk=leaving.pk).unpublish()
    assert "leaving-soon" not in _fetch(base, "/sitemap.xml")
    related = _fetch(base, staying.url)
    assert "Leaving soon" not in related and "Renamed quietly" not in related
    assert "staying-on" in _fetch(base, "/sitemap.xml")
