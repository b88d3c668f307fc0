"""The page chooser opens on the editor's own language tree instead of every language."""

from django.utils import translation
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView
from wagtail.models import Locale

from portal.editorial import roles


def editors_language(user):
    """The language of the user's roles when they all share one, else the admin's language."""
    group_names = user.groups.values_list("name", flat=True)
    return roles.single_language(group_names) or translation.get_language()


class BrowseInEditorsLanguageView(BrowseView):
    def get(self, request, parent_page_id=None):
        # Wagtail lists every language's home page at the top level unless a locale is asked
        # for; ask for the editor's (the locale switcher still offers the others).
        if parent_page_id is None and "locale" not in request.GET:
            language = editors_language(request.user)
            if Locale.objects.filter(language_code=language).exists():
                request.GET = request.GET.copy()
                request.GET["locale"] = language
        return super().get(request, parent_page_id)


browse_in_editors_language = require_admin_access(BrowseInEditorsLanguageView.as_view())
