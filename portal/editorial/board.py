"""The translation status board: what is missing, in progress or out of date, per language."""

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page
from wagtail.permissions import page_permission_policy

from portal.editorial import status
from portal.editorial.translation_views import locales_user_can_translate_into


def _language_choices():
    return [(locale.language_code, locale.get_display_name()) for locale in Locale.objects.all()]


class TranslationStatusFilterSet(WagtailFilterSet):
    section = django_filters.ChoiceFilter(
        label=_("Section"),
        choices=list(status.SECTIONS.items()),
        field_name="content_type__app_label",
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=_language_choices, method="keep_every_page"
    )

    class Meta:
        model = Page
        fields = []

    def keep_every_page(self, queryset, name, value):
        # Every source page matters in every language: this filter chooses columns.
        return queryset


class TranslationStatusView(ReportView):
    model = Page
    any_permission_required = ["add", "change", "publish"]
    page_title = _("Translation status")
    header_icon = "wagtail-localize-language"
    filterset_class = TranslationStatusFilterSet
    index_url_name = "editorial:translation_status"
    index_results_url_name = "editorial:translation_status_results"
    results_template_name = "editorial/translation_status_results.html"
    paginate_by = 50
    export_filename = "translation-status"

    # The spreadsheet export (CSV, XLSX) has a column per language shown on the board.
    @property
    def list_export(self):
        return ["title", "locale_name", "section_label"] + [
            f"state_{locale.language_code}" for locale in self.locales
        ]

    @property
    def export_headings(self):
        return {
            "title": _("Source page"),
            "locale_name": _("Language"),
            "section_label": _("Section"),
            **{
                f"state_{locale.language_code}": locale.get_display_name()
                for locale in self.locales
            },
        }

    @classmethod
    def user_may_view(cls, user):
        return page_permission_policy.user_has_any_permission(user, cls.any_permission_required)

    def get_queryset(self):
        return status.source_pages()

    @cached_property
    def locales(self):
        """Every language, or the one the language filter picked (one column each)."""
        locales = Locale.objects.all().order_by("pk")
        language = self.filters.form.cleaned_data.get("language") if self.filters else None
        if language:
            locales = locales.filter(language_code=language)
        return list(locales)

    def decorate_paginated_queryset(self, pages):
        pages = list(pages)
        cells = status.translation_cells(pages, self.locales)
        user = self.request.user
        can_submit = user.has_perm("wagtail_localize.submit_translation")
        translatable = set(locales_user_can_translate_into(user).values_list("pk", flat=True))
        board_url = self.request.get_full_path()
        page_ids = [page.pk for page in pages] + [
            cell.target.pk for row in cells.values() for cell in row if cell.target
        ]
        # One query instead of a permission test (and its workflow lookups) per cell.
        self.editable_ids = set(
            page_permission_policy.instances_user_has_permission_for(user, "change")
            .filter(pk__in=page_ids)
            .values_list("pk", flat=True)
        )
        for page in pages:
            page.can_edit = page.pk in self.editable_ids
            page.section_label = status.SECTIONS.get(
                page.content_type.app_label, page.content_type.name
            )
            page.locale_name = page.locale.get_display_name()
            page.cells = cells.get(page.pk, [])
            for cell in page.cells:
                setattr(page, f"state_{cell.locale.language_code}", cell.summary)
                cell.action_url, cell.action_label, cell.action = self._action(
                    page, cell, can_submit and cell.locale.pk in translatable, board_url
                )
        return pages

    def _action(self, page, cell, may_translate, board_url):
        if cell.state == status.SOURCE:
            return None, None, None
        if cell.state == status.NOT_TRANSLATED:
            if not may_translate:
                return None, None, None
            url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
            # No "next": with one language chosen, wagtail-localize opens the new translation.
            query = {"select_locale": cell.locale.language_code}
            return f"{url}?{urlencode(query)}", _("Translate"), "translate"
        if cell.state == status.OUT_OF_DATE and cell.translation_id and may_translate:
            url = reverse("wagtail_localize:update_translations", args=[cell.source_id])
            return f"{url}?{urlencode({'next': board_url})}", _("Sync"), "sync"
        if cell.target is not None and cell.target.pk in self.editable_ids:
            return reverse("wagtailadmin_pages:edit", args=[cell.target.pk]), _("Edit"), "edit"
        return None, None, None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locales"] = self.locales
        return context
