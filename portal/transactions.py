"""Admin writes are all-or-nothing; public requests take no transaction of their own.

Wagtail's admin publishes a new page in steps, each committed on its own: the page row
(live), its revision, the subscription, then the publish itself. When one step failed
(on SQLite, "database is locked" while the site was busy) the page stayed live without a
revision. Every admin POST now runs its view in one transaction, as ATOMIC_REQUESTS would,
but only there: with ATOMIC_REQUESTS for the whole site every public page view would take
SQLite's write lock (transactions are IMMEDIATE, portal/settings/base.py).

Keep this middleware last: returning the view's response from process_view skips the
process_view of any middleware after it (CSRF's must run before).
"""

from django.db import transaction
from django.urls import reverse


class AtomicAdminWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def _is_admin(self, request):
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return request.path_info.startswith(self._admin_prefix)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS") or not self._is_admin(request):
            return None
        if getattr(view_func, "_non_atomic_requests", None):
            return None
        # An exception rolls everything back and goes on to Django's handler (a 500 page).
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
