"""Suggestions as you type: titles in the visitor's language, matched by the portal.

The titles of public pages of the searched types are held per process and content
version (portal/signals.py), with their folded words and stems. What is typed matches a
title when each complete word is one of its words, exactly, by its stem (the visitor's
language's Snowball stemmer, search/analysis.py) or with one typo, and the last word,
still being typed, begins one of its words: as typed, as an inflected form of it
("klaszterekb" begins with the stem of "klaszterek"), or with one typo (optimal string
alignment distance: a swapped pair of letters counts once). Exact matches come first.

The same code on every backend, and no query to the engine or the database per key
press but the one that loads the eight pages shown (their URLs and types).
"""

import threading

from rapidfuzz import process
from rapidfuzz.distance import OSA
from wagtail.models import Page

from glossary.collation import fold
from portal.signals import content_version
from portal.visibility import public
from search.analysis import stem, words_of

EXACT, STEMMED, TYPO = 0, 1, 2
MIN_TYPO_LENGTH = 3  # "ab" with one typo would match most words
_state = {"version": None}
_lock = threading.Lock()


class Titles:
    """The public titles of one language, and their words."""

    def __init__(self, language, rows):
        self.language = language
        self.entries = []  # (page id, title, folded words)
        self.by_word = {}  # folded word -> entry indexes
        for pk, title in rows:
            folded = [fold(word) for word in words_of(title)]
            index = len(self.entries)
            self.entries.append((pk, title, folded))
            for word in set(folded):
                self.by_word.setdefault(word, []).append(index)
        self.words = sorted(self.by_word)
        self.stems = {word: stem(word, language) for word in self.words}
        self._prefixes = {}

    def prefixes(self, length):
        if length not in self._prefixes:
            self._prefixes[length] = [word[:length] for word in self.words]
        return self._prefixes[length]

    def word_scores(self, typed, prefix):
        """{title word: how well it matches ``typed``} (a word being typed when prefix)."""
        folded = fold(typed)
        typed_stem = stem(typed, self.language)
        scores = {}
        for word in self.words:
            if word == folded or (prefix and word.startswith(folded)):
                scores[word] = EXACT
            elif self.stems[word] == typed_stem or (
                prefix and len(self.stems[word]) >= 3 and folded.startswith(self.stems[word])
            ):
                scores[word] = STEMMED
        if len(folded) >= MIN_TYPO_LENGTH:
            lengths = (len(folded) - 1, len(folded), len(folded) + 1) if prefix else (None,)
            for length in lengths:
                choices = self.prefixes(length) if prefix else self.words
                for _choice, _distance, index in process.extract(
                    folded, choices, scorer=OSA.distance, score_cutoff=1, limit=None
                ):
                    scores.setdefault(self.words[index], TYPO)
        return scores

    def match(self, query, limit):
        tokens = words_of(query)
        if not tokens:
            return []
        complete, last = tokens[:-1], tokens[-1]
        if query.rstrip() != query:  # a space typed after the last word: it is complete
            complete, last = tokens, None
        per_token = [self.word_scores(token, prefix=False) for token in complete]
        if last is not None:
            per_token.append(self.word_scores(last, prefix=True))
        candidates = None
        for scores in per_token:
            entries = {index for word in scores for index in self.by_word[word]}
            candidates = entries if candidates is None else candidates & entries
        ranked = []
        typed = " ".join(fold(token) for token in tokens)
        for index in candidates or ():
            pk, title, folded = self.entries[index]
            score = sum(min(scores.get(w, TYPO + 1) for w in folded) for scores in per_token)
            starts = not " ".join(folded).startswith(typed)
            ranked.append((score, starts, len(title), title, pk))
        ranked.sort()
        return [pk for *_rest, pk in ranked[:limit]]


def titles(language):
    from search.engine import SEARCHED_TYPES

    version = content_version("all")
    if _state["version"] != version:
        with _lock:
            if _state["version"] != version:
                _state.clear()
                _state["version"] = version
    if language not in _state:
        rows = public(
            Page.objects.live()
            .type(*SEARCHED_TYPES)
            .filter(locale__language_code=language)
            .order_by("path")
        ).values_list("pk", "title")
        _state[language] = Titles(language, list(rows))
    return _state[language]


def suggest_ids(query, language, limit):
    """Ids of the pages whose titles best match what is typed, best first."""
    return titles(language).match(query, limit)
