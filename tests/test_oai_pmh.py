"""OAI-PMH harvested by a real harvester (Sickle) from a live server over HTTP.

The world is built once for the module in a transaction rolled back at the end; the
server is Django's live-server thread sharing the test's database connection (as
Django's LiveServerTestCase does for SQLite in memory), so it serves that world without
committing it. Each request is real HTTP from Sickle's ``requests`` to the server.
"""

import datetime
import time
from collections import Counter

import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, transaction
from django.test import override_settings
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from lxml import etree
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator
from wagtail.models import Page, PageViewRestriction

from oer.models import HarvestRecord
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    ThemeFactory,
    multilingual_home,
    translate_page,
)

LANGUAGES = ("en", "fr", "es", "hu")
LOM = {"lom": "http://ltsc.ieee.org/xsd/LOM"}
OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}
# Each test runs in a savepoint of the module's transaction, rolled back after it.
pytestmark = pytest.mark.django_db


class _KeepConnections(ThreadedWSGIServer):
    def _close_connections(self):
        """The request threads use the test's connection: it stays open."""


class _SharedConnectionServer(LiveServerThread):
    server_class = _KeepConnections


@pytest.fixture(scope="module")
def base_url(django_db_setup, django_db_blocker):
    """A live server thread on the test's own database connection."""
    with django_db_blocker.unblock():
        shared = connections["default"]
        shared.ensure_connection()
        shared.inc_thread_sharing()
        # As Django's test client does: a request must not close the shared connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        server = _SharedConnectionServer(
            "127.0.0.1", _StaticFilesHandler, connections_override={"default": shared}
        )
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://127.0.0.1:{server.port}/oai/"
        finally:
            server.terminate()
            shared.dec_thread_sharing()
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _translations(page, **fields_by_language):
    pages = {"en": page}
    for code in LANGUAGES[1:]:
        fields = {key: f"{value} {code}" for key, value in fields_by_language.items()}
        pages[code] = translate_page(page, code, **fields)
    return pages


def build_world():
    world = {}
    multilingual_home()
    theme = ThemeFactory(slug="digital", name="Digital transformation")
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Smart industry", theme=theme)
    lessons = [
        LessonPageFactory(parent=module, title=f"Lesson {n}", lesson_number=f"1.{n}")
        for n in (1, 2)
    ]
    draft = LessonPageFactory(parent=module, title="Draftmarker lesson", live=False)
    world["catalogue"] = {code: translate_page(catalogue, code) for code in LANGUAGES[1:]}
    world["module"] = _translations(module, title="Smart industry")
    world["lessons"] = [_translations(lesson, title=lesson.title) for lesson in lessons]
    world["draft"] = draft
    cases = CaseStudyIndexPageFactory()
    for code in LANGUAGES[1:]:
        translate_page(cases, code)
    case = CaseStudyPageFactory(parent=cases, title="Aerospace valley", themes=["digital"])
    world["case"] = _translations(case, title="Aerospace valley")
    # A Hungarian translation still in draft, of a case study public in English.
    draft_source = CaseStudyPageFactory(parent=cases, title="Open in English")
    world["draft translation"] = translate_page(
        draft_source, "hu", live=False, title="Piszkozatmarker"
    )
    world["draft source"] = draft_source
    restricted = CaseStudyPageFactory(parent=cases, title="Restrictedmarker case")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    world["restricted"] = restricted
    glossary = GlossaryIndexPageFactory()
    for code in LANGUAGES[1:]:
        translate_page(glossary, code)
    world["terms"] = [
        _translations(GlossaryTermPageFactory(parent=glossary, title=title), title=title)
        for title in ("digital twin", "smart specialisation")
    ]
    return world


@pytest.fixture(scope="module")
def world(base_url, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def sickle(base_url, world):
    return Sickle(base_url, max_retries=1, timeout=30)


def identifier(page):
    return f"oai:cluster4smart.portal:{page.translation_key}:{page.locale.language_code}"


def public_pages(world):
    pages = [*world["module"].values(), *world["case"].values()]
    for group in world["lessons"] + world["terms"]:
        pages += group.values()
    pages.append(world["draft source"])
    return pages


def test_identify_declares_persistent_deletions_and_second_granularity(sickle, base_url):
    identify = sickle.Identify()
    assert identify.repositoryName == "Cluster4Smart"
    assert identify.baseURL == base_url
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert "cluster4smart.portal" in identify.raw


def test_metadata_formats_for_the_repository_and_for_one_record(sickle, world):
    prefixes = {entry.metadataPrefix for entry in sickle.ListMetadataFormats()}
    assert prefixes == {"oai_dc", "oai_lom"}
    hungarian = world["module"]["hu"]
    formats = sickle.ListMetadataFormats(identifier=identifier(hungarian))
    assert {entry.metadataPrefix for entry in formats} == {"oai_dc", "oai_lom"}
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        list(sickle.ListMetadataFormats(identifier="oai:elsewhere.org:123"))


def test_sets_by_content_type_and_by_language(sickle):
    specs = {entry.setSpec: entry.setName for entry in sickle.ListSets()}
    for kind in ("module", "lesson", "case-study", "glossary-term"):
        assert f"type:{kind}" in specs
    for code in LANGUAGES:
        assert f"lang:{code}" in specs
    assert specs["lang:hu"] == "Magyar"
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListSets(resumptionToken="anything"))


