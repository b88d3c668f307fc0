"""Taxonomy and related pages shown in the visitor's language, with a deliberate fallback.

Pages point at the English (source) theme and sector entries and at source-language
related pages; the visitor sees each in their language when it exists, otherwise the
English one, labelled with its language.
"""

from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page

from portal.models import Sector, Theme
from portal.routing import visible_children

TAXONOMY_CACHE_KEY = "portal:taxonomy:{name}:{language}"
TAXONOMY_MODELS = {"themes": Theme, "sectors": Sector}


def localized_taxonomy(name, slugs=None):
    """{slug: name in the active language, falling back to English} for themes or sectors."""
    language = translation.get_language()
    key = TAXONOMY_CACHE_KEY.format(name=name, language=language)
    names = cache.get(key)
    if names is None:
        model = TAXONOMY_MODELS[name]
        entries = model.objects.filter(locale__language_code__in={"en", language})
        # English first, so that the active language's names replace it where they exist.
        ordered = sorted(
            entries.select_related("locale"), key=lambda e: e.locale.language_code != "en"
        )
        names = {entry.slug: entry.name for entry in ordered}
        cache.set(key, names, 60 * 60)
    if slugs is None:
        return names
    return [(slug, names.get(slug, slug)) for slug in slugs]


def localized_related_pages(pages, request):
    """Each page in the visitor's language when it is translated and live, else as it is."""
    pages = [page for page in pages if page.live]
    if not pages:
        return []
    language = translation.get_language()
    translated = {
        page.translation_key: page
        for page in visible_children(
            Page.objects.filter(
                translation_key__in=[page.translation_key for page in pages],
                locale__language_code=language,
            )
        )
    }
    result = []
    for page in pages:
        shown = translated.get(page.translation_key)
        result.append(
            {
                "title": (shown or page).title,
                "url": (shown or page).get_url(request),
                "language": None if shown else page.locale.language_code,
            }
        )
    return result
