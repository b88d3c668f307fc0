"""Request handling shared by every URL: language redirects and request size."""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import RequestDataTooBig
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers


def _served_outside_language_prefixes(path_info, urlconf):
    """Whether a URL pattern mounted without a language prefix claims this path.

    Such a section (the API, the admin, documents) answers its own 404s; adding a
    language prefix would only lead to the page tree's catch-all and an HTML 404.
    """
    path = path_info.lstrip("/")
    for pattern in get_resolver(urlconf).url_patterns:
        prefix = getattr(pattern, "pattern", None)
        if prefix is None or isinstance(prefix, LocalePrefixPattern):
            continue
        if prefix.match(path):
            return True
    return False


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, minus the redirect of 404s that are not page URLs."""

    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if (
            response.status_code == 404
            and is_language_prefix_patterns_used(urlconf)[0]
            and not translation.get_language_from_path(request.path_info)
            and _served_outside_language_prefixes(request.path_info, urlconf)
        ):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than the largest accepted upload before anything reads it.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams files of any size
    to disk. Raising RequestDataTooBig here lets the 400 handler answer 413.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty, too
        if length > settings.PORTAL_MAX_REQUEST_BYTES:
            raise RequestDataTooBig(
                f"Request body of {length} bytes exceeds PORTAL_MAX_REQUEST_BYTES."
            )
        return self.get_response(request)
