"""Modules as SCORM 1.2 packages and IMS Common Cartridges 1.1, in every language."""

import io
import re
import zipfile

import pytest
from defusedxml import ElementTree
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from tests.oer_world import LANGUAGES, TEXTS, build_world
from tests.package_checks import Page, local_targets

SCORM_NS = {
    "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
}
CC_NS = {
    "cc": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
    "lomimscc": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest",
}
QTI_NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(lesson_count=2)
        transaction.set_rollback(True)


@pytest.fixture
def reader(db, world):
    return Client()


def download(client, module, name):
    response = client.get(f"{module.url}export/{name}")
    assert response.status_code == 200, response.status_code
    return response, zipfile.ZipFile(io.BytesIO(response.content))


def test_the_module_page_offers_both_packages(reader, world):
    html = reader.get(world.modules["en"].url).content.decode()
    assert f'href="{world.modules["en"].url}export/scorm12.zip"' in html
    assert f'href="{world.modules["en"].url}export/cartridge.imscc"' in html
    assert "SCORM 1.2 package" in html
    hungarian = reader.get(world.modules["hu"].url).content.decode()
    assert f'href="{world.modules["hu"].url}export/scorm12.zip"' in hungarian
    assert "Használja ezt a modult" in hungarian  # the section heading, translated


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_scorm_package_per_language(reader, world, language):
    module = world.modules[language]
    response, archive = download(reader, module, "scorm12.zip")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="smart-industry-{language}-scorm12.zip"'
    )
    names = set(archive.namelist())
    assert "imsmanifest.xml" in names
    manifest = ElementTree.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=SCORM_NS) == "ADL SCORM"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=SCORM_NS) == "1.2"
    lom_title = manifest.find(
        "cp:metadata/imsmd:lom/imsmd:general/imsmd:title/imsmd:langstring", SCORM_NS
    )
    assert lom_title.text == module.title and lom_title.get(XML_LANG) == language
    organisations = manifest.findall("cp:organizations/cp:organization", SCORM_NS)
    assert len(organisations) == 1
    items = organisations[0].findall("cp:item", SCORM_NS)
    lessons = world.lessons[language]
    assert [item.findtext("cp:title", namespaces=SCORM_NS) for item in items] == [
        f"{lesson.lesson_number} {lesson.title}" for lesson in lessons
    ]
    resources = {
        resource.get("identifier"): resource
        for resource in manifest.findall("cp:resources/cp:resource", SCORM_NS)
    }
    named = set()
    for resource in resources.values():
        for file in resource.findall("cp:file", SCORM_NS):
            named.add(file.get("href"))
        for dependency in resource.findall("cp:dependency", SCORM_NS):
            assert dependency.get("identifierref") in resources
    assert named <= names, f"named in the manifest, missing from the zip: {named - names}"
    assert names - named == {"imsmanifest.xml"}, "files the manifest does not name"

    scos = []
    for item, lesson in zip(items, lessons, strict=True):
        resource = resources[item.get("identifierref")]
        assert resource.get(f"{{{SCORM_NS['adlcp']}}}scormtype") == "sco"
        scos.append((resource.get("href"), lesson))
        mastery = item.findtext("adlcp:masteryscore", namespaces=SCORM_NS)
        assert mastery == ("70" if lesson.quiz else None)
    assert len({href for href, _lesson in scos}) == len(lessons)

    for href, lesson in scos:
        html = archive.read(href).decode()
        page = Page(html)
        assert page.lang == language
        assert lesson.title in page.plain
        assert page.inline_scripts == 0 and page.handlers == []
        targets = local_targets(page, href, names)
        assert "assets/scorm12.js" in targets and "assets/package.css" in targets
        if lesson.quiz:
            assert_quiz_matches(html, lesson)
            assert any(target.startswith("assets/images/") for target in targets)
            assert any(target.endswith(".pdf") for target in targets)
            assert TEXTS[language]["sentence"].split()[-1] in page.plain
    for name in names:
        if name.endswith(".css"):
            css = archive.read(name).decode()
            assert not re.search(r"url\(|@import", css), f"{name} loads something"
        if name.endswith(".js"):
            script = archive.read(name).decode()
            assert not re.search(r"https?:|//[a-z]|XMLHttpRequest|fetch\(|import\(", script)


