"""Read and write the glossary exchange formats: TBX (ISO 30042) and CSV.

This is the data layer of ``import_glossary`` and ``export_glossary``; it knows nothing about
Django models. Every problem in a file is collected and reported together, with its position,
and a file with any problem is refused as a whole (nothing is half-imported).

TBX accepted on import (the writer produces the first form):

* TBX v3 / ISO 30042:2019 (namespace ``urn:iso:std:iso:30042:ed-2``, or no namespace),
  dialect TBX-Basic or TBX-Core, DCA style: ``tbx/text/body/conceptEntry/langSec/termSec``.
  DCT style (``style="dct"``, data categories as element names) is refused with a message.
* TBX 2008 (``martif/text/body/termEntry/langSet/tig|ntig``); ``termGrp``, ``descripGrp``,
  ``termNoteGrp`` and ``adminGrp`` wrappers are looked through.

Data categories read: on the concept ``descrip subjectField`` (theme key) and
``ref crossReference @target`` (related concepts); on the language section
``descrip definition`` and ``note`` (explanation; several notes are joined by a blank line);
on each term section ``term``, ``termNote administrativeStatus`` (preferred, admitted,
deprecated; superseded counts as deprecated), ``termNote termType`` (abbreviation/acronym),
and, for the main term only, ``termNote partOfSpeech``, ``descrip context`` (example) and
``admin source``. Anything else (other data categories, elements in other namespaces, the
header) is ignored. The main term is the preferred one or, failing that, the first
non-abbreviation term; other terms become synonyms or deprecated synonyms. Without an
administrativeStatus (TBX-Core) the main term counts as preferred, the others as admitted.

CSV: one row per concept and language, columns ``CSV_COLUMNS`` in any order (only
concept_id, language and term are required), comma, semicolon or tab separated (guessed
from the header line), UTF-8 with or without BOM.

Refused, always as a GlossaryFormatError: files over MAX_BYTES (checked before parsing),
text that is not UTF-8, empty files, any DTD or entity declaration (defusedxml; nothing
external is ever fetched or read), XML nested deeper than MAX_DEPTH, fields longer than
MAX_FIELD_CHARS or holding control characters, concept ids that are not 1-100 of
``[A-Za-z0-9_.-]`` starting with a letter or '_', languages not in ``languages``, parts of
speech outside PARTS_OF_SPEECH, '|' inside a synonym (it separates CSV lists), and
cross-references to a concept that is neither in the same import (``parse_files`` reads
several files as one import) nor in ``known_ids`` (the ids already in the glossary).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from xml.etree.ElementTree import Element, SubElement, indent, tostring
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, XMLParser

MAX_BYTES = 5 * 1024 * 1024
MAX_FIELD_CHARS = 10_000
MAX_DEPTH = 40  # TBX needs about 8 levels; this refuses pathological nesting early
MAX_REPORTED = 100  # problems listed by str(error); .problems keeps them all

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_LANGUAGE_ORDER = ("en", "fr", "es", "hu")
STATUSES = ("preferred", "admitted", "deprecated")
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "properNoun", "other")
CSV_COLUMNS = (
    "concept_id",
    "language",
    "term",
    "status",
    "part_of_speech",
    "abbreviation",
    "synonyms",
    "deprecated_synonyms",
    "definition",
    "explanation",
    "example",
    "source",
    "theme",
    "related",
)
CSV_REQUIRED_COLUMNS = ("concept_id", "language", "term")
LIST_SEPARATOR = " | "

# An XML NCName subset: valid as a TBX id, in a URL and in a " | " list.
_CONCEPT_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")
# Characters XML 1.0 cannot carry; a CSV cell holding one could never be exported as TBX.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_ENCODING = re.compile(r"""\A<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
_STATUS_VALUES = {
    "preferredterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted",
    "deprecatedterm-admn-sts": "deprecated",
    "supersededterm-admn-sts": "deprecated",
    **{status: status for status in STATUSES},
}
_TBX_STATUS = {status: f"{status}Term-admn-sts" for status in STATUSES}
_PARTS_OF_SPEECH = {name.lower(): name for name in PARTS_OF_SPEECH}
_ABBREVIATION_TYPES = {"abbreviation", "acronym"}
# TBX 2008 names of the TBX v3 structural elements.
_ELEMENT_ALIASES = {
    "termEntry": "conceptEntry",
    "langSet": "langSec",
    "tig": "termSec",
    "ntig": "termSec",
}
_GROUPS = {"termGrp", "descripGrp", "termNoteGrp", "adminGrp"}
_TYPED_ELEMENTS = {"descrip", "termNote", "admin", "ref", "xref", "transac"}


