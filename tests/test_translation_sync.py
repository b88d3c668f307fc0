"""What translators translate and what stays in step with the source, through
wagtail-localize's own extraction and sync (not copies)."""

from wagtail.models import Page
from wagtail_localize.models import StringSegment

from casestudies.models import CaseStudyPage
from modules.models import LessonPage
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    start_translation,
    translate_page,
    translate_segments,
)


def source_strings(translation):
    return set(
        StringSegment.objects.filter(source=translation.source).values_list(
            "string__data", flat=True
        )
    )


def sync(translation):
    """The "Sync translated pages" action: re-extract the source, rebuild the draft."""
    translation.source.update_from_db()
    translation.save_target(publish=True)


def test_case_study_facts_are_synchronised_and_texts_translated(home_pages):
    index = CaseStudyIndexPageFactory()
    translate_page(index, "fr", title="Études de cas")
    english = CaseStudyPageFactory(
        parent=index,
        title="Robots in Lyon",
        slug="robots-in-lyon",
        country="FR",
        year=2021,
        members=90,
    )
    translation = start_translation(english, "fr")
    strings = source_strings(translation)
    assert "Robots in Lyon" in strings and english.summary in strings
    # Slugs, country codes and numbers are not offered for translation.
    assert not {"robots-in-lyon", "FR", "2021", "90"} & strings

    translate_segments(translation, text="FR")
    english.country, english.year, english.members = "ES", 2024, 150
    english.save_revision().publish()
    sync(translation)
    french = CaseStudyPage.objects.get(
        translation_key=english.translation_key, locale__language_code="fr"
    )
    assert (french.country.code, french.year, french.members, french.slug) == (
        "ES",
        2024,
        150,
        "robots-in-lyon",
    )
    assert french.title == "FR Robots in Lyon"


def test_video_addresses_and_quiz_answers_follow_the_source(course):
    english = course["en"]["lessons"][0]
    english.body = [
        (
            "video",
            {
                "title": "Interview with a cluster manager",
                "embed_url": "https://www.youtube-nocookie.com/embed/first",
                "transcript": "<p>What the manager says.</p>",
            },
        )
    ]
    english.save_revision().publish()
    Page.objects.filter(
        translation_key=english.translation_key, locale__language_code="hu"
    ).delete()
    translation = start_translation(english, "hu")
    strings = source_strings(translation)
    assert "Interview with a cluster manager" in strings
    assert not any("youtube" in string for string in strings)

    translate_segments(translation, text="HU")
    english = LessonPage.objects.get(pk=english.pk)
    english.body[0].value["embed_url"] = "https://www.youtube-nocookie.com/embed/second"
    for question in english.quiz:
        for choice in question.value["choices"]:
            choice["correct"] = not choice["correct"]
    english.save_revision().publish()
    sync(translation)

    hungarian = LessonPage.objects.get(
        translation_key=english.translation_key, locale__language_code="hu"
    )
    assert hungarian.body[0].value["embed_url"].endswith("/second")
    assert hungarian.body[0].value["title"] == "HU Interview with a cluster manager"
    assert [[c["correct"] for c in q.value["choices"]] for q in hungarian.quiz] == [
        [c["correct"] for c in q.value["choices"]] for q in english.quiz
    ]
    assert hungarian.lesson_number == english.lesson_number
