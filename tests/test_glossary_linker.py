"""Glossary terms in lesson and case-study HTML link to their term pages with a tooltip."""

import random
import re
from pathlib import Path

import pytest

from glossary.linker import GlossaryTarget, TermLinker

LINK_MARKUP = re.compile(
    r'<a class="glossary-link" href="(?P<href>[^"]*)" aria-describedby="(?P<tip>[^"]*)">'
    r"(?P<text>.*?)</a>"
    r'<span class="glossary-tip" role="tooltip" id="(?P<id>[^"]*)">(?P<definition>.*?)</span>',
    re.DOTALL,
)


def target(key: str, term: str, definition: str = "") -> GlossaryTarget:
    return GlossaryTarget(
        concept_key=key,
        url=f"/en/glossary/{key}/",
        term=term,
        definition=definition or f"Definition of {term}.",
    )


CLUSTER = target("c001", "cluster", "A group of firms and research bodies in one region.")
CLUSTER_MANAGER = target("c003", "cluster manager")
S3 = target("c009", "smart specialisation strategy")
STRATEGY = target("c016", "cluster strategy")
AI = target("c040", "artificial intelligence")


@pytest.fixture(scope="module")
def english() -> TermLinker:
    return TermLinker(
        forms={
            "cluster": CLUSTER,
            "industrial cluster": CLUSTER,
            "cluster manager": CLUSTER_MANAGER,
            "smart specialisation strategy": S3,
            "research and innovation strategy for smart specialisation": S3,
            "strategy": STRATEGY,
            "artificial intelligence": AI,
            "R&D cluster": CLUSTER,
        },
        abbreviations={"S3": S3, "RIS3": S3, "AI": AI},
    )


def links(html: str) -> list[dict[str, str]]:
    return [match.groupdict() for match in LINK_MARKUP.finditer(html)]


def linked_texts(html: str) -> list[str]:
    return [found["text"] for found in links(html)]


def without_links(html: str) -> str:
    """The HTML with every inserted link and tooltip undone."""
    return LINK_MARKUP.sub(lambda match: match["text"], html)


def test_a_term_becomes_a_link_to_its_page_with_the_definition_as_tooltip(english):
    html = english.link("<p>Every cluster needs members.</p>")

    assert links(html) == [
        {
            "href": "/en/glossary/c001/",
            "tip": "glossary-tip-c001",
            "text": "cluster",
            "id": "glossary-tip-c001",
            "definition": "A group of firms and research bodies in one region.",
        }
    ]
    assert html.startswith("<p>Every <a ") and html.endswith("</span> needs members.</p>")


def test_only_the_first_occurrence_on_a_page_is_linked(english):
    html = english.link("<p>A cluster is a cluster.</p><p>Another cluster.</p>")

    assert linked_texts(html) == ["cluster"]
    assert html.index("glossary-link") < html.index("is a cluster")


def test_first_occurrence_is_shared_by_all_fields_of_a_page(english):
    intro, body = english.link_page_fields(
        ["<p>Join the cluster.</p>", "<p>The cluster and its cluster manager.</p>"]
    )

    assert linked_texts(intro) == ["cluster"]
    assert linked_texts(body) == ["cluster manager"]


def test_seen_set_is_updated_in_place_across_calls(english):
    seen: set[str] = set()
    english.link("<p>Our cluster.</p>", seen)
    second = english.link("<p>Our cluster and AI.</p>", seen)

    assert seen == {"c001", "c040"}
    assert linked_texts(second) == ["AI"]


def test_synonyms_and_abbreviation_of_one_concept_are_linked_once(english):
    html = english.link(
        "<p>The smart specialisation strategy (S3), also called the research and "
        "innovation strategy for smart specialisation or RIS3.</p>"
    )

    assert linked_texts(html) == ["smart specialisation strategy"]


def test_a_synonym_counts_as_the_first_occurrence_of_its_concept(english):
    html = english.link("<p>An industrial cluster is a kind of cluster.</p>")

    assert linked_texts(html) == ["industrial cluster"]


