"""Demo accessibility statement and privacy notice in four languages (wagtail-localize)."""

import datetime
from pathlib import Path

from legal.models import AccessibilityStatementPage, PrivacyNoticePage
from portal.demo import SOURCE_LANGUAGE, load_json, locale, paragraphs, translate_all

CONTENT = Path(__file__).parent / "demo_content"


def build_accessibility(data, language):
    return AccessibilityStatementPage(
        title=data["title"][language],
        slug=data["slug"],
        search_description=data["search_description"][language],
        introduction=paragraphs(data["introduction"][language]),
        conformance_status=AccessibilityStatementPage.PARTIAL,
        conformance_text=paragraphs(data["conformance_text"][language]),
        non_accessible_content=paragraphs(data["non_accessible_content"][language]),
        prepared_on=datetime.date.fromisoformat(data["prepared_on"]),
        preparation=paragraphs(data["preparation"][language]),
        feedback=paragraphs(data["feedback"][language]),
        contact_email=data["contact_email"],
        enforcement=paragraphs(data["enforcement"][language]),
    )


def build_privacy(data, language):
    return PrivacyNoticePage(
        title=data["title"][language],
        slug=data["slug"],
        search_description=data["search_description"][language],
        introduction=paragraphs(data["introduction"][language]),
        sections=[
            (
                "section",
                {
                    "heading": section["heading"][language],
                    "text": paragraphs(section["text"][language]),
                },
            )
            for section in data["sections"]
        ],
        updated_on=datetime.date.fromisoformat(data["updated_on"]),
    )


def load(log):
    from home.models import HomePage

    home = HomePage.objects.get(locale=locale(SOURCE_LANGUAGE), depth=2)
    for model, filename, build in (
        (AccessibilityStatementPage, "accessibility.json", build_accessibility),
        (PrivacyNoticePage, "privacy.json", build_privacy),
    ):
        data = load_json(CONTENT / filename)
        page = model.objects.child_of(home).first()
        if page is None:
            page = build(data, SOURCE_LANGUAGE)
            home.add_child(instance=page)
            page.save_revision().publish()
            log(f"Created the {model._meta.verbose_name}.")
        translate_all(page, build, data, log)
