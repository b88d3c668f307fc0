"""wagtail-localize's PO upload, with the file checked before anything is imported.

wagtail-localize's own view fails with a server error on a request without a file, a PO
file without its translation id or in an unknown charset, and imports entry by entry
outside a transaction. This one refuses such files with a message, and imports all the
entries or none. It is served at wagtail-localize's own URL (see wagtail_hooks).
"""

import os
import tempfile

import polib
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import user_can_edit_instance

MAX_PO_BYTES = 5 * 1024 * 1024


class InvalidPOFile(ValueError):
    pass


def _parse(data):
    # polib takes a string holding a path for that file's name, so the contents go
    # through a file of our own, never straight to polib.
    handle, path = tempfile.mkstemp(suffix=".po")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        return polib.pofile(path, encoding="utf-8")
    finally:
        os.unlink(path)


def read_po_file(upload, translation):
    """The uploaded PO file, parsed, or InvalidPOFile with a message for the translator."""
    if upload is None:
        raise InvalidPOFile(_("Please choose a PO file to upload."))
    if upload.size > MAX_PO_BYTES:
        raise InvalidPOFile(
            _("The PO file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_PO_BYTES)}
        )
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidPOFile(_("The PO file is not UTF-8 text; save it as UTF-8.")) from None
    if "\x00" in text or not text.strip():
        raise InvalidPOFile(_("Please upload a valid PO file."))
    try:
        po = _parse(text.encode("utf-8"))
    except (OSError, ValueError, UnicodeError):  # polib reports syntax errors as OSError
        raise InvalidPOFile(_("Please upload a valid PO file.")) from None
    if po.metadata.get("X-WagtailLocalize-TranslationID") != str(translation.uuid):
        raise InvalidPOFile(
            _("Cannot import PO file that was created for a different translation.")
        )
    return po


@require_POST
def upload_pofile(request, translation_id):
    translation = get_object_or_404(Translation, id=translation_id)
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    next_url = get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
    try:
        po = read_po_file(request.FILES.get("file"), translation)
    except InvalidPOFile as error:
        messages.error(request, str(error))
        return redirect(next_url)
    with transaction.atomic():
        translation.import_po(po, user=request.user, tool_name="PO File")
    messages.success(request, _("Successfully imported translations from PO File."))
    return redirect(next_url)
