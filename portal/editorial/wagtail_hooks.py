from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.editorial import board, po_upload, translation_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    editorial_urls = [
        path("", board.TranslationStatusView.as_view(), name="translation_status"),
        path(
            "results/",
            board.TranslationStatusView.as_view(results_only=True),
            name="translation_status_results",
        ),
        path(
            "review/<int:page_id>/",
            translation_views.submit_translation_for_review,
            name="submit_translation_for_review",
        ),
    ]
    # Same paths as wagtail-localize's views: this app's hooks run first, so these win.
    localize_overrides = [
        path(
            "localize/submit/page/<int:page_id>/",
            translation_views.SubmitPageTranslationInOwnLanguagesView.as_view(),
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            translation_views.UpdateTranslationsWithoutUnauthorisedPublishingView.as_view(),
        ),
        path("localize/translate/<int:translation_id>/pofile/upload/", po_upload.upload_pofile),
    ]
    return [
        path("translation-status/", include((editorial_urls, "editorial"), namespace="editorial")),
        *localize_overrides,
    ]


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return board.TranslationStatusView.user_may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"),
        reverse("editorial:translation_status"),
        name="translation-status",
        icon_name="wagtail-localize-language",
        order=250,
    )
