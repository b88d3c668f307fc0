"""What a harvested record says: read from the registry and the public pages, in a fixed
number of queries per page of results, whatever its size."""

import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from oer.signals import kind_models
from portal.visibility import public

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
KIND_LABELS = {
    "module": _("Training module"),
    "lesson": _("Lesson"),
    "case-study": _("Case study"),
    "glossary-term": _("Glossary term"),
}
LANGUAGE_NAMES = dict(settings.LANGUAGES)
# XML 1.0 has no place for most control characters: editors' text loses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    return _NOT_XML.sub("", str(value or "")).strip()


def namespace():
    return settings.OAI_REPOSITORY_IDENTIFIER


def identifier_of(row):
    return f"oai:{namespace()}:{row.translation_key}:{row.language}"


def parse_identifier(value):
    """(translation key, language) of an identifier of this repository, else None."""
    prefix = f"oai:{namespace()}:"
    if not isinstance(value, str) or not value.startswith(prefix):
        return None
    key, _sep, language = value[len(prefix) :].rpartition(":")
    if language not in LANGUAGE_NAMES:
        return None
    try:
        return uuid.UUID(key), language
    except ValueError:
        return None


@dataclass
class Record:
    row: object
    identifier: str
    datestamp: object
    sets: list
    deleted: bool
    # Format-neutral metadata (None for a deleted record).
    meta: dict | None = None


@dataclass
class Metadata:
    title: str
    description: str
    language: str
    url: str
    kind: str
    date: object
    subjects: list = field(default_factory=list)
    minutes: int | None = None
    level: str = ""
    interactive: bool = False
    part_of: list = field(default_factory=list)  # [(title, url)]
    parts: list = field(default_factory=list)


def set_specs(row):
    return [f"type:{row.kind}", f"lang:{row.language}"]


def load(rows, request, with_metadata=True):
    """Records for registry ``rows``: a row whose page is not public now (expired before
    the scheduled command unpublished it, say) is shown as deleted, never with its text."""
    rows = list(rows)
    pages = {}
    models = kind_models()
    for kind, model in models.items():
        ids = [row.page_id for row in rows if row.kind == kind and not row.deleted]
        if not ids:
            continue
        queryset = public(model.objects.filter(pk__in=ids, alias_of__isnull=True))
        queryset = queryset.select_related("locale")
        if not with_metadata:
            queryset = queryset.only("pk", "translation_key", "locale")
        elif kind in ("module", "glossary-term"):
            queryset = queryset.select_related("theme")
        elif kind == "case-study":
            queryset = queryset.prefetch_related("themes")
        for page in queryset:
            pages[page.pk] = page
    context = _Context(pages.values(), request) if with_metadata else None
    records = []
    for row in rows:
        page = pages.get(row.page_id)
        if page is not None and (page.translation_key, page.locale.language_code) != (
            row.translation_key,
            row.language,
        ):
            page = None
        record = Record(
            row=row,
            identifier=identifier_of(row),
            datestamp=row.datestamp,
            sets=set_specs(row),
            deleted=page is None,
        )
        if page is not None and context is not None:
            record.meta = context.metadata(row.kind, page)
        records.append(record)
    return records


class _Context:
    """What records of one page of results share: their modules and lessons, theme names."""

    def __init__(self, pages, request):
        from modules.models import LessonPage, ModulePage

        self.request = request
        pages = list(pages)
        lessons = [page for page in pages if isinstance(page, LessonPage)]
        modules = [page for page in pages if isinstance(page, ModulePage)]
        self.modules = {}
        if lessons:
            parent_paths = {lesson.path[: -Page.steplen] for lesson in lessons}
            for module in public(ModulePage.objects.filter(path__in=parent_paths)).select_related(
                "locale"
            ):
                self.modules[module.path] = module
        self.lessons = {}
        if modules:
            paths = Q()
            for module in modules:
                paths |= Q(path__startswith=module.path, depth=module.depth + 1)
            queryset = public(LessonPage.objects.filter(paths)).select_related("locale")
            for lesson in queryset.only("title", "url_path", "path", "depth", "locale").order_by(
                "path"
            ):
                self.lessons.setdefault(lesson.path[: -Page.steplen], []).append(lesson)
        # Theme names in each record's language, English where a theme is not translated:
        # one query for every language of the page of results.
        from portal.models import Theme

        languages = {page.locale.language_code for page in pages}
        names = {}
        for slug, code, name in Theme.objects.filter(
            locale__language_code__in=languages | {"en"}
        ).values_list("slug", "locale__language_code", "name"):
            names.setdefault(code, {})[slug] = name
        self.theme_names = {
            language: {**names.get("en", {}), **names.get(language, {})} for language in languages
        }

    def url(self, page):
        return page.get_full_url(self.request) or ""

    def metadata(self, kind, page):
        language = page.locale.language_code
        themes = self.theme_names.get(language, {})
        meta = Metadata(
            title=page.title,
            description="",
            language=language,
            url=self.url(page),
            kind=kind,
            date=page.last_published_at,
        )
        if kind == "module":
            meta.description = page.summary
            meta.minutes = round(float(page.estimated_hours) * 60)
            meta.level = page.level
            meta.interactive = True
            meta.subjects = [themes.get(page.theme.slug, page.theme.name)] if page.theme else []
            meta.subjects += [outcome.value for outcome in page.learning_outcomes]
            meta.parts = [
                (lesson.title, self.url(lesson)) for lesson in self.lessons.get(page.path, [])
            ]
        elif kind == "lesson":
            meta.description = page.introduction
            meta.minutes = page.estimated_minutes
            meta.interactive = bool(page.quiz)
            module = self.modules.get(page.path[: -Page.steplen])
            if module is not None:
                meta.level = module.level
                meta.part_of = [(module.title, self.url(module))]
        elif kind == "case-study":
            meta.description = page.summary
            meta.subjects = [themes.get(theme.slug, theme.name) for theme in page.themes.all()]
        elif kind == "glossary-term":
            meta.description = page.short_definition
            meta.subjects = [themes.get(page.theme.slug, page.theme.name)] if page.theme else []
        meta.subjects = [subject for subject in meta.subjects if subject]
        return meta
