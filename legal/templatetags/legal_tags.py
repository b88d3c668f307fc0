"""The footer's links to the accessibility statement and privacy notice of the visitor's
language: the same for every visitor, shared between processes until the content changes."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from wagtail.models import Page

from legal.models import AccessibilityStatementPage, PrivacyNoticePage
from portal.content_cache import cached_for_content, site_of
from portal.visibility import public

register = template.Library()


@register.simple_tag(takes_context=True)
def legal_links(context):
    """{"accessibility": url, "privacy": url} of the pages that are public in the active
    language (a missing one is left out, never replaced by another language's)."""
    request = context.get("request")
    if request is None:
        return {}
    language = translation.get_language()

    def build():
        types = ContentType.objects.get_for_models(AccessibilityStatementPage, PrivacyNoticePage)
        names = {
            types[AccessibilityStatementPage].pk: "accessibility",
            types[PrivacyNoticePage].pk: "privacy",
        }
        pages = (
            public(Page.objects.filter(content_type__in=names, locale__language_code=language))
            .order_by("path")
            .only("url_path", "path", "depth", "locale", "content_type")
        )
        links = {}
        for page in pages:
            links.setdefault(names[page.content_type_id], page.get_url(request))
        return links

    return cached_for_content("legal-links", (language, *site_of(request)), build)
