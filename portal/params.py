"""Reading numbers from query strings.

``str.isdigit()`` accepts characters such as "²" that ``int()`` refuses, and ``int()``
accepts Arabic-Indic and other Unicode digits and numbers of any length: a URL's numbers
are read here, as ASCII digits of a bounded length, and anything else is no number.
"""

import re

_ASCII_NUMBER = re.compile(r"[0-9]{1,9}")


def positive_int(raw):
    """``raw`` as an integer of at least 1, or None when it is not one."""
    raw = (raw or "").strip()
    if not _ASCII_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if number >= 1 else None
