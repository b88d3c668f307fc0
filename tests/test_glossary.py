"""The glossary in the portal: index, term pages, auto-linking, import and export."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from glossary.models import GlossaryTermPage
from tests.factories import (
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    translate_page,
)

pytestmark = pytest.mark.django_db
DEMO_TBX = "glossary/demo_content/glossary.tbx"


@pytest.fixture
def glossary(home_pages):
    index = GlossaryIndexPageFactory()
    terms = {
        "cluster": GlossaryTermPageFactory(
            parent=index, title="cluster", slug="cluster", concept_id="c001"
        ),
        "cluster manager": GlossaryTermPageFactory(
            parent=index, title="cluster manager", slug="cluster-manager", concept_id="c003"
        ),
        "digital twin": GlossaryTermPageFactory(
            parent=index,
            title="digital twin",
            slug="digital-twin",
            concept_id="c036",
            synonyms="virtual twin",
            short_definition='A virtual model of a machine, kept in step with "real" data.',
        ),
        "artificial intelligence": GlossaryTermPageFactory(
            parent=index,
            title="artificial intelligence",
            slug="ai",
            concept_id="c040",
            abbreviation="AI",
        ),
    }
    return {"index": index, "terms": terms}


@pytest.fixture
def lesson(glossary, course):
    page = course["en"]["lessons"][0]
    page.body = [
        ("heading", {"text": "Why a cluster manager needs digital twins", "level": "h2"}),
        (
            "rich_text",
            "<p>A cluster manager helps each cluster member. A digital twin, or virtual twin, "
            'mirrors a machine. <a href="/x/">Another cluster</a> uses AI; il ai vu.</p>'
            "<p>The cluster grows. <code>digital twin</code></p>",
        ),
    ]
    page.save_revision().publish()
    return page


def linked(html):
    return re.findall(r'<a class="glossary-link" href="([^"]+)"[^>]*>([^<]+)</a>', html)


def test_terms_in_a_lesson_link_once_with_an_accessible_definition(client, lesson):
    html = client.get(lesson.url).content.decode()
    body = html.split('class="lesson__body')[1].split('id="quiz"')[0]
    assert linked(body) == [
        ("/en/glossary/cluster-manager/", "cluster manager"),
        ("/en/glossary/cluster/", "cluster"),
        ("/en/glossary/digital-twin/", "digital twin"),
        ("/en/glossary/ai/", "AI"),
    ]
    tip = re.search(
        r'aria-describedby="([^"]+)">digital twin</a><span class="glossary-tip" role="tooltip" id="([^"]+)">([^<]+)<',
        body,
    )
    assert tip.group(1) == tip.group(2)
    assert tip.group(3) == "A virtual model of a machine, kept in step with &quot;real&quot; data."
    assert "<h2" in body and 'glossary-link" href="/en/glossary/cluster-manager/">Why' not in body


def test_rendering_a_lesson_runs_no_query_per_term(
    client, lesson, glossary, django_assert_max_num_queries
):
    for n in range(40):
        GlossaryTermPageFactory(
            parent=glossary["index"], title=f"extra term {n}", slug=f"extra-{n}"
        )
    client.get(lesson.url)  # build the linker once, as the first visitor would
    with django_assert_max_num_queries(15):
        client.get(lesson.url)


def test_the_linker_follows_publishing_and_unpublishing(client, lesson, glossary):
    assert ("/en/glossary/digital-twin/", "digital twin") in linked(
        client.get(lesson.url).content.decode()
    )
    glossary["terms"]["digital twin"].unpublish()
    assert all(
        text != "digital twin" for _url, text in linked(client.get(lesson.url).content.decode())
    )
    GlossaryTermPageFactory(parent=glossary["index"], title="mirrors", slug="mirrors")
    assert ("/en/glossary/mirrors/", "mirrors") in linked(client.get(lesson.url).content.decode())


def test_term_page_shows_other_languages_and_where_it_is_used(client, lesson, glossary):
    term = glossary["terms"]["digital twin"]
    translate_page(term, "fr", title="jumeau numérique")
    translate_page(term, "es", title="gemelo digital")
    html = client.get(term.url).content.decode()
    other = html.split('id="other-languages"')[1].split("</section>")[0]
    assert 'lang="fr" hreflang="fr">jumeau numérique</a>' in other
    assert 'lang="es" hreflang="es">gemelo digital</a>' in other
    used = html.split('id="used-in"')[1].split("</section>")[0]
    assert lesson.title in used
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert "DefinedTerm" in data["@type"] and data["alternateName"] == ["virtual twin"]


def test_index_groups_terms_by_letter_and_filters(client, glossary):
    url = glossary["index"].url
    html = client.get(url).content.decode()
    assert '<span class="alphabet__letter is-disabled" aria-disabled="true">B</span>' in html
    assert re.findall(r"<dt><a href=\"[^\"]+\">([^<]+)</a>", html) == [
        "artificial intelligence",
        "cluster",
        "cluster manager",
        "digital twin",
    ]
    filtered = client.get(url, {"letter": "C"}).content.decode()
    assert re.findall(r"<dt><a href=\"[^\"]+\">([^<]+)</a>", filtered) == [
        "cluster",
        "cluster manager",
    ]
    found = client.get(url, {"q": "VIRTUAL"}).content.decode()
    assert re.findall(r"<dt><a href=\"[^\"]+\">([^<]+)</a>", found) == ["digital twin"]
    assert "DefinedTermSet" in html


def test_index_links_and_term_set_use_each_terms_own_address(client, glossary):
    """The A-Z builds addresses from its own, without a lookup per term: the same ones."""
    glossary["terms"]["unicode"] = GlossaryTermPageFactory(
        parent=glossary["index"], title="gyártás", slug="gyártás", concept_id="c050"
    )
    html = client.get(glossary["index"].url).content.decode()
    hrefs = re.findall(r"<dt><a href=\"([^\"]+)\">", html)
    terms = [GlossaryTermPage.objects.get(pk=term.pk) for term in glossary["terms"].values()]
    assert sorted(hrefs) == sorted(term.url for term in terms)
    assert "/en/glossary/gy%C3%A1rt%C3%A1s/" in hrefs
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert sorted(entry["url"] for entry in data["hasDefinedTerm"]) == sorted(
        term.full_url for term in terms
    )


def test_hungarian_index_files_digraphs_under_their_own_letter(client, glossary):
    hungarian_index = translate_page(glossary["index"], "hu", title="Szószedet")
    for english, hungarian in [
        ("cluster", "klaszter"),
        ("cluster manager", "szenzor"),
        ("digital twin", "gyártás"),
    ]:
        translate_page(glossary["terms"][english], "hu", title=hungarian)
    html = client.get(hungarian_index.url, {"letter": "Sz"}).content.decode()
    assert re.findall(r"<dt><a href=\"[^\"]+\">([^<]+)</a>", html) == ["szenzor"]
    assert 'href="?letter=Gy"' in client.get(hungarian_index.url).content.decode()


@pytest.mark.parametrize(
    "params",
    [{"letter": "zz"}, {"letter": "<b>"}, {"q": "((\x00"}, {"letter": "Ω", "q": "x" * 500}],
)
def test_unknown_letters_and_filters_never_fail(client, glossary, params):
    response = client.get(glossary["index"].url, params)
    assert response.status_code == 200
    assert "<b>" not in response.content.decode().split("<main")[1]


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def empty_glossary(home_pages):
    from tests.factories import ThemeFactory

    for slug in [
        "cluster-excellence",
        "smart-industry",
        "internationalisation",
        "leadership",
        "digitalisation",
        "green-transition",
        "skills",
    ]:
        ThemeFactory(slug=slug, name=slug)
    return GlossaryIndexPageFactory()


def test_import_creates_concepts_in_four_languages_through_wagtail_localize(empty_glossary):
    from wagtail_localize.models import Translation

    output = run("import_glossary", DEMO_TBX, "--publish")
    assert "64 concepts: 64 created" in output
    assert GlossaryTermPage.objects.filter(locale__language_code="hu", live=True).count() == 64
    twin = GlossaryTermPage.objects.get(locale__language_code="es", concept_id="c036")
    assert twin.title == "gemelo digital"
    assert Translation.objects.filter(source__object_id=twin.translation_key).count() == 3
    organisation = GlossaryTermPage.objects.get(locale__language_code="es", concept_id="c002")
    assert organisation.abbreviation == "AEI"


def test_export_then_import_changes_nothing(empty_glossary, tmp_path):
    from wagtail.models import Revision

    run("import_glossary", DEMO_TBX, "--publish")
    revisions = Revision.objects.count()
    for fmt in ("tbx", "csv"):
        path = tmp_path / f"export.{fmt}"
        run("export_glossary", "--format", fmt, "--output", str(path))
        assert "0 created, 0 updated, 64 unchanged" in run(
            "import_glossary", str(path), "--publish"
        )
    assert Revision.objects.count() == revisions
    exported = run("export_glossary", "--format", "tbx")
    assert exported.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_a_changed_term_is_updated_and_drafts_stay_drafts(empty_glossary, tmp_path):
    run("import_glossary", DEMO_TBX)
    assert not GlossaryTermPage.objects.filter(live=True).exists()
    csv_path = tmp_path / "g.csv"
    run("export_glossary", "--format", "csv", "--output", str(csv_path))
    text = csv_path.read_text(encoding="utf-8").replace(
        "gemelo digital", "gemelo digital industrial", 1
    )
    csv_path.write_text(text, encoding="utf-8")
    assert "1 updated" in run("import_glossary", str(csv_path), "--publish")
    page = GlossaryTermPage.objects.get(locale__language_code="es", concept_id="c036")
    assert page.title == "gemelo digital industrial" and page.live


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'<?xml version="1.0"?><tbx><text><body><conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>x</term></termSec></langSec></conceptEntry><conceptEntry id="c1">',
            "malformed",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><tbx>&e;</tbx>',
            "not allowed",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><tbx>&b;</tbx>',
            "not allowed",
        ),
        (b"concept_id,language,term\nc9,en,ok\nc9,xx,bad\n", "unknown language"),
        (b"concept_id,language,term\nc9,en,\n", "term is empty"),
        ("concept_id,language,term\nc9,en,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"concept_id,language,term\nc9,en," + b"x" * 300 + b"\n", "longer than 255 characters"),
        (
            b"concept_id,language,term,abbreviation\nc9,en,ok," + b"A" * 41 + b"\n",
            "abbreviation (language 'en') is longer than 40",
        ),
    ],
)
def test_bad_files_are_refused_with_their_position_and_nothing_is_written(
    empty_glossary, tmp_path, content, message
):
    suffix = ".csv" if content.startswith(b"concept_id") else ".tbx"
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        run("import_glossary", str(path), "--publish")
    assert message in str(caught.value)
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd leaks
    assert not GlossaryTermPage.objects.exists()


def test_one_bad_entry_among_good_ones_writes_nothing(empty_glossary, tmp_path):
    good = Path(DEMO_TBX).read_text(encoding="utf-8")
    bad = good.replace("<term>digital twin</term>", "<term></term>", 1)
    path = tmp_path / "almost.tbx"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import_glossary", str(path), "--publish")
    assert re.search(r"line \d+, concept c036", str(caught.value))
    assert not GlossaryTermPage.objects.exists()


def test_dry_run_writes_nothing(empty_glossary):
    assert "Dry run, nothing written: 64 concepts: 64 created" in run(
        "import_glossary", DEMO_TBX, "--dry-run"
    )
    assert not GlossaryTermPage.objects.exists()


def test_an_oversized_file_is_refused_before_reading_it_all(empty_glossary, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(b"concept_id,language,term\n" + b"c1,en,x\n" * 800_000)
    with pytest.raises(CommandError, match="larger than 5 MB"):
        run("import_glossary", str(path))
