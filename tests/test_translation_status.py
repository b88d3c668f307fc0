"""The translation status board: one state per source page and language, with its action."""

import re
import time

import pytest
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    UserFactory,
    log_in,
    start_translation,
    translate_page,
    translate_segments,
)

BOARD = "/admin/translation-status/"


@pytest.fixture
def section(home_pages):
    index = CaseStudyIndexPageFactory()
    for code in ("fr", "es", "hu"):
        translate_page(index, code, title=f"Case studies {code}")
    return index


def rows(html):
    """{source page title: {language code: (state, action label or None)}}"""
    board = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        title = re.search(r'<th scope="row" class="title">\s*(?:<a [^>]*>)?([^<]+)', row)
        if not title:
            continue
        cells = {}
        for code, state, body in re.findall(
            r'<td data-language="(\w+)" data-state="([\w-]+)">(.*?)</td>', row, re.S
        ):
            action = re.search(r'data-action="(\w+)"', body)
            percent = re.search(r"\((\d+)%\)", body)
            cells[code] = (
                state,
                action.group(1) if action else None,
                int(percent.group(1)) if percent else None,
            )
        board[title.group(1).strip()] = cells
    return board


def board(client, **filters):
    response = client.get(BOARD, filters)
    assert response.status_code == 200
    return rows(response.content.decode())


def test_each_state_from_not_translated_to_out_of_date(client, section):
    case = CaseStudyPageFactory(parent=section, title="Predictive maintenance in Styria")
    log_in(client, "Hungarian translators")
    states = board(client)["Predictive maintenance in Styria"]
    assert states["en"][0] == "source"
    assert {code: states[code][0] for code in ("fr", "es", "hu")} == dict.fromkeys(
        ("fr", "es", "hu"), "not-translated"
    )
    # A Hungarian translator is offered work in Hungarian only.
    assert states["hu"][1] == "translate" and states["fr"][1] is None

    translation = start_translation(case, "hu")
    total = translation.source.stringsegment_set.count()
    translate_segments(translation, count=2)
    state, action, percent = board(client)["Predictive maintenance in Styria"]["hu"]
    assert state == "in-progress" and action == "edit"
    assert percent == 2 * 100 // total

    translate_segments(translation)
    assert board(client)["Predictive maintenance in Styria"]["hu"][0] == "translated"

    time.sleep(0.01)  # the source's new revision must be later than the last sync
    case.summary = "A new summary written after the translation was made."
    revision = case.save_revision()
    # A draft of the source changes nothing a sync could bring over (it syncs the live page).
    assert board(client)["Predictive maintenance in Styria"]["hu"][0] == "translated"
    revision.publish()
    state, action, _percent = board(client)["Predictive maintenance in Styria"]["hu"]
    assert (state, action) == ("out-of-date", "sync")

    # Syncing brings the new text into the translation: no longer out of date, but the
    # changed summary is now waiting for a translator.
    client.post(f"/admin/localize/update/{translation.source_id}/", {})
    assert board(client)["Predictive maintenance in Styria"]["hu"][0] == "in-progress"


def test_a_translation_made_by_hand_goes_out_of_date_when_the_source_changes(client, section):
    case = CaseStudyPageFactory(parent=section, title="Export club in Navarre")
    translate_page(case, "es", title="Club de exportación en Navarra")
    log_in(client, "Spanish editors")
    assert board(client)["Export club in Navarre"]["es"][0] == "translated"
    time.sleep(0.01)
    case.save_revision().publish()
    assert board(client)["Export club in Navarre"]["es"][0] == "out-of-date"


def test_filters_by_section_and_language(client, section):
    CaseStudyPageFactory(parent=section, title="Cluster of mechatronics")
    glossary = GlossaryIndexPageFactory()
    GlossaryTermPageFactory(parent=glossary, title="digital twin")
    log_in(client, "French editors")

    everything = board(client)
    assert {"Cluster of mechatronics", "digital twin"} <= set(everything)
    glossary_only = board(client, section="glossary")
    assert "digital twin" in glossary_only and "Cluster of mechatronics" not in glossary_only
    french_column = board(client, language="fr")["Cluster of mechatronics"]
    assert list(french_column) == ["fr"]
    # Unknown filter values are ignored, not a server error.
    assert client.get(BOARD, {"section": "nonsense", "language": "xx", "p": "abc"}).status_code in (
        200,
        404,
    )


def test_translated_pages_are_not_listed_as_sources(client, section):
    case = CaseStudyPageFactory(parent=section, title="Smart textiles in Catalonia")
    translation = start_translation(case, "fr")
    translate_segments(translation, text="FR")
    log_in(client, "French translators")
    titles = set(board(client))
    assert "Smart textiles in Catalonia" in titles
    assert not any(title.startswith("FR ") for title in titles)


def test_only_people_with_page_permissions_see_the_board(client, home_pages):
    outsider = UserFactory()
    outsider.user_permissions.add(
        __import__("django.contrib.auth.models", fromlist=["Permission"]).Permission.objects.get(
            codename="access_admin"
        )
    )
    client.force_login(outsider)
    response = client.get(BOARD)
    assert response.status_code in (302, 403)
    assert "/admin/translation-status/" not in client.get("/admin/").content.decode()
    log_in(client, "Hungarian translators")
    assert "/admin/translation-status/" in client.get("/admin/").content.decode()  # in the menu


@pytest.mark.parametrize("cases", [2, 25])
def test_the_board_runs_a_bounded_number_of_queries(
    client, section, django_assert_max_num_queries, cases
):
    for number in range(cases):
        case = CaseStudyPageFactory(parent=section, title=f"Case {number}")
        translate_segments(start_translation(case, "fr"), count=1)
    log_in(client, "French translators")
    client.get(BOARD)  # warm the permission caches
    from django.db import connection

    with django_assert_max_num_queries(30), CaptureQueriesContext(connection):
        response = client.get(BOARD)
    assert len(rows(response.content.decode())) >= cases


def test_the_board_exports_every_source_page_as_a_spreadsheet(client, section):
    for number in range(60):  # more than one page of the board
        CaseStudyPageFactory(parent=section, title=f"Exported case {number}")
    translation = start_translation(section.get_children().first().specific, "fr")
    translate_segments(translation, count=1)
    log_in(client, "French translators")
    response = client.get(BOARD, {"section": "casestudies", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].split(",")[-4:] == ["English", "Français", "Español", "Magyar"]
    assert len(lines) == 1 + 60 + 1  # the heading, the cases and the section's index page
    # In the translator's admin language: French.
    english, french, spanish, hungarian = next(
        line for line in lines if line.startswith("Exported case 0,")
    ).split(",")[-4:]
    assert english == "Source"
    assert french.startswith("En cours (")
    assert spanish == hungarian == "Non traduite"