def test_list_records_pages_through_resumption_tokens_in_all_four_languages(sickle, world):
    expected = {identifier(page) for page in public_pages(world)}
    with override_settings(OAI_PAGE_SIZE=4):
        responses = list(
            OAIResponseIterator(sickle, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        )
        harvested = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    assert len(responses) == -(-(len(expected) + 1) // 4) > 1  # several pages
    ids = [record.header.identifier for record in harvested]
    assert len(ids) == len(set(ids))
    # The case study restricted after it was published is a deleted record, without text.
    deleted = [record for record in harvested if record.deleted]
    assert [record.header.identifier for record in deleted] == [identifier(world["restricted"])]
    assert deleted[0].xml.find(".//oai:metadata", OAI) is None
    assert set(ids) == expected | {identifier(world["restricted"])}
    harvested = [record for record in harvested if not record.deleted]
    languages = Counter(record.metadata["language"][0] for record in harvested)
    assert set(languages) == set(LANGUAGES)
    titles = " ".join(title for record in harvested for title in record.metadata["title"])
    assert "Smart industry hu" in titles and "Lesson 2 es" in titles
    # Never harvested: a draft lesson, a draft translation, a restricted case study.
    for marker in ("Draftmarker", "Piszkozatmarker", "Restrictedmarker"):
        assert marker not in titles
    assert "Open in English" in titles  # the draft translation's public source is
    last = etree.fromstring(responses[-1].raw.encode())
    token = last.find(".//oai:resumptionToken", OAI)
    assert token is not None and not (token.text or "").strip()
    assert token.get("completeListSize") == str(len(expected) + 1)


def test_list_identifiers_by_set_and_date(sickle, world):
    hungarian = list(sickle.ListIdentifiers(metadataPrefix="oai_lom", set="lang:hu"))
    hungarian_pages = [page for page in public_pages(world) if page.locale.language_code == "hu"]
    assert {header.identifier for header in hungarian} == {identifier(p) for p in hungarian_pages}
    assert all("lang:hu" in header.setSpecs for header in hungarian)
    modules = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="type:module"))
    assert {header.identifier for header in modules} == {
        identifier(page) for page in world["module"].values()
    }
    today = datetime.datetime.now(datetime.UTC).date()
    recent = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": str(today)}))
    assert len(recent) == len(public_pages(world)) + 1  # and the restricted case study
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", until="2001-01-01"))
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(
            sickle.ListIdentifiers(
                metadataPrefix="oai_dc", **{"from": str(today + datetime.timedelta(days=1))}
            )
        )


def test_get_record_in_dublin_core_and_lom(sickle, world, base_url):
    lesson = world["lessons"][1]["hu"]
    module = world["module"]["hu"]
    record = sickle.GetRecord(identifier=identifier(lesson), metadataPrefix="oai_dc")
    assert record.header.identifier == identifier(lesson)
    assert record.header.setSpecs == ["type:lesson", "lang:hu"]
    assert record.metadata["title"] == ["Lesson 2 hu"]
    assert record.metadata["language"] == ["hu"]
    assert record.metadata["identifier"] == [f"http://testserver{lesson.url}"]
    assert f"http://testserver{module.url}" in record.metadata["relation"]
    assert "https://creativecommons.org/licenses/by/4.0/" in record.metadata["rights"]
    assert "Lecke" in record.metadata["type"]  # the kind, named in Hungarian

    record = sickle.GetRecord(identifier=identifier(module), metadataPrefix="oai_lom")
    lom = record.xml.find(".//lom:lom", LOM)

    def text(path):
        return [element.text for element in lom.findall(path, LOM)]

    assert text("lom:general/lom:title/lom:string") == ["Smart industry hu"]
    assert text("lom:general/lom:language") == ["hu"]
    assert text("lom:educational/lom:typicalLearningTime/lom:duration") == ["PT300M"]
    assert text("lom:educational/lom:difficulty/lom:value") == ["medium"]
    assert text("lom:rights/lom:cost/lom:value") == ["no"]
    assert text("lom:relation/lom:kind/lom:value") == ["haspart", "haspart"]
    parts = text("lom:relation/lom:resource/lom:identifier/lom:entry")
    assert parts == [f"http://testserver{lessons['hu'].url}" for lessons in world["lessons"]]
    # Identifiers are stable: translation key and language, not the page id or address.
    assert str(module.translation_key) in record.header.identifier


