"""The glossary exchange formats: TBX and CSV reading, writing, validation and hostile files."""

import csv
import io
import re
from pathlib import Path

import pytest

from glossary.exchange import (
    CSV_COLUMNS,
    MAX_BYTES,
    Concept,
    GlossaryFormatError,
    TermEntry,
    parse_csv,
    parse_file,
    parse_files,
    parse_tbx,
    read_glossary_file,
    write_csv,
    write_tbx,
)

LANGUAGES = ["en", "fr", "es", "hu"]
DEMO = Path(__file__).resolve().parent.parent / "glossary" / "demo_content"
DEMO_FILE = DEMO / "glossary.tbx"
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'
    "<text><body>\n"
)
FOOTER = "</body></text>\n</tbx>\n"


def tbx(body: str) -> bytes:
    """A TBX document whose body starts on line 4."""
    return (HEADER + body + FOOTER).encode()


def problems_of(parse, data, **options) -> list[str]:
    with pytest.raises(GlossaryFormatError) as caught:
        parse(data, LANGUAGES, **options)
    return caught.value.problems


def demo_concepts() -> list[Concept]:
    return parse_tbx(DEMO_FILE.read_bytes(), LANGUAGES)


def csv_bytes(rows, header=CSV_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def csv_row(concept_id="c1", language="en", term="cluster", **values) -> list[str]:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(concept_id=concept_id, language=language, term=term, **values)
    return [row[name] for name in CSV_COLUMNS]


def sample_concepts() -> list[Concept]:
    """Concepts using every field, including the less common statuses and multi-line text."""
    return [
        Concept(
            id="c001",
            theme="cluster-excellence",
            related=["c002"],
            entries={
                "hu": TermEntry("hu", "klaszter", definition="Földrajzi koncentráció."),
                "en": TermEntry(
                    "en",
                    "cluster",
                    definition="A concentration of companies.",
                    explanation="First paragraph.\n\nSecond paragraph, with <angle> & ampersand.",
                    example="The furniture cluster.",
                    source="Porter (1990)",
                    part_of_speech="noun",
                    synonyms=["industrial cluster", "business cluster"],
                    deprecated_synonyms=["cluster zone"],
                    abbreviation="CL",
                ),
                "fr": TermEntry("fr", "grappe", status="admitted", synonyms=["cluster"]),
            },
        ),
        Concept(
            id="c002",
            related=["c001"],
            entries={"es": TermEntry("es", "rumbo", status="deprecated", part_of_speech="other")},
        ),
    ]


# --- The demo files -------------------------------------------------------------------------


def test_both_demo_files_give_64_concepts_in_four_languages():
    concepts = demo_concepts()
    assert [concept.id for concept in concepts] == [f"c{number:03d}" for number in range(1, 65)]
    for concept in concepts:
        assert sorted(concept.entries) == sorted(LANGUAGES), concept.id
        assert concept.theme, concept.id
        assert all(entry.term and entry.definition for entry in concept.entries.values())


def test_demo_terms_keep_synonyms_abbreviations_and_details():
    concepts = {concept.id: concept for concept in demo_concepts()}
    cluster = concepts["c001"].entries["en"]
    assert cluster.term == "cluster"
    assert cluster.status == "preferred"
    assert cluster.part_of_speech == "noun"
    assert cluster.synonyms == ["industrial cluster", "business cluster"]
    assert cluster.example.startswith("The region's furniture cluster")
    assert cluster.source.startswith("Porter, M. E.")
    assert cluster.explanation.startswith("The concept goes back to Michael Porter")
    assert concepts["c001"].theme == "cluster-excellence"
    assert concepts["c001"].related == ["c002", "c028", "c030"]
    strategy = concepts["c009"].entries
    assert strategy["en"].term == "smart specialisation strategy"
    assert strategy["en"].abbreviation == "S3"
    assert strategy["es"].abbreviation == "RIS3"
    assert strategy["en"].synonyms == [
        "research and innovation strategy for smart specialisation",
        "smart specialization strategy",
    ]
    deprecated = [
        entry
        for concept in concepts.values()
        for entry in concept.entries.values()
        if entry.deprecated_synonyms
    ]
    assert [entry.deprecated_synonyms for entry in deprecated] == [["entreprenariat"]]


def test_a_partial_file_refers_to_concepts_it_does_not_hold():
    """Concepts c001-c032 alone refer to c033 and others: alone, those references are problems."""
    first_half = write_tbx(demo_concepts()[:32])
    problems = problems_of(parse_tbx, first_half)
    assert re.match(
        r"line \d+, concept c\d{3}: cross-reference to 'c0(3[3-9]|[4-6]\d)', which is neither",
        problems[0],
    )
    assert all("cross-reference" in problem for problem in problems)
    later_ids = [f"c{number:03d}" for number in range(33, 65)]
    assert len(parse_tbx(first_half, LANGUAGES, known_ids=later_ids)) == 32


def test_written_tbx_has_the_demo_structure():
    """Apart from the header, writing the parsed demo file reproduces it line for line."""
    original = DEMO_FILE.read_text(encoding="utf-8")
    written = write_tbx(demo_concepts()).decode("utf-8")
    assert written.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic"')
    assert written[written.index("<text>") :] == original[original.index("<text>") :]


def test_demo_round_trips_through_tbx_and_csv():
    concepts = demo_concepts()
    assert parse_tbx(write_tbx(concepts), LANGUAGES) == concepts
    assert parse_csv(write_csv(concepts).encode(), LANGUAGES) == concepts


# --- Round trips and writer order -----------------------------------------------------------


def test_every_field_round_trips_through_both_formats():
    concepts = sample_concepts()
    assert parse_tbx(write_tbx(concepts), LANGUAGES) == concepts
    assert parse_csv(write_csv(concepts).encode(), LANGUAGES) == concepts


def test_writers_put_languages_in_portal_order_then_the_rest():
    concepts = sample_concepts()
    concepts[0].entries["de"] = TermEntry("de", "Cluster")
    languages_in_tbx = re.findall(rb'<langSec xml:lang="(\w+)"', write_tbx(concepts))
    assert languages_in_tbx == [b"en", b"fr", b"hu", b"de", b"es"]
    rows = list(csv.reader(io.StringIO(write_csv(concepts))))
    assert rows[0] == list(CSV_COLUMNS)
    assert [row[:2] for row in rows[1:]] == [
        ["c001", "en"],
        ["c001", "fr"],
        ["c001", "hu"],
        ["c001", "de"],
        ["c002", "es"],
    ]
    chosen = re.findall(rb'xml:lang="(\w+)"', write_tbx(concepts, ["hu", "en"]))
    assert chosen == [b"en", b"hu", b"en", b"de", b"fr", b"es"]  # root first


def test_csv_lists_are_separated_by_a_bar_and_repeat_concept_columns():
    rows = list(csv.DictReader(io.StringIO(write_csv(sample_concepts()))))
    assert rows[0]["synonyms"] == "industrial cluster | business cluster"
    assert [row["theme"] for row in rows[:3]] == ["cluster-excellence"] * 3
    assert [row["related"] for row in rows[:3]] == ["c002"] * 3


def test_writing_is_deterministic():
    assert write_tbx(sample_concepts()) == write_tbx(sample_concepts())
    assert write_csv(sample_concepts()) == write_csv(sample_concepts())


def test_writers_refuse_what_the_formats_cannot_hold():
    concepts = sample_concepts()
    concepts[0].entries["en"].synonyms.append("left | right")
    concepts[1].entries["es"].definition = "bell\x07"
    with pytest.raises(GlossaryFormatError) as caught:
        write_csv(concepts)
    assert caught.value.problems == [
        "export, concept c001: the synonym 'left | right' (language 'en') contains '|', "
        "the list separator",
        "export, concept c002: the definition (language 'es') contains the control "
        "character U+0007",
    ]
    with pytest.raises(GlossaryFormatError):
        write_tbx(concepts)


# --- Other TBX forms ------------------------------------------------------------------------


def test_tbx_core_without_basic_extras():
    data = tbx(
        '<conceptEntry id="k1"><langSec xml:lang="fr">'
        "<termSec><term>grappe</term></termSec><termSec><term>pôle</term></termSec>"
        "</langSec></conceptEntry>\n"
    ).replace(b"TBX-Basic", b"TBX-Core")
    assert parse_tbx(data, LANGUAGES) == [
        Concept("k1", entries={"fr": TermEntry("fr", "grappe", synonyms=["pôle"])})
    ]


def test_tbx_2008_martif_with_groups():
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><martifHeader/><text><body>
<termEntry id="t1">
  <descrip type="subjectField">digital</descrip>
  <langSet xml:lang="en">
    <descripGrp><descrip type="definition">Made of bits.</descrip></descripGrp>
    <ntig><termGrp><term>digital twin</term>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
      <termNote type="partOfSpeech">noun</termNote></termGrp></ntig>
    <tig><term>DT</term><termNote type="termType">acronym</termNote></tig>
    <tig><term>virtual twin</term>
      <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry>
</body></text></martif>
"""
    assert parse_tbx(data, LANGUAGES) == [
        Concept(
            "t1",
            theme="digital",
            entries={
                "en": TermEntry(
                    "en",
                    "digital twin",
                    definition="Made of bits.",
                    part_of_speech="noun",
                    deprecated_synonyms=["virtual twin"],
                    abbreviation="DT",
                )
            },
        )
    ]


def test_the_preferred_term_is_the_main_term_wherever_it_stands():
    data = tbx(
        '<conceptEntry id="k1"><langSec xml:lang="en">'
        "<termSec><term>old name</term>"
        '<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>'
        "<termSec><term>new name</term>"
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>'
        "</langSec></conceptEntry>\n"
    )
    [concept] = parse_tbx(data, LANGUAGES)
    assert concept.entries["en"].term == "new name"
    assert concept.entries["en"].synonyms == ["old name"]


# --- TBX validation -------------------------------------------------------------------------

INVALID_TBX = """<conceptEntry>
  <langSec xml:lang="en"><termSec><term>orphan</term></termSec></langSec>
</conceptEntry>
<conceptEntry id="c001">
  <ref type="crossReference" target="c999"/>
  <langSec xml:lang="en"><termSec><term>cluster</term></termSec></langSec>
  <langSec xml:lang="en"><termSec><term>cluster again</term></termSec></langSec>
  <langSec xml:lang="de"><termSec><term>Cluster</term></termSec></langSec>
  <langSec><termSec><term>x</term></termSec></langSec>
  <langSec xml:lang="fr"><descrip type="definition">Sans terme</descrip></langSec>
  <langSec xml:lang="es"><termSec><term>  </term></termSec></langSec>
</conceptEntry>
<conceptEntry id="c001">
  <langSec xml:lang="hu"><termSec><term>klaszter</term></termSec></langSec>
</conceptEntry>
"""


def test_all_tbx_problems_are_reported_together_with_lines_and_concepts():
    assert problems_of(parse_tbx, tbx(INVALID_TBX)) == [
        "line 4: a concept has no id",
        "line 10, concept c001: two language sections for 'en'",
        "line 11, concept c001: unknown language 'de'; expected one of: en, es, fr, hu",
        "line 12, concept c001: a language section has no language (xml:lang)",
        "line 13, concept c001: no term for language 'fr'",
        "line 14, concept c001: a term is missing or empty (language 'es')",
        "line 16, concept c001: the id is used twice (first at line 7)",
        "line 8, concept c001: cross-reference to 'c999', which is neither in the import "
        "nor in the glossary",
    ]


def test_error_message_lists_every_problem():
    with pytest.raises(GlossaryFormatError) as caught:
        parse_tbx(tbx(INVALID_TBX), LANGUAGES)
    message = str(caught.value)
    assert message.startswith("8 problems:\n- line 4: a concept has no id\n")
    assert all(f"- {problem}" in message for problem in caught.value.problems)
    assert isinstance(caught.value, ValueError)


def test_term_status_and_abbreviation_problems():
    data = tbx(
        '<conceptEntry id="c001"><langSec xml:lang="en">\n'
        "<termSec><term>one</term>"
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>\n'
        "<termSec><term>two</term>"
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>\n'
        "<termSec><term>three</term>"
        '<termNote type="administrativeStatus">forbiddenTerm</termNote></termSec>\n'
        '<termSec><term>A</term><termNote type="termType">abbreviation</termNote></termSec>\n'
        '<termSec><term>B</term><termNote type="termType">abbreviation</termNote></termSec>\n'
        '</langSec><ref type="crossReference" target="c001"/></conceptEntry>\n'
    )
    assert problems_of(parse_tbx, data) == [
        "line 7, concept c001: unknown administrative status 'forbiddenTerm' for 'three'",
        "line 6, concept c001: more than one preferred term for language 'en'",
        "line 9, concept c001: more than one abbreviation for language 'en'",
        "line 10, concept c001: the concept refers to itself",
    ]


def test_wrong_document_shapes():
    assert problems_of(parse_tbx, b"<html><body/></html>") == [
        "line 1: this is not a TBX file (the root element is <html>)"
    ]
    assert problems_of(parse_tbx, tbx("")) == ["line 3: the file contains no concepts"]
    assert problems_of(parse_tbx, tbx("<termSec/>\n")) == [
        "line 4: unexpected element <termSec> in <body>"
    ]
    dct = tbx('<conceptEntry id="c1"/>').replace(b'style="dca"', b'style="dct"')
    assert problems_of(parse_tbx, dct) == [
        "line 2: DCT-style TBX is not supported; export the file in DCA style"
    ]


def test_malformed_xml_reports_line_and_column():
    data = tbx('<conceptEntry id="c1">\n  <langSec xml:lang="en"></termSec>\n')
    assert problems_of(parse_tbx, data) == [
        "line 5, column 28: the XML is malformed: mismatched tag"
    ]


def test_unknown_theme_is_reported_when_themes_are_given():
    data = tbx(
        '<conceptEntry id="c1"><descrip type="subjectField">astrology</descrip>'
        '<langSec xml:lang="en"><termSec><term>x</term></termSec></langSec></conceptEntry>\n'
    )
    assert problems_of(parse_tbx, data, themes={"smart-industry"}) == [
        "line 4, concept c1: unknown theme 'astrology'"
    ]
    assert parse_tbx(data, LANGUAGES)[0].theme == "astrology"


# --- Hostile files --------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tbx><text><body><conceptEntry id="c1"><langSec xml:lang="en">
<termSec><term>&lol9;</term></termSec></langSec></conceptEntry></body></text></tbx>
"""
QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY a "'
    + b"a" * 50_000
    + b'">]>\n<tbx>'
    + b"&a;" * 50_000
    + b"</tbx>"
)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (BILLION_LAUGHS, 2),
        (QUADRATIC_BLOWUP, 2),
        (b'<?xml version="1.0"?>\n\n<!DOCTYPE tbx SYSTEM "tbx.dtd">\n<tbx/>', 3),
    ],
    ids=["billion-laughs", "quadratic-blowup", "external-dtd"],
)
def test_dtds_and_entity_declarations_are_refused(data, line):
    assert problems_of(parse_tbx, data) == [
        f"line {line}: the file declares entities/DTD, which are not allowed"
    ]


