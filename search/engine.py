"""The portal's search: one code path for every backend.

The backend returns the best matches over all languages; the portal then keeps public
pages only, shows each concept once (one result per translation key, linked in the
visitor's language when it exists there), puts the visitor's language first, and counts
facets over that list.

Cost: the candidates are loaded as light base pages (a handful of columns) and facets
come from a few value queries, whatever the number of candidates; only the results
actually shown (a page of ten) are loaded as specific pages, with their snippets, by
``Outcome.prepare``.

Language: each word matches its exact form or its stem in the visitor's language and in
the languages of the glossary concepts it names (search/analysis.py; pages carry their
stems in their own language); words in double quotes match as a phrase, exactly.

Typo tolerance, on every backend: when a query finds nothing, each word the portal's
vocabulary does not know is replaced by its closest indexed word (search/vocabulary.py)
and the corrected query is asked instead; the page says so. When that finds nothing
either and the backend declares TYPO_TOLERANCE (see portal/search_config.py:
Elasticsearch and OpenSearch, which implement ``wagtail.search.query.Fuzzy``), it is
asked fuzzily too. Asking only after an empty answer keeps exact matches first and costs
nothing on ordinary queries.
"""

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page
from wagtail.search.query import And, Fuzzy, Or, Phrase, PlainText

from casestudies.models import CaseStudyPage
from glossary.collation import fold
from glossary.models import GlossaryTermPage
from modules.models import LessonPage, ModulePage
from portal.content_cache import cached_for_content
from portal.visibility import public
from search import vocabulary
from search.analysis import fold_word, stem, words_of
from search.expansion import expansion_terms, expansions_for

logger = logging.getLogger(__name__)

SEARCHED_TYPES = (ModulePage, LessonPage, CaseStudyPage, GlossaryTermPage)
CANDIDATES = 200  # best matches considered for de-duplication and facets
# What de-duplication, facets and links need of each candidate; the rest waits for prepare().
CANDIDATE_FIELDS = (
    "id",
    "path",
    "depth",
    "translation_key",
    "locale_id",
    "content_type_id",
    "title",
)
SNIPPET_LENGTH = 240
TYPE_KEYS = {
    ModulePage: "module",
    LessonPage: "lesson",
    CaseStudyPage: "case-study",
    GlossaryTermPage: "term",
}
MODELS_BY_TYPE_KEY = {key: model for model, key in TYPE_KEYS.items()}


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
    page: Page  # the page shown: the visitor's language when it exists (specific after prepare)
    type_key: str
    language: str
    in_visitor_language: bool
    snippet: str = ""
    theme_slugs: list = field(default_factory=list)


SUMMARY_FIELDS = ("short_definition", "summary", "introduction", "search_description")


def _shown_fields(model):
    names = {field.name for field in model._meta.get_fields()}
    return (*CANDIDATE_FIELDS, "url_path", *(name for name in SUMMARY_FIELDS if name in names))


def _summary_text(page):
    for name in SUMMARY_FIELDS:
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


def _themes_of(pages, models):
    """Theme slugs per page id, in at most four value queries whatever the number of
    results. ``models`` maps page id to its specific class."""
    ids = {model: [p.pk for p in pages if models[p.pk] is model] for model in TYPE_KEYS}
    themes = {}
    for model in (ModulePage, GlossaryTermPage):
        if ids[model]:
            for page_id, slug in model.objects.filter(pk__in=ids[model]).values_list(
                "pk", "theme__slug"
            ):
                if slug:
                    themes[page_id] = [slug]
    if ids[CaseStudyPage]:
        for page_id, slug in CaseStudyPage.themes.through.objects.filter(
            casestudypage_id__in=ids[CaseStudyPage]
        ).values_list("casestudypage_id", "theme__slug"):
            themes.setdefault(page_id, []).append(slug)
    lessons = [p for p in pages if models[p.pk] is LessonPage]
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
    searched_terms: list = field(default_factory=list)  # expansion terms the query included
    words: list = field(default_factory=list)  # folded words to mark in snippets
    corrected: str = ""  # the query asked instead, when the one typed found nothing

    def prepare(self, results):
        """Load the specific pages of ``results`` (those about to be shown) and their
        snippets: one query per page type, not per result."""
        pending = [result for result in results if not result.snippet]
        if not pending:
            return results
        # Straight from each page type's table, with only what a result shows: its title,
        # link and summary (lesson bodies are large).
        ids_by_model = {}
        for result in pending:
            ids_by_model.setdefault(MODELS_BY_TYPE_KEY[result.type_key], []).append(result.page.pk)
        specific = {
            page.pk: page
            for model, ids in ids_by_model.items()
            for page in model.objects.filter(pk__in=ids).only(*_shown_fields(model))
        }
        for result in pending:
            page = specific.get(result.page.pk)
            if page is not None:
                result.page = page
                result.snippet = highlight(_summary_text(page), self.words)
        return results