def test_every_error_code(sickle, base_url, world):
    with pytest.raises(oaiexceptions.BadVerb):
        OAIResponseIterator(sickle, {"verb": "ListEverything"})
    with pytest.raises(oaiexceptions.BadArgument):
        list(sickle.ListRecords())  # no metadataPrefix
    with pytest.raises(oaiexceptions.BadArgument):
        list(sickle.ListRecords(metadataPrefix="oai_dc", colour="blue"))
    with pytest.raises(oaiexceptions.BadArgument):
        list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "yesterday"}))
    with pytest.raises(oaiexceptions.BadArgument):
        list(
            sickle.ListRecords(
                metadataPrefix="oai_dc", **{"from": "2024-01-01", "until": "2024-01-01T00:00:00Z"}
            )
        )
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListRecords(resumptionToken="forged"))
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="marc21"))
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        sickle.GetRecord(identifier=identifier(world["module"]["en"]), metadataPrefix="mods")
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(identifier=identifier(world["draft"]), metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListRecords(metadataPrefix="oai_dc", set="type:podcast"))
    # A token is bound to its verb, and tampering breaks its signature.
    with override_settings(OAI_PAGE_SIZE=2):
        first = next(
            OAIResponseIterator(sickle, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
        )
    token = etree.fromstring(first.raw.encode()).find(".//oai:resumptionToken", OAI).text
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListRecords(resumptionToken=token))
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListIdentifiers(resumptionToken=token[:-2] + "xx"))
    time.sleep(1.1)
    with override_settings(OAI_TOKEN_SECONDS=1), pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListIdentifiers(resumptionToken=token))  # expired
    assert len(list(sickle.ListIdentifiers(resumptionToken=token))) > 0  # control: still valid


def test_post_requests_and_malformed_input_never_fail(base_url, world):
    response = requests.post(
        base_url,
        data={
            "verb": "GetRecord",
            "identifier": identifier(world["case"]["fr"]),
            "metadataPrefix": "oai_dc",
        },
        timeout=30,
    )
    assert response.status_code == 200
    assert "Aerospace valley fr" in response.text
    hostile = [
        {"verb": ["Identify", "Identify"]},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_lom"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "99999-01-01"},
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": "oai:cluster4smart.portal:nope:hu",
        },
        {"verb": "ListRecords", "resumptionToken": "\x00\x01<&>"},
        {"verb": "ListSets", "set": "\ud7ff" * 3000},
        {"verb": "\x00"},
    ]
    for data in hostile:
        for method in (requests.get, requests.post):
            sent = {"params": data} if method is requests.get else {"data": data}
            response = method(base_url, timeout=30, **sent)
            assert response.status_code == 200, data
            root = etree.fromstring(response.content)  # well-formed XML every time
            assert root.find("oai:error", OAI) is not None, data
    bad_body = requests.post(
        base_url,
        data='{"verb": "Identify"}',
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert bad_body.status_code == 200 and 'code="badArgument"' in bad_body.text
    assert requests.put(base_url, timeout=30).status_code == 405


def test_list_records_runs_a_bounded_number_of_queries(
    base_url, world, django_assert_max_num_queries
):
    # The server thread's queries run on the shared connection: they are counted here.
    for size in (3, 100):
        for prefix in ("oai_dc", "oai_lom"):
            arguments = {"verb": "ListRecords", "metadataPrefix": prefix}
            with override_settings(OAI_PAGE_SIZE=size), django_assert_max_num_queries(10):
                response = requests.get(base_url, params=arguments, timeout=30)
            assert response.status_code == 200 and "<record>" in response.text


def test_unpublished_deleted_and_restricted_pages_become_deleted_records(sickle, world):
    """Last: it changes the world. An incremental harvest from before the changes."""
    since = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    time.sleep(1.1)  # the changes fall after ``since`` at second granularity
    unpublished = world["lessons"][0]["fr"]
    Page.objects.get(pk=unpublished.pk).unpublish()
    deleted = world["terms"][1]["es"]
    Page.objects.get(pk=deleted.pk).delete()
    restricted = world["case"]["hu"]
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=restricted.pk), restriction_type=PageViewRestriction.LOGIN
    )
    # The draft becomes public: now it is harvested (the control of "never harvested").
    draft = Page.objects.get(pk=world["draft"].pk).specific
    draft.save_revision().publish()
    stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    changed = {
        record.header.identifier: record
        for record in sickle.ListRecords(metadataPrefix="oai_dc", **{"from": stamp})
    }
    gone = [identifier(page) for page in (unpublished, deleted, restricted)]
    assert set(changed) == {*gone, identifier(draft)}
    for name in gone:
        assert changed[name].deleted
        assert changed[name].xml.find(".//oai:metadata", OAI) is None
    assert changed[identifier(draft)].metadata["title"] == ["Draftmarker lesson"]
    record = sickle.GetRecord(identifier=identifier(unpublished), metadataPrefix="oai_lom")
    assert record.deleted
    assert HarvestRecord.objects.filter(deleted=True).count() == 4  # with the restricted one
