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


def test_every_hungarian_demo_module_downloads_as_scorm_and_as_a_cartridge(demo, client):
    import zipfile

    from defusedxml import ElementTree

    from modules.models import ModulePage
    from tests.package_checks import Page as PackagePage
    from tests.package_checks import files_named, local_targets

    modules = ModulePage.objects.filter(locale__language_code="hu", live=True)
    assert modules.count() == 4
    for module in modules:
        for name in ("scorm12.zip", "cartridge.imscc"):
            response = client.get(f"{module.url}export/{name}")
            assert response.status_code == 200, (module.url, name)
            archive = zipfile.ZipFile(io.BytesIO(response.content))
            names = set(archive.namelist())
            named = files_named(ElementTree.fromstring(archive.read("imsmanifest.xml")))
            assert named <= names and names - named == {"imsmanifest.xml"}, (module.url, name)
            for page_name in (entry for entry in names if entry.endswith(".html")):
                page = PackagePage(archive.read(page_name).decode())
                assert page.lang == "hu" and page.inline_scripts == 0
                local_targets(page, page_name, names)
            assert module.title in archive.read("index.html").decode()


def test_translated_quizzes_keep_each_text_in_its_place(demo):
    """Each question, choice, feedback and explanation of a translated quiz is that text
    in the language of the demo content, not its neighbour's."""
    import json
    from pathlib import Path

    from modules.models import LessonPage

    data = json.loads(
        (
            Path(__file__).resolve().parent.parent
            / "modules"
            / "demo_content"
            / "module-1-industry-40.json"
        ).read_text()
    )
    expected = data["lessons"][0]["quiz"]
    for language in ("en", "fr", "es", "hu"):
        lesson = LessonPage.objects.get(
            slug=data["lessons"][0]["slug"], locale__language_code=language
        )
        for block, question in zip(lesson.quiz, expected, strict=True):
            value = block.value
            assert value["question"] == question["question"][language]
            assert value["explanation"] == question["explanation"][language], language
            for choice, source in zip(value["choices"], question["choices"], strict=True):
                assert choice["text"] == source["text"][language], language
                assert choice["feedback"] == source["feedback"][language], language
                assert choice["correct"] == source["correct"]


def test_every_public_learning_page_of_the_demo_is_an_oai_pmh_record(demo):
    """The publishing signals registered the demo as it was loaded: the sync command,
    which rebuilds the registry from the pages, finds nothing to change."""
    from oer.models import HarvestRecord
    from oer.signals import kind_models
    from portal.visibility import public

    expected = set()
    for kind, model in kind_models().items():
        for key, code in public(model.objects.filter(alias_of__isnull=True)).values_list(
            "translation_key", "locale__language_code"
        ):
            expected.add((kind, key, code))
    rows = set(
        HarvestRecord.objects.filter(deleted=False).values_list(
            "kind", "translation_key", "language"
        )
    )
    assert rows == expected
    assert {code for _kind, _key, code in rows} == {"en", "fr", "es", "hu"}
    assert {kind for kind, _key, _code in rows} == set(kind_models())
    before = sorted(HarvestRecord.objects.values_list("pk", "datestamp", "deleted"))
    call_command("oai_sync", stdout=io.StringIO())
    assert sorted(HarvestRecord.objects.values_list("pk", "datestamp", "deleted")) == before


# -- issue 14: the self-assessment, the accessibility statement and the privacy notice ------

DEMO_PAGE_WORDS = {
    "self-assessment": {
        "en": "European Secretariat for Cluster Analysis",
        "fr": "Secrétariat européen pour l'analyse des clusters",
        "es": "Secretaría Europea de Análisis de Clústeres",
        "hu": "Európai Klaszterelemző Titkárság",
    },
    "accessibility": {
        "en": "Directive (EU) 2016/2102",
        "fr": "directive (UE) 2016/2102",
        "es": "Directiva (UE) 2016/2102",
        "hu": "(EU) 2016/2102 európai parlamenti és tanácsi irányelvvel",
    },
    "privacy": {
        "en": "Progress codes",
        "fr": "Codes de progression",
        "es": "Códigos de progreso",
        "hu": "Haladási kódok",
    },
}


def test_demo_self_assessment_accessibility_and_privacy_pages_in_four_languages(
    demo, client, django_assert_max_num_queries
):
    from html import unescape

    from wagtail_localize.models import Translation as LocalizeTranslation

    for slug, words in DEMO_PAGE_WORDS.items():
        for code, text in words.items():
            client.get(f"/{code}/{slug}/")
            with django_assert_max_num_queries(25):
                response = client.get(f"/{code}/{slug}/")
            assert response.status_code == 200, (slug, code)
            html = unescape(response.content.decode())
            assert text in html, (slug, code)
            footer = re.search(r"<footer.*</footer>", html, re.S).group(0)
            assert f'href="/{code}/accessibility/"' in footer
            assert f'href="/{code}/privacy/"' in footer
    # Translated through wagtail-localize, like the rest of the demo.
    english = Page.objects.get(url_path="/home/self-assessment/", locale__language_code="en")
    assert (
        LocalizeTranslation.objects.filter(source__object_id=english.translation_key).count() == 3
    )


def test_demo_self_assessment_recommends_for_its_weakest_area(demo, client):
    from assessment import scoring
    from assessment.models import SelfAssessmentPage

    page = SelfAssessmentPage.objects.get(locale__language_code="hu")
    data = {
        f"q-{question.id}": "0" if area.key == "financing" else "4"
        for area in scoring.areas_of(page)
        for question in area.questions
    }
    response = client.post(page.url + "assess/", data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    html = client.get(page.url + "results/").content.decode()
    block = re.search(r'<section aria-labelledby="recommended">(.*?)</section>', html, re.S)
    assert "Finanszírozás" in block.group(1)
    assert "/hu/modules/business-leadership-and-entrepreneurship-in-cluster-management/" in (
        block.group(1)
    )
    assert "/hu/modules/cluster-management-excellence/" not in block.group(1)  # not mapped


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