@pytest.mark.parametrize("entity", ["general", "parameter"])
def test_external_entities_never_read_local_files(tmp_path, entity):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4711", encoding="utf-8")
    if entity == "general":
        doctype = f'<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        term = "&xxe;"
    else:
        doctype = f'<!DOCTYPE tbx [<!ENTITY % xxe SYSTEM "{secret.as_uri()}"> %xxe;]>'
        term = "x"
    data = tbx(
        f'<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>{term}</term>'
        "</termSec></langSec></conceptEntry>\n"
    ).replace(b"<tbx ", doctype.encode() + b"\n<tbx ")
    with pytest.raises(GlossaryFormatError) as caught:
        parse_tbx(data, LANGUAGES)
    assert caught.value.problems == [
        "line 2: the file declares entities/DTD, which are not allowed"
    ]
    assert "TOP-SECRET" not in str(caught.value)
    assert "TOP-SECRET" not in repr(caught.value.__dict__)
    assert caught.value.__context__ is None or "TOP-SECRET" not in str(caught.value.__context__)


def test_undeclared_entity_is_malformed_xml():
    data = tbx('<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&xxe;')
    assert problems_of(parse_tbx, data) == [
        "line 4, column 61: the XML is malformed: undefined entity"
    ]


def test_a_language_with_100000_terms_is_read_completely():
    terms = "<termSec><term>t</term></termSec>" * 100_000
    data = tbx(f'<conceptEntry id="c1"><langSec xml:lang="en">{terms}</langSec></conceptEntry>')
    assert len(data) < MAX_BYTES
    [concept] = parse_tbx(data, LANGUAGES)
    assert len(concept.entries["en"].synonyms) == 99_999


