"""Taxonomy and related pages shown in the visitor's language, with a deliberate fallback.

Pages point at the English (source) theme and sector entries and at source-language
related pages; the visitor sees each in their language when it exists, otherwise the
English one, labelled with its language.
"""

from django.utils import translation

from portal.content_cache import cached_for_content
from portal.models import Sector, TagLabel, Theme
from portal.visibility import localized_public

TAXONOMY_MODELS = {"themes": Theme, "sectors": Sector, "tags": TagLabel}


def localized_taxonomy(name, slugs=None):
    """{slug: name in the active language, falling back to English} for themes, sectors or
    tag labels."""
    language = translation.get_language()

    def build():
        entries = TAXONOMY_MODELS[name].objects.filter(locale__language_code__in={"en", language})
        # English first, so that the active language's names replace it where they exist.
        ordered = sorted(
            entries.select_related("locale"), key=lambda e: e.locale.language_code != "en"
        )
        return {entry.slug: entry.name for entry in ordered}

    names = cached_for_content("taxonomy", (name, language), build)
    if slugs is None:
        return names
    return [(slug, names.get(slug, slug)) for slug in slugs]


def localized_related_pages(pages, request):
    """Each public page in the visitor's language when that translation is public too,
    otherwise as it is, labelled with its language."""
    language = translation.get_language()
    return [
        {
            "title": shown.title,
            "url": shown.get_url(request),
            "language": None
            if shown.locale.language_code == language
            else shown.locale.language_code,
        }
        for shown in localized_public(pages)
    ]
