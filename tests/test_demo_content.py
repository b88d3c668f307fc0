"""`load_demo_content`: four languages through wagtail-localize, idempotent."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, Revision, Site
from wagtail_localize.models import StringTranslation, Translation

from home.models import HomePage
from tests.factories import root_collection

ADMIN_PASSWORD = "demo-password-for-tests"


def run_loader():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """Load the demo content once for this module, inside a transaction rolled back after.

    Loading takes seconds; every test here reads the same result.
    """
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setenv("PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD)
        with transaction.atomic():
            root_collection()  # a transactional test of another module may have flushed it
            yield run_loader()
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_once, db):
    return loaded_once


@pytest.fixture
def load(demo, monkeypatch):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD)
    return run_loader


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
    assert f"user: admin  password: {ADMIN_PASSWORD}" in demo
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(ADMIN_PASSWORD)


def test_demo_course_has_four_modules_of_real_lessons_in_every_language(demo):
    from modules.models import LessonPage, ModulePage

    for code in ("en", "fr", "es", "hu"):
        modules = ModulePage.objects.live().filter(locale__language_code=code)
        assert modules.count() == 4, code
        for module in modules:
            lessons = LessonPage.objects.child_of(module).live()
            assert lessons.count() >= 3
            for lesson in lessons:
                questions = [b for b in lesson.quiz if b.block_type == "question"]
                assert len(questions) >= 3
                kinds = [b.block_type for b in lesson.body]
                assert "key_takeaways" in kinds and "fact_sheet" in kinds
                assert sum(1 for b in lesson.body if b.block_type == "rich_text") >= 2


def test_demo_lessons_are_translated_not_copied(demo):
    from modules.models import LessonPage

    english = LessonPage.objects.filter(locale__language_code="en").order_by("path").first()
    for code in ("fr", "es", "hu"):
        translated = english.get_translation(_locale(code))
        assert translated.title != english.title
        assert translated.introduction != english.introduction
        first_text = next(b for b in english.body if b.block_type == "rich_text").value.source
        assert first_text not in [
            b.value.source for b in translated.body if b.block_type == "rich_text"
        ]
        assert translated.lesson_number == english.lesson_number
        # Each language gets the fact sheet in its own language.
        sheet = next(b for b in translated.body if b.block_type == "fact_sheet").value["document"]
        assert re.search(rf"-{code}(_\w+)?\.pdf$", sheet.file.name)
        assert sheet.file.read(5) == b"%PDF-"


def _locale(code):
    from wagtail.models import Locale

    return Locale.objects.get(language_code=code)


def test_the_page_tree_is_consistent_after_loading(demo, load):
    load()
    assert Page.find_problems() == ([], [], [], [], [])


def test_demo_case_studies_cover_europe_in_four_languages(demo):
    from casestudies.models import CaseStudyPage

    english = CaseStudyPage.objects.live().filter(locale__language_code="en")
    assert english.count() >= 12
    countries = [page.country.code for page in english]
    for code in ("FR", "ES", "HU"):
        assert countries.count(code) >= 2
    assert len(set(countries) - {"FR", "ES", "HU"}) >= 3
    for page in english:
        assert page.is_illustrative
        assert page.themes.exists() and page.sectors.exists()
        for code in ("fr", "es", "hu"):
            translated = page.get_translation(_locale(code))
            assert translated.live
            assert translated.summary != page.summary
            assert translated.country == page.country and translated.year == page.year


def test_demo_glossary_has_sixty_concepts_linked_into_lessons(demo, client):
    from glossary.models import GlossaryTermPage, GlossaryUsage

    for code in ("en", "fr", "es", "hu"):
        assert GlossaryTermPage.objects.live().filter(locale__language_code=code).count() >= 60
    english = {page.title for page in GlossaryTermPage.objects.filter(locale__language_code="en")}
    for required in [
        "cluster",
        "cluster organisation",
        "triple helix",
        "digital twin",
        "circular economy",
    ]:
        assert required in english
    assert GlossaryUsage.objects.filter(page__locale__language_code="hu").exists()
    lesson = GlossaryUsage.objects.filter(page__locale__language_code="es").first().page
    assert 'class="glossary-link"' in client.get(lesson.url).content.decode()


def test_demo_home_features_the_sections_in_each_language(
    demo, client, django_assert_max_num_queries
):
    client.get("/hu/")
    with django_assert_max_num_queries(25):
        html = client.get("/hu/").content.decode()
    assert 'href="/hu/modules/cluster-management-excellence/"' in html
    assert (
        'href="/hu/glossary/"' in html
        and 'class="button button--large" href="/hu/modules/"' in html
    )


def test_demo_illustrations_are_shared_with_alt_text_in_each_language(demo, client):
    from casestudies.models import CaseStudyPage
    from modules.models import LessonPage, ModulePage

    for model in (ModulePage, LessonPage, CaseStudyPage):
        english = model.objects.filter(locale__language_code="en").first()
        hungarian = model.objects.get(
            translation_key=english.translation_key, locale__language_code="hu"
        )
        assert english.cover_image_id is not None
        assert hungarian.cover_image_id == english.cover_image_id, "one picture, four trees"
        assert english.cover_image_alt.startswith("Illustration: ")
        assert hungarian.cover_image_alt.startswith("Illusztráció: ")
    html = client.get(hungarian.url).content.decode()
    assert f'alt="{hungarian.cover_image_alt}"' in html
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