def test_deep_nesting_is_refused():
    data = b"<tbx>" + b"<a>" * 1000 + b"</a>" * 1000 + b"</tbx>"
    assert problems_of(parse_tbx, data) == ["line 1: elements are nested more than 40 levels deep"]


@pytest.mark.parametrize("parse", [parse_tbx, parse_csv])
def test_oversize_files_are_refused_before_parsing(parse):
    data = b"<" * (MAX_BYTES + 1)  # would be malformed XML/CSV if it were parsed at all
    assert problems_of(parse, data) == [f"the file is larger than 5 MB ({MAX_BYTES + 1} bytes)"]


def test_reading_a_large_file_stops_at_the_limit(tmp_path):
    big = tmp_path / "big.tbx"
    big.write_bytes(b" " * (MAX_BYTES + 10))
    with pytest.raises(GlossaryFormatError, match="larger than 5 MB"):
        read_glossary_file(big)
    assert read_glossary_file(DEMO_FILE) == DEMO_FILE.read_bytes()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            tbx('<conceptEntry id="c1"><!-- café -->').replace("é".encode(), "é".encode("latin-1")),
            "line 4: the file is not UTF-8 text (byte 0xe9 cannot be read); save it as UTF-8",
        ),
        (
            "<tbx/>".encode("utf-16"),
            "the file is not UTF-8 text (it is UTF-16); save it as UTF-8",
        ),
        (
            "<tbx/>".encode("utf-16-le"),
            "line 1: the file is not UTF-8 text (it contains NUL bytes, as UTF-16 does)",
        ),
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<tbx/>',
            "line 1: the file is not UTF-8 text (it declares encoding 'ISO-8859-1'); "
            "save it as UTF-8",
        ),
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf \n\t", "the file is empty"),
    ],
    ids=["latin-1", "utf-16-bom", "utf-16-no-bom", "declared-latin-1", "empty", "blank"],
)
def test_encoding_and_empty_files(data, problem):
    assert problems_of(parse_tbx, data) == [problem]