def test_hungarian_term_inside_a_compound_word_is_not_linked():
    klaszter = target("c001", "klaszter")
    linker = TermLinker({"klaszter": klaszter})

    compound = linker.link("<p>A klaszterszervezet tagjai.</p>")
    standalone = linker.link("<p>A klaszterszervezet egy klaszter része.</p>")

    assert linked_texts(compound) == []
    assert linked_texts(standalone) == ["klaszter"]


def test_accented_multi_word_term_is_linked_as_a_whole_word():
    twin = target("c036", "digitális iker")
    linker = TermLinker({"digitális iker": twin})

    assert linked_texts(linker.link("<p>A digitális iker modell.</p>")) == ["digitális iker"]
    # A longer word after it, and a letter glued before it, are not the term.
    assert linked_texts(linker.link("<p>A digitális ikerpár és adigitális iker.</p>")) == []


def test_only_exact_forms_are_linked_not_plurals(english):
    assert linked_texts(english.link("<p>Many clusters exist.</p>")) == []


def test_punctuation_ends_a_word(english):
    html = english.link("<p>(cluster), cluster's, cluster-based</p>")

    assert linked_texts(html) == ["cluster"]
    assert html.startswith('<p>(<a class="glossary-link"')


def test_terms_match_any_case_and_keep_the_case_as_written(english):
    html = english.link("<p>CLUSTER MANAGER training. Artificial Intelligence.</p>")

    assert linked_texts(html) == ["CLUSTER MANAGER", "Artificial Intelligence"]


def test_abbreviations_are_case_sensitive_in_french():
    ia = target("c040", "intelligence artificielle")
    linker = TermLinker({"intelligence artificielle": ia}, {"AI": ia, "IA": ia})

    verb_only = linker.link("<p>Il ai, j'ai dit : ia ou ai.</p>")
    abbreviation = linker.link("<p>J'ai lu un rapport sur l'IA.</p>")

    assert verb_only == "<p>Il ai, j'ai dit : ia ou ai.</p>"
    assert linked_texts(abbreviation) == ["IA"]


def test_spanish_pronoun_is_not_the_it_abbreviation():
    it = target("c070", "tecnologías de la información")
    linker = TermLinker({"tecnologías de la información": it}, {"TI": it})

    assert linked_texts(linker.link("<p>Para ti, no para mí.</p>")) == []
    assert linked_texts(linker.link("<p>Para ti: las TI.</p>")) == ["TI"]


@pytest.mark.parametrize(
    "element",
    [
        '<a href="/members/">cluster</a>',
        "<h2>The cluster</h2>",
        "<h4>cluster</h4>",
        "<code>cluster</code>",
        "<pre>cluster\n</pre>",
        "<script>var cluster = 1;</script>",
        "<style>.cluster { }</style>",
        "<button>cluster</button>",
        "<label>cluster</label>",
        "<details><summary>cluster</summary></details>",
        "<dfn>cluster</dfn>",
        "<abbr title='x'>AI</abbr>",
        '<a href="/x"><strong>cluster</strong> <code>c</code> cluster</a>',
    ],
)
def test_no_link_inside_links_headings_code_and_controls(english, element):
    html = f"<div>{element}</div>"

    assert english.link(html) == html


def test_terms_in_attributes_are_untouched(english):
    html = '<p title="cluster manager"><img alt="A cluster" src="cluster.png"> Text.</p>'

    assert english.link(html) == html


def test_a_skipped_occurrence_does_not_use_up_the_first_link(english):
    html = english.link(
        '<h2>cluster</h2><p title="cluster">A <a href="/">cluster</a>, a cluster.</p>'
    )

    assert linked_texts(html) == ["cluster"]
    assert html.endswith(
        'a <a class="glossary-link" href="/en/glossary/c001/" '
        'aria-describedby="glossary-tip-c001">cluster</a>'
        '<span class="glossary-tip" role="tooltip" id="glossary-tip-c001">'
        "A group of firms and research bodies in one region.</span>.</p>"
    )


def test_longest_form_wins(english):
    html = english.link("<p>A cluster manager drafts the smart specialisation strategy.</p>")

    assert linked_texts(html) == ["cluster manager", "smart specialisation strategy"]