def assert_quiz_matches(html, lesson):
    """The page's quiz is the portal's: its questions, choices and which are correct."""
    for block in lesson.quiz:
        value = block.value
        assert f'data-question="{block.id}"' in html
        assert escape(value["question"]) in html
        for choice in value["choices"].bound_blocks:
            correct = "true" if choice.value["correct"] else "false"
            assert (
                f'name="q-{block.id}" value="{choice.id}" id="c-{choice.id}" data-correct="{correct}"'
                in html
            )
            assert escape(choice.value["text"]) in html


def qti_questions(assessment):
    """Each item as Moodle's importer reads it: text, kind, choices with their text, whether
    they score, their feedback, and the general feedback."""
    questions = []
    for item in assessment.findall("q:assessment/q:section/q:item", QTI_NS):
        feedback = {
            node.get("ident"): node.findtext("q:flow_mat/q:material/q:mattext", namespaces=QTI_NS)
            for node in item.findall("q:itemfeedback", QTI_NS)
        }
        profile = item.findtext(
            "q:itemmetadata/q:qtimetadata/q:qtimetadatafield[q:fieldlabel='cc_profile']/q:fieldentry",
            namespaces=QTI_NS,
        )
        scoring = [
            condition
            for condition in item.findall("q:resprocessing/q:respcondition", QTI_NS)
            if condition.findtext("q:setvar", namespaces=QTI_NS) == "100"
        ]
        correct = set()
        for condition in scoring:
            for equal in condition.iter(f"{{{QTI_NS['q']}}}varequal"):
                correct.add(equal.text)
            for negated in condition.iter(f"{{{QTI_NS['q']}}}not"):
                for equal in negated.iter(f"{{{QTI_NS['q']}}}varequal"):
                    correct.discard(equal.text)
        per_choice, general = {}, None
        for condition in item.findall("q:resprocessing/q:respcondition", QTI_NS):
            shown = condition.find("q:displayfeedback", QTI_NS)
            if shown is None:
                continue
            equal = condition.find("q:conditionvar/q:varequal", QTI_NS)
            if equal is None:
                general = feedback[shown.get("linkrefid")]
            else:
                per_choice[equal.text] = feedback[shown.get("linkrefid")]
        choices = [
            (
                label.findtext("q:material/q:mattext", namespaces=QTI_NS),
                label.get("ident") in correct,
                per_choice.get(label.get("ident"), ""),
            )
            for label in item.findall(
                "q:presentation/q:response_lid/q:render_choice/q:response_label", QTI_NS
            )
        ]
        questions.append(
            {
                "text": item.findtext("q:presentation/q:material/q:mattext", namespaces=QTI_NS),
                "multiple": profile == "cc.multiple_response.v0p1",
                "cardinality": item.find("q:presentation/q:response_lid", QTI_NS).get(
                    "rcardinality"
                ),
                "choices": choices,
                "general": general,
            }
        )
    return questions


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_common_cartridge_per_language(reader, world, language):
    module = world.modules[language]
    response, archive = download(reader, module, "cartridge.imscc")
    assert response["Content-Type"] == "application/vnd.ims.imsccv1p1"
    assert response["Content-Disposition"] == (
        f'attachment; filename="smart-industry-{language}.imscc"'
    )
    names = set(archive.namelist())
    manifest = ElementTree.fromstring(archive.read("imsmanifest.xml"))
    # What Moodle's importer looks for: the CC 1.1 namespace and its metadata.
    assert manifest.tag == f"{{{CC_NS['cc']}}}manifest"
    assert manifest.findtext("cc:metadata/cc:schema", namespaces=CC_NS) == "IMS Common Cartridge"
    assert manifest.findtext("cc:metadata/cc:schemaversion", namespaces=CC_NS) == "1.1.0"
    general = manifest.find("cc:metadata/lomimscc:lom/lomimscc:general", CC_NS)
    assert general.findtext("lomimscc:title/lomimscc:string", namespaces=CC_NS) == module.title
    assert (
        general.findtext("lomimscc:description/lomimscc:string", namespaces=CC_NS) == module.summary
    )
    assert general.findtext("lomimscc:language", namespaces=CC_NS) == language
    rights = manifest.findtext(
        "cc:metadata/lomimscc:lom/lomimscc:rights/lomimscc:description/lomimscc:string",
        namespaces=CC_NS,
    )
    assert "CC BY 4.0" in rights and "https://creativecommons.org/licenses/by/4.0/" in rights

    resources = {
        resource.get("identifier"): resource
        for resource in manifest.findall("cc:resources/cc:resource", CC_NS)
    }
    named = set()
    for resource in resources.values():
        named.update(file.get("href") for file in resource.findall("cc:file", CC_NS))
        for dependency in resource.findall("cc:dependency", CC_NS):
            assert dependency.get("identifierref") in resources
    assert named <= names and names - named == {"imsmanifest.xml"}
    references = [
        item.get("identifierref")
        for item in manifest.iter(f"{{{CC_NS['cc']}}}item")
        if item.get("identifierref")
    ]
    assert all(reference in resources for reference in references)

    pages = [resources[ref] for ref in references if resources[ref].get("type") == "webcontent"]
    quizzes = [
        resources[ref]
        for ref in references
        if resources[ref].get("type") == "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
    ]
    lessons = world.lessons[language]
    assert len(pages) == 1 + len(lessons)  # the module overview, then the lessons
    for resource, lesson in zip(pages[1:], lessons, strict=True):
        page = Page(archive.read(resource.get("href")).decode())
        assert page.lang == language and lesson.title in page.plain
        assert page.inline_scripts == 0 and not any(tag == "script" for tag, _v in page.references)
        local_targets(page, resource.get("href"), names)
    overview = Page(archive.read("index.html").decode())
    assert module.title in overview.plain and overview.lang == language
    assert local_targets(overview, "index.html", names) >= {
        lesson_file for lesson_file in names if lesson_file.startswith("lesson-")
    }

    with_quiz = [lesson for lesson in lessons if lesson.quiz]
    assert len(quizzes) == len(with_quiz)
    for resource, lesson in zip(quizzes, with_quiz, strict=True):
        assessment = ElementTree.fromstring(
            archive.read(resource.find("cc:file", CC_NS).get("href"))
        )
        expected = [
            {
                "text": block.value["question"],
                "multiple": block.value["kind"] == "multiple",
                "cardinality": "Multiple" if block.value["kind"] == "multiple" else "Single",
                "choices": [
                    (choice["text"], bool(choice["correct"]), choice["feedback"])
                    for choice in block.value["choices"]
                ],
                "general": block.value["explanation"],
            }
            for block in lesson.quiz
        ]
        assert qti_questions(assessment) == expected
    if language == "hu":
        assert (
            "Igen: ő élteti a hálózatot."
            in archive.read(quizzes[0].find("cc:file", CC_NS).get("href")).decode()
        )


