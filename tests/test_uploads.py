"""Uploads through the real admin views: bad files get a form error and write nothing."""

import io
import struct
import zipfile
import zlib

import polib
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail_localize.models import StringTranslation

from portal.uploads import DOCUMENT_CHECKS
from tests.factories import CaseStudyIndexPageFactory, log_in, start_translation

pytestmark = pytest.mark.django_db


def png(width=4, height=4, noise=False):
    image = PILImage.new("RGB", (width, height), "red")
    if noise:
        image = PILImage.effect_noise((width, height), 100).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width, height):
    """A small PNG whose header claims another size (a decompression bomb's shape)."""
    data = png()
    chunk = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        data[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]
    )


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BAD_IMAGES = {
    "text.png": (b"just some text, not an image", "not an image or a corrupted image"),
    "script.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "Not a supported image format",
    ),
    "truncated.png": (png(64, 64, noise=True)[:200], "not an image or a corrupted image"),
    "bomb.png": (png_claiming(100_000, 100_000), "too many pixels"),
    "renamed.jpg": (png(), "The extension does not match the file format"),
    "empty.png": (b"", "The submitted file is empty"),
}


@pytest.fixture
def editor(client, home_pages):
    log_in(client, "English editors")
    return client


def errors_of(response):
    return str(response.context["form"].errors)


