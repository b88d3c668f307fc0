"""Cleaning what visitors type before it reaches a search backend.

Backends give quotes, brackets and operators a meaning of their own (SQLite FTS5
rejects an unbalanced quote outright); visitors mean plain words. Letters of every
script, digits, apostrophes and hyphens inside words are kept.
"""

import re

MAX_QUERY_LENGTH = 200
_NOT_WORDLIKE = re.compile(r"[^\w\s'’-]+", re.UNICODE)
_LOOSE_PUNCTUATION = re.compile(r"(?<!\w)['’-]+|['’-]+(?!\w)")
_SPACES = re.compile(r"\s+")


def clean_search_text(text: str, max_length: int = MAX_QUERY_LENGTH) -> tuple[str, bool]:
    """The words of ``text`` as a safe query, and whether it had to be shortened."""
    text = text.replace("\x00", " ")
    shortened = len(text) > max_length
    text = text[:max_length]
    text = _NOT_WORDLIKE.sub(" ", text)
    text = _LOOSE_PUNCTUATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip(), shortened