def test_packages_hold_public_content_only(reader, world):
    _response, archive = download(reader, world.modules["en"], "scorm12.zip")
    everything = " ".join(
        archive.read(name).decode(errors="replace") for name in archive.namelist()
    )
    names = archive.namelist()
    assert world.draft_lesson_title not in everything
    assert not any(world.private_image_file in name for name in names)
    assert any(world.public_image_file in name for name in names)  # the control
    assert "Private" not in everything  # the private image's caption goes with it
    assert "A test picture" in everything


@pytest.mark.parametrize("name", ["scorm12.zip", "cartridge.imscc"])
def test_anything_but_a_public_module_is_not_found(reader, world, name):
    for why, url in world.hidden_urls.items():
        # An address without a language prefix (/de/…) is first sent to /en/de/….
        response = reader.get(f"{url}export/{name}", follow=True)
        assert response.status_code == 404, (why, response.status_code)
    assert reader.get(f"{world.modules['en'].url}export/scorm2004.zip").status_code == 404
    assert reader.post(f"{world.modules['en'].url}export/{name}").status_code == 405
    # The control: the same addresses of a public module are served.
    assert reader.get(f"{world.modules['hu'].url}export/{name}").status_code == 200
    assert reader.get(f"{world.english_only.url}export/{name}").status_code == 200


def test_packages_are_cached_like_public_pages(reader, world):
    url = f"{world.modules['hu'].url}export/scorm12.zip"
    first = reader.get(url)
    assert first.status_code == 200
    assert not first.cookies and "Cookie" not in first.get("Vary", "")
    directives = {d.strip() for d in first["Cache-Control"].split(",")}
    assert "public" in directives and any(d.startswith("s-maxage=") for d in directives)
    assert first["X-Cache"] == "miss" and first["ETag"]
    second = reader.get(url)
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert world.modules["hu"].get_cached_paths() == [
        "/",
        "pdf/",
        "export/scorm12.zip",
        "export/cartridge.imscc",
    ]


