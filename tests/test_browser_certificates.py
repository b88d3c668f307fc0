"""A certificate in a real browser: quizzes passed in French, claimed in Hungarian with
the form (no JavaScript needed; the browser's Origin passes the learner-form check),
downloaded, then revoked with the code the page gives."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from tests.factories import translate_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Kővári-Szűts Zoltán"


def test_pass_in_french_claim_in_hungarian_download_and_revoke(live_server, course, page):
    translate_page(course["en"]["catalogue"], "hu", title="Képzések")
    translate_page(course["en"]["module"], "hu", title="Okos ipar – első lépések")
    for lesson in course["en"]["lessons"]:
        translate_page(lesson, "hu", title=f"{lesson.title} hu")

    for lesson in course["fr"]["lessons"]:
        page.goto(live_server.url + lesson.url)
        page.get_by_label("The cluster organisation").check()
        page.get_by_label("Digital twins").check()
        page.get_by_label("Internet of Things").check()
        page.get_by_role("button", name="Vérifier mes réponses").click()
        expect(page.get_by_text("Vous avez réussi ce quiz.")).to_be_visible()

    page.goto(f"{live_server.url}/hu/modules/smart-industry/")
    page.get_by_label("Az Ön neve, ahogyan a tanúsítványon szerepeljen").fill(NAME)
    page.get_by_role("button", name="Kérem a tanúsítványomat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tanúsítvány ellenőrzése")
    expect(page.locator(".certificate-name")).to_have_text(NAME)
    expect(page.get_by_text("Okos ipar – első lépések")).to_be_visible()

    href = page.get_by_role("link", name="Tanúsítvány (PDF)").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert NAME in text and "Okos ipar – első lépések" in text

    page.get_by_role("button", name="Tanúsítvány visszavonása").click()
    expect(page.get_by_text("visszavonta")).to_be_visible()
    expect(page.get_by_text(NAME)).to_have_count(0)
