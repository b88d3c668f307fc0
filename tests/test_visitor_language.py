"""Every string in the visitor's language: theme names, tags, ARIA labels and counts."""

import json
import re

import pytest
from django.test import Client

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LocaleFactory,
    ThemeFactory,
    translate_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course):
    from portal.models import TagLabel

    hungarian = LocaleFactory(language_code="hu")
    theme = ThemeFactory(slug="green-transition", name="Green transition")
    ThemeFactory(slug="green-transition", name="Zöld átállás", locale=hungarian)
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(parent=glossary, title="circular economy", theme=theme)
    cases = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(parent=cases, title="Shared services", tags=["smes", "esca-label"])
    TagLabel.objects.create(slug="smes", name="SMEs", locale=LocaleFactory(language_code="en"))
    TagLabel.objects.create(slug="smes", name="KKV-k", locale=hungarian)
    pages = {"term": {"en": term}, "case": {"en": case}}
    for code in ("fr", "hu"):
        translate_page(glossary, code, title=f"Glossary {code}")
        pages["term"][code] = translate_page(term, code, title=f"term {code}")
        translate_page(cases, code, title=f"Case studies {code}")
        pages["case"][code] = translate_page(case, code, title=f"Case {code}")
    # The course in Hungarian too (the course fixture has English, French and Spanish).
    translate_page(course["en"]["catalogue"], "hu", title="Tananyagok")
    translate_page(course["en"]["module"], "hu", title="Intelligens ipar")
    pages["lessons"] = {
        "hu": [translate_page(lesson, "hu", title="Lecke") for lesson in course["en"]["lessons"]],
        "en": course["en"]["lessons"],
    }
    return pages


def html_of(url, client=None):
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def eyebrow(html):
    return re.search(r'<p class="eyebrow">(.*?)</p>', html, re.S)[1]


def test_a_glossary_terms_theme_is_named_in_the_visitors_language(world):
    assert "Zöld átállás" in eyebrow(html_of(world["term"]["hu"].url))
    assert "Green transition" not in html_of(world["term"]["hu"].url)
    # Control: without a French name, French visitors get the English one.
    assert "Green transition" in eyebrow(html_of(world["term"]["fr"].url))
    assert "Green transition" in eyebrow(html_of(world["term"]["en"].url))


def test_case_study_tags_show_their_label_not_their_slug(world):
    hungarian = html_of(world["case"]["hu"].url)
    tags = re.search(r'<p class="tags">(.*?)</p>', hungarian, re.S)[1]
    assert '<span class="badge">KKV-k</span>' in tags
    assert ">smes<" not in tags
    assert '<span class="badge">esca-label</span>' in tags  # no label yet: its slug
    english = html_of(world["case"]["en"].url)
    assert '<span class="badge">SMEs</span>' in english
    # The structured data says the same.
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', hungarian, re.S)[1]
    )
    assert sorted(data["keywords"]) == ["KKV-k", "esca-label"]


def aria_labels(html):
    return set(re.findall(r'aria-label="([^"]+)"', html))


def test_the_main_navigation_and_every_aria_label_are_translated(world):
    english_lesson = html_of(world["lessons"]["en"][0].url)
    hungarian_lesson = html_of(world["lessons"]["hu"][0].url)
    assert 'aria-label="Főmenü"' in hungarian_lesson
    assert 'aria-label="Menu principal"' in html_of("/fr/")
    assert 'aria-label="Main"' in english_lesson  # the control
    english, hungarian = aria_labels(english_lesson), aria_labels(hungarian_lesson)
    assert len(english) >= 4
    assert english.isdisjoint(hungarian), english & hungarian


def test_counts_read_naturally_with_plural_forms(world):
    lesson = world["lessons"]["hu"][0]
    html = html_of(lesson.url)
    assert "1. lecke (összesen 3)" in html
    assert "a(z)" not in html
    assert "3 leckéből 0 teljesítve" in html
    english = html_of(world["lessons"]["en"][0].url)
    assert "lesson 1 of 3" in english and "0 of 3 lessons completed" in english


def test_one_attempt_is_one_attempt(world):
    from tests.test_anonymous_bytes import quiz_answers

    learner = Client()
    lesson = world["lessons"]["en"][0]
    learner.post(lesson.url + "quiz/", quiz_answers(lesson))
    html = html_of(lesson.url, learner)
    assert "after 1 attempt." in html and "attempt(s)" not in html
    learner.post(lesson.url + "quiz/", quiz_answers(lesson))
    assert "after 2 attempts." in html_of(lesson.url, learner)
    french = html_of(
        world["lessons"]["en"][0].get_translation(LocaleFactory(language_code="fr")).url, learner
    )
    assert "après 2 tentatives." in french
