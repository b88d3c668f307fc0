"""Image and document uploads whose content must be what their name says.

Wagtail checks an image's header against its extension and a document's extension
against WAGTAILDOCS_EXTENSIONS, but takes a truncated image (whose decoder then fails in
validation or later, when a rendition is made) and a ".pdf" that is an HTML page. These
forms (WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE) serve every admin
upload path: the add and edit forms, the multiple uploader and the choosers.
"""

import codecs
import logging
import os
import re
import threading
import zipfile
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from PIL import ImageFile
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.documents.views.multiple import AddView as DocumentsAddView
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.views.multiple import AddView as ImagesAddView
from willow.plugins.pillow import PillowImage

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
# What browsers sniff as HTML (WHATWG MIME sniffing), after optional white space.
_HTML_START = re.compile(
    rb"\s*<(!doctype html|html|head|body|script|iframe|svg|object|embed|style)",
    re.IGNORECASE,
)


_decoding = threading.Lock()


@contextmanager
def whole_images_only():
    """Pillow refuses truncated images while this runs.

    WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported (for
    the PDFs), after which Pillow would fill a truncated upload with grey instead of failing.
    """
    with _decoding:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, which also decodes the whole image before accepting it."""

    def to_python(self, data):
        try:
            upload = super().to_python(data)
            if upload is not None:
                with whole_images_only():
                    PillowImage.open(upload.image)  # decodes every pixel
                upload.seek(0)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 - a decoder fed untrusted bytes may raise anything
            logger.info("Refused an image upload that does not decode: %r", error)
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error
        return upload


def _starts_with(*signatures):
    def check(upload):
        head = upload.read(1024)
        return any(head.startswith(signature) for signature in signatures)

    return check


def _pdf(upload):
    # The header may follow a few bytes of junk that readers skip.
    return b"%PDF-" in upload.read(1024)


def _zip_with(member=None, mimetype=None):
    def check(upload):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if member and member not in names:
                    return False
                if mimetype:
                    return "mimetype" in names and archive.read(
                        "mimetype"
                    ).strip() == mimetype.encode("ascii")
                return True
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return False

    return check


def _mp4(upload):
    return upload.read(12)[4:8] == b"ftyp"


def _text(first_line=None, xml=False):
    """UTF-8 text without NUL bytes that does not start like an HTML page."""

    def check(upload):
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        start = b""
        try:
            for chunk in upload.chunks(CHUNK):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
                if len(start) < 1024:
                    start += chunk[: 1024 - len(start)]
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        start = start.removeprefix(codecs.BOM_UTF8)
        if _HTML_START.match(start):
            return False
        if first_line and not start.startswith(first_line):
            return False
        return not xml or start.lstrip().startswith(b"<")

    return check


# One rule per extension in WAGTAILDOCS_EXTENSIONS (a test keeps the two in step).
DOCUMENT_CHECKS = {
    "pdf": _pdf,
    "odt": _zip_with(mimetype="application/vnd.oasis.opendocument.text"),
    "ods": _zip_with(mimetype="application/vnd.oasis.opendocument.spreadsheet"),
    "docx": _zip_with(member="[Content_Types].xml"),
    "xlsx": _zip_with(member="[Content_Types].xml"),
    "zip": _zip_with(),
    "csv": _text(),
    "txt": _text(),
    "vtt": _text(first_line=b"WEBVTT"),
    "tbx": _text(xml=True),
    "mp4": _mp4,
    "webm": _starts_with(b"\x1a\x45\xdf\xa3"),
}


class CheckedDocumentField(WagtailDocumentField):
    """Wagtail's document field, which also checks that the content fits the extension."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        check = DOCUMENT_CHECKS.get(extension)
        if check is None:
            return upload  # Wagtail refuses extensions outside WAGTAILDOCS_EXTENSIONS
        upload.seek(0)
        try:
            fits = check(upload)
        finally:
            upload.seek(0)
        if not fits:
            raise ValidationError(
                _("The content of this file is not a valid .%(extension)s file."),
                code="content_does_not_match_extension",
                params={"extension": extension},
            )
        return upload


def _replace_file_field(form, field_class):
    """Swap the generated file field for a checked one, keeping its label and widget."""
    field = form.fields.get("file")
    if field is not None:
        form.fields["file"] = field_class(
            label=field.label,
            required=field.required,
            widget=field.widget,
            max_length=field.max_length,
        )


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _replace_file_field(self, CheckedImageField)


class DocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _replace_file_field(self, CheckedDocumentField)


class _NeedsUploadedFile:
    """The multiple uploader reads ``files[]`` unchecked; a request without it is a 400."""

    def post(self, request, *args, **kwargs):
        if "files[]" not in request.FILES:
            return HttpResponseBadRequest(_("Please choose a file to upload."))
        return super().post(request, *args, **kwargs)


class MultipleImagesAddView(_NeedsUploadedFile, ImagesAddView):
    pass


class MultipleDocumentsAddView(_NeedsUploadedFile, DocumentsAddView):
    pass
