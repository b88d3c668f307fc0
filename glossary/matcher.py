"""One term linker per language, built once and shared by every render.

The linker is kept in this process and rebuilt only when the glossary changes: a
version number in the shared cache is bumped whenever a term is published,
unpublished or deleted, so every app server notices on its next render (one cache
read, no SQL) and rebuilds with a single query.
"""

import threading
from uuid import uuid4

from django.core.cache import cache

from glossary.linker import GlossaryTarget, TermLinker
from portal.routing import visible_children

VERSION_KEY = "glossary:linker-version"
_linkers: dict[str, tuple[int, TermLinker]] = {}
_lock = threading.Lock()


def glossary_changed(**kwargs):
    cache.set(VERSION_KEY, uuid4().hex, None)


def glossary_version():
    # A random token rather than a counter: an emptied cache can never bring back an
    # old number that a process still holds a linker for.
    return cache.get_or_set(VERSION_KEY, lambda: uuid4().hex, None)


def _build(language_code):
    from glossary.models import GlossaryTermPage

    forms, abbreviations = {}, {}
    terms = (
        visible_children(GlossaryTermPage.objects.filter(locale__language_code=language_code))
        .exclude(status=GlossaryTermPage.DEPRECATED)
        .only(
            "title",
            "url_path",
            "path",
            "depth",
            "translation_key",
            "short_definition",
            "abbreviation",
            "synonyms",
        )
    )
    for term in terms:
        url = term.get_url()
        if not url:
            continue
        target = GlossaryTarget(
            concept_key=str(term.translation_key),
            url=url,
            term=term.title,
            definition=term.short_definition,
        )
        for form in [term.title, *term.synonym_list]:
            forms.setdefault(form, target)
        if term.abbreviation:
            abbreviations.setdefault(term.abbreviation, target)
    return TermLinker(forms, abbreviations)


def linker_for(language_code: str) -> TermLinker:
    version = glossary_version()
    cached = _linkers.get(language_code)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        linker = _build(language_code)
        _linkers[language_code] = (version, linker)
    return linker
