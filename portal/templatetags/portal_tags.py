"""Template tags shared by every page: languages, navigation, structured data."""

import hashlib
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from portal.content_cache import cached_for_content, site_of
from portal.visibility import is_public as page_is_public
from portal.visibility import localized_public, public

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
    translations = _public_translation_urls(page, request) if is_page else {}

    # A page address that found no page (a 404) has no translations to offer either.
    translatable_view = not is_page and getattr(request.resolver_match, "url_name", "") != (
        "wagtail_serve"
    )
    languages = []
    for code, name in settings.LANGUAGES:
        urls = translations.get(code)
        if urls is None and translatable_view:
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


def _public_translation_urls(page, request):
    """{language code: (url, absolute url)} of the page's public translations, itself
    included; shared between processes until the content changes."""

    def build():
        translations = {}
        for translated in public(page.get_translations(inclusive=True)).select_related("locale"):
            url = translated.get_url(request)
            if url:
                translations[translated.locale.language_code] = (
                    url,
                    translated.get_full_url(request),
                )
        return translations

    return cached_for_content("languages", (page.pk, *site_of(request)), build)


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


@register.simple_tag
def json_ld(data):
    """A schema.org block; the JSON is escaped so it cannot close the script element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/primary_navigation.html", takes_context=True)
def primary_navigation(context):
    """The sections under the current language's home page that are shown in menus."""
    request = context.get("request")
    page = context.get("page")
    code = translation.get_language()
    items = []
    if request is not None:
        home = next(
            (root for root in Site.get_site_root_paths() if root.language_code == code),
            None,
        )
        if home is not None:
            current_path = getattr(page, "path", "")
            items = [
                (section, section["url"], current_path.startswith(section["path"]))
                for section in _menu_sections(home, request)
            ]
    return {"items": items, "LANGUAGE_CODE": code, "page": page}


def _menu_sections(home, request):
    """The menu's sections of one language tree (title, path, url), shared between
    processes until the content changes."""

    def build():
        pages = (
            public(Page.objects.filter(depth=3, url_path__startswith=home.root_path))
            .filter(show_in_menus=True)
            .order_by("path")
            .only("title", "url_path", "path", "depth")
        )
        return [
            {"title": page.title, "path": page.path, "url": page.get_url(request)} for page in pages
        ]

    return cached_for_content("menu", (home.root_path, *site_of(request)), build)


@register.inclusion_tag("includes/breadcrumb.html", takes_context=True)
def breadcrumb(context, page):
    request = context.get("request")
    return {"crumbs": _crumbs(page, request), "current": page.title}


def _crumbs(page, request):
    """(title, url) of the page's ancestors below the root, shared between processes until
    the content changes; not cached in previews or for a page not saved yet."""

    def build():
        ancestors = (
            Page.objects.ancestor_of(page)
            .filter(depth__gt=1)
            .only("title", "url_path", "path", "depth")
        )
        return [
            (_("Home") if ancestor.depth == 2 else ancestor.title, ancestor.get_url(request))
            for ancestor in ancestors
        ]

    if request is None or page.pk is None or is_preview_request(request):
        return build()
    parts = (page.pk, translation.get_language(), *site_of(request))
    return cached_for_content("crumbs", parts, build)


def is_preview_request(request):
    """Whether the request renders a preview. ``is_preview`` alone does not tell: a
    routable page's preview goes through ``Page.serve``, which sets it back to False; the
    preview's dummy request keeps ``is_dummy`` and ``preview_mode``."""
    return bool(
        getattr(request, "is_preview", False)
        or getattr(request, "is_dummy", False)
        or getattr(request, "preview_mode", None) is not None
    )


@register.filter
def heading_anchor(text):
    """A stable id for a heading, shared by the heading and the table of contents."""
    return "section-" + (slugify(text, allow_unicode=True) or "untitled")


@register.filter
def language_name_local(code):
    """A language's name in that language ("Magyar"), as the switcher shows it."""
    return dict(settings.LANGUAGES).get(code, code)


@register.filter
def theme_name(theme):
    """A theme's name in the visitor's language (English where it has no translation)."""
    from portal.taxonomy import localized_taxonomy

    if not theme:
        return ""
    return localized_taxonomy("themes").get(theme.slug, theme.name)


@register.filter
def get_from(mapping, key):
    return (mapping or {}).get(key, key)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


@register.simple_tag
def public_in_language(pages):
    """Chosen pages as the visitor should see them (see ``localized_public``): a list for
    a list, one page or None for one page."""
    if pages is None or isinstance(pages, Page):
        shown = localized_public([pages])
        return shown[0] if shown else None
    return localized_public(list(pages))


@register.simple_tag
def with_cover_images(pages):
    """(page, cover image or None) for each of ``pages``: training modules and case studies
    have one. Four queries at most, whatever the number of pages."""
    from casestudies.models import CaseStudyPage
    from modules.models import ModulePage

    ids = [page.pk for page in pages]
    covers = {}
    for model in (ModulePage, CaseStudyPage):
        for page in (
            model.objects.filter(pk__in=ids, cover_image__isnull=False)
            .select_related("cover_image")
            .prefetch_related("cover_image__renditions")
            .only("pk", "cover_image")
        ):
            covers[page.pk] = page.cover_image
    return [(page, covers.get(page.pk)) for page in pages]


@register.filter
def is_public(page):
    return page is not None and page_is_public(page)


@register.tag("public_fragment")
def do_public_fragment(parser, token):
    """``{% public_fragment page "name" [key ...] %}...{% endpublic_fragment %}``: what
    the block renders of the page's published content, shared between processes until the
    content changes; ``key`` values tell apart what else the block depends on (a listing's
    filters). Only for markup that is the same for every visitor (no progress, no forms
    with tokens); previews and pages not saved yet always render afresh. A query set the
    block alone uses is not run at all when the markup is in the cache."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a page and a fragment name")
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        bits[2].strip("\"'"),
        [parser.compile_filter(bit) for bit in bits[3:]],
    )


class PublicFragmentNode(template.Node):
    def __init__(self, nodelist, page, name, keys=()):
        self.nodelist, self.page, self.name, self.keys = nodelist, page, name, keys

    def render(self, context):
        page = self.page.resolve(context)
        request = context.get("request")
        if request is None or getattr(page, "pk", None) is None or is_preview_request(request):
            return self.nodelist.render(context)
        parts = (self.name, page.pk, translation.get_language(), *site_of(request))
        if self.keys:  # any length, any characters: a digest keeps the cache key short
            keys = "\n".join(str(key.resolve(context)) for key in self.keys)
            parts += (hashlib.sha256(keys.encode("utf-8", "surrogateescape")).hexdigest(),)
        html = cached_for_content("fragment", parts, lambda: self.nodelist.render(context))
        return mark_safe(html)  # noqa: S308 - the block's own rendered output