def test_a_repeated_long_form_does_not_link_the_short_form_inside_it(english):
    html = english.link("<p>The cluster manager meets another cluster manager. The cluster.</p>")

    assert linked_texts(html) == ["cluster manager", "cluster"]
    assert "another cluster manager. The <a" in html


def test_overlapping_forms_resolve_leftmost_first():
    smart = target("c047", "smart factory")
    factory_line = target("c099", "factory line")
    linker = TermLinker({"smart factory": smart, "factory line": factory_line})

    assert linked_texts(linker.link("<p>A smart factory line.</p>")) == ["smart factory"]


def test_multi_word_terms_match_across_line_breaks_and_no_break_spaces(english):
    html = english.link(
        "<p>The cluster\n   manager and the smart&nbsp;specialisation strategy.</p>"
    )

    assert linked_texts(html) == ["cluster\n   manager", "smart&nbsp;specialisation strategy"]


def test_entities_are_preserved_as_written(english):
    source = "<p>Research &amp; innovation&nbsp;&#8212; an R&amp;D cluster&nbsp;&copy; 2025</p>"
    html = english.link(source)

    assert linked_texts(html) == ["R&amp;D cluster"]
    assert without_links(html) == source


def test_character_references_inside_a_term_are_decoded_for_matching():
    cooperation = target("c022", "coopération interrégionale")
    linker = TermLinker({"coopération interrégionale": cooperation})

    html = linker.link("<p>La coop&eacute;ration interr&#233;gionale.</p>")

    assert linked_texts(html) == ["coop&eacute;ration interr&#233;gionale"]


def test_a_character_reference_at_the_edge_of_a_term_is_linked_whole():
    economy = target("c045", "économie circulaire")
    cafe = target("c099", "café")
    linker = TermLinker({"économie circulaire": economy, "café": cafe})

    source = "<p>L'&Eacute;conomie circulaire du caf&#xe9;&nbsp;!</p>"
    html = linker.link(source)

    assert linked_texts(html) == ["&Eacute;conomie circulaire", "caf&#xe9;"]
    assert without_links(html) == source


def test_other_markup_and_whitespace_are_unchanged(english):
    source = (
        "<!-- cluster in a comment -->\n"
        "<div class=\"rich-text\">\n  <p data-x='cluster'   id=intro>The  <em>cluster</em>"
        " manager &lt;b&gt;  writes&#x20;the <b>strategy</b>.<br/>AI &amp; S3 </p>\n"
        "  <ul><li>industrial\tcluster</li></ul>\n</div>\n"
    )
    html = english.link(source)

    assert linked_texts(html) == ["cluster", "strategy", "AI", "S3"]
    assert without_links(html) == source


def test_definitions_and_urls_are_html_escaped():
    risky = GlossaryTarget(
        concept_key="c010",
        url="/en/glossary/?term=value&chain=1",
        term="value chain",
        definition='Steps from <raw> input to "finished" product & service.',
    )
    html = TermLinker({"value chain": risky}).link("<p>Our value chain.</p>")

    assert 'href="/en/glossary/?term=value&amp;chain=1"' in html
    assert (
        ">Steps from &lt;raw&gt; input to &quot;finished&quot; product &amp; service.</span>"
        in html
    )


def test_tooltip_ids_are_unique_across_the_fields_of_a_page(english):
    fragments = english.link_page_fields(
        [
            "<p>cluster and strategy</p>",
            "<p>AI and S3, cluster again</p>",
            "<p>cluster manager</p>",
        ]
    )
    found = [link for fragment in fragments for link in links(fragment)]
    ids = [link["id"] for link in found]

    assert len(found) == 5
    assert len(set(ids)) == len(ids)
    assert all(link["tip"] == link["id"] for link in found)


def test_tooltip_ids_are_valid_even_for_odd_concept_keys():
    linker = TermLinker({"alpha": target("a key/1", "alpha"), "beta": target("a key 1", "beta")})

    html = linker.link("<p>alpha beta</p>")
    ids = [link["id"] for link in links(html)]

    assert len(set(ids)) == 2
    assert all(re.fullmatch(r"glossary-tip-[A-Za-z0-9_-]+", tip_id) for tip_id in ids)


def test_linking_twice_changes_nothing(english):
    once = english.link("<p>cluster, cluster, AI</p>")

    assert english.link(once) == once


