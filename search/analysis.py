"""Language analysis done by the portal itself, the same for every search backend.

Each page's words are reduced to their Snowball stems in the page's own language and
indexed in one more search field, ``search_stems`` (see ``StemmedSearchMixin``); each query
word is stemmed in the visitor's language and in the languages its glossary expansions
come from, and matches either its exact form (the page's own fields) or its stem (that
field). So "klaszterekben" finds "klaszter" and "klaszterek", "fabrications additives"
finds "fabrication additive", on SQLite FTS5, PostgreSQL and OpenSearch alike, and a page
holding the exact form matches both clauses and ranks first.

Why the portal and not each backend's own analysis: one index holds pages of four
languages, and each backend would need one field (or one tsvector) per language to stem
each page in its own language; SQLite FTS5 has no stemmers for French, Spanish or
Hungarian at all. Stemming here gives the same words on every backend, one code path,
one set of tests, and a relevance set whose figures mean the same everywhere.

Stems are folded (no accents or case) after stemming, as every backend folds the text
it indexes. Only stems that differ from the folded word are indexed: a word that is its
own stem is already in the page's other fields.

Snowball's Hungarian stemmer does not restore a stem vowel that inflection drops
("iker" / "ikrek", "bokor" / "bokrok"); STEM_OVERRIDES maps such stems of the portal's
vocabulary to the stem of the base form.
"""

import re
import threading
from functools import lru_cache

import Stemmer
from django.conf import settings
from django.utils.html import strip_tags

from glossary.collation import fold

STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "hu": "hungarian"}
# Stems of inflected forms -> the stem of the base form, per language.
STEM_OVERRIDES = {
    "hu": {"ikr": "iker"},
}
MIN_STEM_LENGTH = 3  # shorter stems ("a", "le") would match half the index
WORD = re.compile(r"\w+", re.UNICODE)
_local = threading.local()  # PyStemmer objects are not thread-safe


def _stemmer(language):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        name = STEMMERS.get(language)
        stemmers[language] = Stemmer.Stemmer(name) if name else None
    return stemmers[language]


def words_of(text):
    """The words of ``text``, lowercased (accents kept: the stemmers need them)."""
    return WORD.findall(text.lower())


@lru_cache(maxsize=200_000)
def stem(word, language):
    """The folded stem of one lowercased ``word`` in ``language`` (cached: words recur)."""
    stemmer = _stemmer(language)
    folded = fold(word)
    if stemmer is None or len(word) <= MIN_STEM_LENGTH:
        return folded
    stemmed = fold(stemmer.stemWord(word))
    stemmed = STEM_OVERRIDES.get(language, {}).get(stemmed, stemmed)
    return stemmed if len(stemmed) >= MIN_STEM_LENGTH else folded


def fold_word(word):
    """``fold(word)``, cached like the stems (no language: no stemmer)."""
    return stem(word, "")


def stems_of(text, language):
    """The distinct stems of ``text`` that differ from their folded words, in order."""
    seen, out = set(), []
    for word in words_of(text):
        stemmed = stem(word, language)
        if stemmed != fold(word) and stemmed not in seen:
            seen.add(stemmed)
            out.append(stemmed)
    return out


def languages():
    return [code for code, _name in settings.LANGUAGES]


def flatten(value):
    """Text of a search field's value (strings, lists, dicts, HTML)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_tags(value)
    if isinstance(value, dict):
        return " ".join(flatten(item) for item in value.values())
    if isinstance(value, list | tuple):
        return " ".join(flatten(item) for item in value)
    return strip_tags(str(value))


class StemmedSearchMixin:
    """Adds ``search_stems`` to a page's search fields: its words' stems in its language.

    Put it before ``Page`` in the bases, set ``search_stems = page_stems`` and add
    ``stems_field()`` to ``search_fields``."""

    def searchable_text(self):
        """The page's own searchable text: every SearchField but this one."""
        from wagtail.search import index

        parts = []
        for field in self.get_search_fields():
            if isinstance(field, index.SearchField) and field.field_name != "search_stems":
                parts.append(flatten(field.get_value(self)))
        return " ".join(parts)


def page_stems(page):
    """The value of a page's ``search_stems`` field. Assign it in the model's own class
    body (``search_stems = page_stems``): Wagtail's OpenSearch mapping looks for the
    attribute in the class that defines it, which must be a model."""
    return " ".join(stems_of(page.searchable_text(), language_of(page.locale_id)))


_locales = {}


def language_of(locale_id):
    """The language code of a locale id (locales are few and never change code)."""
    if locale_id not in _locales:
        from wagtail.models import Locale

        _locales.update(Locale.objects.values_list("pk", "language_code"))
    return _locales.get(locale_id, "")


def stems_field():
    from wagtail.search import index

    # Below the exact fields: a page with the typed form ranks above one with another form.
    return index.SearchField("search_stems", boost=0.5)
