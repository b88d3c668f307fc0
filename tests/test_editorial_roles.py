"""Roles per language: each permission boundary, tested through the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import rich_text

from casestudies.models import CaseStudyPage
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    log_in,
    start_translation,
    translate_page,
)

LANGUAGES = {"en": "English", "fr": "French", "es": "Spanish", "hu": "Hungarian"}


@pytest.fixture
def case_studies(home_pages):
    """A case-study section in every language with one English case study translated into
    French and Hungarian (plain copies, as an editor of that language would have made)."""
    english_index = CaseStudyIndexPageFactory()
    indexes = {"en": english_index}
    for code in ("fr", "es", "hu"):
        indexes[code] = translate_page(english_index, code, title=f"Case studies {code}")
    case = CaseStudyPageFactory(parent=english_index, title="Digital twins in Occitanie")
    cases = {"en": case}
    for code in ("fr", "hu"):
        cases[code] = translate_page(case, code, title=f"Digital twins {code}")
    return {"indexes": indexes, "cases": cases}


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def add_url(parent, model=CaseStudyPage):
    return f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"


def assert_permission_denied(response):
    """Wagtail answers a forbidden admin page with a redirect to the dashboard and a
    "permission" message; never the page, never a 500."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response.url.rstrip("/").endswith("/admin")
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("permission" in message.lower() for message in messages), messages


