"""PDF documents (fact sheets, module handbooks, certificates) from HTML print templates.

WeasyPrint lays the templates out with Pango and HarfBuzz and embeds the fonts it uses
(subset), so every letter of the portal's languages (ő, ű, ñ, ç…) is shaped and
measured by the font itself. The print stylesheet asks for DejaVu (Debian's
fonts-dejavu-core), found through fontconfig on this machine: nothing is downloaded.

The document's language comes from ``<html lang>`` (the PDF's /Lang), its title from
``<title>`` (the PDF's metadata), its outline (bookmarks) from the headings, and the PDF
is tagged for screen readers. Nothing is fetched while rendering except the portal's own
static files (the EU emblem), read from disk through the static file finders.
"""

import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

STYLESHEET = Path(__file__).parent / "templates" / "pdf" / "print.css"
# Relative links resolve against the site's root URL when one is given (the links in the
# PDF then lead to the portal); this one otherwise.
DEFAULT_BASE_URL = "https://pdf.invalid/"

# WeasyPrint reports every unsupported CSS property and refused URL as a warning; the
# templates are ours, so those are a developer's business, not the server log's.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class MissingSystemLibrary(RuntimeError):
    """Pango (or another library WeasyPrint needs) is not installed."""


def _weasyprint():
    try:
        import weasyprint
        import weasyprint.urls
    except OSError as error:  # cffi could not open libpango/libgobject
        raise MissingSystemLibrary(
            "WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            f"fonts-dejavu-core ({error})"
        ) from error
    return weasyprint


def _static_file(name):
    """A static file on disk: from the finders (development), else collected (hashed)."""
    found = finders.find(name)
    if found:
        return found
    try:
        collected = staticfiles_storage.path(name)
    except NotImplementedError:
        return None
    return collected if Path(collected).is_file() else None


def _static_only_fetcher(weasyprint, static_prefix):
    class StaticOnlyFetcher(weasyprint.urls.URLFetcher):
        """Serve the portal's static files from disk; refuse every other address."""

        def fetch(self, url, headers=None):
            if url.startswith(static_prefix):
                path = _static_file(url[len(static_prefix) :].split("?", 1)[0])
                if path:
                    mime_type, _encoding = mimetypes.guess_type(path)
                    return weasyprint.urls.URLFetcherResponse(
                        url,
                        Path(path).read_bytes(),
                        {"Content-Type": mime_type or "application/octet-stream"},
                    )
            raise ValueError(f"Not fetched while rendering a PDF: {url}")

    return StaticOnlyFetcher()


def html_to_pdf(html: str, base_url: str = "") -> bytes:
    weasyprint = _weasyprint()
    base_url = (base_url or DEFAULT_BASE_URL).rstrip("/") + "/"
    static_prefix = base_url + settings.STATIC_URL.lstrip("/")
    document = weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=_static_only_fetcher(weasyprint, static_prefix)
    )
    return document.write_pdf(
        stylesheets=[weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"))],
        pdf_tags=True,
    )


def render_pdf(template_name: str, context: dict, base_url: str = "") -> bytes:
    """Render a print template (it sets ``<html lang>`` and ``<title>``) to PDF bytes;
    ``base_url``: the site's root URL, against which relative links resolve."""
    return html_to_pdf(render_to_string(template_name, context), base_url)


def available() -> bool:
    try:
        _weasyprint()
    except MissingSystemLibrary:
        return False
    return True
