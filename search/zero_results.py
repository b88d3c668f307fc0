"""Help for a search that found nothing: the closest glossary concepts and the most
visited training modules, in the visitor's language (the corrected query, when one
found something, is search/engine.py's business)."""

from rapidfuzz import fuzz, process

from glossary.collation import fold
from modules.models import ModulePage
from portal.visibility import public
from search.expansion import _current_table
from search.visits import visit_counts

CONCEPTS = 3
MODULES = 3
MIN_SIMILARITY = 60  # RapidFuzz WRatio, 0-100


def closest_concepts(query, language, limit=CONCEPTS):
    """Glossary terms whose names (in any language) are most like ``query``, shown in
    the visitor's language when the term exists there."""
    from search.engine import _definitions

    table = _current_table()
    forms = {" ".join(words): keys for words, keys in table["forms"].items()}
    matches = process.extract(
        fold(query), list(forms), scorer=fuzz.WRatio, score_cutoff=MIN_SIMILARITY, limit=20
    )
    keys = []
    for form, _score, _index in matches:
        for key in sorted(forms[form]):
            if key not in keys:
                keys.append(key)
    concepts = [_Concept(key) for key in keys[:limit]]
    return _definitions(concepts, language)


class _Concept:
    def __init__(self, concept_key):
        self.concept_key = concept_key


def most_visited_modules(language, limit=MODULES):
    modules = list(
        public(ModulePage.objects.live().filter(locale__language_code=language)).order_by("path")
    )
    counts = visit_counts([str(module.translation_key) for module in modules])
    ranked = sorted(
        enumerate(modules), key=lambda item: (-counts.get(str(item[1].translation_key), 0), item[0])
    )
    return [module for _position, module in ranked[:limit]]
