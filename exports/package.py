"""What a learning-platform package of one module in one language holds, and how it is found.

`ModulePackage` reads a public module, its public lessons and everything they show (images,
fact sheets, video files and captions, glossary definitions) in a fixed number of queries,
whatever the number of lessons, and renders each lesson as a page that stands on its own:
every image, document, stylesheet and script it uses is a file of the package, and nothing
in it points at another host. Page links become plain text, external links lose their
address, embeds are dropped, and glossary terms link to definitions on the same page.

The lesson bodies and quizzes are read from the stored StreamField JSON (as
``LessonPage.heading_texts`` does) so that no block fetches its own image, document or
page: those are fetched once for the whole module.

The SCORM and Common Cartridge writers (exports/scorm.py, exports/cartridge.py) turn the
result into their own manifests; both render templates, never concatenated markup.
"""

from __future__ import annotations

import logging
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.staticfiles import finders
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text.rewriters import (
    FIND_A_TAG,
    EmbedRewriter,
    LinkRewriter,
    MultiRuleRewriter,
    extract_attrs,
)

from glossary.linker import GlossaryTarget, TermLinker
from modules.models import LessonPage, ModulePage
from portal.visibility import in_public_collection, public

logger = logging.getLogger("exports")

LICENCE_NAME = "CC BY 4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "Cluster4Smart"
IMAGE_RENDITION = "width-1000"
STYLESHEET = "assets/package.css"
SCORM_SCRIPT = "assets/scorm12.js"
STATIC_FILES = {STYLESHEET: "exports/package.css", SCORM_SCRIPT: "exports/scorm12.js"}
# Larger documents (long videos) stay out of a package: it is built in memory and kept in
# the page cache. A video left out keeps its transcript, like an external one.
MAX_FILE_BYTES = 50 * 1024 * 1024
# Zip entries carry this date when the content has none (a module never published).
EPOCH = (2020, 1, 1, 0, 0, 0)

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, fallback: str = "file") -> str:
    """An ASCII file name that every zip tool and learning platform keeps as it is."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE_NAME.sub("-", ascii_name).strip("-.")
    return cleaned[:80] or fallback


def find_module(root_path: str, language: str, page_path: str) -> ModulePage | None:
    """The public module at ``page_path`` (e.g. ``modules/smart-industry/``) below a site's
    root page for ``language``, or None."""
    return (
        public(
            ModulePage.objects.filter(
                url_path=root_path + page_path, locale__language_code=language
            )
        )
        .select_related("locale", "theme")
        .first()
    )


@dataclass
class Choice:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass
class Question:
    id: str
    number: int
    kind: str
    text: str
    explanation: str
    choices: list[Choice]

    @property
    def multiple(self) -> bool:
        return self.kind == "multiple"


@dataclass
class Term:
    anchor: str
    title: str
    definition: str


@dataclass
class Lesson:
    page: LessonPage
    position: int
    filename: str
    body: str = ""
    questions: list[Question] = field(default_factory=list)
    glossary: list[Term] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    quiz_title: str = ""

    @property
    def identifier(self) -> str:
        return f"LESSON-{self.position:02d}"

    @property
    def quiz_file(self) -> str:
        """Where the cartridge keeps the lesson's quiz as a QTI assessment."""
        return f"{self.identifier}-QUIZ/assessment.xml"


def _items(raw_list):
    """The values of a ListBlock's stored JSON, in either of Wagtail's two formats."""
    values = []
    for index, item in enumerate(raw_list or []):
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            values.append((item.get("id") or f"item-{index}", item["value"]))
        else:
            values.append((f"item-{index}", item))
    return values


