"""Turning exchange-format concepts into glossary pages and back.

Import matches concepts by id, creates or updates the English page, and creates or
updates the other languages as wagtail-localize translations. Everything is checked
before anything is written, and the whole import runs in one transaction.
"""

import html
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from wagtail.models import Locale

from glossary.exchange import Concept, GlossaryFormatError, TermEntry
from glossary.models import GlossaryIndexPage, GlossaryTermPage
from portal.localize import translate_from_twin
from portal.models import Theme

SOURCE_LANGUAGE = "en"
# The page fields holding texts whose length the exchange formats leave open.
STORED_IN = {
    "term": "title",
    "abbreviation": "abbreviation",
    "definition": "short_definition",
    "source": "source",
}


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self):
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def languages():
    return [code for code, _name in settings.LANGUAGES]


def _paragraphs(text):
    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())


def _plain(rich_text):
    """The explanation's paragraphs as plain text separated by blank lines."""
    parts = [strip_tags(part) for part in rich_text.replace("</p>", "</p>\n\n").split("\n\n")]
    return "\n\n".join(html.unescape(part).strip() for part in parts if part.strip())


def build_term(concept: Concept, entry: TermEntry, page=None):
    """A GlossaryTermPage (new or updated in memory) holding ``entry``'s texts."""
    page = page or GlossaryTermPage(slug=slugify(entry.term) or concept.id.lower())
    page.title = entry.term
    page.concept_id = concept.id
    page.abbreviation = entry.abbreviation
    page.synonyms = "\n".join(entry.synonyms)
    page.deprecated_synonyms = "\n".join(entry.deprecated_synonyms)
    page.short_definition = entry.definition
    page.search_description = entry.definition
    page.explanation = _paragraphs(entry.explanation)
    page.example = entry.example
    page.source = entry.source
    page.part_of_speech = entry.part_of_speech
    page.status = entry.status
    return page


def entry_from_page(page) -> TermEntry:
    return TermEntry(
        language=page.locale.language_code,
        term=page.title,
        definition=page.short_definition,
        explanation=_plain(page.explanation),
        example=page.example,
        source=page.source,
        part_of_speech=page.part_of_speech,
        status=page.status,
        synonyms=page.synonym_list,
        deprecated_synonyms=page.deprecated_synonym_list,
        abbreviation=page.abbreviation,
    )


def export_concepts(index=None) -> list[Concept]:
    """Every concept of the glossary, from the English pages and their translations."""
    english = GlossaryTermPage.objects.filter(locale__language_code=SOURCE_LANGUAGE).select_related(
        "theme"
    )
    if index is not None:
        english = english.child_of(index)
    english = list(english.order_by("path"))
    by_key = {}
    for page in GlossaryTermPage.objects.filter(
        translation_key__in=[page.translation_key for page in english]
    ).select_related("locale"):
        by_key.setdefault(page.translation_key, {})[page.locale.language_code] = page
    concept_ids = {page.translation_key: page.concept_id for page in english}
    concepts = []
    for page in english:
        pages = by_key.get(page.translation_key, {})
        concepts.append(
            Concept(
                id=page.concept_id,
                theme=page.theme.slug if page.theme else "",
                related=[
                    concept_ids[block.value.translation_key]
                    for block in page.related_terms
                    if block.value is not None and block.value.translation_key in concept_ids
                ],
                entries={
                    code: entry_from_page(pages[code]) for code in languages() if code in pages
                },
            )
        )
    return concepts


def _validate_against_site(concepts):
    problems = []
    english_themes = set(
        Theme.objects.filter(locale__language_code=SOURCE_LANGUAGE).values_list("slug", flat=True)
    )
    for concept in concepts:
        if SOURCE_LANGUAGE not in concept.entries:
            problems.append(
                f"concept {concept.id}: no English term (English is the source language)"
            )
        if concept.theme and concept.theme not in english_themes:
            problems.append(f"concept {concept.id}: unknown theme '{concept.theme}'")
        problems += _length_problems(concept)
    return problems


def _length_problems(concept):
    """Texts longer than their page field holds (PostgreSQL would refuse them mid-import)."""
    problems = []
    for code, entry in concept.entries.items():
        for attribute, field_name in STORED_IN.items():
            limit = GlossaryTermPage._meta.get_field(field_name).max_length
            if limit and len(getattr(entry, attribute)) > limit:
                problems.append(
                    f"concept {concept.id}: the {attribute} (language '{code}') is longer "
                    f"than {limit} characters"
                )
    return problems


@transaction.atomic
def import_concepts(
    concepts, index: GlossaryIndexPage, publish=False, dry_run=False
) -> ImportReport:
    problems = _validate_against_site(concepts)
    if problems:
        raise GlossaryFormatError(problems)
    current = {concept.id: concept for concept in export_concepts(index)}
    existing = {page.concept_id: page for page in GlossaryTermPage.objects.child_of(index)}
    themes = {
        theme.slug: theme for theme in Theme.objects.filter(locale__language_code=SOURCE_LANGUAGE)
    }
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    report = ImportReport()
    changed_pages = {}

    for concept in concepts:
        if current.get(concept.id) == concept:
            report.unchanged.append(concept.id)
            continue
        page = existing.get(concept.id)
        (report.updated if page else report.created).append(concept.id)
        page = build_term(concept, concept.entries[SOURCE_LANGUAGE], page)
        page.theme = themes.get(concept.theme)
        if page.pk is None:
            if GlossaryTermPage.objects.child_of(index).filter(slug=page.slug).exists():
                page.slug = f"{page.slug}-{concept.id.lower()}"
            page.locale = locales[SOURCE_LANGUAGE]
            page.live = False
            index.add_child(instance=page)
        changed_pages[concept.id] = page

    # Related terms point at other concepts, which now all exist.
    all_pages = {page.concept_id: page for page in GlossaryTermPage.objects.child_of(index)}
    for concept_id, page in changed_pages.items():
        concept = next(c for c in concepts if c.id == concept_id)
        page.related_terms = [
            ("term", all_pages[target]) for target in concept.related if target in all_pages
        ]
        revision = page.save_revision()
        if publish:
            revision.publish()
        for code, entry in concept.entries.items():
            if code == SOURCE_LANGUAGE:
                continue
            twin = build_term(concept, entry)
            twin.related_terms = page.related_terms
            translate_from_twin(page, locales[code], twin, publish=publish)

    if dry_run:
        transaction.set_rollback(True)
    return report
