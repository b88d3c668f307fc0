from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from glossary.matcher import linker_for
from portal.templatetags.portal_tags import json_ld

register = template.Library()


class GlossaryLinksNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        request = context.get("request")
        # One set per page view, so that a term is linked once however many blocks there are.
        seen = getattr(request, "_glossary_linked", None)
        if seen is None:
            seen = set()
            if request is not None:
                request._glossary_linked = seen
        return mark_safe(linker_for(translation.get_language()).link(html, seen))  # noqa: S308


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
                    "name": term.title,
                    "description": term.short_definition,
                    "url": term.get_full_url(request),
                }
                for _letter, terms in groups
                for term in terms
            ],
        }
    )


@register.simple_tag(takes_context=True)
def defined_term_json_ld(context, page, index_page):
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": page.title,
        "description": page.short_definition,
        "url": page.get_full_url(request),
        "inLanguage": translation.get_language(),
        "termCode": page.concept_id,
        "alternateName": [name for name in [page.abbreviation, *page.synonym_list] if name],
    }
    if index_page is not None:
        data["inDefinedTermSet"] = {
            "@type": "DefinedTermSet",
            "name": index_page.title,
            "url": index_page.get_full_url(request),
        }
    return json_ld(data)
