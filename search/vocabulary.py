"""The portal's own vocabulary, per language, for typo tolerance on every backend.

At index time (``manage.py update_index``, and on publish and unpublish; a deleted
page's row goes with it) each
public page of the searched types gets one ``PageWords`` row: its distinct folded words.
A search never writes it. When a query finds nothing, ``correct`` replaces each word that
the vocabulary does not know (in any language, exactly or by its stem) by the closest
indexed word with RapidFuzz's Levenshtein distance, allowing as many edits as
OpenSearch's ``fuzziness: AUTO`` (one for 3-5 letters, two beyond), the visitor's
language first, the word found on most pages on a tie.

The vocabulary is read once per process and content version (portal/signals.py), only
from pages that are public then, so a word of a draft or a restricted page is never
offered.
"""

import threading
from collections import Counter

from django.db import transaction
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from wagtail.models import Page

from glossary.collation import fold
from portal.signals import content_version
from portal.visibility import is_public, public
from search.analysis import languages, stem, words_of

MIN_WORD_LENGTH = 2
MAX_WORD_LENGTH = 40
CANDIDATES = 10
_state = {"version": None}
_lock = threading.Lock()


def searched_types():
    from search.engine import SEARCHED_TYPES

    return SEARCHED_TYPES


def page_words(page):
    """The distinct folded words of a specific page's searchable text."""
    text = page.searchable_text() if hasattr(page, "searchable_text") else page.title
    found = {fold(word) for word in words_of(text)}
    return sorted(w for w in found if MIN_WORD_LENGTH <= len(w) <= MAX_WORD_LENGTH)


def _row(page):
    from search.analysis import language_of
    from search.models import PageWords

    return PageWords(
        page_id=page.pk, language=language_of(page.locale_id), words=" ".join(page_words(page))
    )


def rebuild(batch=500):
    """Every public page's words again, in one transaction; returns the number of pages."""
    from search.models import PageWords

    pages = public(Page.objects.live().type(*searched_types())).order_by("pk")
    ids = list(pages.values_list("pk", flat=True))
    with transaction.atomic():
        PageWords.objects.all().delete()
        for start in range(0, len(ids), batch):
            chunk = Page.objects.filter(pk__in=ids[start : start + batch]).specific()
            PageWords.objects.bulk_create([_row(page) for page in chunk])
    return len(ids)


def page_changed(sender=None, instance=None, **kwargs):
    """Signal receiver: a page was published or unpublished."""
    from search.models import PageWords

    page = instance
    if page is None or not isinstance(page, Page):
        return
    page = page.specific_deferred if type(page) is Page else page
    if page.live and isinstance(page, searched_types()) and is_public(page):
        row = _row(page)
        PageWords.objects.update_or_create(
            page_id=page.pk, defaults={"language": row.language, "words": row.words}
        )
    else:
        PageWords.objects.filter(page_id=page.pk).delete()


def _load():
    from search.models import PageWords

    counts = {code: Counter() for code in languages()}
    rows = PageWords.objects.filter(
        page_id__in=public(Page.objects.live()).values("pk")
    ).values_list("language", "words")
    for language, text in rows:
        counts.setdefault(language, Counter()).update(text.split())
    return counts


def current():
    """{language: Counter(word -> pages)} of the public pages, for this content version."""
    version = content_version("all")
    if _state["version"] != version:
        with _lock:
            if _state["version"] != version:
                counts = _load()
                _state.update(
                    version=version,
                    counts=counts,
                    choices={code: list(words) for code, words in counts.items()},
                    known=set().union(*counts.values()) if counts else set(),
                    stems={},
                )
    return _state


def _stems(state, language):
    if language not in state["stems"]:
        state["stems"][language] = {stem(w, language) for w in state["counts"].get(language, ())}
    return state["stems"][language]


def max_edits(word):
    return 0 if len(word) < 3 else 1 if len(word) <= 5 else 2


def knows(word, language, state=None):
    state = state or current()
    folded = fold(word)
    return folded in state["known"] or stem(word, language) in _stems(state, language)


def closest(word, language, state=None):
    """The indexed word closest to ``word`` within max_edits, or ""."""
    state = state or current()
    folded = fold(word)
    limit = max_edits(folded)
    if not limit:
        return ""
    order = [language] + [code for code in state["choices"] if code != language]
    for code in order:
        matches = process.extract(
            folded,
            state["choices"].get(code, ()),
            scorer=Levenshtein.distance,
            score_cutoff=limit,
            limit=CANDIDATES,
        )
        if matches:
            counts = state["counts"][code]
            best = min(matches, key=lambda match: (match[1], -counts[match[0]], match[0]))
            return best[0]
    return ""


def correct(query, language):
    """``query`` with its unknown words replaced by their closest indexed words, or ""
    when there is nothing to correct."""
    state = current()
    words = words_of(query)
    changed, out = False, []
    for word in words:
        replacement = word
        if not word.isdigit() and not knows(word, language, state):
            replacement = closest(word, language, state) or word
        changed |= replacement != word
        out.append(replacement)
    return " ".join(out) if changed else ""
