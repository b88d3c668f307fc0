import hashlib

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from glossary.matcher import linker_for
from oer import lrmi
from portal.content_cache import cached_for_content, site_of
from portal.templatetags.portal_tags import is_preview_request, json_ld

register = template.Library()


class GlossaryLinksNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        # One set per page view, so that a term is linked once however many blocks there are.
        seen = getattr(request, "_glossary_linked", None)
        if seen is None:
            seen = set()
            if request is not None:
                request._glossary_linked = seen

        def link():
            before = set(seen)
            html = self.nodelist.render(context)
            html = linker_for(translation.get_language()).link(html, seen)
            return html, sorted(seen - before)

        parts = self._cache_parts(context, request, seen)
        html, added = link() if parts is None else cached_for_content("glossary-links", parts, link)
        seen.update(added)  # a copy from the cache links what the first render linked
        return mark_safe(html)  # noqa: S308

    def _cache_parts(self, context, request, seen):
        """The linked fragment of a live page, shared between processes until the content
        changes: per page, place in the template, language, host and the concepts linked
        earlier on the page. None (not cached) for previews, which render unsaved content
        under the live page's pk, and outside a page."""
        page = context.get("page")
        if request is None or is_preview_request(request):
            return None
        if getattr(page, "pk", None) is None or not getattr(page, "live", False):
            return None
        origin = getattr(getattr(self, "origin", None), "name", "")
        position = getattr(getattr(self, "token", None), "position", None)
        place = hashlib.sha256(
            f"{origin}:{position}:{','.join(sorted(seen))}".encode()
        ).hexdigest()[:32]
        return (page.pk, translation.get_language(), *site_of(request), place)


@register.tag
def glossary_links(parser, token):
    """Link the first mention of each glossary term in the enclosed rendered HTML."""
    nodelist = parser.parse(("endglossary_links",))
    parser.delete_first_token()
    return GlossaryLinksNode(nodelist)


@register.simple_tag(takes_context=True)
def defined_term_set_json_ld(context, page, groups):
    request = context["request"]
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "DefinedTermSet",
            "name": page.title,
            "url": page.get_full_url(request),
            "inLanguage": translation.get_language(),
            "hasDefinedTerm": [
                {
                    "@type": "DefinedTerm",
                    "name": term["title"],
                    "description": term["short_definition"],
                    "url": term["full_url"],
                }
                for _letter, terms in groups
                for term in terms
            ],
        }
    )


@register.simple_tag(takes_context=True)
def defined_term_json_ld(context, page, index_page, languages=None):
    """A concept, and the page explaining it as a learning resource (LRMI)."""
    request = context["request"]
    language = translation.get_language()
    url = page.get_full_url(request)
    concept = {
        "@type": "DefinedTerm",
        "name": page.title,
        "termCode": page.concept_id,
        "url": url,
    }
    data = {
        "@context": "https://schema.org",
        "@type": ["DefinedTerm", "LearningResource"],
        "name": page.title,
        "description": page.short_definition,
        "url": url,
        "termCode": page.concept_id,
        "alternateName": [name for name in [page.abbreviation, *page.synonym_list] if name],
        "learningResourceType": "Glossary term",
        "timeRequired": lrmi.duration(
            lrmi.reading_minutes(page.short_definition, page.explanation, page.example)
        ),
        "teaches": [concept],
        **lrmi.common(language, languages),
    }
    if index_page is not None:
        data["inDefinedTermSet"] = {
            "@type": "DefinedTermSet",
            "name": index_page.title,
            "url": index_page.get_full_url(request),
        }
    return json_ld(data)
