"""The training course: catalogue > module > lesson, with quizzes and statistics."""

import hashlib

from django.db import models, transaction
from django.db.models import F
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from modules.blocks import LessonBodyBlock, QuizBlock
from modules.progress import LearnerProgress, visitor_session
from modules.quiz import (
    InvalidSubmission,
    answers_of,
    error_links,
    rescore_saved_answers,
    saved_answers_data,
    score_quiz,
)
from portal.content_cache import cached_for_content
from portal.pages import SectionIndexPage
from portal.translation import PAGE_TRANSLATABLE_FIELDS
from portal.visibility import public
from search.analysis import StemmedSearchMixin, page_stems, stems_field

QUIZ_ANSWERS_SESSION_KEY = "quiz_answers"
# Answers of a submission that left questions unanswered, shown again after the redirect.
QUIZ_DRAFTS_SESSION_KEY = "quiz_drafts"
# ?quiz=... after a submission that could not be scored: the error summary to show.
QUIZ_PROBLEMS = ("incomplete", "invalid")


class ModuleIndexPage(RoutablePageMixin, SectionIndexPage):
    """The course catalogue of one language."""

    subpage_types = ["modules.ModulePage"]

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        modules = list(
            public(ModulePage.objects.child_of(self))
            .select_related("theme", "cover_image")
            .prefetch_related("cover_image__renditions")
            .order_by("path")
        )
        lessons = lessons_by_module(modules)
        progress = LearnerProgress(visitor_session(request))
        context["modules"] = [
            (module, progress.for_module(lessons.get(module.path, []))) for module in modules
        ]
        context["has_progress"] = bool(progress.done or progress.quizzes)
        return context

    @path("forget-progress/", name="forget_progress")
    def forget_progress(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if request.user.is_authenticated:
            LearnerProgress(request.session).forget()
        else:
            # The session held only progress: ending it drops the cookie, and the visitor's
            # pages are served from the caches again.
            request.session.flush()
        return HttpResponseRedirect(self.get_url(request) + "?forgotten=1")


def lessons_by_module(modules):
    """(translation key, has quiz) of each module's public lessons, in one query (its
    answer shared between processes until the content changes: it reads every quiz)."""
    if not modules:
        return {}
    digest = hashlib.sha256(",".join(module.path for module in modules).encode()).hexdigest()
    return cached_for_content("lessons-by-module", (digest,), lambda: _lessons_of(modules))


def _lessons_of(modules):
    lessons = {}
    queryset = public(LessonPage.objects).order_by("path")
    paths = models.Q()
    for module in modules:
        paths |= models.Q(path__startswith=module.path, depth=module.depth + 1)
    for path_value, key_value, quiz in queryset.filter(paths).values_list(
        "path", "translation_key", "quiz"
    ):
        lessons.setdefault(path_value[: -Page.steplen], []).append((key_value, bool(quiz)))
    return lessons


class ModulePage(StemmedSearchMixin, RoutablePageMixin, Page):
    INTRODUCTORY, INTERMEDIATE, ADVANCED = "introductory", "intermediate", "advanced"
    LEVELS = [
        (INTRODUCTORY, _("Introductory")),
        (INTERMEDIATE, _("Intermediate")),
        (ADVANCED, _("Advanced")),
    ]

    theme = models.ForeignKey(
        "portal.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"), help_text=_("Two or three sentences for the catalogue.")
    )
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Learning outcome"), max_length=300))],
        verbose_name=_("learning outcomes"),
        blank=True,
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=4, decimal_places=1, default=4
    )
    level = models.CharField(_("level"), max_length=20, choices=LEVELS, default=INTRODUCTORY)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image_alt = models.CharField(
        _("cover image text alternative"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it. Empty: decorative."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("The quiz score a learner needs to pass.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("level"), FieldPanel("estimated_hours"), FieldPanel("pass_mark")]
                ),
                FieldPanel("theme"),
                FieldPanel("cover_image"),
                FieldPanel("cover_image_alt"),
            ],
            heading=_("Course facts"),
        ),
        FieldPanel("learning_outcomes"),
        FieldPanel("prerequisites"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("theme"),
        TranslatableField("summary"),
        TranslatableField("learning_outcomes"),
        TranslatableField("prerequisites"),
        SynchronizedField("estimated_hours"),
        SynchronizedField("level"),
        SynchronizedField("cover_image"),
        TranslatableField("cover_image_alt"),
        SynchronizedField("pass_mark"),
    ]
    search_stems = page_stems  # in the class itself, for Wagtail's OpenSearch mapping
    search_fields = Page.search_fields + [
        stems_field(),
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.SearchField("prerequisites"),
        index.FilterField("level"),
        index.FilterField("theme"),
        index.FilterField("locale_id"),
    ]
    api_fields = [
        APIField("theme"),
        APIField("summary"),
        APIField("learning_outcomes"),
        APIField("estimated_hours"),
        APIField("level"),
        APIField("prerequisites"),
        APIField("pass_mark"),
    ]
    parent_page_types = ["modules.ModuleIndexPage"]
    subpage_types = ["modules.LessonPage"]

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    @property
    def hours(self):
        """Estimated hours as a number that prints as 5 or 4.5 (localised by templates)."""
        value = float(self.estimated_hours)
        return int(value) if value.is_integer() else value

    def lessons(self):
        return public(LessonPage.objects.child_of(self)).order_by("path")

    @path("pdf/", name="pdf")
    def pdf(self, request):
        """The whole module as one PDF in the page's language (modules/handbook.py)."""
        from modules import handbook

        response = HttpResponse(handbook.module_pdf(self, request), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{handbook.filename(self)}"'
        return response

    @path("certificate/", name="claim_certificate")
    def claim_certificate(self, request):
        """The learner who passed every quiz claims the certificate (certificates/views.py)."""
        from certificates.views import claim

        return claim(request, self)

    def get_cached_paths(self):
        # The front cache purges the module's PDF and LMS packages with it.
        from exports.views import EXPORT_PATHS

        return ["/", "pdf/", *EXPORT_PATHS]

    def serve(self, request, view=None, args=None, kwargs=None):
        from search.visits import record_visit

        response = super().serve(request, view, args, kwargs)
        index = view is None or getattr(view, "__name__", "") == "index_route"
        if index and not getattr(request, "is_preview", False):
            # The module page itself (not its PDF or certificate claim) counts as a visit,
            # for the search page's "most visited modules"; the page cache replays it.
            record_visit(str(self.translation_key))
            response.page_cache_replay = (record_visit, str(self.translation_key))
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = list(self.lessons())
        progress = LearnerProgress(visitor_session(request))
        summary = progress.for_module(
            [(lesson.translation_key, bool(lesson.quiz)) for lesson in lessons]
        )
        context.update(
            lessons=[
                (
                    lesson,
                    progress.is_done(lesson.translation_key),
                    progress.quiz(lesson.translation_key),
                )
                for lesson in lessons
            ],
            progress=summary,
            resume_lesson=next(
                (
                    lesson
                    for lesson in lessons
                    if str(lesson.translation_key) == summary.next_lesson_key
                ),
                None,
            ),
        )
        return context


class LessonPage(StemmedSearchMixin, RoutablePageMixin, Page):
    lesson_number = models.CharField(
        _("lesson number"), max_length=10, help_text=_("For example 2.3")
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    introduction = models.TextField(_("introduction"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("illustration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image_alt = models.CharField(
        _("illustration text alternative"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it. Empty: decorative."),
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    quiz = StreamField(QuizBlock(), verbose_name=_("quiz"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("lesson_number"), FieldPanel("estimated_minutes")]),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_image_alt")], heading=_("Illustration")
        ),
        FieldPanel("body"),
        FieldPanel("quiz"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        SynchronizedField("lesson_number"),
        SynchronizedField("estimated_minutes"),
        TranslatableField("introduction"),
        SynchronizedField("cover_image"),
        TranslatableField("cover_image_alt"),
        TranslatableField("body"),
        TranslatableField("quiz"),
    ]
    search_stems = page_stems  # in the class itself, for Wagtail's OpenSearch mapping
    search_fields = Page.search_fields + [
        stems_field(),
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("locale_id"),
    ]
    api_fields = [
        APIField("lesson_number"),
        APIField("estimated_minutes"),
        APIField("introduction"),
        APIField("body"),
    ]
    parent_page_types = ["modules.ModulePage"]
    subpage_types = []
    glossary_scanned_fields = ["body"]

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def heading_texts(self):
        """The body's headings, for the table of contents, read from the stored JSON: the
        blocks are not made into values (no queries for the images, documents and terms
        they choose; the body itself is rendered from the fragment cache)."""
        return [
            block["value"]["text"]
            for block in self.body.raw_data
            if block["type"] == "heading" and block["value"].get("text")
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        module = ModulePage.objects.filter(path=self.path[: -self.steplen]).first()
        # Titles, numbers, addresses and whether each has a quiz: not the siblings' bodies.
        siblings = list(module.lessons().defer("body", "introduction")) if module else [self]
        position = next((i for i, lesson in enumerate(siblings) if lesson.pk == self.pk), 0)
        session = visitor_session(request)
        progress = LearnerProgress(session)
        context.update(
            module=module,
            siblings=siblings,
            position=position + 1,
            previous_lesson=siblings[position - 1] if position > 0 else None,
            next_lesson=siblings[position + 1] if position + 1 < len(siblings) else None,
            # The module outline: each lesson and whether this visitor has completed it.
            outline=[(s, progress.is_done(s.translation_key)) for s in siblings],
            module_progress=progress.for_module(
                [(s.translation_key, bool(s.quiz)) for s in siblings]
            ),
            lesson_done=progress.is_done(self.translation_key),
            quiz_progress=progress.quiz(self.translation_key),
            pass_mark=module.pass_mark if module else 70,
            headings=self.heading_texts(),
        )
        saved = (
            session.get(QUIZ_ANSWERS_SESSION_KEY, {}).get(str(self.translation_key))
            if session is not None
            else None
        )
        if self.quiz and saved and request.GET.get("result"):
            result, changed = rescore_saved_answers(self.quiz, saved)
            context["quiz_changed"] = changed
            if result is not None:
                context.update(quiz_result=result, quiz_passed=result.score >= context["pass_mark"])
        problem = request.GET.get("quiz")
        if self.quiz and problem in QUIZ_PROBLEMS and "quiz_result" not in context:
            context["quiz_problem"] = problem
            draft = (
                session.get(QUIZ_DRAFTS_SESSION_KEY, {}).get(str(self.translation_key))
                if session is not None and problem == "incomplete"
                else None
            )
            if draft is not None:
                # The learner's own answers and which questions still need one (a visitor
                # without a session, or whose draft is gone, gets the summary alone).
                data, _changed = saved_answers_data(self.quiz, draft)
                try:
                    errors = score_quiz(self.quiz, data).errors
                except InvalidSubmission:
                    errors = {}
                context.update(
                    quiz_errors=errors,
                    quiz_error_links=error_links(self.quiz, errors),
                    quiz_answers=data,
                )
        return context

    @path("complete/", name="complete")
    def complete(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        LearnerProgress(request.session).mark_done(self.translation_key)
        return redirect(self.get_url(request) + "#progress")

    @path("quiz/", name="quiz")
    def submit_quiz(self, request):
        """Post/redirect/get: every outcome is a redirect back to the lesson, so reloading
        the page that follows never sends the answers again."""
        if request.method != "POST":
            # An address typed or bookmarked: the quiz is on the lesson.
            return redirect(self.get_url(request) + "#quiz")
        if not self.quiz:
            return HttpResponseBadRequest(_("This lesson has no quiz."))
        key = str(self.translation_key)
        drafts = request.session.get(QUIZ_DRAFTS_SESSION_KEY, {})
        try:
            result = score_quiz(self.quiz, request.POST)
        except InvalidSubmission:
            # A tampered form, or one the quiz changed under: nothing is kept.
            if key in drafts:
                del drafts[key]
                request.session[QUIZ_DRAFTS_SESSION_KEY] = drafts
            return redirect(self.get_url(request) + "?quiz=invalid#quiz-errors")

        if result.errors:
            drafts[key] = answers_of(request.POST)
            request.session[QUIZ_DRAFTS_SESSION_KEY] = drafts
            return redirect(self.get_url(request) + "?quiz=incomplete#quiz-errors")

        module = ModulePage.objects.filter(path=self.path[: -self.steplen]).first()
        passed = result.score >= (module.pass_mark if module else 70)
        LearnerProgress(request.session).record_quiz(self.translation_key, result.score, passed)
        QuizStatistic.record(self, result, passed)
        if key in drafts:
            del drafts[key]
            request.session[QUIZ_DRAFTS_SESSION_KEY] = drafts
        # Keep the answers (not the learner) so the result page survives a reload.
        answers = request.session.get(QUIZ_ANSWERS_SESSION_KEY, {})
        answers[key] = {
            question.block_id: [c["id"] for c in question.choices if c["selected"]]
            for question in result.questions
        }
        request.session[QUIZ_ANSWERS_SESSION_KEY] = answers
        return redirect(self.get_url(request) + "?result=1#quiz-result")


class QuizStatistic(models.Model):
    """Anonymous aggregate quiz results per lesson and language: counts, never people."""

    lesson = models.ForeignKey(
        LessonPage, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+"
    )
    module = models.ForeignKey(
        ModulePage, verbose_name=_("module"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    locale = models.ForeignKey(
        Locale, verbose_name=_("language"), on_delete=models.CASCADE, related_name="+"
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    score_total = models.PositiveIntegerField(_("sum of scores"), default=0)
    passes = models.PositiveIntegerField(_("passes"), default=0)
    correct_by_question = models.JSONField(_("correct answers per question"), default=dict)

    class Meta:
        verbose_name = _("quiz statistic")
        verbose_name_plural = _("quiz statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "locale"], name="one_quiz_statistic_per_lesson_and_locale"
            )
        ]
        ordering = ["lesson__path"]

    def __str__(self):
        return f"{self.lesson.title} ({self.locale.language_code})"

    @classmethod
    @transaction.atomic
    def record(cls, lesson, result, passed):
        module_pk = (
            ModulePage.objects.filter(path=lesson.path[: -lesson.steplen])
            .values_list("pk", flat=True)
            .first()
        )
        statistic, _created = cls.objects.select_for_update().get_or_create(
            lesson=lesson, locale_id=lesson.locale_id, defaults={"module_id": module_pk}
        )
        for question in result.questions:
            if question.is_correct:
                statistic.correct_by_question[question.block_id] = (
                    statistic.correct_by_question.get(question.block_id, 0) + 1
                )
        cls.objects.filter(pk=statistic.pk).update(
            attempts=F("attempts") + 1,
            score_total=F("score_total") + result.score,
            passes=F("passes") + (1 if passed else 0),
            correct_by_question=statistic.correct_by_question,
        )

    @property
    def average_score(self):
        return round(self.score_total / self.attempts) if self.attempts else None

    @property
    def pass_rate(self):
        return round(100 * self.passes / self.attempts) if self.attempts else None

    def question_rates(self):
        """(number, question text, % correct) in the order of the lesson's quiz."""
        rows = []
        questions = [block for block in self.lesson.quiz if block.block_type == "question"]
        for number, block in enumerate(questions, start=1):
            correct = self.correct_by_question.get(block.id, 0)
            rate = round(100 * correct / self.attempts) if self.attempts else None
            rows.append((number, block.value["question"], rate))
        return rows
