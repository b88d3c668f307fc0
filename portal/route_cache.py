"""Page URLs routed from the shared cache: one query for the page once its route is known."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.views import serve as wagtail_serve

from portal.signals import content_version

ROUTE_KEY = "portal:route:{version}:{host}:{port}:{language}:{digest}"
SITE_KEY = "portal:site:{version}:{host}:{port}"
ROUTE_CACHE_SECONDS = 24 * 3600


def _no_view_restrictions():
    return PageViewRestriction.objects.none()


class RouteCacheMiddleware:
    """Where a page URL leads, remembered in the shared cache for the content version.

    Wagtail finds the site (one query), the root page in the visitor's language (three)
    and the page itself (two), and then checks the restrictions of the page and its
    ancestors (two) on every request. The first request for a URL records the page, how
    much of the path it takes and whether anything restricts it; later requests fetch that
    page in one query and hand the rest of the path to its own ``route``, as Wagtail
    would. Every publish, unpublish, move, deletion, restriction or site change starts a
    new content version (portal/signals.py), so a remembered route is never stale. Only
    routes that found a page are remembered: unknown URLs cannot fill the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve and not hasattr(request, "_wagtail_route_for_request"):
            path = view_args[0] if view_args else view_kwargs.get("path", "")
            _route_from_cache(request, path or "")


def _route_from_cache(request, path):
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    version = content_version()
    site_key = SITE_KEY.format(version=version, host=hostname, port=port)
    route_key = ROUTE_KEY.format(
        version=version,
        host=hostname,
        port=port,
        language=translation.get_language(),
        digest=hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest(),
    )
    found = cache.get_many([site_key, route_key])
    site = found.get(site_key)
    if site is None:
        site = Site.find_for_request(request)
        if site is None:
            return
        cache.set(site_key, site, ROUTE_CACHE_SECONDS)
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = site
    components = [component for component in path.split("/") if component]
    route = found.get(route_key)
    if route is not None:
        _follow(request, route, components)
    else:
        _remember(request, path, site, components, route_key)


def _follow(request, route, components):
    page_id, content_type_id, consumed, unrestricted = route
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = next(iter(model._default_manager.filter(pk=page_id)), None) if model else None
    if page is None:
        return  # Wagtail routes the request itself
    if unrestricted:
        # Wagtail's restriction check asks the page; nothing restricts it or its ancestors.
        page.get_view_restrictions = _no_view_restrictions
    try:
        request._wagtail_route_for_request = page.route(request, components[consumed:])
    except Http404:
        request._wagtail_route_for_request = None


def _remember(request, path, site, components, route_key):
    result = Page.route_for_request(request, path)
    if result is None:
        return
    page = result[0]
    # The root in the visitor's language is a translation of the site's root, as deep.
    consumed = page.depth - site.root_page.depth
    taken = "".join(component + "/" for component in components[:consumed])
    if consumed < 0 or not page.url_path.endswith("/" + taken):
        return  # the route led elsewhere than down the path: let Wagtail do it each time
    # Wagtail's restriction check comes next and asks the page again: it gets these.
    restrictions = page.get_view_restrictions()
    unrestricted = not restrictions
    page.get_view_restrictions = lambda: restrictions
    cache.set(
        route_key,
        (page.pk, page.content_type_id, consumed, unrestricted),
        ROUTE_CACHE_SECONDS,
    )
