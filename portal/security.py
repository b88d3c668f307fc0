"""Throttled logins (django-axes) and the Content Security Policy chosen by path.

Logins: the admin login (and Wagtail's front-end login, which uses the same form) and the
password form of password-protected pages count failures with django-axes. An account is
locked out from one address after ``AXES_FAILURE_LIMIT`` failures; an address on its own,
whatever accounts or pages it tries, after ``AXES_IP_FAILURE_LIMIT``. Other accounts and
other addresses go on logging in, so nobody can lock the whole site, nor an administrator
out from everywhere. A locked-out login is answered 429 with the login page itself showing
why; passwords are never recorded (axes masks the ``password`` field of what it stores).
"""

import functools
import ipaddress
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.checks import Tags, Warning, register
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

logger = logging.getLogger(__name__)

TOO_MANY_REQUESTS = 429
# Django's usernames cannot contain ":", so these never collide with an account.
PAGE_PASSWORD_USERNAME = "page-password:{restriction_id}"  # noqa: S105 - a label, not a secret


# -- who is asking --------------------------------------------------------------------------


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs):
    """Behind a proxy every client has the proxy's REMOTE_ADDR: counting failures by that
    address would lock everybody out together."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.TRUSTED_PROXY_COUNT <= 0:
        return [
            Warning(
                "TRUSTED_PROXY_COUNT is 0 although SECURE_PROXY_SSL_HEADER says the app is "
                "behind a proxy: failed logins would be counted against the proxy's address, "
                "and a lockout would lock out every visitor.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
                "X-Forwarded-For (usually 1).",
                id="portal.W010",
            )
        ]
    return []


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` reverse proxies
    (each appending the address it was reached from to X-Forwarded-For) the address the
    outermost trusted proxy saw. Entries a client wrote itself further left are ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def failure_limits():
    """The limit of each of ``AXES_LOCKOUT_PARAMETERS``, in the same order."""
    limits = []
    for parameter in settings.AXES_LOCKOUT_PARAMETERS:
        if parameter == "ip_address":
            limits.append(settings.AXES_IP_FAILURE_LIMIT)
        else:
            limits.append(settings.AXES_FAILURE_LIMIT)
    return limits


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for each lockout parameter.

    Axes compares the largest failure count of any parameter with one limit. Scaling each
    count by (AXES_FAILURE_LIMIT / its own limit) keeps that comparison and gives the
    address alone its higher limit: ``floor(n * L / l) >= L`` exactly when ``n >= l``.
    """

    def get_failures(self, request, credentials=None):
        limit = settings.AXES_FAILURE_LIMIT
        scaled = 0
        for attempts, own_limit in zip(
            self.get_user_attempts(request, credentials), failure_limits(), strict=True
        ):
            failures = sum(attempts.values_list("failures_since_start", flat=True))
            scaled = max(scaled, failures * limit // max(own_limit, 1))
        return scaled

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        forget_failures(user.get_username(), request.axes_ip_address)


def forget_failures(username, ip_address):
    """After a success, the failures of this account from this address no longer count.

    Only those: the failures of the address as a whole stay, or an attacker with one
    working account could clear its count between guesses at another.
    """
    AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()


def lockout_minutes(request=None):
    cool_off = get_cool_off(request)
    if cool_off is None:
        return 0
    return max(1, round(cool_off.total_seconds() / 60))


def lockout_message(request=None):
    minutes = lockout_minutes(request)
    return ngettext(
        "Too many failed attempts. Please wait %(minutes)d minute before trying again, or "
        "ask an administrator to unlock access.",
        "Too many failed attempts. Please wait %(minutes)d minutes before trying again, or "
        "ask an administrator to unlock access.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out client gets (``AXES_LOCKOUT_CALLABLE``): the page it posted to, which
    already shows :func:`lockout_message` in its form, answered 429; otherwise a page of its own."""
    if (
        original_response is not None
        and original_response.status_code in (200, TOO_MANY_REQUESTS)
        and original_response.get("Content-Type", "").startswith("text/html")
    ):
        original_response.status_code = TOO_MANY_REQUESTS
        original_response.reason_phrase = "Too Many Requests"
        return original_response
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return HttpResponse(lockout_message(request), status=TOO_MANY_REQUESTS)
    response = TemplateResponse(
        request,
        "429.html",
        {"lockout_message": lockout_message(request)},
        status=TOO_MANY_REQUESTS,
    )
    return response.render()


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, saying why when axes refuses the login."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(self.request), code="locked_out")
        return super().get_invalid_login_error()


# -- page passwords -------------------------------------------------------------------------


def page_password_credentials(restriction):
    return {"username": PAGE_PASSWORD_USERNAME.format(restriction_id=restriction.pk)}


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's view of the same name, with failures counted by axes per page and address.

    A wrong password is reported to axes as a failed login of the pseudo-account
    ``page-password:<restriction id>`` (never with the password); once that account or
    the address is locked out, the form comes back with the lockout message and 429, and
    even the right password is refused until the lockout ends.
    """
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    page = get_object_or_404(Page, id=page_id).specific
    credentials = page_password_credentials(restriction)
    locked_out = False

    if request.method == "POST":
        form = PasswordViewRestrictionForm(request.POST, instance=restriction)
        if not AxesProxyHandler.is_allowed(request, credentials):
            locked_out = True
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        elif form.is_valid():
            return_url = form.cleaned_data["return_url"]
            if not url_has_allowed_host_and_scheme(
                return_url, request.get_host(), request.is_secure()
            ):
                return_url = settings.LOGIN_REDIRECT_URL
            restriction.mark_as_passed(request)
            forget_failures(credentials["username"], request.axes_ip_address)
            return redirect(return_url)
        elif "password" in form.errors:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            locked_out = bool(getattr(request, "axes_locked_out", False))
        if locked_out:
            form = PasswordViewRestrictionForm(
                instance=restriction,
                initial={"return_url": request.POST.get("return_url", "")},
            )
            form.lockout_message = lockout_message(request)
    else:
        form = PasswordViewRestrictionForm(instance=restriction)

    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    response = page.serve_password_required_response(request, form, action_url)
    if locked_out:
        response.status_code = TOO_MANY_REQUESTS
    response["Cache-Control"] = "no-store"
    return response


# -- Content Security Policy ----------------------------------------------------------------

ADMIN_PATH_PREFIXES = ("/admin/",)


def admin_policy():
    """The public policy with what the Wagtail admin needs on top (see the README)."""
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives.update(settings.PORTAL_ADMIN_CSP_DIRECTIVES)
    return directives


def preview_policy():
    """The public policy, except that the admin's preview panel may frame the page."""
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["frame-ancestors"] = ["'self'"]
    return directives


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's policy under /admin/.

    Public pages get ``CONTENT_SECURITY_POLICY`` unchanged and without a nonce, so the
    header is the same for every visitor and a cached page stays valid byte for byte.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_dummy", False):
            # A preview: Wagtail renders the page through the middleware again with a
            # request for the page's own URL. Public rules, framed by the admin.
            return PolicyParts(preview_policy(), parts.update, parts.replace, parts.nonce)
        if request.path_info.startswith(ADMIN_PATH_PREFIXES):
            return PolicyParts(admin_policy(), parts.update, parts.replace, parts.nonce)
        return parts

    def process_response(self, request, response):
        if self._plain_public(request, response):
            # The same policy for every public response: built once, not per response
            # (building it was a quarter of the time of a page-cache hit).
            if CSP_HEADER not in response and not getattr(response, "_csp_exempt", False):
                response[CSP_HEADER] = public_policy_header()
            if getattr(request, "_csp_nonce", None) is None:
                request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
            return response
        response = super().process_response(request, response)
        if CSP_HEADER in response:
            response[CSP_HEADER] = in_settings_order(response[CSP_HEADER])
        return response

    @staticmethod
    def _plain_public(request, response):
        """A response that gets the settings' policy as it is: not the admin's or a
        preview's, no nonce used, no per-view changes, no report-only policy."""
        if getattr(request, "is_dummy", False) or getattr(request, "_csp_nonce", None):
            return False
        if request.path_info.startswith(ADMIN_PATH_PREFIXES):
            return False
        if any(hasattr(response, name) for name in PER_RESPONSE_CSP_ATTRIBUTES):
            return False
        if settings.DEBUG and response.status_code in (404, 500):
            return False  # django-csp leaves the debug pages alone
        policy = settings.CONTENT_SECURITY_POLICY
        return not (
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or policy.get("EXCLUDE_URL_PREFIXES")
        )


PER_RESPONSE_CSP_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def public_policy_header():
    return in_settings_order(build_policy())


@receiver(setting_changed)
def _forget_public_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        public_policy_header.cache_clear()


def in_settings_order(header):
    """django-csp joins the directives in set order, which differs between processes; this
    puts them in the order of the settings, so every worker sends the same bytes."""
    order = list(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives = [part.strip() for part in header.split(";") if part.strip()]

    def position(directive):
        name = directive.split(" ", 1)[0]
        return (order.index(name) if name in order else len(order), name)

    return "; ".join(sorted(directives, key=position))