def typo_tolerant() -> bool:
    """Whether the default search backend answers Fuzzy queries (see search_config)."""
    return bool(settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("TYPO_TOLERANCE"))


def _ask(queryset, search_query):
    try:
        return list(queryset.search(search_query)[:CANDIDATES])
    except BACKEND_ERRORS as error:
        logger.warning("Search backend unavailable: %s", error)
        raise SearchUnavailable from error


_PHRASE = re.compile(r'"([^"]*)"')


def split_query(query):
    """(words outside quotes, phrases in quotes) of a cleaned query."""
    phrases = [" ".join(words_of(p)) for p in _PHRASE.findall(query)]
    rest = _PHRASE.sub(" ", query).replace('"', " ")
    return words_of(rest), [phrase for phrase in phrases if phrase]


def word_clause(word, languages):
    """``word`` in its exact form or with its stem in any of ``languages``."""
    forms = [word]
    for language in languages:
        stemmed = stem(word, language)
        if stemmed not in forms and stemmed != fold(word):
            forms.append(stemmed)
    if len(forms) == 1:
        return PlainText(word)
    return Or([PlainText(form) for form in forms])


def text_clause(words, phrases, languages):
    clauses = [word_clause(word, languages) for word in words]
    clauses += [Phrase(phrase) for phrase in phrases]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else And(clauses)


def build_query(query, language, expansions, added):
    """The backend query: what was typed (each word exact or stemmed, phrases kept) or
    any of the glossary terms ``added``, each stemmed in its own language."""
    words, phrases = split_query(query)
    # The typed words are stemmed in the visitor's language, and in the languages of
    # the concepts they name in an inflected form (the concepts' own terms are added
    # anyway): every language more is one more clause per word for the backend.
    languages = [language]
    for expansion in expansions:
        if expansion.stemmed:
            languages += [code for code in expansion.languages if code not in languages]
    typed = text_clause(words, phrases, languages)
    term_language = {}
    for expansion in expansions:
        for code, term in expansion.terms.items():
            term_language.setdefault(term, code)
    clauses = [typed] if typed else []
    for term in added:
        clause = text_clause(words_of(term), [], [term_language.get(term, language)])
        if clause:
            clauses.append(clause)
    if not clauses:
        return None, []
    marks = {fold(word) for word in words} | {fold(w) for p in phrases for w in p.split()}
    marks |= {stem(word, code) for word in words for code in languages}
    marks |= {fold(word) for term in added for word in words_of(term)}
    return (clauses[0] if len(clauses) == 1 else Or(clauses)), sorted(marks)


