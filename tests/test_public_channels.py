"""The leak matrix: nothing that is not public reaches any public channel.

One world holds a page in each hidden state (a never-published draft, an unpublished
page, an expired page, a page waiting for its go-live time, a password-protected page, pages
under a login-restricted and under a group-restricted ancestor, a live translation whose
new text waits for review, a live page with a pending revision, an image and a document in
a restricted collection), each carrying a marker word of its own, and public control pages
with markers of their own. Every channel is read once per test and must show every control
marker and no hidden one, so each assertion can fail both ways.

The world is built once per module (in a transaction rolled back at the end) because it
takes a few seconds; each test reads it through the Django test client.
"""

import json
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    HomePageFactory,
    LessonPageFactory,
    LocaleFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    UserFactory,
    root_collection,
    start_translation,
    translate_page,
    translate_segments,
)

HIDDEN_COUNTRY = "MT"  # every hidden case study is in Malta: its facet must not appear
TERM_STATES = ["draft", "unpublished", "expired", "golive", "password"]


@dataclass
class Marked:
    marker: str  # a word found only in this page's visible text
    url_path: str = ""  # its address ("" when it is the pending text of a live page)
    page_id: int | None = None
    live_url: str = ""  # the live page whose pending text this is


@dataclass
class World:
    hidden: dict = field(default_factory=dict)  # state -> [Marked]
    controls: dict = field(default_factory=dict)  # role -> Marked
    urls: dict = field(default_factory=dict)

    def hidden_markers(self):
        return [(state, item) for state, items in self.hidden.items() for item in items]


def _hide(page, state, world, marker, go_live=None, expire=None):
    """Put a freshly created live page into ``state``."""
    if state == "unpublished":
        page.unpublish()
    elif state == "password":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="opensesame"
        )
    world.hidden.setdefault(state, []).append(
        Marked(marker=marker, url_path=page.url, page_id=page.pk)
    )


def _page(factory, state, world, marker, **kwargs):
    """A page of ``factory`` in ``state`` whose title and slug carry ``marker``."""
    now = timezone.now()
    if state == "draft":
        page = factory(live=False, **kwargs)
        world.hidden.setdefault(state, []).append(
            Marked(marker=marker, url_path=page.url or "", page_id=page.pk)
        )
        return page
    if state == "golive":
        page = factory(live=False, **kwargs)
        page.go_live_at = now + timedelta(days=3)
        page.save_revision().publish()
        page.refresh_from_db()
        assert not page.live
        world.hidden.setdefault(state, []).append(
            Marked(marker=marker, url_path=page.url or "", page_id=page.pk)
        )
        return page
    page = factory(**kwargs)
    if state == "expired":
        # Live, with an expiry that passes while the world is being built (publish_scheduled
        # has not run: the page is still live in the database).
        page.expire_at = now + timedelta(seconds=2)
        page.save_revision().publish()
        page.refresh_from_db()
        assert page.live
    if state is not None:
        _hide(page, state, world, marker)
    return page


