"""One term linker per language, built once and shared by every render.

The linker is kept in this process and rebuilt when what is public changes (the
portal's content version in the shared cache: a term published, unpublished, moved,
deleted or restricted), so every app server notices on its next render (one cache
read, no SQL) and rebuilds with a single query.
"""

import threading

from glossary.linker import GlossaryTarget, TermLinker
from portal.signals import content_version
from portal.visibility import public

_linkers: dict[str, tuple[str, TermLinker]] = {}
_lock = threading.Lock()


def _build(language_code):
    from glossary.models import GlossaryTermPage

    forms, abbreviations = {}, {}
    terms = (
        public(GlossaryTermPage.objects.filter(locale__language_code=language_code))
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
    version = content_version("glossary")
    cached = _linkers.get(language_code)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        linker = _build(language_code)
        _linkers[language_code] = (version, linker)
    return linker