def test_a_package_costs_a_bounded_number_of_queries(reader, world, django_assert_max_num_queries):
    from django.core.cache import cache

    from tests.factories import LessonPageFactory

    for name in ("scorm12.zip", "cartridge.imscc"):
        cache.clear()
        with django_assert_max_num_queries(12):
            assert reader.get(f"{world.modules['en'].url}export/{name}").status_code == 200
    # More lessons, more images and documents: the same number of queries.
    template = world.lessons["en"][0]
    for number in range(5, 12):
        LessonPageFactory(
            parent=world.modules["en"],
            title=f"More {number}",
            slug=f"more-{number}",
            body=template.body.raw_data,
            quiz=template.quiz.raw_data,
        )
    cache.clear()
    with django_assert_max_num_queries(12):
        response = reader.get(f"{world.modules['en'].url}export/scorm12.zip")
    last = f"lesson-{len(world.lessons['en']) + 7:02d}.html"
    assert last in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_glossary_terms_are_defined_inside_the_lesson(reader, world):
    _response, archive = download(reader, world.modules["hu"], "scorm12.zip")
    html = archive.read("lesson-01.html").decode()
    term, definition = TEXTS["hu"]["term"]
    anchor = re.search(r'<dt id="(term-\d+)"><dfn>' + re.escape(term), html)
    assert anchor, "the lesson's glossary lists the term"
    assert f"<dd>{definition}</dd>" in html
    # The term in the text links to its definition on the same page.
    assert f'class="glossary-link" href="#{anchor.group(1)}"' in html
    assert "digital twin" not in html  # the English term stays out of the Hungarian page


def test_the_export_command_writes_both_formats(world, db, tmp_path):
    for format_name, suffix in (("scorm12", "zip"), ("cartridge", "imscc")):
        target = tmp_path / f"module.{suffix}"
        call_command(
            "export_module",
            "smart-industry",
            "--language",
            "hu",
            "--format",
            format_name,
            "--output",
            str(target),
            stdout=io.StringIO(),
        )
        archive = zipfile.ZipFile(target)
        assert "imsmanifest.xml" in archive.namelist()
        assert TEXTS["hu"]["module"] in archive.read("index.html").decode()
    by_id = tmp_path / "by-id.zip"
    call_command(
        "export_module",
        str(world.modules["en"].pk),
        "--language",
        "fr",
        "-o",
        str(by_id),
        stdout=io.StringIO(),
    )
    assert TEXTS["fr"]["module"] in zipfile.ZipFile(by_id).read("index.html").decode()
    for arguments in (
        ["draft-module"],
        ["members-module"],
        ["english-only", "--language", "hu"],
        ["smart-industry", "--language", "de"],
        ["999999"],
    ):
        with pytest.raises(CommandError):
            call_command(
                "export_module", *arguments, "-o", str(tmp_path / "x"), stdout=io.StringIO()
            )


def test_missing_media_files_are_left_out_not_an_error(reader, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from tests.factories import LessonPageFactory

    image = Image.objects.create(title="Gone", file=get_test_image_file(filename="gone.png"))
    document = Document.objects.create(
        title="Gone sheet", file=SimpleUploadedFile("gone-sheet.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    image.file.storage.delete(image.file.name)
    document.file.storage.delete(document.file.name)
    LessonPageFactory(
        parent=world.english_only,
        title="Broken media",
        slug="broken-media",
        body=[
            ("image", {"image": image, "alt_text": "Gone", "caption": "Gone caption"}),
            ("fact_sheet", {"document": document, "description": "Gone too."}),
            ("rich_text", "<p>Still readable.</p>"),
        ],
    )
    for name in ("scorm12.zip", "cartridge.imscc"):
        _response, archive = download(reader, world.english_only, name)
        names = archive.namelist()
        assert not any("gone" in entry for entry in names)
        pages = " ".join(archive.read(entry).decode() for entry in names if entry.endswith(".html"))
        assert "Still readable." in pages and "Gone caption" not in pages