def build_world():
    world = World()
    locales = {code: LocaleFactory(language_code=code) for code in ("en", "fr", "es")}
    home = HomePageFactory()
    for code in ("fr", "es"):
        translate_page(home, code, title=f"Accueil {code}", hero_heading=f"Cluster {code}")

    # The glossary: a public term and one term per hidden state; their definitions
    # carry the markers (a lesson shows them as tooltips).
    glossary = GlossaryIndexPageFactory()
    terms = {}
    terms[None] = GlossaryTermPageFactory(
        parent=glossary, title="publicterm", short_definition="Definition termcontrolword."
    )
    world.controls["term"] = Marked("termcontrolword", terms[None].url, terms[None].pk)
    for state in TERM_STATES:
        terms[state] = _page(
            GlossaryTermPageFactory,
            state,
            world,
            f"{state}definition",
            parent=glossary,
            title=f"{state}term",
            short_definition=f"Definition {state}definition.",
        )
        # The term's title is a word of the public lesson's own text; its definition is the
        # marker (its URL marks it too).
        world.hidden[state][-1] = Marked(
            f"{state}definition", terms[state].url or "", terms[state].pk
        )

    # Training: a public module whose lessons include a hidden one per state; two more
    # modules whose restriction (login, groups) hides the lessons under them.
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Public module", slug="public-module")
    mentions = " ".join(f"{state}term" for state in [None, *TERM_STATES] if state) + " publicterm"
    body = [
        ("rich_text", f"<p>Cluster managers meet {mentions} every day.</p>"),
        *[("glossary_term", {"term": terms[state], "note": ""}) for state in [None, *TERM_STATES]],
    ]
    first = LessonPageFactory(parent=module, title="lessoncontrolone", lesson_number="1.1")
    control_lesson = LessonPageFactory(
        parent=module, title="lessoncontroltwo", lesson_number="1.2", body=body
    )
    world.controls["lesson"] = Marked("lessoncontroltwo", control_lesson.url, control_lesson.pk)
    world.controls["first lesson"] = Marked("lessoncontrolone", first.url, first.pk)
    for number, state in enumerate(["draft", "unpublished", "expired", "golive", "password"], 3):
        _page(
            LessonPageFactory,
            state,
            world,
            f"{state}lessonword",
            parent=module,
            title=f"{state}lessonword",
            lesson_number=f"1.{number}",
            body=[("rich_text", "<p>It uses publicterm.</p>")],
        )
    editors = Group.objects.create(name="Board members")
    for kind in ("login", "groups"):
        restricted = ModulePageFactory(
            parent=catalogue, title=f"{kind}modulemarker", slug=f"{kind}-module"
        )
        lesson = LessonPageFactory(
            parent=restricted,
            title=f"{kind}lessonword",
            body=[("rich_text", "<p>It uses publicterm.</p>")],
        )
        restriction = PageViewRestriction.objects.create(page=restricted, restriction_type=kind)
        if kind == "groups":
            restriction.groups.set([editors])
        world.hidden.setdefault(f"{kind}-restricted ancestor", []).extend(
            [
                Marked(f"{kind}modulemarker", restricted.url, restricted.pk),
                Marked(f"{kind}lessonword", lesson.url, lesson.pk),
            ]
        )

    # Case studies: two public ones sharing a theme (each lists the other as related), a
    # hidden one per state in the same theme, and one with a pending revision.
    index = CaseStudyIndexPageFactory()
    french_index = translate_page(index, "fr", title="Études de cas")
    shared = {"themes": ["shared-theme"], "sectors": ["shared-sector"]}
    control = CaseStudyPageFactory(
        parent=index, title="casecontrolone", summary="Summary casecontrolone.", **shared
    )
    neighbour = CaseStudyPageFactory(
        parent=index, title="casecontroltwo", summary="Summary casecontroltwo.", **shared
    )
    world.controls["case study"] = Marked("casecontrolone", control.url, control.pk)
    world.controls["related case study"] = Marked("casecontroltwo", neighbour.url, neighbour.pk)
    hidden_cases = []
    for state in ["draft", "unpublished", "expired", "golive", "password"]:
        hidden_cases.append(
            _page(
                CaseStudyPageFactory,
                state,
                world,
                f"{state}caseword",
                parent=index,
                title=f"{state}caseword",
                summary=f"Summary {state}caseword.",
                country=HIDDEN_COUNTRY,
                **shared,
            )
        )
    pending = CaseStudyPageFactory(
        parent=index, title="revisionbase", summary="Summary revisionbase.", **shared
    )
    pending.title = "revisionmarker"
    pending.summary = "Summary revisionmarker."
    pending.save_revision()
    world.hidden["pending revision"] = [
        Marked("revisionmarker", "", pending.pk, live_url=pending.url)
    ]
    world.controls["pending revision's live text"] = Marked("revisionbase", pending.url, pending.pk)

    # A live French translation whose new text a translator submitted for review.
    reviewed = CaseStudyPageFactory(
        parent=index, title="reviewsource", summary="Summary reviewsource.", **shared
    )
    translation = start_translation(reviewed, "fr")
    translate_segments(translation, text="frenchlivetext")
    translation.save_target(publish=False)
    french = Page.objects.get(translation_key=reviewed.translation_key, locale=locales["fr"])
    french.get_latest_revision().publish()  # (wagtail-localize publishes on commit)
    translate_segments(translation, text="reviewmarker")
    translator = UserFactory(roles=["French translators"])
    client = Client()
    client.force_login(translator)
    response = client.post(f"/admin/translation-status/review/{french.pk}/")
    assert response.status_code == 302
    french.refresh_from_db()
    assert french.workflow_in_progress and french.live
    world.hidden["translation waiting for review"] = [
        Marked("reviewmarker", "", french.pk, live_url=french.url)
    ]
    world.controls["French live text"] = Marked("frenchlivetext", french.url, french.pk)
    world.urls["french index"] = french_index.url

    # English pages whose French translations are hidden, for hreflang and the switcher.
    for state in ["draft", "unpublished", "password"]:
        english = CaseStudyPageFactory(parent=index, title=f"{state}hreflangsource", **shared)
        french_copy = translate_page(
            english, "fr", live=state != "draft", title=f"{state}frenchcopy"
        )
        if state != "draft":
            _hide(french_copy, state, world, f"{state}frenchcopy")
        else:
            world.hidden[state].append(
                Marked(f"{state}frenchcopy", french_copy.url or "", french_copy.pk)
            )
        world.urls.setdefault("hreflang sources", []).append((english.url, french_copy.url))

    # Media: one public image and document, one of each in a restricted collection.
    private = root_collection().add_child(name="Board only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    from wagtail.images.models import Image

    for collection, word in (
        (Collection.get_first_root_node(), "mediacontrol"),
        (private, "mediamarker"),
    ):
        Image.objects.create(
            title=f"{word} image", file=get_test_image_file(), collection=collection
        )
        document = Document(title=f"{word} document", collection=collection)
        document.file.save(f"{word}.txt", ContentFile(b"text"), save=False)
        document.save()
    world.hidden["restricted collection"] = [Marked("mediamarker")]
    world.controls["media"] = Marked("mediacontrol")

    # The home page features the public and the hidden pages, and links to a hidden one.
    featured = [control, *hidden_cases, pending, Page.objects.get(pk=french.pk)]
    home.body = [
        ("featured_content", {"heading": "Featured", "introduction": "", "pages": featured}),
        (
            "call_to_action",
            {
                "heading": "Go",
                "text": "",
                "link_page": hidden_cases[-1],
                "link_label": "ctahiddenlink",
            },
        ),
    ]
    home.save_revision().publish()
    world.hidden["password"].append(Marked("ctahiddenlink"))

    world.urls.update(
        home=home.url,
        module=module.url,
        lesson=control_lesson.url,
        first_lesson=first.url,
        catalogue=catalogue.url,
        glossary=glossary.url,
        term=terms[None].url,
        index=index.url,
        case_study=control.url,
    )
    world.terms = {state: terms[state].title for state in TERM_STATES}
    # Let the expiry set above pass.
    time.sleep(2.1)
    # Indexes built as a deployment builds them (mappings first; a page indexed into a
    # missing OpenSearch index gets guessed ones), refreshed before the readers come.
    call_command("update_index", verbosity=0)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def reader(db, world):
    return Client()


def text_of(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_channel(world, text, controls, name, urls_only=False):
    """Every control marker in ``text``, no hidden marker or hidden URL."""
    for role in controls:
        assert world.controls[role].marker in text, f"{name}: the public {role} is missing"
    leaks = []
    for state, item in world.hidden_markers():
        if not urls_only and item.marker in text:
            leaks.append(f"{state}: {item.marker}")
        if item.url_path and f'"{item.url_path}' in text.replace("http://testserver", ""):
            leaks.append(f"{state}: {item.url_path}")
    assert leaks == [], f"{name} shows what is not public"


def test_page_views_of_hidden_pages_show_nothing_of_them(reader, world):
    for state, item in world.hidden_markers():
        if not item.url_path:
            continue
        response = reader.get(item.url_path)
        body = response.content.decode()
        assert response.status_code in (200, 302, 404), (state, response.status_code)
        if response.status_code == 200:  # the password or login form of a restricted page
            assert "password" in body.lower() or "login" in body.lower(), state
        # The requested address itself comes back (a form's return URL), nothing else.
        assert item.marker not in body.replace(item.url_path, ""), f"{state}: shows its text"
    # Controls: the public pages (and the live text of pages under review) are served.
    for role in ("case study", "lesson", "pending revision's live text", "French live text"):
        assert world.controls[role].marker in text_of(reader, world.controls[role].url_path)


def test_quiz_results_of_hidden_lessons_are_not_served(reader, world):
    for state, item in world.hidden_markers():
        if "lessonword" in item.marker and item.url_path:
            response = reader.post(item.url_path + "quiz/", {})
            body = response.content.decode().replace(item.url_path, "")
            assert item.marker not in body, state
            assert response.status_code != 200 or "password" in body.lower()
    control = reader.post(world.urls["lesson"] + "quiz/", {})
    assert control.status_code in (200, 302, 400)


def test_home_featured_blocks(reader, world):
    html = text_of(reader, world.urls["home"])
    assert_channel(world, html, ["case study", "pending revision's live text"], "home page")


def test_case_study_listing_and_facets(reader, world):
    html = text_of(reader, world.urls["index"])
    assert_channel(world, html, ["case study", "related case study"], "case-study listing")
    assert "France" in html and "Malta" not in html  # facets count public pages only


def test_case_study_listing_search_and_filters(reader, world):
    for query in ["caseword", "Summary", "revisionmarker", "draftcaseword"]:
        html = text_of(reader, world.urls["index"] + f"?q={query}&country={HIDDEN_COUNTRY}")
        assert_channel(world, html, [], f"listing ?q={query}", urls_only=True)
    html = text_of(reader, world.urls["index"] + "?q=casecontrolone")
    assert world.controls["case study"].url_path in html


def test_related_content(reader, world):
    html = text_of(reader, world.urls["case_study"])
    assert_channel(world, html, ["case study", "related case study"], "related case studies")
    # Lessons list related lessons and case studies through their glossary concepts.
    html = text_of(reader, world.urls["lesson"])
    assert_channel(world, html, ["lesson"], "lesson related content")


def test_module_and_lesson_navigation(reader, world):
    html = text_of(reader, world.urls["module"])
    assert_channel(world, html, ["lesson", "first lesson"], "module outline")
    html = text_of(reader, world.urls["catalogue"])
    assert_channel(world, html, [], "course catalogue")
    assert "Public module" in html
    # The last public lesson's "next" must not lead to a hidden sibling.
    html = text_of(reader, world.urls["lesson"])
    assert world.controls["first lesson"].url_path in html  # its "previous"
    assert_channel(world, html, ["lesson"], "lesson navigation")


def test_lms_packages(reader, world):
    """Every file of the public module's SCORM package and Common Cartridge."""
    import io
    import zipfile

    for name in ("scorm12.zip", "cartridge.imscc"):
        response = reader.get(f"{world.urls['module']}export/{name}")
        assert response.status_code == 200, name
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        text = " ".join(
            archive.read(entry).decode("utf-8", "replace") for entry in archive.namelist()
        )
        assert_channel(world, text, ["lesson", "first lesson", "term"], f"LMS package {name}")
    for state, item in world.hidden_markers():
        if "modulemarker" in item.marker:
            assert reader.get(f"{item.url_path}export/scorm12.zip").status_code == 404, state


def test_glossary_tooltips_term_blocks_and_auto_links(reader, world):
    html = text_of(reader, world.urls["lesson"])
    assert "termcontrolword" in html  # the public term's definition, linked in the text
    assert_channel(world, html, ["term"], "lesson tooltips")


def test_glossary_index_and_where_used(reader, world):
    html = text_of(reader, world.urls["glossary"])
    assert_channel(world, html, ["term"], "glossary A-Z")
    html = text_of(reader, world.urls["term"])
    # "Where used": the public lesson that mentions it, not the hidden ones that do too.
    assert_channel(world, html, ["lesson", "term"], "glossary where-used")


def test_search_results_and_definitions(reader, world):
    queries = [item.marker for _state, item in world.hidden_markers()]
    queries += [f"{state}term" for state in TERM_STATES] + ["caseword", "publicterm"]
    for query in queries:
        for language in ("en", "fr"):
            html = text_of(reader, f"/{language}/search/", data={"q": query})
            assert_channel(world, html, [], f"search {language} {query!r}", urls_only=True)
            definitions = [f"Definition {state}definition" for state in TERM_STATES]
            assert not [d for d in definitions if d in html], f"search {query!r} defines"
    for _state, item in world.hidden_markers():
        if item.live_url:  # the live page must not be found by its pending text
            language = item.live_url.split("/")[1]
            html = text_of(reader, f"/{language}/search/", data={"q": item.marker})
            assert f'"{item.live_url}"' not in html, item.marker
    html = text_of(reader, "/en/search/", data={"q": "casecontrolone"})
    assert world.controls["case study"].url_path in html
    html = text_of(reader, "/en/search/", data={"q": "publicterm"})
    assert "termcontrolword" in html  # the glossary definition shown above the results


def test_search_suggestions(reader, world):
    for _state, item in world.hidden_markers():
        for language in ("en", "fr"):
            data = json.loads(
                text_of(reader, f"/{language}/search/suggest/", data={"q": item.marker})
            )
            titles = " ".join(s["title"] + s["url"] for s in data["suggestions"])
            assert item.marker not in titles, item.marker
    data = json.loads(text_of(reader, "/en/search/suggest/", data={"q": "casecontrol"}))
    assert "casecontrolone" in [s["title"] for s in data["suggestions"]]


def test_api(reader, world):
    listing = text_of(reader, "/api/v2/pages/", data={"limit": 100, "fields": "title"})
    assert json.loads(listing)["meta"]["total_count"] < 100
    assert_channel(world, listing, ["case study", "lesson"], "API page listing")
    assert '"publicterm"' in listing
    for _state, item in world.hidden_markers():
        if item.page_id is not None and item.url_path:
            response = reader.get(f"/api/v2/pages/{item.page_id}/")
            assert response.status_code != 200, item.marker
            assert item.marker not in response.content.decode()
        found = text_of(reader, "/api/v2/pages/", data={"search": item.marker})
        assert item.marker not in found
    detail = text_of(reader, f"/api/v2/pages/{world.controls['French live text'].page_id}/")
    assert "frenchlivetext" in detail and "reviewmarker" not in detail
    media = text_of(reader, "/api/v2/images/") + text_of(reader, "/api/v2/documents/")
    assert_channel(world, media, ["media"], "API images and documents")


def test_sitemap(reader, world):
    xml = text_of(reader, "/sitemap.xml")
    assert_channel(
        world, xml.replace(">http://testserver", '>"'), ["case study", "lesson"], "sitemap"
    )


def test_atom_feeds(reader, world):
    feed = text_of(reader, world.urls["index"] + "feed/")
    assert_channel(world, feed, ["case study", "related case study"], "English feed")
    feed = text_of(reader, world.urls["french index"] + "feed/")
    assert "frenchlivetext" in feed
    assert "reviewmarker" not in feed


def test_hreflang_alternates_and_language_switcher(reader, world):
    for english_url, french_url in world.urls["hreflang sources"]:
        html = text_of(reader, english_url)
        assert f'hreflang="fr" href="http://testserver{french_url}"' not in html
        assert f'href="{french_url}"' not in html  # the switcher leads to /fr/ instead
    # Control: a public French translation is an alternate.
    html = text_of(reader, world.controls["French live text"].url_path.replace("/fr/", "/en/", 1))
    french_url = world.controls["French live text"].url_path
    assert f'hreflang="fr" href="http://testserver{french_url}"' in html


def test_oai_pmh_records(reader, world):
    """Every page of ListRecords, in both formats: public records only, with their text;
    a hidden page that was public once appears as a deleted record without text."""
    for prefix in ("oai_dc", "oai_lom"):
        pages, arguments = [], {"verb": "ListRecords", "metadataPrefix": prefix}
        while True:
            xml = text_of(reader, "/oai/", data=arguments)
            pages.append(xml)
            token = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", xml)
            if token is None:
                break
            arguments = {"verb": "ListRecords", "resumptionToken": token.group(1)}
        xml = "".join(pages).replace(">http://testserver", '>"')
        assert_channel(
            world,
            xml,
            ["case study", "lesson", "term", "pending revision's live text", "French live text"],
            f"OAI-PMH {prefix}",
        )
