"""The editors' view of quiz statistics: read-only, filterable, exportable as CSV."""

import csv
import io

import pytest

from tests.test_modules import ALL_RIGHT, HALF_RIGHT, answers, submit

pytestmark = pytest.mark.django_db
URL = "/admin/modules/quizstatistic/"


@pytest.fixture
def statistics(client, course):
    english, french = course["en"]["lessons"][0], course["fr"]["lessons"][0]
    submit(client, english, answers(english, ALL_RIGHT))
    submit(client, english, answers(english, HALF_RIGHT))
    submit(client, french, answers(french, ALL_RIGHT))
    return course


def test_statistics_list_shows_aggregates(admin_client, statistics):
    html = admin_client.get(URL).content.decode()
    assert "Lesson 1" in html
    assert "75%" in html and "50%" in html  # average score and pass rate in English
    assert "Q1: 50% · Q2: 100%" in html


def test_statistics_filter_by_locale_and_module(admin_client, statistics):
    french = statistics["fr"]["lessons"][0]
    html = admin_client.get(URL, {"locale__id__exact": french.locale_id}).content.decode()
    assert french.title in html
    assert "Lesson 1</" not in html.replace(french.title, "")
    module_key = statistics["en"]["module"].translation_key
    assert admin_client.get(URL, {"module": str(module_key)}).status_code == 200


def test_statistics_export_as_csv(admin_client, statistics):
    response = admin_client.get(URL, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 3  # heading + English + French
    assert any("fr" in row for row in rows)


def test_statistics_are_read_only(admin_client, statistics):
    from modules.models import QuizStatistic

    statistic = QuizStatistic.objects.first()
    assert admin_client.get(URL + "create/").status_code in (302, 403)
    assert admin_client.get(f"{URL}edit/{statistic.pk}/").status_code in (302, 403)
    assert admin_client.get(f"{URL}delete/{statistic.pk}/").status_code in (302, 403)
    assert admin_client.get(f"{URL}inspect/{statistic.pk}/").status_code == 200
