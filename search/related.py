"""Related content for modules, lessons, case studies and glossary terms.

Pages are related when they share themes or use the same glossary concepts, and, on
engines that have it (OpenSearch, Elasticsearch), when the engine's more-like-this finds
their text alike. Results come in the visitor's language when translated, otherwise in
their own language with a label. A few queries whatever the size of the portal, and the
result is cached until anything public changes.
"""

import logging
from collections import Counter

from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page

from portal.content_cache import cached_for_content
from portal.visibility import public
from search.engine import BACKEND_ERRORS

logger = logging.getLogger(__name__)
MAX_RELATED = 6
# Cached briefly when the engine fails, so an outage costs one timeout, not one per view.
ENGINE_DOWN_SECONDS = 60


def _theme_slugs(page):
    """A subquery of the page's theme slugs (no query of its own)."""
    from casestudies.models import CaseStudyPage
    from modules.models import LessonPage, ModulePage
    from portal.models import Theme

    if isinstance(page, CaseStudyPage):
        return CaseStudyPage.themes.through.objects.filter(casestudypage_id=page.pk).values(
            "theme__slug"
        )
    if isinstance(page, LessonPage):
        return ModulePage.objects.filter(path=page.path[: -page.steplen]).values("theme__slug")
    return Theme.objects.filter(pk=getattr(page, "theme_id", None)).values("slug")


def _compute(page):
    """Translation keys of related pages, best first, in one query."""
    from glossary.models import GlossaryTermPage, GlossaryUsage

    scores = Counter()
    if isinstance(page, GlossaryTermPage):
        sharing = GlossaryUsage.objects.filter(term__translation_key=page.translation_key)
    else:
        concepts = GlossaryUsage.objects.filter(page=page).values("term__translation_key")
        sharing = GlossaryUsage.objects.filter(term__translation_key__in=concepts)
    slugs = _theme_slugs(page)
    same_theme = (
        Page.objects.live()
        .filter(Q(modulepage__theme__slug__in=slugs) | Q(casestudypage__themes__slug__in=slugs))
        .values_list("translation_key", flat=True)
    )
    # One query: every shared glossary concept and every shared theme adds one point.
    shared = sharing.order_by().values_list("page__translation_key", flat=True)
    for key in shared.union(same_theme.order_by(), all=True):
        scores[key] += 1
    # The engine's best matches count as much as a shared concept, the best one a little more.
    for rank, key in enumerate(_alike_by_engine(page)):
        scores[key] += 1 + 1 / (rank + 2)
    scores.pop(page.translation_key, None)
    return [key for key, _score in scores.most_common(MAX_RELATED * 2)]


def _alike_by_engine(page):
    """Translation keys of the pages whose text the search engine finds most like this
    page's (more-like-this); none on the database backends, which cannot do it."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    client = getattr(backend, "es", None)  # the Elasticsearch and OpenSearch backends' client
    if client is None or cache.get("related:engine-down"):
        return []
    index = backend.get_index_for_model(Page)
    query = {
        "more_like_this": {
            # Every text field of the document (Wagtail's catch-all _all_text is not in
            # the stored source a "like" document is read from); numbers are skipped.
            "fields": ["title", "*__*"],
            "fail_on_unsupported_field": False,
            "like": [{"_index": index.name, "_id": str(page.pk)}],
            "min_term_freq": 1,
            "min_doc_freq": 2,
            "max_query_terms": 25,
        }
    }
    try:
        hits = client.search(
            index=index.name, body={"size": MAX_RELATED * 2, "_source": False, "query": query}
        )["hits"]["hits"]
    except BACKEND_ERRORS as error:
        logger.warning("More-like-this unavailable, related content without it: %s", error)
        cache.set("related:engine-down", True, ENGINE_DOWN_SECONDS)
        return []
    ids = [int(hit["_id"]) for hit in hits if hit["_id"].isdigit()]
    keys = dict(Page.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    return [keys[pk] for pk in ids if pk in keys]


def related_pages(page, request):
    """Up to MAX_RELATED related pages as dicts: title, url, language (None if the visitor's)."""
    language = translation.get_language()
    return cached_for_content(
        "related", (page.translation_key, language), lambda: _related(page, request, language)
    )


def _related(page, request, language):
    keys = _compute(page)
    candidates = (
        public(Page.objects.filter(translation_key__in=keys))
        .select_related("locale")
        .only("title", "url_path", "path", "depth", "translation_key", "locale")
    )
    by_key = {}
    for candidate in candidates:
        current = by_key.get(candidate.translation_key)
        code = candidate.locale.language_code
        if (
            current is None
            or code == language
            or (current.locale.language_code != language and code == "en")
        ):
            by_key[candidate.translation_key] = candidate
    related = []
    for translation_key in keys:
        candidate = by_key.get(translation_key)
        if candidate is None:
            continue
        code = candidate.locale.language_code
        related.append(
            {
                "title": candidate.title,
                "url": candidate.get_url(request),
                "language": None if code == language else code,
            }
        )
        if len(related) == MAX_RELATED:
            break
    return related
