"""What My learning shows: every module of the visitor's language with their progress.

Progress is keyed by lesson translation keys (modules/progress.py), so the same session
shows the same progress under /en/, /fr/, /es/ and /hu/. Three queries whatever the
number of modules and lessons: the modules, their lessons, and the site's root paths.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import translation
from wagtail.models import Page

from modules.models import LessonPage, ModulePage
from modules.progress import LearnerProgress, ModuleProgress
from portal.visibility import public


@dataclass
class LessonEntry:
    page: LessonPage
    done: bool
    quiz: dict | None
    has_quiz: bool


@dataclass
class ModuleEntry:
    page: ModulePage
    progress: ModuleProgress
    lessons: list = field(default_factory=list)
    next_lesson: LessonPage | None = None


@dataclass
class Overview:
    modules: list
    continue_lesson: LessonPage | None
    continue_module: ModulePage | None
    lessons_done: int
    lessons_total: int
    quizzes_passed: int

    @property
    def started(self):
        return any(entry.progress.started for entry in self.modules)


def overview(progress: LearnerProgress, language=None):
    language = language or translation.get_language()
    modules = list(
        public(ModulePage.objects.filter(locale__language_code=language))
        .select_related("locale", "theme")
        .order_by("path")
    )
    by_path = {module.path: ModuleEntry(page=module, progress=None) for module in modules}
    if modules:
        paths = Q()
        for module in modules:
            paths |= Q(path__startswith=module.path, depth=module.depth + 1)
        lessons = (
            public(LessonPage.objects.filter(paths))
            .select_related("locale")
            .defer("body", "introduction")
            .order_by("path")
        )
        for lesson in lessons:
            key = str(lesson.translation_key)
            by_path[lesson.path[: -Page.steplen]].lessons.append(
                LessonEntry(
                    page=lesson,
                    done=progress.is_done(key),
                    quiz=progress.quiz(key),
                    has_quiz=bool(lesson.quiz),
                )
            )
    entries = list(by_path.values())
    continue_entry = None
    for entry in entries:
        entry.progress = progress.for_module(
            [(lesson.page.translation_key, lesson.has_quiz) for lesson in entry.lessons]
        )
        entry.next_lesson = next(
            (
                lesson.page
                for lesson in entry.lessons
                if str(lesson.page.translation_key) == entry.progress.next_lesson_key
            ),
            None,
        )
        if progress.last and any(
            str(lesson.page.translation_key) == progress.last for lesson in entry.lessons
        ):
            continue_entry = entry
    # Where the learner left off: the next lesson of the module they last worked in, or
    # else of the first module they started and have not finished.
    if continue_entry is None or continue_entry.next_lesson is None:
        continue_entry = next(
            (e for e in entries if e.progress.started and e.next_lesson is not None), None
        )
    return Overview(
        modules=entries,
        continue_lesson=continue_entry.next_lesson if continue_entry else None,
        continue_module=continue_entry.page if continue_entry else None,
        lessons_done=sum(entry.progress.done for entry in entries),
        lessons_total=sum(entry.progress.total for entry in entries),
        quizzes_passed=sum(entry.progress.quizzes_passed for entry in entries),
    )
