"""A module as one PDF per language: the handbook a learner reads offline.

Lessons with their text and key takeaways, the glossary terms the lessons use with their
definitions, and every quiz question with its choices but not which are right. The
public lessons and terms only (portal/visibility.py), in a fixed number of queries.

A rendered handbook is kept in the shared cache under the content version: every publish
or unpublish anywhere makes the next request render it afresh, in every process.
"""

from django.utils import translation

from glossary import collation
from portal.content_cache import cached_for_content
from portal.pdf import render_pdf
from portal.visibility import public

# Kept a day (not the hour of other derived data): a module PDF takes seconds to render.
PDF_CACHE_SECONDS = 24 * 3600


def filename(module):
    return f"{module.slug}-{module.locale.language_code}.pdf"


def glossary_terms(lessons):
    """The public terms of the lessons' language used in them, alphabetical."""
    from glossary.models import GlossaryTermPage, GlossaryUsage

    if not lessons:
        return []
    terms = list(
        public(
            GlossaryTermPage.objects.filter(
                pk__in=GlossaryUsage.objects.filter(page__in=[lesson.pk for lesson in lessons])
                .values("term")
                .distinct(),
                locale_id=lessons[0].locale_id,
            )
        ).only("title", "abbreviation", "short_definition", "url_path", "path", "depth")
    )
    language = translation.get_language()
    return sorted(terms, key=lambda term: collation.sort_key(term.title, language))


def quiz_questions(lesson):
    """(question, kind, choice texts) of a lesson's quiz: never which choice is right."""
    return [
        {
            "text": block.value["question"],
            "multiple": block.value["kind"] == "multiple",
            "choices": [choice["text"] for choice in block.value["choices"]],
        }
        for block in lesson.quiz
        if block.block_type == "question"
    ]


def _items(raw_list):
    """A ListBlock's stored items: plain values (older data) or {"type", "value", "id"}."""
    return [item["value"] if isinstance(item, dict) else item for item in raw_list or []]


def _localized_terms(term_ids, locale_id):
    """{chosen term id: the public term of that concept in ``locale_id``, else the chosen
    term itself when public}, in one query (a translated lesson may still choose the
    source language's term)."""
    from django.db.models import Q

    from glossary.models import GlossaryTermPage

    if not term_ids:
        return {}
    chosen = GlossaryTermPage.objects.filter(pk__in=term_ids).values("translation_key")
    candidates = list(
        public(
            GlossaryTermPage.objects.filter(
                Q(pk__in=term_ids) | Q(translation_key__in=chosen, locale_id=locale_id)
            )
        ).only("title", "short_definition", "translation_key", "locale_id")
    )
    in_locale = {term.translation_key: term for term in candidates if term.locale_id == locale_id}
    return {
        term.pk: in_locale.get(term.translation_key, term)
        for term in candidates
        if term.pk in term_ids
    }


def print_blocks(lessons):
    """Each lesson's body as plain dicts for the print template, read from the stored
    JSON; the glossary terms and documents the bodies choose are fetched in one query
    each for all lessons (a StreamField's own values take queries per lesson)."""
    from wagtail.documents import get_document_model

    from portal.visibility import in_public_collection

    chosen = {"glossary_term": set(), "fact_sheet": set()}
    for lesson in lessons:
        for raw in lesson.body.raw_data:
            key = {"glossary_term": "term", "fact_sheet": "document"}.get(raw["type"])
            if key and isinstance(raw["value"].get(key), int):
                chosen[raw["type"]].add(raw["value"][key])
    terms = _localized_terms(chosen["glossary_term"], lessons[0].locale_id) if lessons else {}
    documents = (
        {
            document.pk: document
            for document in in_public_collection(
                get_document_model().objects.filter(pk__in=chosen["fact_sheet"])
            ).only("title", "collection_id")
        }
        if chosen["fact_sheet"]
        else {}
    )
    bodies = {}
    for lesson in lessons:
        blocks = []
        for raw in lesson.body.raw_data:
            value = raw["value"]
            block = {"type": raw["type"], "value": value}
            if raw["type"] == "key_takeaways":
                block["items"] = _items(value.get("items"))
            elif raw["type"] == "glossary_term":
                block["term"] = terms.get(value.get("term"))
            elif raw["type"] == "fact_sheet":
                block["document"] = documents.get(value.get("document"))
            blocks.append(block)
        bodies[lesson.pk] = blocks
    return bodies


def context_for(module, root_url):
    lessons = list(module.lessons())
    bodies = print_blocks(lessons)
    chapters = [
        {
            "lesson": lesson,
            "anchor": f"lesson-{index}",
            "blocks": bodies[lesson.pk],
            "questions": quiz_questions(lesson),
        }
        for index, lesson in enumerate(lessons, start=1)
    ]
    return {
        "pdf_language": module.locale.language_code,
        "pdf_title": module.title,
        "module": module,
        "chapters": chapters,
        "terms": glossary_terms(lessons),
        "has_questions": any(chapter["questions"] for chapter in chapters),
        "module_url": root_url + module.url,
    }


def module_pdf(module, request):
    """The module's PDF bytes, from the shared cache when nothing changed since."""
    _site_id, root_url, _path = module.get_url_parts(request) or (None, "", "")
    language = module.locale.language_code

    def render():
        with translation.override(language):
            return render_pdf(
                "modules/pdf/module.html", context_for(module, root_url), base_url=root_url
            )

    parts = (module.pk, language, root_url)
    return cached_for_content("module-pdf", parts, render, timeout=PDF_CACHE_SECONDS)
