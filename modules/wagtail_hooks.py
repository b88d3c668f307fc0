"""Quiz statistics in the admin: anonymous aggregates, read-only, filterable, exportable."""

from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from modules.models import ModulePage, QuizStatistic


class ReadOnlyPermissionHelper(PermissionHelper):
    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ModuleFilter(SimpleListFilter):
    """One entry per module (all its languages together), named in the source language."""

    title = _("module")
    parameter_name = "module"

    def lookups(self, request, model_admin):
        modules = ModulePage.objects.filter(locale__language_code="en").order_by("path")
        return [(str(module.translation_key), module.title) for module in modules]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(module__translation_key=self.value())
        return queryset


@modeladmin_register
class QuizStatisticAdmin(ModelAdmin):
    model = QuizStatistic
    menu_label = _("Quiz statistics")
    menu_icon = "list-ol"
    menu_order = 450
    add_to_settings_menu = False
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = [
        "lesson_title",
        "module_title",
        "locale",
        "attempts",
        "average_score_display",
        "pass_rate_display",
        "questions_display",
    ]
    list_filter = [ModuleFilter, "locale"]
    list_export = [
        "lesson_title",
        "module_title",
        "language_code",
        "attempts",
        "average_score",
        "pass_rate",
        "questions_display",
    ]
    export_filename = "quiz-statistics"
    inspect_view_fields = ["lesson", "module", "locale", "attempts", "passes"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lesson", "module", "locale")

    @staticmethod
    def _percent(value):
        return "–" if value is None else f"{value}%"

    def lesson_title(self, obj):
        return f"{obj.lesson.lesson_number} {obj.lesson.title}"

    lesson_title.short_description = _("Lesson")

    def module_title(self, obj):
        return obj.module.title if obj.module else ""

    module_title.short_description = _("Module")

    def language_code(self, obj):
        return obj.locale.language_code

    language_code.short_description = _("Language")

    def average_score_display(self, obj):
        return self._percent(obj.average_score)

    average_score_display.short_description = _("Average score")

    def pass_rate_display(self, obj):
        return self._percent(obj.pass_rate)

    pass_rate_display.short_description = _("Pass rate")

    def questions_display(self, obj):
        return " · ".join(
            f"Q{number}: {self._percent(rate)}" for number, _text, rate in obj.question_rates()
        )

    questions_display.short_description = _("Correct answers per question")