@dataclass
class TermEntry:
    """A concept in one language: its main term, the other names and the texts about it."""

    language: str
    term: str
    definition: str = ""
    explanation: str = ""
    example: str = ""
    source: str = ""
    part_of_speech: str = ""
    status: str = "preferred"
    synonyms: list[str] = field(default_factory=list)
    deprecated_synonyms: list[str] = field(default_factory=list)
    abbreviation: str = ""


@dataclass
class Concept:
    id: str
    theme: str = ""
    related: list[str] = field(default_factory=list)
    entries: dict[str, TermEntry] = field(default_factory=dict)


class GlossaryFormatError(ValueError):
    """A glossary file that cannot be imported; ``problems`` says every reason and where."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"- {problem}" for problem in self.problems[:MAX_REPORTED]]
        if len(self.problems) > MAX_REPORTED:
            lines.append(f"… and {len(self.problems) - MAX_REPORTED} more")
        return "\n".join(lines)


# --- Parsing: shared ----------------------------------------------------------------------


@dataclass
class _Parsed:
    """One file's concepts plus what can only be checked once every file is read."""

    concepts: list[Concept] = field(default_factory=list)
    positions: dict[str, str] = field(default_factory=dict)  # concept id -> where defined
    references: list[tuple[str, str, str]] = field(default_factory=list)  # where, id, target
    problems: list[str] = field(default_factory=list)


