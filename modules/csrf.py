"""CSRF protection for the learner's forms without a token in the page.

The quiz, "Mark this lesson as completed" and "Forget my progress" forms carry no CSRF
token: a token in the page would set a ``csrftoken`` cookie and ``Vary: Cookie`` on every
lesson, and no cache could then share the page between visitors. Their POSTs write only
the visitor's own session progress (and anonymous quiz counts).

Instead they get the check Django itself makes first: the request must come from this
site, as the browser says in the ``Origin`` header, or, when a browser sends no Origin,
in the ``Referer`` header (the portal sends ``Referrer-Policy: same-origin``, so the
browser keeps it for our own pages). A POST that names another origin, or neither header,
is refused with the CSRF failure page. Every current browser sends ``Origin`` with a
form POST, so the forms work with and without JavaScript.

Were a forged request to get through all the same, all it could do is mark a lesson
done or add a quiz attempt to the victim's own anonymous progress: these endpoints log
nobody in and reach no account and no one else's data.

Every other POST keeps Django's full token check.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_callable

# The routes that accept a POST from the learner: modules.models (quiz, completion,
# forgetting progress, the certificate claim: a module's certificate/), the certificates'
# revocation (certificates/<code>/revoke/), the self-assessment's (assessment.models) and
# My learning's (learning.urls).
LEARNER_ROUTES = (
    "quiz",
    "complete",
    "forget-progress",
    "certificate",
    "revoke",
    "assess",
    "forget-result",
    "my-learning/code",
    "my-learning/code/delete",
    "my-learning/restore",
    "my-learning/forget",
)


def _learner_route_pattern():
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    routes = "|".join(re.escape(route) for route in LEARNER_ROUTES)
    return re.compile(rf"^/(?:{languages})/(?:.+/)?(?:{routes})/$")


def _origin_of(url):
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request):
    """Whether the browser says that this POST comes from a page of this site."""
    allowed = {f"{request.scheme}://{request.get_host()}".lower()}
    allowed.update(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin.lower() in allowed  # "null" (a sandboxed or privacy-hidden origin) is not
    referer = request.META.get("HTTP_REFERER")
    if referer:
        return _origin_of(referer) in allowed
    return False


class LearnerFormsMiddleware:
    """Put before django.middleware.csrf.CsrfViewMiddleware. A POST to a learner route is
    checked for its origin here and then spared the token check; everything else is left
    to Django."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.pattern = _learner_route_pattern()

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not self.pattern.match(request.path_info):
            return None
        if getattr(request, "_dont_enforce_csrf_checks", False):
            return None  # Django's test client, which skips CSRF checks unless told not to
        if not same_origin(request):
            failure_view = get_callable(settings.CSRF_FAILURE_VIEW)
            return failure_view(request, reason="Origin checking failed for a learner form.")
        request._dont_enforce_csrf_checks = True  # the origin check above is this POST's
        return None
