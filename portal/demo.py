"""Helpers shared by the demo-content loaders of each app."""

import json
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from wagtail.models import Locale

SOURCE_LANGUAGE = "en"
DEMO_CONTENT = Path(__file__).parent / "demo_content"


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


def translate_all(source, build, data, log=None):
    """Translate ``source`` into every other language unless already translated."""
    from portal.localize import translate_from_twin

    for code in target_languages():
        if source.get_translation_or_none(locale(code)) is None:
            translate_from_twin(source, locale(code), build(data, code))
            if log:
                log(f"Translated {source} into {code}.")


def load_taxonomy(log):
    """Themes, sectors and tag labels in four languages, translated as snippets in
    wagtail-localize."""
    from portal.models import Sector, TagLabel, Theme

    data = load_json(DEMO_CONTENT / "taxonomy.json")
    models = ((Theme, data["themes"]), (Sector, data["sectors"]), (TagLabel, data["tags"]))
    for model, entries in models:
        for entry in entries:

            def build(entry, language, model=model):
                return model(
                    name=entry["name"][language],
                    description=entry.get("description", {}).get(language, ""),
                    slug=entry["slug"],
                )

            source = model.objects.filter(
                slug=entry["slug"], locale=locale(SOURCE_LANGUAGE)
            ).first()
            if source is None:
                source = build(entry, SOURCE_LANGUAGE)
                source.locale = locale(SOURCE_LANGUAGE)
                source.save()
            translate_all(source, build, entry)
    log("Themes, sectors and tag labels are in place.")


def taxonomy(model, slug):
    return model.objects.get(slug=slug, locale=locale(SOURCE_LANGUAGE))


def section_index_builder(model, slug):
    """A builder of a section's index page (catalogue, case studies, glossary) from its
    JSON: title, search_description and introduction paragraphs per language."""

    def build(data, language):
        return model(
            title=data["title"][language],
            slug=slug,
            search_description=data["search_description"][language],
            introduction=paragraphs(data["introduction"][language]),
            show_in_menus=True,
        )

    return build


def load_section_index(model, slug, data, log):
    """The English section index under the English home page, and its translations."""
    from home.models import HomePage

    build = section_index_builder(model, slug)
    home = HomePage.objects.get(locale=locale(SOURCE_LANGUAGE), depth=2)
    index = model.objects.child_of(home).first()
    if index is None:
        index = build(data, SOURCE_LANGUAGE)
        home.add_child(instance=index)
        index.save_revision().publish()
    translate_all(index, build, data, log)
    return index