def run_search(query: str, expand: bool = True) -> Outcome:
    language = translation.get_language()
    expansions = expansions_for(query) if expand else []
    added = expansion_terms(expansions, language)
    search_query, marks = build_query(query, language, expansions, added)
    queryset = Page.objects.live().type(*SEARCHED_TYPES).only(*CANDIDATE_FIELDS)
    hits = _ask(queryset, search_query) if search_query is not None else []
    corrected = ""
    if not hits and search_query is not None:
        corrected = vocabulary.correct(query, language)
        if corrected:
            retry, retry_marks = build_query(corrected, language, [], [])
            hits = _ask(queryset, retry)
            marks = sorted(set(marks) | set(retry_marks))
            if not hits:
                corrected = ""
    if not hits and search_query is not None and typo_tolerant():
        hits = _ask(queryset, Fuzzy(" ".join(split_query(query)[0]) or query, operator="and"))
    hits = _public(hits)
    if not hits:
        corrected = ""
    locale_codes = cached_for_content(
        "locale-languages", (), lambda: dict(Locale.objects.values_list("pk", "language_code"))
    )
    hits = rerank(hits, corrected or query, added if not corrected else [], locale_codes)

    keys = []
    best = {}
    for page in hits:
        if page.translation_key not in best:
            best[page.translation_key] = page
            keys.append(page.translation_key)
    in_language = {}
    if keys:
        in_language = {
            page.translation_key: page
            for page in public(
                Page.objects.filter(translation_key__in=keys, locale__language_code=language)
            ).only(*CANDIDATE_FIELDS)
        }
    shown = [in_language.get(key) or best[key] for key in keys]
    models = {
        page.pk: ContentType.objects.get_for_id(page.content_type_id).model_class()
        for page in shown
    }
    themes = _themes_of(shown, models)
    results = [
        Result(
            page=page,
            type_key=TYPE_KEYS[models[page.pk]],
            language=locale_codes[page.locale_id],
            in_visitor_language=locale_codes[page.locale_id] == language,
            theme_slugs=[slug for slug in themes.get(page.pk, []) if slug],
        )
        for page in shown
    ]
    results.sort(key=lambda result: not result.in_visitor_language)  # stable: relevance kept
    return Outcome(
        results=results,
        expansions=expansions,
        definitions=_definitions(expansions, language),
        searched_terms=added,
        words=marks,
        corrected=corrected,
    )


def _title_score(words, forms, wanted):
    """How much of ``wanted`` (sets of forms, one per word) a title holds (its ``words``
    and their folded and stemmed ``forms``): the share of the wanted words found, 2 when
    the title is exactly these words."""
    found = sum(1 for word_forms in wanted if word_forms & forms)
    if found == len(wanted) == len(words):
        return 2.0
    return found / len(wanted)


def rerank(hits, query, added, locale_codes):
    """The backend's order, with pages whose title names what was searched first.

    Backends rank by term statistics over the whole text (SQLite's BM25 weighs a title
    like any other column): a lesson mentioning "digital twin" ten times outranks the
    glossary's "digital twin". The portal moves hits whose title holds the query's words
    (or one of the glossary terms added) before the rest, each group in the backend's
    order: the same correction on every backend."""
    words, phrases = split_query(query)
    words += [word for phrase in phrases for word in phrase.split()]
    searches = [words] + [words_of(term) for term in added]
    searches = [search for search in searches if search]
    if not searches or len(hits) < 2:
        return hits
    languages = set(locale_codes.values())
    wanted = [
        [{fold_word(word)} | {stem(word, code) for code in languages} for word in search]
        for search in searches
    ]

    def score(hit):
        language = locale_codes.get(hit.locale_id, "")
        words = words_of(hit.title)
        forms = {fold_word(word) for word in words} | {stem(word, language) for word in words}
        return max(_title_score(words, forms, search) for search in wanted)

    scored = [(-score(hit), position, hit) for position, hit in enumerate(hits)]
    scored.sort(key=lambda item: (item[0], item[1]))
    return [hit for _score, _position, hit in scored]


def _public(hits):
    """The hits that are public, in the same order (search backends index live pages but
    know nothing of restrictions and expiry)."""
    if not hits:
        return hits
    ids = set(
        public(Page.objects.filter(pk__in=[page.pk for page in hits])).values_list("pk", flat=True)
    )
    return [page for page in hits if page.pk in ids]


def _definitions(expansions, language):
    if not expansions:
        return []
    keys = [expansion.concept_key for expansion in expansions]
    return cached_for_content(
        "search-definitions", (language, *keys), lambda: _glossary_terms(keys, language)
    )


def _glossary_terms(keys, language):
    """The public glossary terms of concept ``keys``, each in ``language`` or else English."""
    terms = public(
        GlossaryTermPage.objects.filter(
            translation_key__in=keys, locale__language_code__in=[language, "en"]
        )
    )
    by_key = {}
    for term in terms.select_related("locale"):
        if term.locale.language_code == language or str(term.translation_key) not in by_key:
            by_key[str(term.translation_key)] = term
    return [by_key[key] for key in keys if key in by_key]
