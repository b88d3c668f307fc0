"""LRMI (schema.org's learning-resource vocabulary) shared by the pages' JSON-LD.

The page templates' structured-data tags (``modules_tags``, ``casestudies_tags``,
``glossary_tags``) build their objects and add these pieces: the audience, the licence,
ISO 8601 durations, translations of the work (public ones only, from the languages the
page already lists for hreflang) and the glossary concepts a page teaches.
"""

import math

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from portal.content_cache import cached_for_content, site_of
from portal.visibility import public

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
PROVIDER = {"@type": "Organization", "name": "Cluster4Smart"}
WORDS_PER_MINUTE = 200


def audience():
    return {
        "@type": "EducationalAudience",
        "educationalRole": "cluster manager",
        "audienceType": _("Cluster managers"),
    }


def duration(minutes):
    """ISO 8601 duration of a whole number of minutes: PT45M, PT5H, PT1H30M."""
    minutes = max(1, round(minutes))
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def reading_minutes(*texts):
    words = sum(len(strip_tags(str(text or "")).split()) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def common(page_language, languages):
    """What every learning resource of the portal says: free, open, for cluster managers,
    in its language, with its public translations."""
    data = {
        "inLanguage": page_language,
        "isAccessibleForFree": True,
        "license": LICENSE_URL,
        "audience": audience(),
        "provider": PROVIDER,
    }
    data.update(translations(page_language, languages))
    return data


def translations(page_language, languages):
    """workTranslation (on the English source) or translationOfWork (on a translation),
    from ``page_languages``: only languages in which the page is public."""
    others = [
        language
        for language in languages or []
        if language["available"] and language["code"] != page_language
    ]
    if page_language == "en":
        works = [
            {"@type": "CreativeWork", "url": language["full_url"], "inLanguage": language["code"]}
            for language in others
        ]
        return {"workTranslation": works} if works else {}
    source = next((language for language in others if language["code"] == "en"), None)
    if source is None:
        return {}
    return {
        "translationOfWork": {
            "@type": "CreativeWork",
            "url": source["full_url"],
            "inLanguage": "en",
        }
    }


def defined_terms(pages, request):
    """The public glossary concepts that ``pages`` mention (recorded when they were
    published), as DefinedTerms in their language; cached until the content changes."""
    from glossary.models import GlossaryTermPage, GlossaryUsage

    ids = sorted(page.pk for page in pages if page.pk is not None)
    if not ids:
        return []

    def build():
        used = GlossaryUsage.objects.filter(page_id__in=ids).values("term_id")
        queryset = (
            public(GlossaryTermPage.objects.filter(pk__in=used))
            .select_related("locale")
            .only("title", "url_path", "path", "depth", "locale", "concept_id")
            .order_by("title")
        )
        return [
            {
                "@type": "DefinedTerm",
                "name": term.title,
                "termCode": term.concept_id,
                "url": term.get_full_url(request),
            }
            for term in queryset
        ]

    parts = (*site_of(request), ",".join(map(str, ids)))
    return cached_for_content("lrmi-terms", parts, build)
