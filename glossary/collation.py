"""Language-aware A–Z navigation and sorting for the glossary index (en, fr, es, hu).

PyICU is not available, so this is a small hand-written collation in the spirit of the
Unicode Collation Algorithm, with one table of letters per language. A term is cut into
collation elements and compared on three levels, as ICU does:

1. primary: the letters, case-insensitive and with accents folded, except that letters a
   language treats as separate (Spanish "ñ", Hungarian "cs", "dzs", "ö", …) have their own
   place in that language's alphabet;
2. secondary: accents, compared from the start of the term; the unaccented letter comes
   first ("cote" < "coté" < "côte" < "côté", Hungarian "kor" < "kór");
3. tertiary: case (lowercase first: "kkv" < "KKV") and spelling variants (ligatures,
   doubled Hungarian digraphs); the exact text is the last tie-break, so the order is total.

Word-by-word ordering: whitespace, dashes, apostrophes, "/" and "_" separate words; a
space and a hyphen are equal, and a word break sorts before every letter, digit and symbol:
"cluster" < "cluster manager" < "clustering", "cyber-physical system" < "cyber security" <
"cybersecurity", "start-up" < "startup", "pôle d'innovation" < "pôle de compétitivité".
Quotes and brackets are ignored ("(re)skilling" sorts as "reskilling"). Digit runs compare
by numeric value ("Industry 4.0" < "Industry 10"). Other symbols sort before digits, digits
before letters, so everything filed under "#" comes before "A" and a flat sorted list is
the concatenation of group_by_initial()'s groups.

Hungarian doubled digraphs ("ssz", "ggy", "ccs", "nny", "lly", "tty", "zzs", "ddz",
"ddzs") are read as the digraph twice, as Hungarian dictionaries and CLDR do
("kasza" < "kassza", "megy" < "meggy"). Like ICU, this cannot see compound boundaries:
"kisszótár" (kis + szótár) is read as "ki-sz-sz-ótár", and an acronym such as "CSR" is
filed under "Cs".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

OTHER = "#"
"""Navigation entry for terms that start with a digit, a symbol or a non-Latin letter."""

# Classes of primary weights, in sort order.
_SEPARATOR = 0
_SYMBOL = 1
_NUMBER = 2
_LETTER = 3
_OTHER_SCRIPT = 4

_LATIN = tuple("abcdefghijklmnopqrstuvwxyz")

# Secondary (accent) order of combining marks, following the Unicode default (DUCET).
_MARK_ORDER = (
    "\u0301",  # acute
    "\u0300",  # grave
    "\u0306",  # breve
    "\u0302",  # circumflex
    "\u030c",  # caron
    "\u030a",  # ring above
    "\u0308",  # diaeresis
    "\u030b",  # double acute
    "\u0303",  # tilde
    "\u0307",  # dot above
    "\u0327",  # cedilla
    "\u0328",  # ogonek
    "\u0304",  # macron
)
_MARK_WEIGHTS = {mark: weight for weight, mark in enumerate(_MARK_ORDER, start=1)}
_STROKE = len(_MARK_ORDER) + 1  # "ø" is "o" with a stroke, after "ö"
_LIGATURE = len(_MARK_ORDER) + 2  # "œ" is "oe", after "oé", "oè", "oë"

# Latin letters without a decomposition, sorted as the letters they stand for; the second
# value is their accent weight (0: none, they differ only at the tertiary level).
_EXPANSIONS = {
    "æ": ("ae", _LIGATURE),
    "œ": ("oe", _LIGATURE),
    "ø": ("o", _STROKE),
    "đ": ("d", _STROKE),
    "ð": ("d", _STROKE),
    "ł": ("l", _STROKE),
    "ß": ("ss", 0),
    "ı": ("i", 0),
    "þ": ("th", 0),
}

# Characters skipped everywhere, on top of the quote and bracket categories below.
_IGNORABLE_CHARS = frozenset('"`¿¡')
_IGNORABLE_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf", "Cf", "Cc"})
# Apostrophes separate words too: French "d'un" files as the words "d" + "un".
_WORD_SEPARATOR_CHARS = frozenset("/_'\u2019\u02bc")


def _mark_weight(mark: str) -> int:
    return _MARK_WEIGHTS.get(mark, _LIGATURE + ord(mark))


@dataclass(frozen=True)
class _Language:
    """The alphabet of one language and the letters it does not fold into a base letter."""

    letters: tuple[str, ...]
    """Primary letters in alphabet order, lowercase; may be several characters ("dzs")."""
    own_letters: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Precomposed lowercase character -> (its letter, accent kept at the secondary level)."""
    index: dict[str, int] = field(init=False)
    digraphs: tuple[str, ...] = field(init=False)
    """Multi-character letters, longest first so "dzs" wins over "dz"."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {letter: i for i, letter in enumerate(self.letters)})
        multi = sorted((letter for letter in self.letters if len(letter) > 1), key=len)
        object.__setattr__(self, "digraphs", tuple(reversed(multi)))


_HUNGARIAN_ALPHABET = (
    "a b c cs d dz dzs e f g gy h i j k l ly m n ny o ö p q r s sz t ty u ü v w x y z zs"
)

_LANGUAGES = {
    "en": _Language(letters=_LATIN),
    "fr": _Language(letters=_LATIN),
    "es": _Language(
        letters=(*_LATIN[: _LATIN.index("n") + 1], "ñ", *_LATIN[_LATIN.index("o") :]),
        own_letters={"ñ": ("ñ", "")},
    ),
    # Long vowels (á, é, í, ó, ő, ú, ű) share the place of their short vowel; ö and ü are
    # letters of their own, and ő, ű their long forms.
    "hu": _Language(
        letters=tuple(_HUNGARIAN_ALPHABET.split()),
        own_letters={
            "ö": ("ö", ""),
            "ő": ("ö", "\u030b"),
            "ü": ("ü", ""),
            "ű": ("ü", "\u030b"),
        },
    ),
}


@dataclass
class _Element:
    primary: tuple[int, int]
    secondary: tuple[int, ...] = ()
    tertiary: tuple[int, ...] = ()


def _language(language: str) -> _Language:
    try:
        return _LANGUAGES[language]
    except KeyError:
        supported = ", ".join(sorted(_LANGUAGES))
        raise ValueError(
            f"No glossary alphabet for language {language!r} (supported: {supported})"
        ) from None


def _case(text: str) -> tuple[int, ...]:
    return tuple(int(char.isupper()) for char in text)


def _letter_elements(
    text: str, lower: list[str], start: int, lang: _Language
) -> tuple[int, list[_Element]]:
    """Read the letter at `start`; return where the next one begins and its elements."""
    for digraph in lang.digraphs:
        width = len(digraph)
        end = start + 1 + width
        # A doubled digraph writes its first character once: "ssz" is "sz" + "sz".
        if lower[start] == digraph[0] and "".join(lower[start + 1 : end]) == digraph:
            weight = (_LETTER, lang.index[digraph])
            case = _case(text[start:end])
            return end, [_Element(weight, (), (*case, 1)), _Element(weight, (), (*case, 1))]
    for digraph in lang.digraphs:
        end = start + len(digraph)
        if "".join(lower[start:end]) == digraph:
            return end, [_Element((_LETTER, lang.index[digraph]), (), _case(text[start:end]))]

    char, low = text[start], lower[start]
    case = _case(char)
    if low in lang.own_letters:
        letter, accent = lang.own_letters[low]
        return start + 1, [_Element((_LETTER, lang.index[letter]), _marks(accent), case)]
    decomposed = unicodedata.normalize("NFD", low)
    base, accents = decomposed[0], decomposed[1:]
    if base in lang.index:
        return start + 1, [_Element((_LETTER, lang.index[base]), _marks(accents), case)]
    if low in _EXPANSIONS:
        parts, accent = _EXPANSIONS[low]
        elements = [_Element((_LETTER, lang.index[part]), (), (*case, 1)) for part in parts]
        if accent:
            elements[0].secondary = (accent,)
        return start + 1, elements
    return start + 1, [_Element((_OTHER_SCRIPT, ord(base)), _marks(accents), case)]


def _marks(accents: str) -> tuple[int, ...]:
    return tuple(_mark_weight(mark) for mark in accents)


def _elements(term: str, lang: _Language) -> list[_Element]:
    # NFKC turns compatibility forms into what they stand for: "ﬁ" -> "fi", "²" -> "2",
    # full-width "Ａ" -> "A", and composes "e" + U+0301 into "é".
    text = unicodedata.normalize("NFKC", term)
    lower = [char.lower() for char in text]
    elements: list[_Element] = []
    i = 0
    while i < len(text):
        char = text[i]
        category = unicodedata.category(char)
        if char.isspace() or category == "Pd" or char in _WORD_SEPARATOR_CHARS:
            # Runs of separators count once; leading ones are dropped, trailing ones below.
            if elements and elements[-1].primary[0] != _SEPARATOR:
                elements.append(_Element((_SEPARATOR, 0)))
            i += 1
        elif char in _IGNORABLE_CHARS or category in _IGNORABLE_CATEGORIES:
            i += 1
        elif category.startswith("M"):
            # A combining mark the NFKC step could not compose: an accent of the previous
            # letter, or nothing if it does not follow a letter.
            if elements and elements[-1].primary[0] in (_LETTER, _OTHER_SCRIPT):
                last = elements[-1]
                last.secondary = (*last.secondary, _mark_weight(char))
            i += 1
        elif category == "Nd":
            end = i
            while end < len(text) and unicodedata.category(text[end]) == "Nd":
                end += 1
            value = int("".join(str(unicodedata.decimal(digit)) for digit in text[i:end]))
            elements.append(_Element((_NUMBER, value)))
            i = end
        elif category.startswith("L"):
            i, letters = _letter_elements(text, lower, i, lang)
            elements.extend(letters)
        else:
            elements.append(_Element((_SYMBOL, ord(char))))
            i += 1
    if elements and elements[-1].primary[0] == _SEPARATOR:
        elements.pop()
    return elements


SortKey = tuple[
    tuple[tuple[int, int], ...],
    tuple[tuple[int, ...], ...],
    tuple[tuple[int, ...], ...],
    str,
]


def alphabet(language: str) -> list[str]:
    """The navigation letters of `language` in A–Z bar order, e.g. "Cs", "Dzs", "Ñ", "Ö".

    Raises ValueError for a language without a table (callers turn it into a 404).
    """
    return [letter[0].upper() + letter[1:] for letter in _language(language).letters]


def sort_key(term: str, language: str) -> SortKey:
    """A key for sorted() that gives the order a native reader expects (see module doc)."""
    return _key(_elements(term, _language(language)), term)


def _key(elements: list[_Element], term: str) -> SortKey:
    return (
        tuple(element.primary for element in elements),
        tuple(element.secondary for element in elements),
        tuple(element.tertiary for element in elements),
        term,
    )


def _initial_of(elements: list[_Element], letters: list[str]) -> str:
    if elements and elements[0].primary[0] == _LETTER:
        return letters[elements[0].primary[1]]
    return OTHER


def initial(term: str, language: str) -> str:
    """The navigation letter `term` is filed under: one of alphabet(language), or "#".

    "#" is for terms starting with a digit, a symbol or a non-Latin letter, and for terms
    with nothing to sort on (empty or only punctuation). Leading whitespace, quotes,
    apostrophes, brackets and dashes are skipped; case does not matter.
    """
    return _initial_of(_elements(term, _language(language)), alphabet(language))


def group_by_initial(terms: Iterable[tuple[str, T]], language: str) -> list[tuple[str, list[T]]]:
    """Every navigation letter of `language` in order, each with its items sorted by term.

    `terms` holds (term, item) pairs. Letters without terms get an empty list so the page
    can show them disabled. "#" is listed first, and only when some term is filed there,
    which matches where sort_key() puts such terms.
    """
    lang = _language(language)
    letters = alphabet(language)
    keyed = []
    for term, item in terms:
        elements = _elements(term, lang)
        keyed.append((_key(elements, term), _initial_of(elements, letters), item))
    keyed.sort(key=lambda entry: entry[0])

    groups: dict[str, list[T]] = {letter: [] for letter in (OTHER, *letters)}
    for _sort_key, letter, item in keyed:
        groups[letter].append(item)
    return [(letter, items) for letter, items in groups.items() if letter != OTHER or items]


def fold(text: str) -> str:
    """Text without accents or case, for forgiving matches ("Gyartas" finds "gyártás")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