def questions_of(lesson: LessonPage) -> list[Question]:
    """The lesson's quiz as stored: the block ids are those the portal scores with."""
    questions = []
    for block in lesson.quiz.raw_data:
        if block.get("type") != "question":
            continue
        value = block.get("value") or {}
        choices = [
            Choice(
                id=choice_id,
                text=choice.get("text", ""),
                correct=bool(choice.get("correct")),
                feedback=choice.get("feedback") or "",
            )
            for choice_id, choice in _items(value.get("choices"))
        ]
        questions.append(
            Question(
                id=block.get("id") or f"question-{len(questions) + 1}",
                number=len(questions) + 1,
                kind=value.get("kind") or "single",
                text=value.get("question", ""),
                explanation=value.get("explanation") or "",
                choices=choices,
            )
        )
    return questions


class ModulePackage:
    """One public module in its own language, ready to be written as a package.

    ``source_url`` is the module's address on the portal, printed (as text) in the
    licence notice of every page for the attribution CC BY asks for.
    """

    def __init__(self, module: ModulePage, source_url: str = ""):
        self.module = module
        self.language = module.locale.language_code
        self.source_url = source_url
        self.files: dict[str, bytes] = {}
        lessons = public(LessonPage.objects.child_of(module)).order_by("path")
        self.lessons = [
            Lesson(page=page, position=position, filename=f"lesson-{position:02d}.html")
            for position, page in enumerate(lessons, start=1)
        ]
        with translation.override(self.language):
            self._fetch_related()
            for lesson in self.lessons:
                self._build_lesson(lesson)

    # What the lessons use, fetched once for the whole module.

    def _fetch_related(self):
        image_ids, document_ids, term_ids = set(), set(), set()
        for lesson in self.lessons:
            for block in lesson.page.body.raw_data:
                kind, value = block.get("type"), block.get("value")
                if kind == "image" and isinstance(value, dict):
                    image_ids.add(value.get("image"))
                elif kind == "fact_sheet" and isinstance(value, dict):
                    document_ids.add(value.get("document"))
                elif kind == "video" and isinstance(value, dict):
                    document_ids.update([value.get("video_file"), value.get("captions")])
                elif kind == "glossary_term" and isinstance(value, dict):
                    term_ids.add(value.get("term"))
                for html in self._rich_texts(kind, value):
                    for match in FIND_A_TAG.finditer(html):
                        attrs = extract_attrs(match.group(1))
                        if attrs.get("linktype") == "document":
                            document_ids.add(attrs.get("id"))
        image_ids = {int(pk) for pk in image_ids if str(pk).isdigit()}
        document_ids = {int(pk) for pk in document_ids if str(pk).isdigit()}
        term_ids = {int(pk) for pk in term_ids if str(pk).isdigit()}

        images = in_public_collection(get_image_model().objects.filter(pk__in=image_ids))
        self.images = (
            {image.pk: image for image in images.prefetch_renditions(IMAGE_RENDITION)}
            if image_ids
            else {}
        )
        documents = in_public_collection(get_document_model().objects.filter(pk__in=document_ids))
        self.documents = {document.pk: document for document in documents} if document_ids else {}
        self._fetch_glossary(term_ids)

    def _fetch_glossary(self, term_ids):
        """This language's public glossary, for the linker, and the terms chosen in glossary
        blocks (shown in this language when they have a public translation)."""
        from glossary.models import GlossaryTermPage

        terms = list(
            public(
                GlossaryTermPage.objects.filter(
                    Q(locale__language_code=self.language) | Q(pk__in=term_ids)
                )
            )
            .select_related("locale")
            .only(
                "title",
                "translation_key",
                "locale__language_code",
                "short_definition",
                "abbreviation",
                "synonyms",
                "status",
                "path",
                "depth",
                "url_path",
            )
            .order_by("title")
        )
        in_language = {
            term.translation_key: term
            for term in terms
            if term.locale.language_code == self.language
        }
        by_pk = {term.pk: term for term in terms}
        self.chosen_terms = {
            pk: in_language.get(term.translation_key, term) for pk, term in by_pk.items()
        }
        self.terms_by_key = {}
        forms, abbreviations = {}, {}
        for number, term in enumerate([*in_language.values(), *by_pk.values()], start=1):
            key = str(term.translation_key)
            if key in self.terms_by_key:
                continue
            self.terms_by_key[key] = Term(
                anchor=f"term-{number}", title=term.title, definition=term.short_definition
            )
            if term.locale.language_code != self.language or term.status == term.DEPRECATED:
                continue
            target = GlossaryTarget(
                concept_key=key,
                url=f"#term-{number}",
                term=term.title,
                definition=term.short_definition,
            )
            for form in [term.title, *term.synonym_list]:
                forms.setdefault(form, target)
            if term.abbreviation:
                abbreviations.setdefault(term.abbreviation, target)
        self.linker = TermLinker(forms, abbreviations)

    @staticmethod
    def _rich_texts(kind, value):
        if kind == "rich_text" and isinstance(value, str):
            return [value]
        if kind == "callout" and isinstance(value, dict):
            return [value.get("text") or ""]
        if kind == "video" and isinstance(value, dict):
            return [value.get("transcript") or ""]
        return []

    # Files of the package.

    def _add_file(self, lesson, path, read):
        if path not in self.files:
            try:
                self.files[path] = read()
            except OSError as error:
                logger.warning("Left %s out of the package of %s: %s", path, self.module, error)
                return None
        if path not in lesson.assets:
            lesson.assets.append(path)
        return path

    def _document(self, lesson, pk):
        document = self.documents.get(int(pk)) if str(pk).isdigit() else None
        if document is None or (document.file_size or 0) > MAX_FILE_BYTES:
            return None
        filename = posixpath.basename(document.file.name)
        path = f"assets/documents/{document.pk}-{safe_name(filename)}"

        def read():
            with document.file.open("rb") as handle:
                return handle.read()

        stored = self._add_file(lesson, path, read)
        if stored is None:
            return None
        return {"href": stored, "title": document.title, "extension": document.file_extension}

    def _image(self, lesson, pk):
        image = self.images.get(int(pk)) if str(pk).isdigit() else None
        if image is None:
            return None
        try:
            rendition = image.get_rendition(IMAGE_RENDITION)
        except OSError as error:  # a missing or unreadable original (SourceImageIOError)
            logger.warning(
                "Left image %s out of the package of %s: %s", image.pk, self.module, error
            )
            return None
        filename = posixpath.basename(rendition.file.name)
        path = f"assets/images/{image.pk}-{safe_name(filename)}"

        def read():
            with rendition.file.open("rb") as handle:
                return handle.read()

        stored = self._add_file(lesson, path, read)
        if stored is None:
            return None
        return {"src": stored, "width": rendition.width, "height": rendition.height}

    # Rendering.

    def _rich_text(self, lesson, html):
        """Rich text as it reads inside the package: links to portal pages and to other
        hosts become plain text (an anchor without an address), document links point at
        the document's copy in the package, embeds are left out."""

        def document_link(attrs):
            document = self._document(lesson, attrs.get("id"))
            return f'<a href="{escape(document["href"])}">' if document else "<a>"

        rewriter = MultiRuleRewriter(
            [
                LinkRewriter(
                    rules={
                        "page": lambda attrs: "<a>",
                        "document": document_link,
                        "external": lambda attrs: "<a>",
                    }
                ),
                EmbedRewriter(rules={}),
            ]
        )
        return mark_safe(rewriter(html or ""))  # noqa: S308 - editors' rich text, as |richtext

    def _block(self, lesson, block):
        kind, value = block.get("type"), block.get("value")
        if kind == "rich_text":
            return {"type": kind, "html": self._rich_text(lesson, value)}
        if not isinstance(value, dict):
            return None
        if kind in ("heading", "quote"):
            return {"type": kind, **value}
        if kind == "callout":
            return {
                "type": kind,
                "title": value.get("title"),
                "html": self._rich_text(lesson, value.get("text")),
            }
        if kind == "key_takeaways":
            return {"type": kind, "items": [item for _id, item in _items(value.get("items"))]}
        if kind == "image":
            image = self._image(lesson, value.get("image"))
            if image is None:
                return None
            return {
                "type": kind,
                "image": image,
                "alt": value.get("alt_text", ""),
                "caption": value.get("caption"),
            }
        if kind == "fact_sheet":
            document = self._document(lesson, value.get("document"))
            if document is None:
                return None
            return {"type": kind, "document": document, "description": value.get("description")}
        if kind == "video":
            return {
                "type": kind,
                "title": value.get("title"),
                "file": self._document(lesson, value.get("video_file")),
                "captions": self._document(lesson, value.get("captions")),
                "transcript": self._rich_text(lesson, value.get("transcript")),
            }
        if kind == "glossary_term":
            term = self.chosen_terms.get(value.get("term"))
            if term is None:
                return None
            return {
                "type": kind,
                "term": self.terms_by_key[str(term.translation_key)],
                "key": str(term.translation_key),
                "note": value.get("note"),
            }
        return None

    def _build_lesson(self, lesson):
        blocks = [self._block(lesson, block) for block in lesson.page.body.raw_data]
        blocks = [block for block in blocks if block is not None]
        body = render_to_string("exports/body.html", {"blocks": blocks, "language": self.language})
        seen: set[str] = set()
        lesson.body = mark_safe(self.linker.link(body, seen))  # noqa: S308 - rendered above
        keys = [*seen, *(block["key"] for block in blocks if block["type"] == "glossary_term")]
        glossary = {key: self.terms_by_key[key] for key in keys if key in self.terms_by_key}
        lesson.glossary = sorted(glossary.values(), key=lambda term: term.title.casefold())
        lesson.questions = questions_of(lesson.page)
        lesson.quiz_title = _("Quiz: %(title)s") % {"title": lesson.page.title}

    # Shared by the writers.

    @property
    def pass_mark(self) -> int:
        return self.module.pass_mark

    @property
    def slug(self) -> str:
        return safe_name(self.module.slug, "module")

    def messages(self):
        """What the quiz script says, in the package's language (given to it as data
        attributes: the script is one static file for every language)."""
        return {
            "score": _("Your score: %(score)s%% (%(correct)s of %(total)s correct).")
            % {"score": "{score}", "correct": "{correct}", "total": "{total}"},
            "passed": _("You passed this quiz."),
            "failed": _("Not passed yet: you need %(mark)s%%.") % {"mark": self.pass_mark},
            "missing": _("Some questions have no answer yet. Please answer every question."),
            "right": _("Right"),
            "wrong": _("Wrong"),
            "connected": _("Your result is sent to your learning platform."),
            "offline": _("No learning platform found: your result is shown here only."),
        }

    def context(self, **extra):
        return {
            "messages": self.messages(),
            "package": self,
            "module": self.module,
            "lessons": self.lessons,
            "language": self.language,
            "licence_name": LICENCE_NAME,
            "licence_title": LICENCE_TITLE,
            "licence_url": LICENCE_URL,
            "publisher": PUBLISHER,
            "source_url": self.source_url,
            **extra,
        }

    def render(self, template, **extra):
        with translation.override(self.language):
            return render_to_string(template, self.context(**extra))

    def lesson_page(self, lesson, *, with_quiz, script=None):
        return self.render(
            "exports/lesson.html",
            lesson=lesson,
            with_quiz=with_quiz,
            script=script,
            stylesheet=STYLESHEET,
        ).encode()

    def last_change(self):
        dates = [
            page.last_published_at
            for page in [self.module, *(lesson.page for lesson in self.lessons)]
            if page.last_published_at is not None
        ]
        return max(dates) if dates else None


def static_file(path: str) -> bytes:
    """A file of the exports app's static folder (the source, not a hashed copy)."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as handle:
        return handle.read()


def write_zip(files: dict[str, bytes], changed: datetime | None) -> bytes:
    """The files as a zip, in the given order, dated ``changed``: the same content gives
    the same bytes (and the same ETag) every time."""
    import io

    stamp = changed.timetuple()[:6] if changed is not None else EPOCH
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
