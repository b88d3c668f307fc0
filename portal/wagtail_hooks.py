from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal import lockouts, uploads
from portal.models import Sector, TagLabel, Theme


@hooks.register("register_admin_urls")
def register_checked_upload_urls():
    # The same paths as Wagtail's own views: this app's hooks run first, so these win.
    return [
        path("images/multiple/add/", uploads.MultipleImagesAddView.as_view()),
        path("documents/multiple/add/", uploads.MultipleDocumentsAddView.as_view()),
        path("lockouts/", lockouts.LockoutView.as_view(), name="portal_lockouts"),
        path(
            "lockouts/results/",
            lockouts.LockoutView.as_view(results_only=True),
            name="portal_lockouts_results",
        ),
        path("lockouts/<int:pk>/unlock/", lockouts.unlock, name="portal_lockouts_unlock"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return SuperuserMenuItem(
        _("Login lockouts"), reverse("portal_lockouts"), name="login-lockouts", icon_name="lock"
    )


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "site"
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


class TagLabelViewSet(SnippetViewSet):
    model = TagLabel
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, SectorViewSet, TagLabelViewSet)
    menu_icon = "tag"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"


register_snippet(TaxonomyViewSetGroup)


@hooks.register("before_serve_page")
def hide_expired_pages(page, request, serve_args, serve_kwargs):
    """An expired page is gone at its expiry time, before ``publish_scheduled`` unpublishes
    it (see portal.visibility)."""
    if page.expire_at is not None and page.expire_at <= timezone.now():
        raise Http404
