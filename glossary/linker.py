"""Link glossary terms found in rendered rich text to their term pages.

A `TermLinker` is built once per locale (the caller caches it) from the surface forms of
that language's glossary: terms and synonyms (matched case-insensitively) and
abbreviations (matched case-sensitively, because French "ai" is a verb and "AI" is
artificial intelligence). `link()` then rewrites only text nodes of the HTML; every other
byte (tags, attributes, entities, whitespace, comments) is copied from the input unchanged.

Matching rules, chosen to be predictable rather than clever:

* Whole words only, with Unicode word characters: "klaszter" does not match inside
  "klaszterszervezet", and "cluster" does not match "clusters". No plural or inflection
  handling: only the exact forms the glossary lists are linked (editors add a synonym to
  get another form linked). Hungarian suffixed forms ("klaszterben") are therefore not
  linked. Hyphens and apostrophes end a word, so "KKV-k" and "l'IA" link "KKV" and "IA".
* A space inside a form matches any run of whitespace, including a non-breaking space
  written as ``&nbsp;``.
* Leftmost-longest: at each position the longest form wins ("cluster manager" before
  "cluster"), and the text it covers is consumed even when its concept was already linked,
  so a second "cluster manager" never links the "cluster" inside it.
* First occurrence per page and per concept: once any form of a concept is linked, no
  other form of it is linked again on that page (`seen` carries this across fragments).
* Never inside a, h1-h6, code, pre, script, style, button, label, summary, dfn, abbr,
  form controls, svg/math, or an existing tooltip; never inside attributes.

The markup for a link is an anchor followed by its tooltip, which the anchor points to
with aria-describedby; the stylesheet (portal/static/css/portal.css) shows the tooltip on
hover and keyboard focus with no JavaScript. Tooltip ids are ``glossary-tip-<concept key>``: as a concept is linked at most
once per page, the ids are unique across all fragments that share one `seen` set.
"""

from __future__ import annotations

import html as html_lib
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from types import MappingProxyType

__all__ = ["GlossaryTarget", "TermLinker"]

# Text inside these elements is never linked: it is already a link or interactive, a
# heading, code, not rendered as prose, or already marks up a term.
SKIPPED_ELEMENTS = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "code",
        "pre",
        "kbd",
        "samp",
        "script",
        "style",
        "template",
        "noscript",
        "title",
        "button",
        "label",
        "summary",
        "select",
        "option",
        "textarea",
        "dfn",
        "abbr",
        "svg",
        "math",
    }
)
# `concepts_in` reads all text a reader sees, headings and link texts included.
UNRENDERED_ELEMENTS = frozenset({"script", "style", "template", "noscript", "title"})

LINK_CLASS = "glossary-link"
TIP_CLASS = "glossary-tip"
TIP_ID_PREFIX = "glossary-tip-"


_WORD_CHAR = re.compile(r"\w")
_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class GlossaryTarget:
    """Where a surface form links to, and the short definition shown in its tooltip."""

    concept_key: str
    url: str
    term: str
    definition: str


_NO_ABBREVIATIONS: Mapping[str, GlossaryTarget] = MappingProxyType({})


def _normalise_spaces(text: str) -> str:
    """Collapse every run of whitespace (including no-break spaces) to one space."""
    return " ".join(text.split())


def _form_regex(form: str, case_sensitive: bool) -> str:
    """The regex for one normalised form, with a word boundary after a final word char.

    The boundary before the form is added once for the whole alternation (see
    `TermLinker._build_pattern`), which keeps matching fast.
    """
    body = r"\s+".join(re.escape(word) for word in form.split(" "))
    if not case_sensitive:
        body = f"(?i:{body})"
    if _WORD_CHAR.match(form[-1]):
        body += r"(?!\w)"
    return body


def _alternation(ordered: list[tuple[str, bool]]) -> str:
    """Alternation of (form, case_sensitive) in the given order, behind a first-char check.

    The lookahead on the possible first characters lets the regex engine reject most
    positions at once instead of trying every alternative: about ten times faster.
    """
    exact = "".join(sorted({re.escape(form[0]) for form, cs in ordered if cs}))
    any_case = "".join(sorted({re.escape(form[0]) for form, cs in ordered if not cs}))
    first_chars = [f"[{exact}]"] if exact else []
    if any_case:
        first_chars.append(f"(?i:[{any_case}])")
    alternatives = "|".join(_form_regex(form, cs) for form, cs in ordered)
    return f"(?={'|'.join(first_chars)})(?:{alternatives})"


