"""Training modules: scoring on the server, progress across languages, statistics."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.models import LessonPage, QuizStatistic
from tests.factories import LessonPageFactory

pytestmark = pytest.mark.django_db


def quiz_fields(lesson):
    """{question text: (field name, {choice text: choice id})} read from the stored quiz."""
    fields = {}
    for block in lesson.quiz:
        choices = {c.value["text"]: c.id for c in block.value["choices"].bound_blocks}
        fields[block.value["question"]] = (f"q-{block.id}", choices)
    return fields


def answers(lesson, chosen):
    """POST data choosing, per question text, the given choice texts."""
    fields = quiz_fields(lesson)
    data = {}
    for question, texts in chosen.items():
        name, choices = fields[question]
        data[name] = [choices[text] for text in texts]
    return data


ALL_RIGHT = {
    "Which body coordinates a cluster?": ["The cluster organisation"],
    "Which are Industry 4.0 technologies?": ["Digital twins", "Internet of Things"],
}
HALF_RIGHT = {
    "Which body coordinates a cluster?": ["The national bank"],
    "Which are Industry 4.0 technologies?": ["Digital twins", "Internet of Things"],
}


def submit(client, lesson, data, follow=True):
    return client.post(lesson.url + "quiz/", data, follow=follow)


def test_the_lesson_never_reveals_correct_answers_before_submission(client, course):
    lesson = course["en"]["lessons"][0]
    html = client.get(lesson.url).content.decode()
    assert "The cluster organisation" in html  # the choices are shown...
    assert "it animates the network" not in html  # ...but not their feedback
    assert "A cluster organisation coordinates the members." not in html
    assert "correct" not in html.split('id="quiz"')[1].split("</form>")[0].lower()


def test_a_right_quiz_passes_and_shows_feedback_and_explanations(client, course):
    lesson = course["en"]["lessons"][0]
    response = submit(client, lesson, answers(lesson, ALL_RIGHT))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your score: 100% (2 of 2 correct)." in html
    assert "You passed this quiz." in html
    assert "Yes: it animates the network." in html
    assert "Digital twins and IoT are core Industry 4.0 technologies." in html


def test_a_wrong_answer_fails_and_tells_the_learner_why(client, course):
    lesson = course["en"]["lessons"][0]
    html = submit(client, lesson, answers(lesson, HALF_RIGHT)).content.decode()
    assert "Your score: 50% (1 of 2 correct)." in html
    assert "Not passed yet: you need 70%." in html
    assert "No: banks may fund, not coordinate." in html
    assert "Correct answer you did not choose:" in html
    assert "Try the quiz again" in html


def test_a_partly_right_multiple_choice_question_is_wrong(client, course):
    lesson = course["en"]["lessons"][0]
    chosen = dict(ALL_RIGHT, **{"Which are Industry 4.0 technologies?": ["Digital twins"]})
    html = submit(client, lesson, answers(lesson, chosen)).content.decode()
    assert "Your score: 50%" in html


def test_the_result_survives_a_reload_without_resubmitting(client, course):
    lesson = course["en"]["lessons"][0]
    response = submit(client, lesson, answers(lesson, ALL_RIGHT), follow=False)
    assert response.status_code == 302
    assert response["Location"].endswith("?result=1#quiz-result")
    client.get(lesson.url + "?result=1")
    assert QuizStatistic.objects.get().attempts == 1


def module_progress_text(client, module):
    html = client.get(module.url).content.decode()
    match = re.search(r"(\d+) of (\d+) lessons completed", html)
    return match.groups() if match else None


def test_progress_made_in_one_language_counts_in_the_others(client, course):
    french_lesson = course["fr"]["lessons"][0]
    submit(client, french_lesson, answers(french_lesson, ALL_RIGHT))
    client.post(course["fr"]["lessons"][1].url + "complete/")

    assert module_progress_text(client, course["en"]["module"]) == ("2", "3")
    spanish = client.get(course["es"]["module"].url).content.decode()
    resume = re.search(r'<a class="button button--large" href="([^"]+)">Continuar', spanish)
    assert resume and resume.group(1) == course["es"]["lessons"][2].url
    catalogue = client.get(course["es"]["catalogue"].url).content.decode()
    assert 'value="67"' in catalogue


def test_no_session_cookie_before_the_first_action(client, course):
    client.get(course["en"]["module"].url)
    client.get(course["en"]["lessons"][0].url)
    assert "sessionid" not in client.cookies
    client.post(course["en"]["lessons"][0].url + "complete/")
    assert "sessionid" in client.cookies


def test_forget_my_progress_clears_it(client, course):
    client.post(course["en"]["lessons"][0].url + "complete/")
    assert module_progress_text(client, course["en"]["module"]) == ("1", "3")
    response = client.post(course["en"]["catalogue"].url + "forget-progress/", follow=True)
    assert "Your progress has been forgotten." in response.content.decode()
    assert module_progress_text(client, course["en"]["module"]) == ("0", "3")


def test_module_is_passed_when_every_lesson_quiz_is_passed(client, course):
    for lesson in course["en"]["lessons"]:
        submit(client, lesson, answers(lesson, ALL_RIGHT))
    assert "Module passed" in client.get(course["en"]["module"].url).content.decode()
    assert "Módulo aprobado" in client.get(course["es"]["module"].url).content.decode()


def test_statistics_are_anonymous_aggregates_per_lesson_and_language(client, course):
    english, french = course["en"]["lessons"][0], course["fr"]["lessons"][0]
    submit(client, english, answers(english, ALL_RIGHT))
    submit(client, english, answers(english, HALF_RIGHT))
    submit(client, french, answers(french, HALF_RIGHT))

    english_stats = QuizStatistic.objects.get(lesson=english)
    assert (english_stats.attempts, english_stats.average_score, english_stats.pass_rate) == (
        2,
        75,
        50,
    )
    assert [rate for _n, _q, rate in english_stats.question_rates()] == [50, 100]
    french_stats = QuizStatistic.objects.get(lesson=french)
    assert (french_stats.attempts, french_stats.passes, french_stats.locale.language_code) == (
        1,
        0,
        "fr",
    )


@pytest.mark.parametrize(
    "tamper",
    [
        "unknown-choice",
        "choice-from-another-question",
        "choice-from-another-lesson",
        "non-numeric",
        "two-answers-to-single-choice",
        "unknown-question",
    ],
)
def test_tampered_submissions_lead_back_to_the_quiz_and_do_not_count(client, course, tamper):
    lesson, other = course["en"]["lessons"][0], course["en"]["lessons"][1]
    data = answers(lesson, ALL_RIGHT)
    first, second = list(quiz_fields(lesson).values())
    if tamper == "unknown-choice":
        data[first[0]] = ["00000000-0000-0000-0000-000000000000"]
    elif tamper == "choice-from-another-question":
        data[first[0]] = [next(iter(second[1].values()))]
    elif tamper == "choice-from-another-lesson":
        other_first = next(iter(quiz_fields(other).values()))
        data[first[0]] = [next(iter(other_first[1].values()))]
    elif tamper == "non-numeric":
        data[first[0]] = ["abc'; DROP TABLE"]
    elif tamper == "two-answers-to-single-choice":
        data[first[0]] = list(first[1].values())[:2]
    else:
        data["q-not-a-question"] = ["x"]
    response = submit(client, lesson, data, follow=False)
    assert response.status_code == 302  # post/redirect/get: a reload sends nothing again
    assert response["Location"] == lesson.url + "?quiz=invalid#quiz-errors"
    html = client.get(response["Location"]).content.decode()
    assert 'id="quiz-errors"' in html and "Please answer the quiz again." in html
    assert 'class="quiz__form"' in html
    assert not QuizStatistic.objects.exists()


def test_missing_answers_show_the_form_again_with_errors(client, course):
    lesson = course["en"]["lessons"][0]
    data = answers(lesson, {"Which body coordinates a cluster?": ["The national bank"]})
    response = submit(client, lesson, data, follow=False)
    assert response.status_code == 302
    assert response["Location"] == lesson.url + "?quiz=incomplete#quiz-errors"
    html = client.get(response["Location"]).content.decode()
    assert "Please answer this question." in html
    assert html.count(" checked>") == 1  # the answer already given is kept
    # The summary at the top of the quiz names the question and links to its first answer.
    summary = html.split('id="quiz-errors"')[1].split("</div>")[0]
    first_choice = next(
        iter(quiz_fields(lesson)["Which are Industry 4.0 technologies?"][1].values())
    )
    assert f'<a href="#c-{first_choice}">Question 2 has no answer yet.</a>' in summary
    assert "Question 1 has" not in summary
    # Reading the page again changes nothing and still shows the same.
    assert client.get(response["Location"]).content.decode() == html
    assert not QuizStatistic.objects.exists()
    # Once the quiz is answered in full, the draft is gone: the summary is not shown again.
    submit(client, lesson, answers(lesson, ALL_RIGHT))
    again = client.get(lesson.url + "?quiz=incomplete").content.decode()
    assert "Please answer this question." not in again
    assert " checked>" not in again


def test_the_error_summary_without_a_session_is_the_same_for_everyone(course):
    """A shared copy of ?quiz=incomplete holds nobody's answers, only the summary."""
    from django.test import Client

    lesson = course["en"]["lessons"][0]
    first = Client().get(lesson.url + "?quiz=incomplete")
    assert first.status_code == 200 and not first.cookies
    html = first.content.decode()
    assert "Some questions have no answer yet." in html and " checked>" not in html
    assert "Please answer this question." not in html
    # Control: an unknown value shows no summary at all.
    assert 'id="quiz-errors"' not in Client().get(lesson.url + "?quiz=nonsense").content.decode()


