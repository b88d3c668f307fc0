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


_QUOTES = re.compile(r"[\"“”„«»]")


def _clean(text):
    text = _NOT_WORDLIKE.sub(" ", text)
    text = _LOOSE_PUNCTUATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def clean_search_text(
    text: str, max_length: int = MAX_QUERY_LENGTH, phrases: bool = False
) -> tuple[str, bool]:
    """The words of ``text`` as a safe query, and whether it had to be shortened.
    With ``phrases``, double quotes (straight, curly, guillemets) are kept as straight
    quotes around phrases, in pairs: an unpaired last one is dropped."""
    text = text.replace("\x00", " ")
    shortened = len(text) > max_length
    text = text[:max_length]
    if not phrases:
        return _clean(text), shortened
    parts = _QUOTES.split(text)
    if len(parts) % 2 == 0:  # an odd number of quotes: the last one is dropped
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    pieces = []
    for n, part in enumerate(parts):
        part = _clean(part)
        if part:
            pieces.append(f'"{part}"' if n % 2 else part)
    return " ".join(pieces), shortened