def _tip_ids(concept_keys: set[str]) -> dict[str, str]:
    """A valid, unique HTML id for each concept's tooltip, stable across renders."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(concept_keys):
        base = TIP_ID_PREFIX + (_NOT_ID_CHARS.sub("-", key).strip("-") or "term")
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        ids[key] = candidate
    return ids


@dataclass
class _Piece:
    """One text event of the parser: its raw source and what it reads as."""

    raw_start: int
    raw: str
    text: str

    @property
    def raw_end(self) -> int:
        return self.raw_start + len(self.raw)


class _TextRun:
    """Adjacent text (no tag in between), decoded, with a map back to source offsets.

    Matching runs on the decoded text so that "R&amp;D" or "digital&nbsp;twin" read as a
    reader sees them, while insertions use source offsets so entities stay as written.
    """

    def __init__(self, pieces: list[_Piece]):
        self.pieces = pieces
        self.text = "".join(piece.text for piece in pieces)
        self._text_starts: list[int] = []
        position = 0
        for piece in pieces:
            self._text_starts.append(position)
            position += len(piece.text)

    def raw_offset(self, index: int, *, end: bool) -> int:
        """Source offset of decoded `index` (a match start, or a match end if `end`)."""
        # A match end maps through the character just before it.
        lookup = index - 1 if end else index
        piece_number = bisect_right(self._text_starts, lookup) - 1
        piece = self.pieces[piece_number]
        if piece.raw == piece.text:
            return piece.raw_start + index - self._text_starts[piece_number]
        # A character reference is linked whole or not at all.
        return piece.raw_end if end else piece.raw_start


def _has_class(attrs: list[tuple[str, str | None]], class_name: str) -> bool:
    return any(name == "class" and value and class_name in value.split() for name, value in attrs)


class _TextCollector(HTMLParser):
    """Collects the text runs of a fragment that lie outside `excluded` elements.

    Runs on the source with convert_charrefs=False, so each text event is either raw data
    or one character reference, and records where each event starts. Only text that can be
    proven to be exactly the source at that offset is collected; anything the parser
    treats as text but a browser might not (a stray "<", a broken tag) is left alone.
    """

    def __init__(self, source: str, excluded: frozenset[str]):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.excluded = excluded
        self.runs: list[_TextRun] = []
        self.glossary_link_urls: list[str] = []
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", source)]
        self._open_excluded: list[str] = []
        self._pending: list[_Piece] = []

    def collect(self) -> _TextCollector:
        self.feed(self.source)
        self.close()
        self._flush()
        return self

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _flush(self) -> None:
        if self._pending:
            self.runs.append(_TextRun(self._pending))
            self._pending = []

    def _add_text(self, raw: str, text: str) -> None:
        start = self._offset()
        if self._open_excluded or not raw or not self.source.startswith(raw, start):
            self._flush()
            return
        if self._pending and self._pending[-1].raw_end != start:
            self._flush()
        self._pending.append(_Piece(start, raw, text))

    def handle_data(self, data: str) -> None:
        if data.startswith("<"):
            self._flush()
            return
        self._add_text(data, data)

    def _add_reference(self, raw_without_semicolon: str) -> None:
        end = self._offset() + len(raw_without_semicolon)
        raw = raw_without_semicolon + (";" if self.source.startswith(";", end) else "")
        self._add_text(raw, html_lib.unescape(raw))

    def handle_entityref(self, name: str) -> None:
        self._add_reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._add_reference(f"&#{name}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        if tag == "a" and _has_class(attrs, LINK_CLASS):
            self.glossary_link_urls.extend(
                value for name, value in attrs if name == "href" and value
            )
        if (
            tag in self.excluded
            or tag in self._open_excluded
            or (tag == "span" and _has_class(attrs, TIP_CLASS))
        ):
            self._open_excluded.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag in self._open_excluded:
            while self._open_excluded.pop() != tag:
                pass

    def handle_comment(self, data: str) -> None:
        self._flush()

    def handle_decl(self, decl: str) -> None:
        self._flush()

    def handle_pi(self, data: str) -> None:
        self._flush()

    def unknown_decl(self, data: str) -> None:
        self._flush()


@dataclass(frozen=True)
class _Match:
    raw_start: int
    raw_end: int
    target: GlossaryTarget


class TermLinker:
    """Links one language's glossary terms in HTML; build once per locale, then reuse.

    `forms` maps terms and synonyms (case-insensitive) and `abbreviations` maps
    abbreviations (case-sensitive) to their concept. Whitespace-only forms are ignored.
    """

    def __init__(
        self,
        forms: Mapping[str, GlossaryTarget],
        abbreviations: Mapping[str, GlossaryTarget] = _NO_ABBREVIATIONS,
    ):
        self._by_form: dict[str, GlossaryTarget] = {}
        self._by_abbreviation: dict[str, GlossaryTarget] = {}
        for form, target in forms.items():
            if normalised := _normalise_spaces(form):
                self._by_form[normalised.casefold()] = target
        for form, target in abbreviations.items():
            if normalised := _normalise_spaces(form):
                self._by_abbreviation[normalised] = target
        targets = [*self._by_form.values(), *self._by_abbreviation.values()]
        self._concept_keys = frozenset(target.concept_key for target in targets)
        self._concept_by_url = {target.url: target.concept_key for target in targets}
        self._tip_ids = _tip_ids(set(self._concept_keys))
        self.pattern = self._build_pattern(forms, abbreviations)

    @staticmethod
    def _build_pattern(
        forms: Mapping[str, GlossaryTarget], abbreviations: Mapping[str, GlossaryTarget]
    ) -> re.Pattern[str] | None:
        """One regex for all forms: longest first, so alternation is leftmost-longest."""
        candidates = {(_normalise_spaces(form), False) for form in forms}
        candidates |= {(_normalise_spaces(form), True) for form in abbreviations}
        # Longest first; at equal length an exact-case abbreviation before a term.
        ordered = sorted(
            (item for item in candidates if item[0]),
            key=lambda item: (-len(item[0]), not item[1], item[0]),
        )
        if not ordered:
            return None
        # Forms starting with a word character need a word boundary before them; the two
        # groups can never both match at one position, so ordering across them is moot.
        word_start = [item for item in ordered if _WORD_CHAR.match(item[0][0])]
        other_start = [item for item in ordered if not _WORD_CHAR.match(item[0][0])]
        branches = []
        if word_start:
            branches.append(r"(?<!\w)" + _alternation(word_start))
        if other_start:
            branches.append(_alternation(other_start))
        return re.compile("|".join(branches))

    def _target_for(self, matched: str) -> GlossaryTarget | None:
        normalised = _normalise_spaces(matched)
        target = self._by_abbreviation.get(normalised)
        if target is None:
            # None only for exotic case pairs where re's case folding and str.casefold()
            # disagree (e.g. the Turkish dotted capital I); such text stays unlinked.
            target = self._by_form.get(normalised.casefold())
        return target

    def _matches(self, pattern: re.Pattern[str], runs: list[_TextRun]):
        """Leftmost-longest matches in document order, as (run, match, target)."""
        for run in runs:
            for match in pattern.finditer(run.text):
                target = self._target_for(match.group())
                if target is not None:
                    yield run, match, target

    def link(self, html: str, seen: set[str] | None = None) -> str:
        """Return `html` with the first occurrence of each not-yet-`seen` concept linked.

        `seen` holds the concept keys already linked on this page; it is updated in place,
        so pass the same set for every rich-text field of one page. Concepts whose link is
        already in `html` (a fragment linked earlier) count as seen, so linking twice
        changes nothing.
        """
        if seen is None:
            seen = set()
        if self.pattern is None or self._concept_keys <= seen:
            return html
        collected = _TextCollector(html, SKIPPED_ELEMENTS).collect()
        for url in collected.glossary_link_urls:
            if url in self._concept_by_url:
                seen.add(self._concept_by_url[url])

        links: list[_Match] = []
        for run, match, target in self._matches(self.pattern, collected.runs):
            if target.concept_key in seen:
                continue
            seen.add(target.concept_key)
            links.append(
                _Match(
                    run.raw_offset(match.start(), end=False),
                    run.raw_offset(match.end(), end=True),
                    target,
                )
            )
        if not links:
            return html

        parts: list[str] = []
        copied_up_to = 0
        for found in links:
            parts.append(html[copied_up_to : found.raw_start])
            parts.append(self._markup(html[found.raw_start : found.raw_end], found.target))
            copied_up_to = found.raw_end
        parts.append(html[copied_up_to:])
        return "".join(parts)

    def link_page_fields(self, html_fragments: list[str]) -> list[str]:
        """Link several rich-text fields of one page, first occurrence across all of them."""
        seen: set[str] = set()
        return [self.link(fragment, seen) for fragment in html_fragments]

    def concepts_in(self, html: str) -> set[str]:
        """Concept keys with a form anywhere in the visible text of `html`.

        Unlike `link`, headings, link texts and code count too (they are usages of the
        term); tooltips added by `link` do not. Leftmost-longest applies: "cluster
        manager" counts as the cluster manager concept only, not also as "cluster".
        """
        if self.pattern is None:
            return set()
        collected = _TextCollector(html, UNRENDERED_ELEMENTS).collect()
        return {
            target.concept_key
            for _run, _match, target in self._matches(self.pattern, collected.runs)
        }

    def _markup(self, source_text: str, target: GlossaryTarget) -> str:
        tip_id = self._tip_ids[target.concept_key]
        return (
            f'<a class="{LINK_CLASS}" href="{html_lib.escape(target.url)}" '
            f'aria-describedby="{tip_id}">{source_text}</a>'
            f'<span class="{TIP_CLASS}" role="tooltip" id="{tip_id}">'
            f"{html_lib.escape(target.definition)}</span>"
        )
