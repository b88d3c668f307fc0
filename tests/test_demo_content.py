"""`load_demo_content`: four languages through wagtail-localize, idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision, Site
from wagtail_localize.models import StringTranslation, Translation

from home.models import HomePage


@pytest.fixture
def load(db, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "demo-password-for-tests")

    def run():
        # wagtail-localize publishes translations on commit; run those callbacks too.
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo_content", stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def demo(load):
    return load()


def test_demo_content_creates_the_home_page_in_four_languages(demo):
    homes = {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}
    assert set(homes) == {"en", "fr", "es", "hu"}
    assert all(page.live for page in homes.values())
    assert homes["fr"].hero_heading == "Conduisez votre cluster vers l'industrie intelligente"
    assert "klasztermenedzsereknek" in homes["hu"].hero_text
    assert Site.objects.get(is_default_site=True).root_page_id == homes["en"].pk


def test_translations_are_wagtail_localize_translations(demo):
    english = HomePage.objects.get(locale__language_code="en")
    translations = Translation.objects.filter(source__object_id=english.translation_key)
    assert {t.target_locale.language_code for t in translations} == {"fr", "es", "hu"}
    for translation in translations:
        progress = translation.get_progress()
        assert progress[0] > 0 and progress[0] == progress[1], "every segment is translated"
    assert StringTranslation.objects.filter(locale__language_code="es").exists()


def test_demo_content_serves_each_language(demo, client):
    for code, text in [
        ("en", "Lead your cluster"),
        ("fr", "Conduisez"),
        ("es", "Lleve su"),
        ("hu", "Vezesse"),
    ]:
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        assert text in response.content.decode()


def test_running_it_twice_changes_nothing(demo, load):
    counts = (Page.objects.count(), Revision.objects.count(), Translation.objects.count())
    output = load()
    assert "Demo content loaded." in output
    assert (Page.objects.count(), Revision.objects.count(), Translation.objects.count()) == counts


def test_admin_credentials_are_printed_and_work(demo):
    assert "user: admin  password: demo-password-for-tests" in demo
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo-password-for-tests")