def test_get_where_a_post_is_expected_is_refused(client, course):
    lesson = course["en"]["lessons"][0]
    assert client.get(lesson.url + "complete/").status_code == 405
    assert client.get(course["en"]["catalogue"].url + "forget-progress/").status_code == 405


def test_the_quiz_address_opened_directly_leads_back_to_the_lesson(client, course):
    lesson = course["fr"]["lessons"][0]
    response = client.get(lesson.url + "quiz/")
    assert response.status_code == 302
    assert response["Location"] == lesson.url + "#quiz"
    assert client.get(lesson.url + "quiz/", follow=True).status_code == 200


def test_oversized_bodies_are_refused(client, course, settings):
    lesson = course["en"]["lessons"][0]
    response = client.post(lesson.url + "quiz/", {"q-x": "x" * 3_000_000})
    assert response.status_code == 413  # Payload Too Large, with a page saying so
    assert not QuizStatistic.objects.exists()


def test_module_page_has_course_structured_data(client, course):
    html = client.get(course["fr"]["module"].url).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Course"
    assert data["inLanguage"] == "fr"
    assert sorted(data["availableLanguage"]) == ["en", "es", "fr"]
    assert data["timeRequired"] == "PT5H"
    assert data["educationalLevel"] == "Intermediate"
    assert data["teaches"] == ["Explain Industry 4.0 to members"]
    assert len(data["hasPart"]) == 3