def test_terms_in_an_existing_tooltip_are_not_linked(english):
    html = '<p><span class="glossary-tip" role="tooltip">a cluster <span>strategy</span></span></p>'

    assert english.link(html) == html


def test_concepts_in_lists_every_concept_used_on_the_page(english):
    html = (
        "<h2>Our strategy</h2><p title='artificial intelligence'>"
        "The cluster manager writes the <a href='/s3/'>S3</a>.</p><p>ai</p>"
    )

    assert english.concepts_in(html) == {"c003", "c009", "c016"}


def test_concepts_in_ignores_tooltips_added_by_linking():
    twin = target("c036", "digital twin", "A virtual model of a machine.")
    machine = target("c055", "machine")
    linker = TermLinker({"digital twin": twin, "machine": machine})

    assert linker.concepts_in(linker.link("<p>A digital twin.</p>")) == {"c036"}


def test_an_empty_glossary_leaves_html_unchanged():
    linker = TermLinker({})
    source = "<p>Any cluster &amp; AI.</p>"

    assert linker.link(source) is source
    assert linker.link_page_fields([source, ""]) == [source, ""]
    assert linker.concepts_in(source) == set()


def test_blank_forms_are_ignored():
    linker = TermLinker({"  ": CLUSTER, "cluster": CLUSTER}, {"": AI})

    assert linked_texts(linker.link("<p> a cluster </p>")) == ["cluster"]


STYLESHEET = (
    Path(__file__).resolve().parent.parent / "portal" / "static" / "css" / "portal.css"
).read_text()


def test_tooltip_css_shows_the_tip_on_hover_and_focus():
    TOOLTIP_CSS = STYLESHEET[STYLESHEET.index("/* Glossary terms linked") :]
    assert ".glossary-link:hover + .glossary-tip" in TOOLTIP_CSS
    assert ".glossary-link:focus + .glossary-tip" in TOOLTIP_CSS
    # Hidden by clipping, not display:none, so screen readers still reach it.
    hidden_rule = TOOLTIP_CSS.split(".glossary-tip {", 1)[1].split("}", 1)[0]
    assert "clip" in hidden_rule and "display" not in hidden_rule


def large_glossary_and_lesson() -> tuple[dict[str, GlossaryTarget], dict[str, GlossaryTarget], str]:
    """100 concepts with three forms each and an abbreviation; a lesson of ~5,000 words."""
    rng = random.Random(4)
    letters = "abcdefghijklmnopqrstuvwxyzáéő"
    forms, abbreviations = {}, {}
    for number in range(100):
        concept = target(f"c{number:03d}", f"term {number}")
        word = "".join(rng.choice(letters) for _ in range(8))
        forms[f"{word} cluster"] = concept
        forms[f"{word} process"] = concept
        forms[f"{word}"] = concept
        abbreviations[f"{word[:3].upper()}{number}"] = concept
    vocabulary = [
        *forms,
        *abbreviations,
        *("".join(rng.choice(letters) for _ in range(6)) for _ in range(300)),
    ]
    paragraphs = [
        "<p>"
        + " ".join(rng.choice(vocabulary) for _ in range(50))
        + " <em>see</em> &amp; more.</p>"
        for _ in range(100)
    ]
    return forms, abbreviations, "\n".join(paragraphs)


def test_the_matcher_is_compiled_once_and_reused(monkeypatch):
    forms, abbreviations, lesson = large_glossary_and_lesson()
    compiled: list[str] = []
    real_compile = re.compile

    def counting_compile(pattern, flags=0):
        compiled.append(pattern)
        return real_compile(pattern, flags)

    monkeypatch.setattr(re, "compile", counting_compile)
    linker = TermLinker(forms, abbreviations)
    for _ in range(5):
        linker.link(lesson)
        linker.concepts_in(lesson)

    assert len(compiled) == 1


def test_a_long_lesson_links_each_of_its_hundred_concepts_once():
    forms, abbreviations, lesson = large_glossary_and_lesson()
    html = TermLinker(forms, abbreviations).link(lesson)
    assert len(lesson.split()) > 5000
    assert len(links(html)) == 100