def test_files_just_under_the_size_limit_are_accepted():
    """Files just under 5 MB parse completely in both formats (their speed is in bench/)."""
    rows = [
        csv_row(
            f"c{number}",
            language,
            f"term {number}",
            definition="d" * 150,
            related=f"c{(number + 1) % 2500}",
        )
        for number in range(6000)
        for language in LANGUAGES
    ]
    csv_data = csv_bytes(rows)
    concepts = parse_csv(csv_data, LANGUAGES)
    tbx_data = write_tbx(concepts[:2500])
    assert parse_tbx(tbx_data, LANGUAGES) == concepts[:2500]
    assert len(concepts) == 6000
    assert MAX_BYTES * 0.8 < len(csv_data) < MAX_BYTES
    assert MAX_BYTES * 0.8 < len(tbx_data) < MAX_BYTES


# --- CSV ------------------------------------------------------------------------------------


def test_csv_with_bom_semicolons_and_only_required_columns():
    data = "\ufeffconcept_id;language;term\nc1;fr;grappe\nc1;en;cluster\n".encode()
    assert parse_csv(data, LANGUAGES) == [
        Concept("c1", entries={"fr": TermEntry("fr", "grappe"), "en": TermEntry("en", "cluster")})
    ]


def test_csv_column_errors():
    header = ["concept_id", "term", "colour", "colour", "Size"]
    assert problems_of(parse_csv, csv_bytes([["c1", "x", "", "", ""]], header)) == [
        "row 1: column(s) appearing more than once: 'colour'",
        "row 1: unknown column(s) 'colour', 'size'; the columns are: " + ", ".join(CSV_COLUMNS),
        "row 1: required column(s) missing: language",
    ]


