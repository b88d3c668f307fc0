"""Where each glossary term is used: recorded when a lesson or case study is published."""

from django.db import transaction
from django.utils import translation
from wagtail.models import Page

from glossary.matcher import linker_for
from portal.visibility import public


def _scanned_html(page):
    """The text a page shows, from the fields it names in ``glossary_scanned_fields``."""
    parts = []
    for name in page.glossary_scanned_fields:
        value = getattr(page, name)
        parts.append(
            value.render_as_block() if hasattr(value, "render_as_block") else str(value or "")
        )
    return "".join(parts)


def _referenced_keys(page):
    """Terms chosen explicitly in glossary-term blocks."""
    keys = set()
    for block in getattr(page, "body", None) or []:
        if block.block_type == "glossary_term" and block.value["term"] is not None:
            keys.add(str(block.value["term"].translation_key))
    return keys


@transaction.atomic
def record_usage(page):
    """Replace the usage rows of ``page`` with the terms it mentions now."""
    from glossary.models import GlossaryTermPage, GlossaryUsage

    GlossaryUsage.objects.filter(page=page).delete()
    if not page.live:
        return
    language = page.locale.language_code
    with translation.override(language):
        keys = linker_for(language).concepts_in(_scanned_html(page)) | _referenced_keys(page)
    term_ids = GlossaryTermPage.objects.filter(
        translation_key__in=keys, locale_id=page.locale_id
    ).values_list("pk", flat=True)
    GlossaryUsage.objects.bulk_create([GlossaryUsage(term_id=pk, page=page) for pk in term_ids])


def pages_using(term, limit=50):
    return list(
        public(Page.objects.filter(pk__in=term.usages.values("page")))
        .order_by("title")
        .only("title", "url_path", "path", "depth")[:limit]
    )
