"""Helpers shared by the demo-content loaders of each app."""

import json
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from wagtail.models import Locale

SOURCE_LANGUAGE = "en"


def target_languages():
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def load_json(path: Path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def paragraphs(texts) -> str:
    """Rich text from a list of paragraphs that may hold <strong> and <em>."""
    return "".join(f"<p>{_inline(text)}</p>" for text in texts)


def bullet_list(items) -> str:
    return "<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>"


def _inline(text: str) -> str:
    # Only the inline tags the content format allows survive; the rest is escaped.
    escaped = escape(text)
    for tag in ("strong", "em"):
        escaped = escaped.replace(f"&lt;{tag}&gt;", f"<{tag}>").replace(
            f"&lt;/{tag}&gt;", f"</{tag}>"
        )
    return (
        escaped.replace("<strong>", "<b>")
        .replace("</strong>", "</b>")
        .replace("<em>", "<i>")
        .replace("</em>", "</i>")
    )
