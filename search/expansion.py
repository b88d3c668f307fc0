"""Cross-language query expansion through the glossary.

When a query contains a term, synonym or abbreviation of any language ("gemelo
digital"), the same concept's terms in the other languages join the query, so an
English visitor typing Spanish still finds English pages. Matching ignores accents and
case, and inflection: each form is also stored as its words' stems in its own language
(search/analysis.py), and the query's words are stemmed in each language to look them
up, so "jumeaux numériques" and "digitális ikrek" name their concepts too. The table of
forms is built once per process and rebuilt when the glossary changes (the term
linker's version number, bumped on publish and unpublish).

A query naming several concepts, or a form shared by several concepts (a synonym or an
abbreviation used twice), could add dozens of terms, each one more clause for the
backend; ``expansion_terms`` keeps at most MAX_EXPANSION_TERMS of them, taking each
concept's terms in turn so that every concept named keeps its first terms.
"""

import re
import threading
from dataclasses import dataclass

from django.conf import settings

from glossary.collation import fold
from portal.signals import content_version
from portal.visibility import public
from search.analysis import stem

MAX_WORDS_IN_A_TERM = 6
MAX_EXPANSION_TERMS = 8  # terms added to one query, over all its concepts
_WORD = re.compile(r"\w+", re.UNICODE)
_table = {"version": None}
_lock = threading.Lock()


@dataclass(frozen=True)
class Expansion:
    concept_key: str
    matched: str
    terms: dict  # language code -> the concept's term in that language
    languages: tuple = ()  # the languages of the forms that matched what was typed
    stemmed: bool = False  # matched through stems (an inflected form), not as typed

    def added_terms(self):
        """Terms that join the query: every language's name except what was typed."""
        typed = fold(self.matched)
        return sorted({term for term in self.terms.values() if fold(term) != typed})


def _build():
    from glossary.models import GlossaryTermPage

    forms, stemmed, terms = {}, {}, {}
    rows = public(GlossaryTermPage.objects).values_list(
        "translation_key", "locale__language_code", "title", "abbreviation", "synonyms"
    )
    for key, language, title, abbreviation, synonyms in rows:
        key = str(key)
        terms.setdefault(key, {})[language] = title
        for form in [title, abbreviation, *synonyms.splitlines()]:
            words = tuple(_WORD.findall(fold(form)))
            if words:
                forms.setdefault(words, {}).setdefault(key, set()).add(language)
                stems = tuple(stem(word, language) for word in _WORD.findall(form.lower()))
                stemmed.setdefault(language, {}).setdefault(stems, set()).add(key)
    return forms, stemmed, terms


def _lookup(table, window, raw_window):
    """Concept keys named by ``window`` (folded words) -> the languages that matched:
    the exact forms first, else the forms of each language with the same stems."""
    found = {key: set(langs) for key, langs in table["forms"].get(window, {}).items()}
    if found:
        return found, False
    for language, forms in table["stemmed"].items():
        stems = tuple(stem(word, language) for word in raw_window)
        for key in forms.get(stems, ()):
            found.setdefault(key, set()).add(language)
    return found, True


def _current_table():
    version = content_version("glossary")
    if _table["version"] != version:
        with _lock:
            forms, stemmed, terms = _build()
            _table.update(version=version, forms=forms, stemmed=stemmed, terms=terms)
    return _table


def expansions_for(query: str) -> list[Expansion]:
    """The glossary concepts named in ``query``, longest names first, without overlaps."""
    table = _current_table()
    raw_words = _WORD.findall(query.lower())
    words = [fold(word) for word in raw_words]
    found, position = [], 0
    languages = [code for code, _name in settings.LANGUAGES]
    seen = set()
    while position < len(words):
        for length in range(min(MAX_WORDS_IN_A_TERM, len(words) - position), 0, -1):
            window = tuple(words[position : position + length])
            keys, stemmed = _lookup(table, window, raw_words[position : position + length])
            if keys:
                for key in sorted(set(keys) - seen):
                    seen.add(key)
                    concept_terms = table["terms"][key]
                    found.append(
                        Expansion(
                            concept_key=key,
                            matched=" ".join(window),
                            terms={
                                code: concept_terms[code]
                                for code in languages
                                if code in concept_terms
                            },
                            languages=tuple(code for code in languages if code in keys[key]),
                            stemmed=stemmed,
                        )
                    )
                position += length
                break
        else:
            position += 1
    return found


def expansion_terms(expansions, language=None, limit=MAX_EXPANSION_TERMS) -> list[str]:
    """The terms that join the query, at most ``limit``: each concept's terms in the
    order of settings.LANGUAGES (the visitor's ``language`` first), one concept after
    the other in turn, without a term twice (accents and case ignored)."""
    order = [code for code, _name in settings.LANGUAGES]
    if language in order:
        order.remove(language)
        order.insert(0, language)
    queues = []
    for expansion in expansions:
        added = set(expansion.added_terms())
        queues.append(
            [expansion.terms[code] for code in order if expansion.terms.get(code) in added]
        )
    typed = {fold(expansion.matched) for expansion in expansions}
    terms, seen = [], set(typed)
    while len(terms) < limit and any(queues):
        for queue in queues:
            if queue and len(terms) < limit:
                term = queue.pop(0)
                if fold(term) not in seen:
                    seen.add(fold(term))
                    terms.append(term)
    return terms
