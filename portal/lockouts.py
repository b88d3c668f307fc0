"""Login lockouts in the Wagtail admin: superusers see axes' failed attempts and unlock them.

Unlocking deletes the attempt records, as axes' own ``axes_reset_username`` and
``axes_reset_ip`` commands do, so that account (or address) may try again at once.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.views.reports import ReportView

from portal.security import PAGE_PASSWORD_USERNAME


def _require_superuser(user):
    if not user.is_superuser:
        raise PermissionDenied


def describe(attempt):
    """Whose attempts these are: an account, or the password of a protected page."""
    prefix = PAGE_PASSWORD_USERNAME.split("{", 1)[0]
    username = attempt.username or ""
    if username.startswith(prefix):
        return gettext("Password of protected page (restriction %(id)s)") % {
            "id": username[len(prefix) :]
        }
    return username or "—"


class LockoutView(ReportView):
    model = AccessAttempt
    page_title = _("Login lockouts")
    header_icon = "lock"
    index_url_name = "portal_lockouts"
    index_results_url_name = "portal_lockouts_results"
    results_template_name = "portal/admin/lockouts_results.html"
    paginate_by = 50
    export_filename = "login-lockouts"
    list_export = ["who", "ip_address", "failures_since_start", "attempt_time", "locked_out"]

    @property
    def export_headings(self):
        return {
            "who": gettext("Account"),
            "ip_address": gettext("Address"),
            "failures_since_start": gettext("Failures"),
            "attempt_time": gettext("Last attempt"),
            "locked_out": gettext("Locked out"),
        }

    def dispatch(self, request, *args, **kwargs):
        _require_superuser(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return AccessAttempt.objects.order_by("-attempt_time")

    def decorate_paginated_queryset(self, attempts):
        attempts = list(attempts)
        threshold = timezone.now() - settings.AXES_COOLOFF_TIME
        for attempt in attempts:
            attempt.who = describe(attempt)
            attempt.locked_out = (
                attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
                and attempt.attempt_time >= threshold
            )
        return attempts


@require_POST
def unlock(request, pk):
    _require_superuser(request.user)
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    who = describe(attempt)
    address = attempt.ip_address
    # The attempt itself, and every other record of this account from this address.
    AccessAttempt.objects.filter(username=attempt.username, ip_address=address).delete()
    if request.POST.get("address") == "1":
        AccessAttempt.objects.filter(ip_address=address).delete()
    messages.success(
        request,
        gettext("Unlocked %(who)s from %(address)s.") % {"who": who, "address": address or "—"},
    )
    return redirect("portal_lockouts")
