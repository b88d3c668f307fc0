"""Error responses: localised HTML for people, JSON for the API, and never a second error.

Django calls these handlers while it is already failing, so they must not fail in turn:
they read neither the request body nor the host name, and (apart from 404, whose page
shows the site's navigation) render a standalone template without database queries.
Unlike Django's default handlers they are not wrapped in ``requires_csrf_token``: its
CSRF check reads the body, which may be the very thing that could not be read.
"""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.template.response import TemplateResponse

API_PREFIX = "/api/"
logger = logging.getLogger(__name__)


def is_api_request(request):
    return request.path_info.startswith(API_PREFIX)


def forget_unreadable_body(request):
    """Make ``request.POST`` empty when reading the body is what failed.

    Django does this itself for oversized bodies but not for a form body in a charset
    other than UTF-8: every later read of ``request.POST`` (Django's own error views
    check the CSRF token, which reads it) would raise the same error again.
    """
    if not hasattr(request, "_post"):
        request._mark_post_parse_error()


def _json(status, message):
    # In English, like the messages of Wagtail's API itself: they are for programmers.
    return JsonResponse({"message": message}, status=status)


def _render(request, template, status, context=None):
    response = TemplateResponse(request, template, context or {}, status=status)
    return response.render()


def bad_request(request, exception):
    forget_unreadable_body(request)
    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    if is_api_request(request):
        return _json(status, "request too large" if too_large else "bad request")
    return _render(request, "400.html", status, {"too_large": too_large})


def permission_denied(request, exception):
    if is_api_request(request):
        return _json(403, "access denied")
    return _render(request, "403.html", 403)


def csrf_failure(request, reason=""):
    forget_unreadable_body(request)
    logger.info("CSRF check failed: %s", reason)
    return _render(request, "403.html", 403, {"csrf_failure": True})


def page_not_found(request, exception):
    if is_api_request(request):
        return _json(404, "not found")
    try:
        request.GET  # noqa: B018 - the 404 page reads it (more than 1,000 fields: refused)
    except SuspiciousOperation as error:
        return bad_request(request, error)
    return _render(request, "404.html", 404)


def server_error(request):
    forget_unreadable_body(request)
    if is_api_request(request):
        return _json(500, "server error")
    return _render(request, "500.html", 500)
