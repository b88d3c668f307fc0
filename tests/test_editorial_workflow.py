"""Moderation: translators submit for review, moderators of that language approve or reject."""

import pytest
from wagtail.models import Page, WorkflowState

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    UserFactory,
    log_in,
    start_translation,
    translate_page,
    translate_segments,
)


@pytest.fixture
def hungarian_translation(home_pages):
    """An English case study whose Hungarian translation a translator has finished."""
    index = CaseStudyIndexPageFactory()
    translate_page(index, "hu", title="Esettanulmányok")
    english = CaseStudyPageFactory(parent=index, title="Digital twins in the Basque Country")
    translation = start_translation(english, "hu")
    translate_segments(translation, text="HU")
    hungarian = Page.objects.get(
        translation_key=english.translation_key, locale=translation.target_locale
    )
    return {"english": english, "hungarian": hungarian, "translation": translation}


def submit_for_review(client, page):
    return client.post(f"/admin/translation-status/review/{page.pk}/")


def workflow_state(page):
    return WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(page.pk)
    ).latest("created_at")


def act(client, page, action):
    state = workflow_state(page)
    url = f"/admin/pages/workflow/action/{page.pk}/{action}/{state.current_task_state.pk}/"
    return client.post(url, {"comment": "Checked against the glossary."})


def test_translation_editor_offers_the_translator_a_review_submission(
    client, hungarian_translation
):
    log_in(client, "Hungarian translators")
    html = client.get(
        f"/admin/pages/{hungarian_translation['hungarian'].pk}/edit/"
    ).content.decode()
    assert "js-translation-editor" in html  # wagtail-localize's editor, not the plain one
    assert "/admin/translation-status/review/" in html


def test_translator_submits_and_the_draft_holds_the_translation(client, hungarian_translation):
    hungarian = hungarian_translation["hungarian"]
    log_in(client, "Hungarian translators")
    response = submit_for_review(client, hungarian)
    assert response.status_code == 302
    hungarian.refresh_from_db()
    assert not hungarian.live
    assert hungarian.workflow_in_progress
    assert workflow_state(hungarian).workflow.name == "Hungarian moderation"
    draft = hungarian.get_latest_revision_as_object()
    assert draft.title.startswith("HU ")

    # A second submission while the first is pending changes nothing.
    submit_for_review(client, hungarian)
    assert WorkflowState.objects.filter(object_id=str(hungarian.pk)).count() == 1


def test_moderators_see_pending_work_on_their_dashboard_only_for_their_language(
    client, hungarian_translation
):
    hungarian = hungarian_translation["hungarian"]
    log_in(client, "Hungarian translators")
    submit_for_review(client, hungarian)

    log_in(client, "Hungarian moderators")
    draft_title = hungarian.get_latest_revision_as_object().title
    assert draft_title in client.get("/admin/").content.decode()

    log_in(client, "French moderators")
    assert draft_title not in client.get("/admin/").content.decode()


def test_moderator_approval_publishes_the_translation(client, hungarian_translation):
    hungarian = hungarian_translation["hungarian"]
    log_in(client, "Hungarian translators")
    submit_for_review(client, hungarian)

    log_in(client, "French moderators")
    act(client, hungarian, "approve")
    hungarian.refresh_from_db()
    assert not hungarian.live, "a French moderator cannot approve Hungarian work"

    log_in(client, "Hungarian moderators")
    assert act(client, hungarian, "approve").status_code == 302
    hungarian.refresh_from_db()
    assert hungarian.live
    assert hungarian.title.startswith("HU ")
    assert workflow_state(hungarian).status == WorkflowState.STATUS_APPROVED


def test_moderator_rejection_sends_the_translation_back(client, hungarian_translation):
    hungarian = hungarian_translation["hungarian"]
    log_in(client, "Hungarian translators")
    submit_for_review(client, hungarian)
    log_in(client, "Hungarian moderators")
    act(client, hungarian, "reject")
    hungarian.refresh_from_db()
    assert not hungarian.live
    assert workflow_state(hungarian).status == WorkflowState.STATUS_NEEDS_CHANGES


def test_review_submission_is_refused_outside_the_translators_language(
    client, hungarian_translation
):
    log_in(client, "French translators")
    response = submit_for_review(client, hungarian_translation["hungarian"])
    assert response.status_code in (302, 403)
    assert not hungarian_translation["hungarian"].workflow_in_progress
    assert (
        client.get(
            f"/admin/translation-status/review/{hungarian_translation['hungarian'].pk}/"
        ).status_code
        == 405
    )
    assert client.post("/admin/translation-status/review/999999/", follow=True).status_code == 404


def test_translators_exchange_po_files_for_their_language_only(client, hungarian_translation):
    translation = hungarian_translation["translation"]
    url = f"/admin/localize/translate/{translation.pk}/pofile/download/"
    log_in(client, "French translators")
    refused = client.get(url)
    assert refused.status_code in (302, 403) and "msgid" not in refused.content.decode()

    log_in(client, "Hungarian translators")
    response = client.get(url)
    assert response.status_code == 200
    assert "Digital twins in the Basque Country" in response.content.decode()


def test_moderators_of_the_language_are_emailed_about_a_submission(client, hungarian_translation):
    from django.core import mail

    UserFactory(username="hu-mod", email="hu-mod@example.org", roles=["Hungarian moderators"])
    UserFactory(username="fr-mod", email="fr-mod@example.org", roles=["French moderators"])
    log_in(client, "Hungarian translators")
    submit_for_review(client, hungarian_translation["hungarian"])
    recipients = {address for message in mail.outbox for address in message.to}
    assert "hu-mod@example.org" in recipients
    assert "fr-mod@example.org" not in recipients
