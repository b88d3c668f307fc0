"""Template tags shared by every page: languages, alternates and the switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site

register = template.Library()


def _site_root_url(request):
    site = Site.find_for_request(request)
    if site is not None:
        return site.root_url
    return request.build_absolute_uri("/").rstrip("/")


@register.simple_tag(takes_context=True)
def page_languages(context, page=None):
    """One entry per portal language for the current page or view.

    ``available`` says whether the page exists (live) in that language; when it does
    not, the links lead to that language's home page instead. ``url`` is for
    navigation, ``full_url`` (absolute, on the site's own host) for hreflang. The
    result is cached on the request so the head and the switcher share one query.
    """
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "_portal_page_languages", None)
    if cached is not None:
        return cached

    current = translation.get_language()
    root_url = _site_root_url(request)
    is_page = isinstance(page, Page) and page.pk is not None
    translations = {}
    if is_page:
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            url = translated.get_url(request)
            if url:
                translations[translated.locale.language_code] = (
                    url,
                    translated.get_full_url(request),
                )

    languages = []
    for code, name in settings.LANGUAGES:
        urls = translations.get(code)
        if urls is None and not is_page:
            # A view that is not a page (search, errors): its own URL in that language.
            path = translate_url(request.path, code)
            if path != request.path or code == current:
                urls = (path, root_url + path)
        home = f"/{code}/"
        languages.append(
            {
                "code": code,
                "name": name,
                "is_current": code == current,
                "available": urls is not None,
                "url": urls[0] if urls else home,
                "full_url": urls[1] if urls else root_url + home,
            }
        )
    request._portal_page_languages = languages
    return languages


@register.simple_tag(takes_context=True)
def canonical_url(context, page=None):
    """The page's own absolute URL (never the English version's)."""
    request = context.get("request")
    if request is None:
        return ""
    if isinstance(page, Page) and page.pk is not None:
        url = page.get_full_url(request)
        if url:
            return url
    return _site_root_url(request) + request.path