def test_a_header_with_millions_of_columns_is_one_short_problem():
    data = b"concept_id,language,term" + b",x" * 2_000_000 + b"\nc1,en,cluster\n"
    problems = problems_of(parse_csv, data)
    assert problems == [
        "row 1: column(s) appearing more than once: 'x'",
        "row 1: unknown column(s) 'x'; the columns are: " + ", ".join(CSV_COLUMNS),
        "row 2: the row has 3 fields, the header has 2000003",
    ]


def test_all_csv_row_problems_are_reported_together_with_row_numbers():
    c1 = {"theme": "a", "related": "c9"}
    rows = [
        csv_row(**c1),
        ["c1", "fr"],
        csv_row(language="fr", term="grappe", theme="b", related="c2 | c9"),
        csv_row(term="cluster again", **c1),
        csv_row(language="de", **c1),
        csv_row(concept_id=""),
        csv_row(concept_id="c 2"),
        csv_row(concept_id="c2", language="es", term=""),
        csv_row(concept_id="c3", status="obsolete", part_of_speech="gerund"),
        csv_row(concept_id="c4", definition="x" * 10_001),
        csv_row(concept_id="c5", example="tab\tok, bell\x07 not"),
    ]
    assert problems_of(parse_csv, csv_bytes(rows)) == [
        "row 3: the row has 2 fields, the header has 14",
        "row 4, concept c1: the theme 'b' differs from 'a' on row 2",
        "row 4, concept c1: the related concepts differ from those on row 2",
        "row 5, concept c1: two rows for language 'en'",
        "row 6, concept c1: unknown language 'de'; expected one of: en, es, fr, hu",
        "row 7: a concept has no id",
        "row 8: the concept id 'c 2' is not valid: use up to 100 letters, digits, '_', '-' or "
        "'.', starting with a letter",
        "row 9, concept c2: the term is empty (language 'es')",
        "row 10, concept c3: unknown status 'obsolete'; expected one of: preferred, admitted, "
        "deprecated",
        "row 10, concept c3: unknown part of speech 'gerund' (language 'en'); expected one of: "
        "noun, verb, adjective, adverb, properNoun, other",
        "row 11, concept c4: the definition (language 'en') is longer than 10000 characters",
        "row 12, concept c5: the example (language 'en') contains the control character U+0007",
        "row 2, concept c1: cross-reference to 'c9', which is neither in the import "
        "nor in the glossary",
    ]


