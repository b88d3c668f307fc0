"""My learning and progress codes (issue 14): the same progress in every language, codes
that restore it in another browser, and every bad code refused with a message."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from learning import codes
from learning.models import ProgressCode
from tests.factories import (
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    multilingual_home,
    translate_page,
)

LANGUAGES = ("en", "fr", "es", "hu")
ORIGIN = "http://testserver"


def build_world():
    multilingual_home()
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Smart industry", slug="smart-industry")
    lessons = [
        LessonPageFactory(parent=module, title=f"Lesson {n}", slug=f"lesson-{n}") for n in (1, 2, 3)
    ]
    world = {"en": {"module": module, "lessons": lessons}}
    for code in LANGUAGES[1:]:
        translate_page(catalogue, code, title=f"Catalogue {code}")
        world[code] = {
            "module": translate_page(module, code, title=f"Module {code}"),
            "lessons": [
                translate_page(lesson, code, title=f"Lesson {n} {code}")
                for n, lesson in enumerate(lessons, start=1)
            ],
        }
    world["catalogue"] = catalogue
    return world


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(world_once, db):
    return world_once


def quiz_answers(lesson, right=True):
    answers = {}
    for block in lesson.quiz:
        choices = block.value["choices"].bound_blocks
        answers[f"q-{block.id}"] = [c.id for c in choices if c.value["correct"] == right][:1]
        if right:
            answers[f"q-{block.id}"] = [c.id for c in choices if c.value["correct"]]
    return answers


def learner_with_progress(world):
    """A learner who completed lesson 1 in French and passed the quiz of lesson 2 in
    Hungarian."""
    learner = Client()
    learner.post(world["fr"]["lessons"][0].url + "complete/")
    lesson = world["hu"]["lessons"][1]
    learner.post(lesson.url + "quiz/", quiz_answers(lesson))
    return learner


def progress_values(html):
    return re.findall(r'<progress max="100" value="(\d+)"', html)


def test_my_learning_shows_the_same_progress_in_every_language(world):
    learner = learner_with_progress(world)
    for code in LANGUAGES:
        response = learner.get(f"/{code}/my-learning/")
        html = response.content.decode()
        assert response.status_code == 200, code
        assert f'<html lang="{code}"' in html
        title = "Smart industry" if code == "en" else f"Module {code}"
        assert title in html, code
        assert progress_values(html) == ["67"], code  # 2 of 3 lessons
        # Continue where you left off: the next lesson, in this language.
        next_lesson = world[code]["lessons"][2]
        assert f'class="button button--large" href="{next_lesson.url}"' in html, code
        assert re.search(r"100\s?%", html), code  # the quiz passed in Hungarian, everywhere


def test_a_visitor_without_progress_gets_a_blank_page_and_no_cookie(world):
    visitor = Client()
    for _ in range(2):
        response = visitor.get("/fr/my-learning/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["X-Cache"] == "skip"  # never in the page cache
        assert not response.cookies
    html = response.content.decode()
    assert progress_values(html) == ["0"]
    assert 'action="/fr/my-learning/restore/"' in html
    assert 'action="/fr/my-learning/code/"' not in html  # nothing to save yet


def test_every_public_page_links_to_my_learning(world):
    for code in LANGUAGES:
        html = Client().get(f"/{code}/").content.decode()
        assert f'href="/{code}/my-learning/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_learning_query_count_does_not_grow_with_the_course(
    world, language, django_assert_max_num_queries
):
    learner = learner_with_progress(world)
    url = f"/{language}/my-learning/"
    learner.post(url + "code/")  # with a code, its QR code and link
    with django_assert_max_num_queries(10):
        assert learner.get(url).status_code == 200
    module = ModulePageFactory(parent=world["catalogue"], title="Second", slug="second")
    for n in range(4):
        LessonPageFactory(parent=module, title=f"Second {n}", slug=f"second-{n}")
    if language != "en":
        translated = translate_page(module, language, title=f"Second {language}")
        assert translated.live
        for lesson in module.get_children().specific():
            translate_page(lesson, language)
    learner.post(module.get_children().first().specific.url + "complete/")
    with django_assert_max_num_queries(10):
        html = learner.get(url).content.decode()
    assert len(progress_values(html)) == 2


# -- progress codes ----------------------------------------------------------------------


def make_code(learner):
    response = learner.post("/en/my-learning/code/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 302
    html = learner.get("/en/my-learning/").content.decode()
    return re.search(r'class="progress-code__value">([0-9A-Z-]+)<', html).group(1)


def test_a_progress_code_restores_progress_in_another_browser(world):
    first = learner_with_progress(world)
    code = make_code(first)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    html = first.get("/en/my-learning/").content.decode()
    assert f"/en/my-learning/restore/{code}/" in html  # the link
    assert '<svg role="img" aria-label="QR code' in html  # and its QR code

    other = Client(enforce_csrf_checks=True)
    link = other.get(f"/es/my-learning/restore/{code}/")
    assert link.status_code == 200 and f'value="{code}"' in link.content.decode()
    assert not link.cookies  # opening the link changes nothing
    # Typed carelessly: lower case, spaces instead of hyphens.
    response = other.post(
        "/es/my-learning/restore/",
        {"code": code.lower().replace("-", " ")},
        HTTP_ORIGIN=ORIGIN,
    )
    assert response.status_code == 302
    html = other.get("/es/my-learning/").content.decode()
    assert progress_values(html) == ["67"]
    assert code in html  # the restoring browser may update or delete the code too


def test_a_code_stores_no_personal_data_and_not_the_code_itself(world):
    learner = learner_with_progress(world)
    code = make_code(learner)
    row = ProgressCode.objects.get()
    assert {field.name for field in ProgressCode._meta.fields} == {
        "id",
        "digest",
        "progress",
        "created_at",
        "updated_at",
        "expires_at",
    }
    assert set(row.progress) == {"done", "quizzes", "last"}
    assert code.replace("-", "") not in row.digest
    session_key = learner.cookies["sessionid"].value
    assert session_key not in str(row.progress)
    assert abs(row.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_saving_again_keeps_the_code_and_updates_its_progress(world):
    learner = learner_with_progress(world)
    code = make_code(learner)
    learner.post(world["es"]["lessons"][2].url + "complete/")
    assert make_code(learner) == code
    assert ProgressCode.objects.count() == 1
    assert len(ProgressCode.objects.get().progress["done"]) == 3


@pytest.mark.parametrize(
    "typed",
    ["", "ABCD", "<script>alert(1)</script>", "A" * 5000, "ABCD-EFGH-JKM\x00", "ÁBCD-EFGH-JKMN"],
    ids=["empty", "short", "markup", "huge", "nul", "accented"],
)
def test_forged_codes_get_a_clear_message_and_nothing_is_stored(world, typed):
    stranger = Client()
    response = stranger.post("/fr/my-learning/restore/", {"code": typed}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This is not a progress code" in html or "Ce n" in html
    assert "<script>alert" not in html
    assert "sessionid" not in stranger.cookies
    assert not ProgressCode.objects.exists()


def test_an_unknown_code_of_the_right_shape_is_refused(world):
    stranger = Client()
    response = stranger.post(
        "/en/my-learning/restore/", {"code": "ABCD-EFGH-JKMN"}, HTTP_ORIGIN=ORIGIN
    )
    assert response.status_code == 404
    assert "unknown or has expired" in response.content.decode()
    assert "sessionid" not in stranger.cookies


def test_expired_and_deleted_codes_restore_nothing(world):
    learner = learner_with_progress(world)
    expired = make_code(learner)
    ProgressCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    other = Client()
    response = other.post("/en/my-learning/restore/", {"code": expired}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 404
    assert "sessionid" not in other.cookies
    # An expired code is gone when the next one is made, and a new code replaces it.
    fresh = make_code(learner)
    assert fresh != expired and ProgressCode.objects.count() == 1
    # Used once, then deleted by its owner: replaying it restores nothing.
    assert (
        other.post("/en/my-learning/restore/", {"code": fresh}, HTTP_ORIGIN=ORIGIN).status_code
        == 302
    )
    response = learner.post("/en/my-learning/code/delete/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 302
    assert (
        "The progress code has been deleted." in learner.get(response["Location"]).content.decode()
    )
    assert not ProgressCode.objects.exists()
    third = Client()
    replay = third.post("/en/my-learning/restore/", {"code": fresh}, HTTP_ORIGIN=ORIGIN)
    assert replay.status_code == 404
    assert "sessionid" not in third.cookies


def test_restoring_twice_counts_nothing_twice(world):
    learner = learner_with_progress(world)
    code = make_code(learner)
    other = Client()
    for _ in range(2):
        other.post("/en/my-learning/restore/", {"code": code}, HTTP_ORIGIN=ORIGIN)
    html = other.get("/en/my-learning/").content.decode()
    assert progress_values(html) == ["67"]


def test_anyone_holding_the_code_can_delete_it(world):
    learner = learner_with_progress(world)
    code = make_code(learner)
    stranger = Client()
    response = stranger.post("/en/my-learning/code/delete/", {"code": code}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 302
    assert not ProgressCode.objects.exists()
    again = stranger.post("/en/my-learning/code/delete/", {"code": code}, HTTP_ORIGIN=ORIGIN)
    assert again.status_code == 404
    assert "Nothing was deleted" in again.content.decode()


def test_code_lookups_are_rate_limited_per_address(world, settings):
    settings.PROGRESS_CODE_LOOKUP_LIMIT = 3
    learner = learner_with_progress(world)
    code = make_code(learner)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        response = guesser.post(
            "/en/my-learning/restore/", {"code": "ABCD-EFGH-JKMN"}, HTTP_ORIGIN=ORIGIN
        )
        assert response.status_code == 404
    # Even the right code is refused now, with a message saying why and for how long.
    response = guesser.post("/en/my-learning/restore/", {"code": code}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 429
    assert "Too many progress code attempts" in response.content.decode()
    assert "sessionid" not in guesser.cookies
    # Another address is not affected.
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        "/en/my-learning/restore/", {"code": code}, HTTP_ORIGIN=ORIGIN
    )
    assert response.status_code == 302


def test_no_code_without_progress_and_no_post_from_another_site(world):
    empty = Client()
    response = empty.post("/en/my-learning/code/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400
    assert "There is no progress to save yet" in response.content.decode()
    learner = learner_with_progress(world)
    learner_csrf = Client(enforce_csrf_checks=True)
    learner_csrf.cookies = learner.cookies
    for route in ("code/", "code/delete/", "restore/", "forget/"):
        response = learner_csrf.post(
            f"/en/my-learning/{route}", HTTP_ORIGIN="https://elsewhere.example"
        )
        assert response.status_code == 403, route
    assert not ProgressCode.objects.exists()
    assert progress_values(learner.get("/en/my-learning/").content.decode()) == ["67"]


def test_clear_all_progress_ends_the_session(world):
    learner = learner_with_progress(world)
    response = learner.post("/hu/my-learning/forget/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 302
    assert learner.cookies["sessionid"]["max-age"] == 0
    del learner.cookies["sessionid"]
    assert progress_values(learner.get("/hu/my-learning/").content.decode()) == ["0"]


def test_codes_are_random_and_typing_is_forgiving():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    code = "0123456789AB"
    assert codes.normalise(" o123-4567-89ab ") == code
    assert codes.normalise("OI23456789AB".lower()) == "0123456789AB"
    with pytest.raises(codes.InvalidCode):
        codes.normalise("U123456789AB")  # U is not in the alphabet


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_restore_page_in_every_language(world, language, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = Client().get(f"/{language}/my-learning/restore/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert f'action="/{language}/my-learning/restore/"' in html
    assert "no-store" in response["Cache-Control"] and not response.cookies
