"""The portal's search: one code path for every backend.

The backend returns the best matches over all languages; the portal then keeps public
pages only, shows each concept once (one result per translation key, linked in the
visitor's language when it exists there), puts the visitor's language first, and counts
facets over that list.
"""

import logging
import re
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page
from wagtail.search.query import Or, PlainText

from casestudies.models import CaseStudyPage
from glossary.collation import fold
from glossary.models import GlossaryTermPage
from modules.models import LessonPage, ModulePage
from portal.routing import visible_children
from search.expansion import expansions_for

logger = logging.getLogger(__name__)

SEARCHED_TYPES = (ModulePage, LessonPage, CaseStudyPage, GlossaryTermPage)
CANDIDATES = 200  # best matches considered for de-duplication and facets
SNIPPET_LENGTH = 240
TYPE_KEYS = {
    ModulePage: "module",
    LessonPage: "lesson",
    CaseStudyPage: "case-study",
    GlossaryTermPage: "term",
}


class SearchUnavailable(Exception):
    """The search engine could not be reached or did not answer in time."""


def backend_errors():
    """Exceptions meaning "the engine is down or slow", for whichever clients are installed."""
    errors = []
    for module, names in (
        ("opensearchpy.exceptions", ("ConnectionError", "ConnectionTimeout", "TransportError")),
        ("elasticsearch.exceptions", ("ConnectionError", "ConnectionTimeout", "TransportError")),
        ("elastic_transport", ("TransportError",)),
        ("urllib3.exceptions", ("HTTPError",)),
    ):
        try:
            imported = __import__(module, fromlist=list(names))
        except ImportError:
            continue
        errors.extend(getattr(imported, name) for name in names if hasattr(imported, name))
    return tuple(errors)


BACKEND_ERRORS = backend_errors()


@dataclass
class Result:
    page: Page  # the page shown: the visitor's language when it exists
    type_key: str
    language: str
    in_visitor_language: bool
    snippet: str
    theme_slugs: list = field(default_factory=list)


def _summary_text(page):
    for name in ("short_definition", "summary", "introduction", "search_description"):
        value = getattr(page, name, "")
        if isinstance(value, str) and value.strip():
            return value
    return ""


def highlight(text, words):
    """``text`` cut to a snippet around the first match, matched words in <mark>."""
    text = " ".join(text.split())
    folded = fold(text)
    positions = [folded.find(word) for word in words if word and folded.find(word) >= 0]
    start = max(0, min(positions) - 60) if positions else 0
    snippet = text[start : start + SNIPPET_LENGTH]
    if start:
        snippet = "…" + snippet
    if start + SNIPPET_LENGTH < len(text):
        snippet += "…"
    folded_snippet = fold(snippet)
    marks = []
    for word in sorted({w for w in words if len(w) > 1}, key=len, reverse=True):
        for match in re.finditer(re.escape(word), folded_snippet):
            if not any(s < match.end() and match.start() < e for s, e in marks):
                marks.append((match.start(), match.end()))
    out, last = [], 0
    for begin, end in sorted(marks):
        out.append(escape(snippet[last:begin]))
        out.append(f"<mark>{escape(snippet[begin:end])}</mark>")
        last = end
    out.append(escape(snippet[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _themes_of(pages):
    """Theme slugs per page id, in a few queries whatever the number of results."""
    themes = {}
    modules = {p.pk: p for p in pages if isinstance(p, ModulePage)}
    terms = [p for p in pages if isinstance(p, GlossaryTermPage)]
    from portal.models import Theme

    theme_slugs = dict(Theme.objects.values_list("pk", "slug"))
    for page in list(modules.values()) + terms:
        if page.theme_id:
            themes[page.pk] = [theme_slugs.get(page.theme_id)]
    cases = [p.pk for p in pages if isinstance(p, CaseStudyPage)]
    for page_id, slug in CaseStudyPage.themes.through.objects.filter(
        casestudypage_id__in=cases
    ).values_list("casestudypage_id", "theme__slug"):
        themes.setdefault(page_id, []).append(slug)
    lessons = [p for p in pages if isinstance(p, LessonPage)]
    if lessons:
        parents = dict(
            ModulePage.objects.filter(path__in=[p.path[: -p.steplen] for p in lessons]).values_list(
                "path", "theme__slug"
            )
        )
        for lesson in lessons:
            slug = parents.get(lesson.path[: -lesson.steplen])
            if slug:
                themes[lesson.pk] = [slug]
    return themes


@dataclass
class Outcome:
    results: list
    expansions: list
    definitions: list


def run_search(query: str, expand: bool = True) -> Outcome:
    language = translation.get_language()
    expansions = expansions_for(query) if expand else []
    added = [term for expansion in expansions for term in expansion.added_terms()]
    search_query = Or(
        [PlainText(query, operator="and"), *(PlainText(term, operator="and") for term in added)]
    )
    if not added:
        search_query = PlainText(query, operator="and")
    queryset = Page.objects.live().type(*SEARCHED_TYPES)
    try:
        hits = list(queryset.search(search_query)[:CANDIDATES])
    except BACKEND_ERRORS as error:
        logger.warning("Search backend unavailable: %s", error)
        raise SearchUnavailable from error
    hits = _public_specific(hits)

    keys = []
    best = {}
    for page in hits:
        if page.translation_key not in best:
            best[page.translation_key] = page
            keys.append(page.translation_key)
    in_language = {
        page.translation_key: page
        for page in visible_children(
            Page.objects.filter(translation_key__in=keys, locale__language_code=language)
        ).specific()
    }
    words = [fold(w) for w in re.findall(r"\w+", query + " " + " ".join(added))]
    shown = [in_language.get(key) or best[key] for key in keys]
    themes = _themes_of(shown)
    languages = dict(
        Page.objects.filter(pk__in=[p.pk for p in shown]).values_list("pk", "locale__language_code")
    )
    results = [
        Result(
            page=page,
            type_key=TYPE_KEYS[type(page)],
            language=languages[page.pk],
            in_visitor_language=languages[page.pk] == language,
            snippet=highlight(_summary_text(page), words),
            theme_slugs=[slug for slug in themes.get(page.pk, []) if slug],
        )
        for page in shown
    ]
    results.sort(key=lambda result: not result.in_visitor_language)  # stable: relevance kept
    definitions = _definitions(expansions, language)
    return Outcome(results=results, expansions=expansions, definitions=definitions)


def _public_specific(hits):
    """The hits that are public, as their specific page types, in the same order."""
    restricted_paths = list(
        Page.objects.filter(view_restrictions__isnull=False).values_list("path", flat=True)
    )
    visible_ids = [
        page.pk for page in hits if not any(page.path.startswith(path) for path in restricted_paths)
    ]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=visible_ids).specific()}
    return [specific[pk] for pk in visible_ids if pk in specific]


def _definitions(expansions, language):
    if not expansions:
        return []
    keys = [expansion.concept_key for expansion in expansions]
    terms = GlossaryTermPage.objects.live().filter(
        translation_key__in=keys, locale__language_code__in=[language, "en"]
    )
    by_key = {}
    for term in terms.select_related("locale"):
        if term.locale.language_code == language or str(term.translation_key) not in by_key:
            by_key[str(term.translation_key)] = term
    return [by_key[key] for key in keys if key in by_key]