def test_csv_malformed_quoting_and_huge_fields():
    data = csv_bytes([csv_row()]) + b'c2,en,"unterminated\n'
    assert problems_of(parse_csv, data)[-1].startswith("row 3: the CSV is malformed")
    huge = csv_bytes([csv_row(definition="x" * 200_000)])
    assert problems_of(parse_csv, huge) == [
        "row 2: the CSV is malformed (field larger than field limit (131072))"
    ]


def test_csv_that_is_not_utf8():
    data = csv_bytes([csv_row(term="café")]).replace("é".encode(), b"\xe9")
    assert problems_of(parse_csv, data) == [
        "line 2: the file is not UTF-8 text (byte 0xe9 cannot be read); save it as UTF-8"
    ]


def test_csv_header_only_has_no_concepts():
    assert problems_of(parse_csv, csv_bytes([])) == ["row 2: the file contains no concepts"]


# --- Choosing the format and importing several files ----------------------------------------


def test_parse_file_chooses_the_format_by_extension():
    tbx_data = tbx(
        '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>x</term></termSec>'
        "</langSec></conceptEntry>\n"
    )
    expected = [Concept("c1", entries={"en": TermEntry("en", "x")})]
    assert parse_file("upload.TBX", tbx_data, LANGUAGES) == expected
    assert parse_file(Path("dir/upload.xml"), tbx_data, LANGUAGES) == expected
    assert parse_file("upload.csv", csv_bytes([csv_row("c1", term="x")]), LANGUAGES) == expected
    with pytest.raises(GlossaryFormatError) as caught:
        parse_file("upload.txt", tbx_data, LANGUAGES)
    assert caught.value.problems == ["unknown file type '.txt'; use a .tbx, .xml or .csv file"]


def test_parse_files_names_the_file_and_finds_ids_defined_twice():
    one = csv_bytes([csv_row("c1", related="c2")])
    two = tbx(
        '<conceptEntry id="c1"><langSec xml:lang="fr"><termSec><term>x</term></termSec>'
        "</langSec></conceptEntry>\n"
    )
    with pytest.raises(GlossaryFormatError) as caught:
        files = [("one.csv", one), ("two.tbx", two), ("three.tbx", b""), ("notes.txt", one)]
        parse_files(files, LANGUAGES)
    assert caught.value.problems == [
        "two.tbx, line 4, concept c1: the id is also used at one.csv, row 2",
        "three.tbx: the file is empty",
        "notes.txt: unknown file type '.txt'; use a .tbx, .xml or .csv file",
        "one.csv, row 2, concept c1: cross-reference to 'c2', which is neither in the import "
        "nor in the glossary",
    ]
    assert parse_files([("one.csv", one)], LANGUAGES, known_ids={"c2"})[0].related == ["c2"]