@pytest.fixture
def weasyprint_imported():
    """The PDF renderer, once imported, makes Pillow accept truncated images process-wide."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_bad_images_get_a_form_error_on_every_upload_path(editor, weasyprint_imported):
    for name, (content, message) in BAD_IMAGES.items():
        response = editor.post(
            "/admin/images/add/", {"title": name, "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200, name
        assert message in errors_of(response), name

        response = editor.post(
            "/admin/images/multiple/add/", {"files[]": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200, name
        assert response.json()["success"] is False, name
        assert message in response.json()["error_message"], name

        response = editor.post(
            "/admin/images/chooser/create/",
            {
                "image-chooser-upload-title": name,
                "image-chooser-upload-file": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
    assert not Image.objects.exists()


def test_a_good_image_is_still_accepted(editor, weasyprint_imported):
    response = editor.post(
        "/admin/images/add/", {"title": "Red", "file": SimpleUploadedFile("red.png", png())}
    )
    assert response.status_code == 302
    assert Image.objects.get().title == "Red"
    assert editor.get("/admin/images/").status_code == 200


def test_an_image_over_the_size_limit_gets_a_form_error(editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2_000
    content = png(64, 64, noise=True)
    assert len(content) > 2_000
    response = editor.post(
        "/admin/images/add/", {"title": "Big", "file": SimpleUploadedFile("big.png", content)}
    )
    assert response.status_code == 200
    assert "This file is too big" in errors_of(response)
    assert not Image.objects.exists()


def test_a_request_over_the_largest_upload_gets_413_and_writes_nothing(editor, settings):
    settings.PORTAL_MAX_REQUEST_BYTES = 10_000
    response = editor.post(
        "/admin/documents/add/",
        {"title": "Big", "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 20_000)},
    )
    assert response.status_code == 413
    assert not Document.objects.exists()


def test_the_multiple_uploader_without_a_file_is_a_400(editor):
    for kind in ("images", "documents"):
        response = editor.post(
            f"/admin/{kind}/multiple/add/", {"other": SimpleUploadedFile("a.png", png())}
        )
        assert response.status_code == 400, kind
    assert not Image.objects.exists() and not Document.objects.exists()


BAD_DOCUMENTS = {
    "page.pdf": b"<!doctype html><script>alert(1)</script>",
    "letter.docx": b"plain text pretending to be Word",
    "sheet.ods": zipped({"mimetype": "application/zip"}),
    "archive.zip": b"PK but not really",
    "page.txt": b"  <html><body><script>alert(1)</script></body></html>",
    "utf16.csv": "concept_id,term\nc1,café\n".encode("utf-16"),
    "latin1.csv": "concept_id,term\nc1,café\n".encode("latin-1"),
    "captions.vtt": b"00:00.000 --> 00:01.000\nHello",
    "glossary.tbx": b"not xml at all",
    "film.mp4": b"<!doctype html>",
    "film.webm": b"\x00\x00\x00\x18ftypmp42",
}
GOOD_DOCUMENTS = {
    "fact-sheet.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
    "notes.docx": zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
    "sheet.ods": zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
    "terms.csv": "\ufeffconcept_id,term\nc1,café\n".encode(),
    "captions.vtt": b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello",
    "glossary.tbx": b'<?xml version="1.0"?><tbx/>',
    "readme.txt": "a < b, and «quotes»".encode(),
    "film.mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16,
}


def test_mislabelled_documents_get_a_form_error_on_every_upload_path(editor):
    for name, content in BAD_DOCUMENTS.items():
        extension = name.rsplit(".", 1)[1]
        message = f"not a valid .{extension} file"
        response = editor.post(
            "/admin/documents/add/", {"title": name, "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200, name
        assert message in errors_of(response), name

        response = editor.post(
            "/admin/documents/multiple/add/", {"files[]": SimpleUploadedFile(name, content)}
        )
        assert response.json()["success"] is False, name
        assert message in response.json()["error_message"], name

        response = editor.post(
            "/admin/documents/chooser/create/",
            {
                "document-chooser-upload-title": name,
                "document-chooser-upload-file": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
    assert not Document.objects.exists()


def test_documents_that_are_what_they_say_are_accepted(editor):
    for name, content in GOOD_DOCUMENTS.items():
        response = editor.post(
            "/admin/documents/add/", {"title": name, "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 302, (name, response.context and errors_of(response))
    assert Document.objects.count() == len(GOOD_DOCUMENTS)


def test_a_disallowed_extension_is_still_refused(editor):
    response = editor.post(
        "/admin/documents/add/", {"title": "x", "file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert response.status_code == 200
    assert "is not allowed" in errors_of(response)


def test_every_allowed_document_extension_has_a_content_check():
    assert set(settings.WAGTAILDOCS_EXTENSIONS) == set(DOCUMENT_CHECKS)


# -- PO files in wagtail-localize's translation editor ----------------------------------------


@pytest.fixture
def translation(home_pages):
    return start_translation(CaseStudyIndexPageFactory(), "fr")


@pytest.fixture
def translator(client, translation):
    """A French translator, whose admin (and so every message) is in French."""
    log_in(client, "French translators")
    return client


def upload_po(client, translation, content, name="fr.po"):
    response = client.post(
        f"/admin/localize/translate/{translation.pk}/pofile/upload/",
        {"file": SimpleUploadedFile(name, content), "next": "/admin/"},
    )
    return response, [str(message) for message in get_messages(response.wsgi_request)]


def translated_po(translation, text="Études de cas"):
    po = translation.export_po()
    for entry in po:
        entry.msgstr = text
    return str(po).encode()


def test_a_good_po_file_imports_its_translations(translator, translation):
    response, messages = upload_po(translator, translation, translated_po(translation))
    assert response.status_code == 302
    assert "Les traductions du fichier PO ont été importées." in messages
    assert StringTranslation.objects.filter(data="Études de cas").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n not a po file", "pas un texte UTF-8"),
        (b'msgid "a"\nmsgstr "b"\nnot po syntax\n', "fichier PO valide"),
        (b"", "fichier PO valide"),
        (
            b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=x-unknown\\n"\n',
            "autre traduction",
        ),
        (b'msgid "a\x00"\nmsgstr "b"\n', "fichier PO valide"),
    ],
)
def test_bad_po_files_are_refused_with_a_message_and_import_nothing(
    translator, translation, content, message
):
    response, messages = upload_po(translator, translation, content)
    assert response.status_code == 302
    assert any(message in text for text in messages), messages
    assert not StringTranslation.objects.exists()


def test_a_po_file_for_another_translation_imports_nothing(translator, translation):
    po = polib.pofile(translated_po(translation).decode())
    po.metadata["X-WagtailLocalize-TranslationID"] = "00000000-0000-0000-0000-000000000000"
    response, messages = upload_po(translator, translation, str(po).encode())
    assert any("autre traduction" in text for text in messages)
    assert not StringTranslation.objects.exists()


def test_an_oversized_po_file_is_refused(translator, translation):
    content = translated_po(translation) + b"#" * (5 * 1024 * 1024)
    response, messages = upload_po(translator, translation, content)
    assert any("trop volumineux" in text for text in messages)
    assert not StringTranslation.objects.exists()


def test_po_upload_without_a_file_or_by_get_is_refused(translator, translation):
    url = f"/admin/localize/translate/{translation.pk}/pofile/upload/"
    assert translator.get(url).status_code == 405
    response = translator.post(url, {"next": "/admin/"})
    assert response.status_code == 302
    assert "Veuillez choisir un fichier PO à téléverser." in [
        str(message) for message in get_messages(response.wsgi_request)
    ]