def test_lesson_page_has_learning_resource_data_and_navigation(client, course):
    lesson = course["en"]["lessons"][1]
    html = client.get(lesson.url).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "LearningResource"
    assert data["isPartOf"]["name"] == "Smart industry"
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert 'aria-label="Breadcrumb"' in html


def test_module_and_lesson_pages_run_a_bounded_number_of_queries(
    client, course, django_assert_max_num_queries
):
    module = course["en"]["module"]
    urls = [module.url, course["en"]["lessons"][1].url, course["en"]["catalogue"].url]
    client.post(course["en"]["lessons"][0].url + "complete/")

    def cold_counts():
        cache.clear()
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    cold_counts()  # the learner's session and the locale cache settle
    with_three_lessons = cold_counts()
    for n in range(9):
        LessonPageFactory(parent=module, slug=f"extra-{n}", lesson_number=f"1.{n + 4}")
    assert cold_counts() == with_three_lessons  # not one query more per lesson
    assert max(with_three_lessons) <= 20  # every cache cold: site, route, menus, taxonomy
    # Once the shared caches hold the menus, taxonomy and outline, a page is a few queries.
    for url in urls:
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200


def test_lesson_numbers_and_quiz_correctness_are_synchronised_not_translated(course):
    english = course["en"]["lessons"][0]
    french = LessonPage.objects.get(pk=course["fr"]["lessons"][0].pk)
    assert french.lesson_number == english.lesson_number
    english_correct = [[c["correct"] for c in b.value["choices"]] for b in english.quiz]
    french_correct = [[c["correct"] for c in b.value["choices"]] for b in french.quiz]
    assert french_correct == english_correct