def case_study_form(title, slug, **overrides):
    data = {
        "title": title,
        "slug": slug,
        "cluster_name": "Clúster Vasco de Fabricación",
        "country": "ES",
        "region": "País Vasco",
        "year": "2023",
        "members": "85",
        "summary": "Cómo un clúster vasco ayudó a sus pymes a adoptar gemelos digitales.",
        "challenge": rich_text("<p>Pocas pymes usaban datos de producción.</p>"),
        "approach": rich_text("<p>Un programa piloto con cinco fábricas.</p>"),
        "results": rich_text("<p>Veinte empresas adoptaron gemelos digitales.</p>"),
        "key_figures-count": "0",
        "images-count": "0",
        "documents-count": "0",
        "related_pages-count": "0",
        "lessons_learned": rich_text(""),
        "transferability": rich_text(""),
        "resources_needed": rich_text(""),
        "themes": [],
        "sectors": [],
        "tags": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_every_language_has_its_roles_and_site_administrators_exist(db):
    names = set(Group.objects.values_list("name", flat=True))
    for language in LANGUAGES.values():
        assert {f"{language} editors", f"{language} translators", f"{language} moderators"} <= names
    assert "Site administrators" in names
    # Wagtail's starter groups would edit every language; the migration removed them.
    assert not {"Editors", "Moderators"} & names


def test_roles_hold_permissions_on_their_own_language_tree_only(case_studies):
    for code, language in LANGUAGES.items():
        group = Group.objects.get(name=f"{language} editors")
        roots = Page.objects.filter(group_permissions__group=group).distinct()
        assert [page.locale.language_code for page in roots] == [code]


@pytest.mark.parametrize("role", ["French editors", "French translators", "French moderators"])
def test_french_roles_get_permission_denied_on_a_hungarian_page(client, case_studies, role):
    log_in(client, role)
    hungarian = case_studies["cases"]["hu"]
    assert_permission_denied(client.get(edit_url(hungarian)))
    assert_permission_denied(client.get(add_url(case_studies["indexes"]["hu"])))


def test_french_editor_edits_french_pages_but_not_english_ones(client, case_studies):
    log_in(client, "French editors")
    assert client.get(edit_url(case_studies["cases"]["fr"])).status_code == 200
    assert client.get(add_url(case_studies["indexes"]["fr"])).status_code == 200
    assert_permission_denied(client.get(edit_url(case_studies["cases"]["en"])))


def test_editor_cannot_publish_and_submits_to_moderation_instead(client, case_studies):
    log_in(client, "Spanish editors")
    index = case_studies["indexes"]["es"]
    response = client.post(
        add_url(index),
        case_study_form("Gemelos digitales en Euskadi", "gemelos", **{"action-publish": "1"}),
    )
    assert response.status_code in (200, 302, 403)
    assert not CaseStudyPage.objects.filter(slug="gemelos", live=True).exists()

    response = client.post(
        add_url(index),
        case_study_form("Gemelos digitales en Euskadi", "gemelos-2", **{"action-submit": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CaseStudyPage.objects.get(slug="gemelos-2")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Spanish moderation"


def test_translator_cannot_edit_the_english_source_or_publish(client, case_studies):
    member = log_in(client, "French translators")
    assert_permission_denied(client.get(edit_url(case_studies["cases"]["en"])))
    french = case_studies["cases"]["fr"]
    assert client.get(edit_url(french)).status_code == 200
    assert not french.permissions_for_user(member).can_publish()
    assert not french.permissions_for_user(member).can_add_subpage()


def test_translator_may_translate_only_into_their_own_language(client, case_studies):
    log_in(client, "Hungarian translators")
    english = CaseStudyPageFactory(parent=case_studies["indexes"]["en"], title="New case")
    response = client.get(f"/admin/localize/submit/page/{english.pk}/")
    assert response.status_code == 200
    offered = [
        locale.language_code for locale in response.context["form"].fields["locales"].queryset
    ]
    assert offered == ["hu"]

    # Posting another language anyway is refused by the form; nothing is created.
    french = case_studies["indexes"]["fr"].locale
    response = client.post(f"/admin/localize/submit/page/{english.pk}/", {"locales": [french.pk]})
    assert response.status_code == 200
    assert not Page.objects.filter(translation_key=english.translation_key, locale=french).exists()


def test_editors_and_visitors_without_the_permission_cannot_submit_translations(
    client, case_studies
):
    log_in(client, "French editors")
    english = case_studies["cases"]["en"]
    assert_permission_denied(client.get(f"/admin/localize/submit/page/{english.pk}/"))


def test_translator_cannot_publish_from_the_sync_form(client, case_studies):
    english = CaseStudyPageFactory(parent=case_studies["indexes"]["en"], title="Synced case")
    translation = start_translation(english, "hu")
    log_in(client, "Hungarian translators")
    url = f"/admin/localize/update/{translation.source_id}/"
    form = client.get(url).context["form"]
    assert form.fields["publish_translations"].disabled
    client.post(url, {"publish_translations": "on"})
    hungarian = Page.objects.get(
        translation_key=english.translation_key, locale=translation.target_locale
    )
    assert not hungarian.live


def test_site_administrator_edits_and_publishes_every_language(client, case_studies):
    member = log_in(client, "Site administrators")
    for code in ("en", "fr", "hu"):
        page = case_studies["cases"][code]
        assert client.get(edit_url(page)).status_code == 200
        assert page.permissions_for_user(member).can_publish()
    assert client.get("/admin/users/").status_code == 200


def test_glossary_terms_have_their_own_one_step_review(home_pages):
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(parent=glossary, title="digital twin")
    workflow = term.get_workflow()
    assert workflow.name == "English glossary review"
    assert workflow.tasks.count() == 1
    case_index = CaseStudyIndexPageFactory()
    assert case_index.get_workflow().name == "English moderation"


def test_machine_translator_is_deepl_with_a_key_and_the_dummy_without():
    from portal.editorial.machine_translation import machine_translator

    deepl = machine_translator("abc:fx")
    assert deepl["CLASS"].endswith("DeepLTranslator") and deepl["OPTIONS"]["AUTH_KEY"] == "abc:fx"
    assert machine_translator("")["CLASS"].endswith("DummyTranslator")
    assert machine_translator("", allow_dummy=False) is None


def test_tests_and_development_use_the_dummy_translator(settings):
    from wagtail_localize.machine_translators import get_machine_translator

    assert type(get_machine_translator()).__name__ == "DummyTranslator"


def test_joining_a_language_role_sets_the_admin_language(client, home_pages):
    member = log_in(client, "French editors")
    member.refresh_from_db()
    assert member.wagtail_userprofile.preferred_language == "fr"
    html = client.get("/admin/").content.decode()
    assert '<html lang="fr"' in html
    assert "Tableau de bord" in html

    # A language chosen by the user is never overwritten by joining another role.
    member.groups.add(Group.objects.get(name="Spanish translators"))
    member.wagtail_userprofile.refresh_from_db()
    assert member.wagtail_userprofile.preferred_language == "fr"


def test_page_chooser_opens_on_the_editors_language(client, case_studies):
    log_in(client, "Hungarian editors")
    html = client.get("/admin/choose-page/").json()["html"]
    assert case_studies["indexes"]["hu"].get_parent().title in html
    for code in ("fr", "es"):
        assert case_studies["indexes"][code].get_parent().title not in html
    # The other languages stay one click away.
    assert "locale=fr" in html and "locale=en" in html
