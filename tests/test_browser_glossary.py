"""A learner reads a glossary definition inside a Spanish lesson, with the keyboard."""

import pytest
from playwright.sync_api import expect

from tests.factories import GlossaryIndexPageFactory, GlossaryTermPageFactory, translate_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spanish_lesson(live_server, course):
    index = GlossaryIndexPageFactory()
    translate_page(index, "es", title="Glosario")
    term = GlossaryTermPageFactory(parent=index, title="digital twin", slug="digital-twin")
    translate_page(
        term,
        "es",
        title="gemelo digital",
        short_definition="Réplica virtual de una máquina o proceso que se actualiza con datos reales.",
    )
    lesson = course["es"]["lessons"][0]
    lesson.body = [
        ("rich_text", "<p>Un gemelo digital ayuda a las pymes del clúster a probar cambios.</p>")
    ]
    lesson.save_revision().publish()
    return live_server, lesson


def test_focus_on_a_linked_term_reveals_its_definition(spanish_lesson, page):
    server, lesson = spanish_lesson
    page.goto(server.url + lesson.url)
    link = page.locator(".lesson__body a.glossary-link")
    expect(link).to_have_text("gemelo digital")
    tip = page.locator("#" + link.get_attribute("aria-describedby"))
    expect(tip).not_to_be_in_viewport()

    link.focus()
    expect(link).to_be_focused()
    expect(tip).to_be_visible()
    expect(tip).to_be_in_viewport()
    expect(tip).to_have_text(
        "Réplica virtual de una máquina o proceso que se actualiza con datos reales."
    )
    expect(link).to_have_accessible_description(
        "Réplica virtual de una máquina o proceso que se actualiza con datos reales."
    )

    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("gemelo digital")