def test_video_loads_nothing_from_a_third_party_and_shows_its_transcript(client, course):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    captions = Document(title="Captions")
    captions.file.save(
        "captions.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"), save=True
    )
    video = Document(title="Interview")
    video.file.save("interview.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    lesson = course["en"]["lessons"][0]
    lesson.body = [
        (
            "video",
            {
                "title": "Interview",
                "embed_url": "https://www.youtube-nocookie.com/embed/abc",
                "transcript": "<p>Full words of the external video.</p>",
            },
        ),
        (
            "video",
            {
                "title": "Our own film",
                "video_file": video,
                "captions": captions,
                "transcript": "<p>Full words of our film.</p>",
            },
        ),
    ]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert (
        "<iframe" not in html
    )  # nothing is requested from the video host until the learner chooses
    assert 'href="https://www.youtube-nocookie.com/embed/abc"' in html
    assert "Full words of the external video." in html and "Full words of our film." in html
    assert re.search(r'<track kind="captions" src="/documents/\d+/captions[^"]*\.vtt"', html)


@pytest.mark.parametrize("removed", ["one question", "one choice", "every question"])
def test_the_result_page_survives_an_editor_removing_what_was_answered(client, course, removed):
    """A learner answered; an editor then removed a question (or a choice they picked, or
    the whole quiz) and published: the result URL still answers, and says what happened."""
    lesson = course["en"]["lessons"][0]
    submit(client, lesson, answers(lesson, ALL_RIGHT))
    assert (
        "Your score: 100% (2 of 2 correct)."
        in client.get(lesson.url + "?result=1").content.decode()
    )

    lesson = LessonPage.objects.get(pk=lesson.pk)
    if removed == "one question":
        del lesson.quiz[0]  # block ids of what is left stay as they were
    elif removed == "one choice":
        del lesson.quiz[0].value["choices"][0]  # the right answer the learner picked
    else:
        lesson.quiz = []
    lesson.save_revision().publish()

    response = client.get(lesson.url + "?result=1")
    html = response.content.decode()
    assert response.status_code == 200
    if removed == "one question":
        assert "This quiz was changed after you answered it: your result covers" in html
        assert "Your score: 100% (1 of 1 correct)." in html
    elif removed == "one choice":
        assert "your earlier result cannot be shown. Please answer it again." in html
        assert "Check my answers" in html  # the form is offered again
    else:
        assert 'id="quiz"' not in html and "Your score" not in html
        assert lesson.title in html


def test_a_lesson_with_three_headings_lists_them_in_its_table_of_contents(client, course):
    module = course["en"]["module"]
    headed = LessonPageFactory(
        parent=module,
        title="Headed lesson",
        body=[
            ("heading", {"text": "Why clusters", "level": "h2"}),
            ("rich_text", "<p>Some text.</p>"),
            ("heading", {"text": "How to start", "level": "h2"}),
            ("heading", {"text": "What to measure", "level": "h3"}),
        ],
    )
    html = client.get(headed.url).content.decode()
    toc = html[html.index('class="toc"') :]
    toc = toc[: toc.index("</nav>")]
    assert re.findall(r'<li><a href="#section-[^"]+">([^<]+)</a></li>', toc) == [
        "Why clusters",
        "How to start",
        "What to measure",
    ]
    assert 'href="#quiz"' in toc
    # The control: a lesson with one heading has no table of contents.
    assert 'class="toc"' not in client.get(course["en"]["lessons"][0].url).content.decode()


def test_a_module_page_view_counts_as_a_visit_and_its_pdf_does_not(client, course, settings):
    from search.visits import visit_counts

    settings.PAGE_CACHE_SECONDS = 0
    module = course["en"]["module"]
    key = str(module.translation_key)
    assert visit_counts([key]).get(key, 0) == 0
    assert client.get(module.url).status_code == 200
    assert visit_counts([key])[key] == 1
    client.get(module.url + "certificate/")  # a subroute, whatever it answers
    assert visit_counts([key])[key] == 1
