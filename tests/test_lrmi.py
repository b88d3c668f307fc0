"""LRMI in the pages' JSON-LD: every learning page type, in the four languages.

The world is built once for the module (in a transaction rolled back at the end); each
page is read through the test client and its ``application/ld+json`` block parsed.
"""

import json
import re

import pytest
from django.db import transaction
from django.test import Client

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    multilingual_home,
    translate_page,
)

LANGUAGES = ("en", "fr", "es", "hu")
TERMS = {
    "en": "smart specialisation",
    "fr": "spécialisation intelligente",
    "es": "especialización inteligente",
    "hu": "intelligens szakosodás",
}
ISO_DURATION = re.compile(r"PT(\d+H)?(\d+M)?")
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

pytestmark = pytest.mark.django_db


def _body(code):
    return [("rich_text", f"<p>Regions choose their {TERMS[code]} together.</p>")]


def build_world():
    multilingual_home()
    pages = {code: {} for code in LANGUAGES}
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(parent=glossary, title=TERMS["en"], concept_id="c001")
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Smart industry", estimated_hours=4.5)
    lesson = LessonPageFactory(
        parent=module, title="Strategy </script><b>", body=_body("en"), estimated_minutes=90
    )
    second = LessonPageFactory(parent=module, title="Second lesson", quiz=[])
    cases = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(
        parent=cases,
        title="Aerospace valley",
        challenge=f"<p>Members asked about {TERMS['en']}.</p>",
    )
    pages["en"] = {
        "catalogue": catalogue,
        "module": module,
        "lesson": lesson,
        "second": second,
        "case": case,
        "term": term,
    }
    for code in LANGUAGES[1:]:
        translate_page(glossary, code)
        pages[code]["term"] = translate_page(term, code, title=TERMS[code])
        pages[code]["catalogue"] = translate_page(catalogue, code, title=f"Catalogue {code}")
        pages[code]["module"] = translate_page(module, code, title=f"Smart industry {code}")
        pages[code]["lesson"] = translate_page(
            lesson, code, title=f"Strategy {code}", body=_body(code)
        )
        translate_page(cases, code)
        pages[code]["case"] = translate_page(
            case,
            code,
            title=f"Aerospace valley {code}",
            challenge=f"<p>{TERMS[code]}</p>",
        )
    # A draft Hungarian translation of the second lesson: never named as a translation.
    pages["hu"]["second"] = translate_page(second, "hu", live=False, title="Második")
    for code in ("fr", "es"):
        pages[code]["second"] = translate_page(second, code, title=f"Second {code}")
    return pages


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def json_ld(page):
    response = Client().get(page.url)
    assert response.status_code == 200, page.url
    html = response.content.decode()
    blocks = BLOCK.findall(html)
    assert len(blocks) == 1, page.url
    assert "</script" not in blocks[0].lower()  # escaped, cannot close the element
    return json.loads(blocks[0])


def full(page):
    return f"http://testserver{page.url}"


def assert_common(data, code, page, world):
    """What every learning resource says, in every language."""
    assert data["@context"] == "https://schema.org"
    assert data["inLanguage"] == code
    assert data["url"] == full(page)
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["isAccessibleForFree"] is True
    assert data["audience"]["@type"] == "EducationalAudience"
    assert data["audience"]["educationalRole"] == "cluster manager"
    assert ISO_DURATION.fullmatch(data["timeRequired"]), data["timeRequired"]
    assert data["learningResourceType"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_module_is_a_course_of_lessons_in_a_catalogue(world, code):
    module, lesson = world[code]["module"], world[code]["lesson"]
    data = json_ld(module)
    assert_common(data, code, module, world)
    assert data["@type"] == "Course"
    assert data["learningResourceType"] == "Module"
    assert data["timeRequired"] == "PT4H30M"
    assert data["educationalLevel"] == "Intermediate"
    assert data["isPartOf"]["url"] == full(world[code]["catalogue"])
    assert full(lesson) in [part["url"] for part in data["hasPart"]]
    teaches = data["teaches"]
    assert "Explain Industry 4.0 to members" in teaches  # the learning outcome
    concepts = [item for item in teaches if isinstance(item, dict)]
    assert concepts == [
        {
            "@type": "DefinedTerm",
            "name": TERMS[code],
            "termCode": "c001",
            "url": full(world[code]["term"]),
        }
    ]
    assert data["assesses"] == ["Explain Industry 4.0 to members"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_lesson_teaches_and_assesses_its_glossary_concepts(world, code):
    lesson = world[code]["lesson"]
    data = json_ld(lesson)
    assert_common(data, code, lesson, world)
    assert data["@type"] == "LearningResource"
    assert data["learningResourceType"] == ["Lesson", "Quiz"]
    assert data["timeRequired"] == "PT1H30M"
    assert data["educationalLevel"] == "Intermediate"
    assert data["isPartOf"]["url"] == full(world[code]["module"])
    assert [term["name"] for term in data["teaches"]] == [TERMS[code]]
    assert data["assesses"] == data["teaches"]
    if code == "en":
        assert data["name"] == "Strategy </script><b>"  # survived the escaping intact


def test_a_lesson_without_quiz_assesses_nothing(world):
    data = json_ld(world["en"]["second"])
    assert data["learningResourceType"] == "Lesson"
    assert "assesses" not in data


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_the_course_made_of_modules(world, code):
    catalogue = world[code]["catalogue"]
    data = json_ld(catalogue)
    assert_common(data, code, catalogue, world)
    assert data["@type"] == "Course"
    assert data["timeRequired"] == "PT4H30M"
    assert [part["url"] for part in data["hasPart"]] == [full(world[code]["module"])]


@pytest.mark.parametrize("code", LANGUAGES)
def test_case_study_and_glossary_term(world, code):
    case = world[code]["case"]
    data = json_ld(case)
    assert_common(data, code, case, world)
    assert data["learningResourceType"] == "Case study"
    assert [term["name"] for term in data["teaches"]] == [TERMS[code]]
    term = world[code]["term"]
    data = json_ld(term)
    assert_common(data, code, term, world)
    assert data["@type"] == ["DefinedTerm", "LearningResource"]
    assert data["teaches"][0]["termCode"] == "c001"


def test_translations_link_the_source_and_its_public_translations_only(world):
    english = json_ld(world["en"]["lesson"])
    assert {work["inLanguage"]: work["url"] for work in english["workTranslation"]} == {
        code: full(world[code]["lesson"]) for code in ("fr", "es", "hu")
    }
    assert "translationOfWork" not in english
    hungarian = json_ld(world["hu"]["lesson"])
    assert hungarian["translationOfWork"]["url"] == full(world["en"]["lesson"])
    assert "workTranslation" not in hungarian
    # The second lesson's Hungarian translation is a draft: not named (French is: control).
    second = json_ld(world["en"]["second"])
    languages = {work["inLanguage"] for work in second["workTranslation"]}
    assert languages == {"fr", "es"}
    assert "Második" not in json.dumps(second)
