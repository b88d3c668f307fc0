"""The ESCA self-assessment: a questionnaire on the areas of European Cluster Excellence
benchmarking, answered anonymously; the result stays in the visitor's session."""

import datetime

from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import TranslatableField

from assessment import scoring
from modules.progress import visitor_session
from portal.blocks import RICH_TEXT_FEATURES
from portal.translation import PAGE_TRANSLATABLE_FIELDS
from portal.visibility import public

SESSION_KEY = "self_assessment"

# The areas of the European Secretariat for Cluster Analysis (ESCA) benchmarking.
AREAS = [
    ("structure", _("Structure of the cluster")),
    ("governance", _("Governance and management")),
    ("financing", _("Financing")),
    ("strategy", _("Strategy")),
    ("services", _("Services")),
    ("recognition", _("Achievements and recognition")),
]


class AreaBlock(blocks.StructBlock):
    area = blocks.ChoiceBlock(choices=AREAS, label=_("Benchmarking area"))
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    description = blocks.TextBlock(label=_("Description"), required=False)
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("Statement"), max_length=300), label=_("Statements to rate")
    )
    recommended = blocks.ListBlock(
        blocks.PageChooserBlock(
            page_type=["modules.ModulePage", "modules.LessonPage", "casestudies.CaseStudyPage"],
            label=_("Page"),
        ),
        label=_("Recommended when this area is among the weakest"),
        help_text=_("Modules, lessons and case studies; shown in the visitor's language."),
        required=False,
    )

    class Meta:
        icon = "list-ul"
        label = _("Area")


class SelfAssessmentPage(RoutablePageMixin, Page):
    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    scale = StreamField(
        [("option", blocks.CharBlock(label=_("Answer"), max_length=80))],
        verbose_name=_("answer scale"),
        help_text=_("From the lowest answer to the highest; the same for every statement."),
    )
    areas = StreamField([("area", AreaBlock())], verbose_name=_("areas"))
    results_introduction = RichTextField(
        _("results introduction"), features=RICH_TEXT_FEATURES, blank=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("scale"),
        FieldPanel("areas"),
        FieldPanel("results_introduction"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("introduction"),
        TranslatableField("scale"),
        TranslatableField("areas"),
        TranslatableField("results_introduction"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def form_context(self, answers=None, errors=(), missing=()):
        scale = scoring.scale_of(self)
        return {
            "page": self,
            "scale": list(enumerate(scale)),
            "areas": scoring.areas_of(self),
            "answers": answers or {},
            "errors": list(errors),
            "missing": set(missing),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.form_context())
        # Only for a visitor who holds a session: the page stays the same for all others.
        context["has_results"] = self._stored(request) is not None
        return context

    def _stored(self, request):
        session = visitor_session(request)
        if session is None:
            return None
        entry = (session.get(SESSION_KEY) or {}).get(str(self.translation_key))
        return entry if isinstance(entry, dict) else None

    @path("assess/", name="assess")
    def assess(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        context = self.get_context(request)
        try:
            answers, missing = scoring.read_answers(self, request.POST)
        except scoring.TamperedAnswers:
            context["errors"] = [
                _(
                    "Your answers could not be read: they do not match this questionnaire. "
                    "Please answer the questions again. Nothing was kept."
                )
            ]
            return self._private(
                TemplateResponse(request, self.get_template(request), context, status=400)
            )
        if missing:
            context.update(
                self.form_context(
                    answers=answers,
                    missing=missing,
                    errors=[_("Please answer every statement; the ones left are marked.")],
                )
            )
            return self._private(
                TemplateResponse(request, self.get_template(request), context, status=400)
            )
        stored = request.session.get(SESSION_KEY) or {}
        stored[str(self.translation_key)] = {
            "answers": answers,
            "date": timezone.localdate().isoformat(),
        }
        request.session[SESSION_KEY] = stored
        return HttpResponseRedirect(self.url + "results/")

    @path("results/", name="results")
    def results(self, request):
        entry = self._stored(request)
        context = self.get_context(request)
        if entry is None:
            context["no_results"] = True
            return self._private(
                TemplateResponse(request, "assessment/self_assessment_results.html", context)
            )
        answers = scoring.clean_stored(entry.get("answers"))
        result = scoring.score(self, answers)
        context.update(
            result=result,
            answers=answers,
            date=_stored_date(entry.get("date")),
            chart=chart_rows(result),
            recommendations=recommendations(result.weakest),
        )
        return self._private(
            TemplateResponse(request, "assessment/self_assessment_results.html", context)
        )

    @path("forget-result/", name="forget")
    def forget(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        session = visitor_session(request)
        if session is not None:
            stored = session.get(SESSION_KEY) or {}
            stored.pop(str(self.translation_key), None)
            session[SESSION_KEY] = stored
        return HttpResponseRedirect(self.url)

    @staticmethod
    def _private(response):
        patch_cache_control(response, private=True, no_store=True)
        return response


def _stored_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


BAR_WIDTH = 300
ROW_HEIGHT = 36


def chart_rows(result):
    """Geometry of the SVG bar chart, one row per area."""
    rows = []
    for number, area_result in enumerate(result.areas):
        rows.append(
            {
                "result": area_result,
                "y": number * ROW_HEIGHT,
                "width": round(BAR_WIDTH * area_result.percent / 100),
                "weak": area_result in result.weakest,
            }
        )
    return {
        "rows": rows,
        "height": len(rows) * ROW_HEIGHT,
        "bar_width": BAR_WIDTH,
        "ticks": [{"x": BAR_WIDTH * share // 4, "label": share * 25} for share in range(5)],
    }


def recommendations(weakest):
    """{area id: pages} for the weakest areas, each page in the visitor's language.

    A recommended page that is not public in the visitor's language is left out rather
    than shown in another language. Two queries whatever the number of pages."""
    chosen = {result.area.id: result.area.recommended_ids for result in weakest}
    ids = {page_id for page_ids in chosen.values() for page_id in page_ids}
    if not ids:
        return []
    keys = dict(Page.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    language = translation.get_language()
    translated = {
        page.translation_key: page
        for page in public(
            Page.objects.filter(
                Q(translation_key__in=set(keys.values())) & Q(locale__language_code=language)
            )
        ).select_related("content_type")
    }
    groups = []
    for result in weakest:
        pages = []
        for page_id in chosen[result.area.id]:
            page = translated.get(keys.get(page_id))
            if page is not None and page not in pages:
                page.kind_label = page.specific_class._meta.verbose_name
                pages.append(page)
        groups.append({"area": result.area, "pages": pages})
    return groups