def _quote(value: str) -> str:
    """A value quoted for a message, shortened: a hostile file must not bloat the report."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _at(position: str, concept_id: str | None, message: str) -> str:
    return (
        f"{position}, concept {concept_id}: {message}" if concept_id else f"{position}: {message}"
    )


def _decode(data: bytes) -> str:
    """The file as text, or an error: size, encoding and emptiness are checked before parsing."""
    if len(data) > MAX_BYTES:
        raise GlossaryFormatError([f"the file is larger than 5 MB ({len(data)} bytes)"])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise GlossaryFormatError(["the file is not UTF-8 text (it is UTF-16); save it as UTF-8"])
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise GlossaryFormatError(
            [f"line {line}: the file is not UTF-8 text (it contains NUL bytes, as UTF-16 does)"]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise GlossaryFormatError(
            [
                f"line {line}: the file is not UTF-8 text (byte 0x{data[error.start]:02x} "
                "cannot be read); save it as UTF-8"
            ]
        ) from None
    if not text.strip():
        raise GlossaryFormatError(["the file is empty"])
    return text


def _check_entry(entry: TermEntry, position: str, concept_id: str, problems: list[str]) -> None:
    """Rules every entry obeys, whatever format it came from."""
    where = f"language '{entry.language}'"
    texts = [
        ("term", entry.term),
        ("definition", entry.definition),
        ("explanation", entry.explanation),
        ("example", entry.example),
        ("source", entry.source),
        ("abbreviation", entry.abbreviation),
        *((f"synonym {_quote(name)}", name) for name in entry.synonyms),
        *((f"deprecated synonym {_quote(name)}", name) for name in entry.deprecated_synonyms),
    ]
    for name, text in texts:
        if len(text) > MAX_FIELD_CHARS:
            message = f"the {name} ({where}) is longer than {MAX_FIELD_CHARS} characters"
            problems.append(_at(position, concept_id, message))
        if bad := _NOT_XML_CHAR.search(text):
            message = f"the {name} ({where}) contains the control character U+{ord(bad[0]):04X}"
            problems.append(_at(position, concept_id, message))
    for name in [*entry.synonyms, *entry.deprecated_synonyms]:
        if "|" in name:
            message = f"the synonym {_quote(name)} ({where}) contains '|', the list separator"
            problems.append(_at(position, concept_id, message))
    if entry.part_of_speech and entry.part_of_speech not in PARTS_OF_SPEECH:
        message = (
            f"unknown part of speech {_quote(entry.part_of_speech)} ({where}); "
            f"expected one of: {', '.join(PARTS_OF_SPEECH)}"
        )
        problems.append(_at(position, concept_id, message))


def _language_problem(language: str, languages: Collection[str], missing: str) -> str | None:
    if not language:
        return missing
    if language not in languages:
        return (
            f"unknown language {_quote(language)}; expected one of: {', '.join(sorted(languages))}"
        )
    return None


def _concept_id_problem(concept_id: str) -> str | None:
    if not concept_id:
        return "a concept has no id"
    if not _CONCEPT_ID.fullmatch(concept_id):
        return (
            f"the concept id {_quote(concept_id)} is not valid: use up to 100 letters, digits, "
            "'_', '-' or '.', starting with a letter"
        )
    return None


def _check_theme(theme: str, themes, position: str, concept_id: str, problems) -> None:
    if theme and themes is not None and theme not in themes:
        problems.append(_at(position, concept_id, f"unknown theme {_quote(theme)}"))


def _reference_problems(parsed: _Parsed, known_ids: Collection[str]) -> list[str]:
    problems = []
    for position, concept_id, target in parsed.references:
        if target == concept_id:
            problems.append(_at(position, concept_id, "the concept refers to itself"))
        elif target not in parsed.positions and target not in known_ids:
            message = (
                f"cross-reference to {_quote(target)}, which is neither in the import "
                "nor in the glossary"
            )
            problems.append(_at(position, concept_id, message))
    return problems


def _finish(parsed: _Parsed, known_ids: Collection[str]) -> list[Concept]:
    problems = parsed.problems + _reference_problems(parsed, set(known_ids))
    if problems:
        raise GlossaryFormatError(problems)
    return parsed.concepts


def _allowed(languages: Collection[str], themes: Collection[str] | None):
    """Sets for fast lookups: lower-case language codes, and theme keys (None: any theme)."""
    return {language.lower() for language in languages}, None if themes is None else set(themes)


# --- Parsing: TBX -------------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    """An XML element with the line it starts on (ElementTree forgets line numbers)."""

    tag: str
    namespace: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    text: str = ""  # all text inside, set when the element ends


class _TooDeep(Exception):
    pass


class _LineTreeBuilder:
    """Parser target that builds _Nodes, asking expat for the current line of each start tag."""

    def __init__(self) -> None:
        self.expat = None
        self.stack: list[_Node] = []
        self.root: _Node | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep
        namespace, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
        node = _Node(local, namespace, attrs, self.expat.CurrentLineNumber)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(text)

    def end(self, tag: str) -> None:
        node = self.stack.pop()
        node.text = "".join(node.parts)
        node.parts = []
        if self.stack:
            self.stack[-1].parts.append(node.text)

    def close(self) -> _Node | None:
        return self.root


def _parse_xml(text: str) -> _Node:
    """Parse with defusedxml: no DTD, no entity declarations, no external references."""
    declared = _XML_ENCODING.match(text)
    if declared and declared[1].lower() not in _UTF8_NAMES:
        message = f"the file is not UTF-8 text (it declares encoding '{declared[1]}')"
        raise GlossaryFormatError([f"line 1: {message}; save it as UTF-8"])
    builder = _LineTreeBuilder()
    parser = XMLParser(target=builder, forbid_dtd=True, forbid_entities=True)
    builder.expat = parser.parser
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException:
        line = builder.expat.CurrentLineNumber
        message = "the file declares entities/DTD, which are not allowed"
        raise GlossaryFormatError([f"line {line}: {message}"]) from None
    except _TooDeep:
        line = builder.expat.CurrentLineNumber
        message = f"elements are nested more than {MAX_DEPTH} levels deep"
        raise GlossaryFormatError([f"line {line}: {message}"]) from None
    except ParseError as error:
        line, column = error.position
        message = f"the XML is malformed: {expat.ErrorString(error.code)}"
        raise GlossaryFormatError([f"line {line}, column {column + 1}: {message}"]) from None
    return root


def _is_tbx(node: _Node) -> bool:
    return node.namespace == "" or node.namespace.startswith("urn:iso:std:iso:30042")


def _kind(node: _Node) -> str:
    """What an element holds: its data category (type attribute) or its structural role."""
    if node.tag in _TYPED_ELEMENTS:
        return node.attrs.get("type", "")
    return _ELEMENT_ALIASES.get(node.tag, node.tag)


def _items(node: _Node) -> Iterator[_Node]:
    """TBX child elements, looking through grouping wrappers such as descripGrp."""
    for child in node.children:
        if not _is_tbx(child):
            continue
        if child.tag in _GROUPS:
            yield from _items(child)
        else:
            yield child


def _by_kind(node: _Node) -> dict[str, list[_Node]]:
    found: dict[str, list[_Node]] = defaultdict(list)
    for child in _items(node):
        found[_kind(child)].append(child)
    return found


def _one_text(nodes: list[_Node], what: str, concept_id: str, problems: list[str]) -> str:
    if len(nodes) > 1:
        problems.append(_at(f"line {nodes[1].line}", concept_id, f"more than one {what}"))
    return nodes[0].text.strip() if nodes else ""


def _child(node: _Node | None, tag: str) -> _Node | None:
    if node is None:
        return None
    return next((child for child in node.children if child.tag == tag and _is_tbx(child)), None)


def _read_tbx(text: str, languages: set[str], themes) -> _Parsed:
    root = _parse_xml(text)
    parsed = _Parsed()
    if root.tag not in ("tbx", "martif") or not _is_tbx(root):
        message = f"this is not a TBX file (the root element is <{root.tag}>)"
        parsed.problems.append(f"line {root.line}: {message}")
        return parsed
    if root.attrs.get("style", "").lower() == "dct":
        message = "DCT-style TBX is not supported; export the file in DCA style"
        parsed.problems.append(f"line {root.line}: {message}")
        return parsed
    body = _child(_child(root, "text"), "body")
    if body is None:
        parsed.problems.append(f"line {root.line}: the file has no <text><body> element")
        return parsed
    for node in body.children:
        if _is_tbx(node) and _kind(node) == "conceptEntry":
            _read_concept(node, languages, themes, parsed)
        elif _is_tbx(node):
            parsed.problems.append(f"line {node.line}: unexpected element <{node.tag}> in <body>")
    if not parsed.positions and not parsed.problems:
        parsed.problems.append(f"line {body.line}: the file contains no concepts")
    return parsed


def _read_concept(node: _Node, languages: set[str], themes, parsed: _Parsed) -> None:
    problems = parsed.problems
    position = f"line {node.line}"
    concept_id = node.attrs.get("id", "").strip()
    if problem := _concept_id_problem(concept_id):
        problems.append(_at(position, None, problem))
        concept_id = ""
    elif concept_id in parsed.positions:
        message = f"the id is used twice (first at {parsed.positions[concept_id]})"
        problems.append(_at(position, concept_id, message))
    else:
        parsed.positions[concept_id] = position
    kinds = _by_kind(node)
    concept = Concept(concept_id, _one_text(kinds["subjectField"], "theme", concept_id, problems))
    _check_theme(concept.theme, themes, position, concept_id, problems)
    for ref in kinds["crossReference"]:
        target = ref.attrs.get("target", "").strip()
        if not target:
            problems.append(_at(f"line {ref.line}", concept_id, "a cross-reference has no target"))
        else:
            concept.related.append(target)
            parsed.references.append((f"line {ref.line}", concept_id, target))
    for section in kinds["langSec"]:
        entry = _read_language(section, languages, concept_id, problems)
        if entry is None:
            continue
        if entry.language in concept.entries:
            message = f"two language sections for '{entry.language}'"
            problems.append(_at(f"line {section.line}", concept_id, message))
        concept.entries[entry.language] = entry
    if not kinds["langSec"]:
        problems.append(_at(position, concept_id, "the concept has no language section"))
    parsed.concepts.append(concept)


@dataclass
class _TermSec:
    node: _Node
    term: str
    status: str | None  # None: no administrativeStatus given
    abbreviation: bool


def _read_language(
    section: _Node, languages: set[str], concept_id: str, problems: list[str]
) -> TermEntry | None:
    position = f"line {section.line}"
    language = section.attrs.get(XML_LANG, "").strip().lower()
    missing = "a language section has no language (xml:lang)"
    if problem := _language_problem(language, languages, missing):
        problems.append(_at(position, concept_id, problem))
        return None
    kinds = _by_kind(section)
    terms = [_read_term(node, language, concept_id, problems) for node in kinds["termSec"]]
    terms = [term for term in terms if term is not None]
    abbreviations: list[_TermSec] = []
    names: list[_TermSec] = []
    for term in terms:
        is_abbreviation = term.abbreviation and term.status != "deprecated"
        (abbreviations if is_abbreviation else names).append(term)
    if not names:
        if not kinds["termSec"]:
            problems.append(_at(position, concept_id, f"no term for language '{language}'"))
        elif terms:
            message = f"only an abbreviation, no full term, for language '{language}'"
            problems.append(_at(position, concept_id, message))
        return None
    preferred = [term for term in names if term.status == "preferred"]
    if len(preferred) > 1:
        message = f"more than one preferred term for language '{language}'"
        problems.append(_at(f"line {preferred[1].node.line}", concept_id, message))
    if len(abbreviations) > 1:
        message = f"more than one abbreviation for language '{language}'"
        problems.append(_at(f"line {abbreviations[1].node.line}", concept_id, message))
    main = preferred[0] if preferred else names[0]
    details = _by_kind(main.node)
    others = [term for term in names if term is not main]
    entry = TermEntry(
        language=language,
        term=main.term,
        definition=_one_text(kinds["definition"], "definition", concept_id, problems),
        explanation="\n\n".join(note.text.strip() for note in kinds["note"] if note.text.strip()),
        example=_one_text(details["context"], "context (example)", concept_id, problems),
        source=_one_text(details["source"], "source", concept_id, problems),
        part_of_speech=_part_of_speech(
            _one_text(details["partOfSpeech"], "part of speech", concept_id, problems)
        ),
        status=main.status or "preferred",
        synonyms=[term.term for term in others if term.status != "deprecated"],
        deprecated_synonyms=[term.term for term in others if term.status == "deprecated"],
        abbreviation=abbreviations[0].term if abbreviations else "",
    )
    _check_entry(entry, position, concept_id, problems)
    return entry


def _read_term(node: _Node, language: str, concept_id: str, problems: list[str]) -> _TermSec | None:
    kinds = _by_kind(node)
    term = _one_text(kinds["term"], "term in one term section", concept_id, problems)
    if not term:
        message = f"a term is missing or empty (language '{language}')"
        problems.append(_at(f"line {node.line}", concept_id, message))
        return None
    status_text = _one_text(kinds["administrativeStatus"], "status", concept_id, problems)
    status = _STATUS_VALUES.get(status_text.lower()) if status_text else None
    if status_text and status is None:
        message = f"unknown administrative status {_quote(status_text)} for {_quote(term)}"
        problems.append(_at(f"line {node.line}", concept_id, message))
    term_type = _one_text(kinds["termType"], "term type", concept_id, problems)
    return _TermSec(node, term, status, term_type in _ABBREVIATION_TYPES)


def _part_of_speech(text: str) -> str:
    """The TBX-Basic spelling when the case differs ("Noun"); anything else stays as given."""
    return _PARTS_OF_SPEECH.get(text.lower(), text)


# --- Parsing: CSV -------------------------------------------------------------------------


def _split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split("|") if item.strip()]


def _read_csv(text: str, languages: set[str], themes) -> _Parsed:
    parsed = _Parsed()
    problems = parsed.problems
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as error:
        problems.append(f"row {len(records) + 1}: the CSV is malformed ({error})")
    if not records:
        return parsed
    header = [name.strip().lower() for name in records[0]]
    repeated = sorted(name for name, count in Counter(header).items() if count > 1)
    if repeated:
        names = ", ".join(_quote(name) for name in repeated[:10])
        problems.append(f"row 1: column(s) appearing more than once: {names}")
    unknown = sorted(set(header) - set(CSV_COLUMNS))
    if unknown:
        names = ", ".join(_quote(name) for name in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        message = f"unknown column(s) {names}{more}; the columns are: {', '.join(CSV_COLUMNS)}"
        problems.append(f"row 1: {message}")
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(f"row 1: required column(s) missing: {', '.join(missing)}")
        return parsed
    seen: dict[str, tuple[Concept, int]] = {}  # concept id -> (concept, its first row)
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) != len(header):
            message = f"the row has {len(record)} fields, the header has {len(header)}"
            problems.append(f"row {number}: {message}")
            continue
        # Line ends are normalised: XML would turn \r\n into \n on the next TBX round.
        cells = (cell.strip().replace("\r\n", "\n").replace("\r", "\n") for cell in record)
        row = dict(zip(header, cells, strict=True))
        _read_row(row, number, languages, themes, parsed, seen)
    if not parsed.concepts and not problems:
        problems.append("row 2: the file contains no concepts")
    return parsed


def _read_row(row, number: int, languages, themes, parsed: _Parsed, seen) -> None:
    problems = parsed.problems
    position = f"row {number}"
    concept_id = row["concept_id"]
    if problem := _concept_id_problem(concept_id):
        problems.append(_at(position, None, problem))
        return
    theme, related = row.get("theme", ""), _split_list(row.get("related", ""))
    if concept_id not in seen:
        seen[concept_id] = (Concept(concept_id, theme, related), number)
        parsed.concepts.append(seen[concept_id][0])
        parsed.positions[concept_id] = position
        _check_theme(theme, themes, position, concept_id, problems)
        parsed.references += [(position, concept_id, target) for target in related]
    concept, first = seen[concept_id]
    if theme != concept.theme:
        message = f"the theme {_quote(theme)} differs from {_quote(concept.theme)} on row {first}"
        problems.append(_at(position, concept_id, message))
    if related != concept.related:
        message = f"the related concepts differ from those on row {first}"
        problems.append(_at(position, concept_id, message))
    language = row["language"].lower()
    if problem := _language_problem(language, languages, "the language is empty"):
        problems.append(_at(position, concept_id, problem))
        return
    if language in concept.entries:
        problems.append(_at(position, concept_id, f"two rows for language '{language}'"))
        return
    status_text = row.get("status", "")
    status = _STATUS_VALUES.get(status_text.lower()) if status_text else "preferred"
    if status is None:
        message = f"unknown status {_quote(status_text)}; expected one of: {', '.join(STATUSES)}"
        problems.append(_at(position, concept_id, message))
    if not row["term"]:
        problems.append(_at(position, concept_id, f"the term is empty (language '{language}')"))
    entry = TermEntry(
        language=language,
        term=row["term"],
        definition=row.get("definition", ""),
        explanation=row.get("explanation", ""),
        example=row.get("example", ""),
        source=row.get("source", ""),
        part_of_speech=_part_of_speech(row.get("part_of_speech", "")),
        status=status or "preferred",
        synonyms=_split_list(row.get("synonyms", "")),
        deprecated_synonyms=_split_list(row.get("deprecated_synonyms", "")),
        abbreviation=row.get("abbreviation", ""),
    )
    _check_entry(entry, position, concept_id, problems)
    concept.entries[language] = entry


# --- Parsing: public API ------------------------------------------------------------------


def parse_tbx(
    data: bytes,
    languages: Collection[str],
    *,
    known_ids: Collection[str] = (),
    themes: Collection[str] | None = None,
) -> list[Concept]:
    """The concepts of a TBX file, or GlossaryFormatError listing every problem.

    ``known_ids``: concept ids already in the glossary, which cross-references may point at.
    ``themes``: the allowed theme keys; None accepts any.
    """
    return _finish(_read_tbx(_decode(data), *_allowed(languages, themes)), known_ids)


def parse_csv(
    data: bytes,
    languages: Collection[str],
    *,
    known_ids: Collection[str] = (),
    themes: Collection[str] | None = None,
) -> list[Concept]:
    """The concepts of a CSV file (see CSV_COLUMNS), or GlossaryFormatError."""
    return _finish(_read_csv(_decode(data), *_allowed(languages, themes)), known_ids)


def _reader_for(path_or_name: str | PurePath):
    suffix = PurePath(str(path_or_name)).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return _read_tbx
    if suffix == ".csv":
        return _read_csv
    raise GlossaryFormatError(
        [f"unknown file type {_quote(suffix)}; use a .tbx, .xml or .csv file"]
    )


def parse_file(
    path_or_name: str | PurePath,
    data: bytes,
    languages: Collection[str],
    *,
    known_ids: Collection[str] = (),
    themes: Collection[str] | None = None,
) -> list[Concept]:
    """Parse ``data`` as TBX (.tbx, .xml) or CSV (.csv), chosen by the file name."""
    reader = _reader_for(path_or_name)
    return _finish(reader(_decode(data), *_allowed(languages, themes)), known_ids)


def parse_files(
    files: Iterable[tuple[str | PurePath, bytes]],
    languages: Collection[str],
    *,
    known_ids: Collection[str] = (),
    themes: Collection[str] | None = None,
) -> list[Concept]:
    """Parse several files as one import, so that they may refer to each other's concepts.

    ``files`` holds (name, data) pairs; problems start with the file name. A concept id may be
    defined in only one file.
    """
    merged = _Parsed()
    allowed = _allowed(languages, themes)
    for path_or_name, data in files:
        name = PurePath(str(path_or_name)).name
        try:
            parsed = _reader_for(path_or_name)(_decode(data), *allowed)
        except GlossaryFormatError as error:
            merged.problems += [f"{name}: {problem}" for problem in error.problems]
            continue
        merged.problems += [f"{name}, {problem}" for problem in parsed.problems]
        merged.references += [(f"{name}, {at}", cid, to) for at, cid, to in parsed.references]
        merged.concepts += parsed.concepts
        for concept_id, position in parsed.positions.items():
            if concept_id in merged.positions:
                message = f"the id is also used at {merged.positions[concept_id]}"
                merged.problems.append(_at(f"{name}, {position}", concept_id, message))
            else:
                merged.positions[concept_id] = f"{name}, {position}"
    return _finish(merged, known_ids)


def read_glossary_file(path: str | Path) -> bytes:
    """The bytes of an uploaded or local file, refusing a large file without reading it all."""
    with open(path, "rb") as file:
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise GlossaryFormatError(["the file is larger than 5 MB"])
    return data


# --- Writing ------------------------------------------------------------------------------


def _ordered_languages(entries: dict[str, TermEntry], languages: Sequence[str] | None) -> list[str]:
    """Languages in the requested order, then any others alphabetically (nothing dropped)."""
    order = list(languages) if languages is not None else list(DEFAULT_LANGUAGE_ORDER)
    return [code for code in order if code in entries] + sorted(
        code for code in entries if code not in order
    )


def _writable_problems(concepts: Iterable[Concept]) -> list[str]:
    """What would make an invalid file: a bad id or status, an empty term, control characters."""
    problems: list[str] = []
    for concept in concepts:
        if problem := _concept_id_problem(concept.id):
            problems.append(f"export: {problem}")
        for entry in concept.entries.values():
            _check_entry(entry, "export", concept.id, problems)
            if not entry.term.strip():
                message = f"the term is empty (language '{entry.language}')"
                problems.append(_at("export", concept.id, message))
            if entry.status not in STATUSES:
                message = f"unknown status {_quote(entry.status)} (language '{entry.language}')"
                problems.append(_at("export", concept.id, message))
        if bad_ids := [target for target in concept.related if "|" in target]:
            names = ", ".join(_quote(target) for target in bad_ids)
            problems.append(_at("export", concept.id, f"related ids contain '|': {names}"))
    return problems


def _add(parent: Element, tag: str, text: str, **attrs: str) -> None:
    if text:
        SubElement(parent, tag, attrs).text = text


def write_tbx(
    concepts: Iterable[Concept],
    languages: Sequence[str] | None = None,
    *,
    title: str = "Cluster4Smart smart-industry glossary",
    source_description: str = "Exported from the Cluster4Smart portal.",
) -> bytes:
    """TBX-Basic (DCA style, ISO 30042:2019) as UTF-8, indented, in a deterministic order.

    Concepts keep their order; languages follow ``languages`` (default en, fr, es, hu), and
    any other language of an entry follows alphabetically.
    """
    concepts = list(concepts)
    if problems := _writable_problems(concepts):
        raise GlossaryFormatError(problems)
    root = Element(
        "tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en", "xmlns": TBX_NAMESPACE}
    )
    file_description = SubElement(SubElement(root, "tbxHeader"), "fileDesc")
    SubElement(SubElement(file_description, "titleStmt"), "title").text = title
    SubElement(SubElement(file_description, "sourceDesc"), "p").text = source_description
    body = SubElement(SubElement(root, "text"), "body")
    for concept in concepts:
        entry_element = SubElement(body, "conceptEntry", {"id": concept.id})
        _add(entry_element, "descrip", concept.theme, type="subjectField")
        for target in concept.related:
            SubElement(entry_element, "ref", {"type": "crossReference", "target": target})
        for language in _ordered_languages(concept.entries, languages):
            _write_language(entry_element, language, concept.entries[language])
    indent(root, space="  ")
    xml = tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'.encode()


def _write_language(parent: Element, language: str, entry: TermEntry) -> None:
    section = SubElement(parent, "langSec", {XML_LANG: language})
    _add(section, "descrip", entry.definition, type="definition")
    _add(section, "note", entry.explanation)
    main = SubElement(section, "termSec")
    SubElement(main, "term").text = entry.term
    _add(main, "termNote", entry.part_of_speech, type="partOfSpeech")
    _add(main, "termNote", _TBX_STATUS[entry.status], type="administrativeStatus")
    _add(main, "descrip", entry.example, type="context")
    _add(main, "admin", entry.source, type="source")
    others = [(name, "admitted") for name in entry.synonyms]
    others += [(name, "deprecated") for name in entry.deprecated_synonyms]
    for name, status in others:
        synonym = SubElement(section, "termSec")
        SubElement(synonym, "term").text = name
        _add(synonym, "termNote", _TBX_STATUS[status], type="administrativeStatus")
    if entry.abbreviation:
        abbreviation = SubElement(section, "termSec")
        SubElement(abbreviation, "term").text = entry.abbreviation
        _add(abbreviation, "termNote", "abbreviation", type="termType")


def write_csv(concepts: Iterable[Concept], languages: Sequence[str] | None = None) -> str:
    """CSV text with the CSV_COLUMNS header, one row per concept and language (CRLF lines)."""
    concepts = list(concepts)
    if problems := _writable_problems(concepts):
        raise GlossaryFormatError(problems)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for concept in concepts:
        for language in _ordered_languages(concept.entries, languages):
            entry = concept.entries[language]
            writer.writerow(
                [
                    concept.id,
                    language,
                    entry.term,
                    entry.status,
                    entry.part_of_speech,
                    entry.abbreviation,
                    LIST_SEPARATOR.join(entry.synonyms),
                    LIST_SEPARATOR.join(entry.deprecated_synonyms),
                    entry.definition,
                    entry.explanation,
                    entry.example,
                    entry.source,
                    concept.theme,
                    LIST_SEPARATOR.join(concept.related),
                ]
            )
    return buffer.getvalue()
