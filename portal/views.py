from collections import defaultdict

from django.http import HttpResponse
from django.template.loader import render_to_string
from wagtail.models import Page, Site

from portal.content_cache import cached_for_content
from portal.visibility import public


def _sitemap_entries(request):
    """Every public page of the site in every locale, with its translations."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    roots = Page.objects.filter(
        translation_key=site.root_page.translation_key, depth=site.root_page.depth
    )
    pages = Page.objects.none()
    for root in roots:
        pages |= Page.objects.descendant_of(root, inclusive=True)
    pages = public(pages).select_related("locale").order_by("path")

    by_key = defaultdict(list)
    entries = []
    for page in pages.only(
        "id", "url_path", "path", "depth", "translation_key", "locale", "last_published_at"
    ):
        url = page.get_full_url(request)
        if not url:
            continue
        entry = {
            "url": url,
            "lastmod": page.last_published_at,
            "language": page.locale.language_code,
            "alternates": by_key[page.translation_key],
        }
        by_key[page.translation_key].append(entry)
        entries.append(entry)
    return entries


def sitemap(request):
    content = cached_for_content(
        "sitemap",
        (request.get_host(),),
        lambda: render_to_string("sitemap.xml", {"entries": _sitemap_entries(request)}),
    )
    return HttpResponse(content, content_type="application/xml; charset=utf-8")


def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        "Disallow: /api/",
        "",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
