"""The search page and its autocomplete endpoint."""

from urllib.parse import quote_plus

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from portal.params import positive_int
from portal.search_text import MAX_QUERY_LENGTH, clean_search_text
from portal.taxonomy import localized_taxonomy
from portal.visibility import public
from search.engine import TYPE_KEYS, SearchUnavailable, run_search
from search.hits import record_hit
from search.suggest import suggest_ids
from search.zero_results import closest_concepts, most_visited_modules

PAGE_SIZE = 10
SUGGESTIONS = 8


def type_labels():
    return {
        "module": _("Training modules"),
        "lesson": _("Lessons"),
        "case-study": _("Case studies"),
        "term": _("Glossary terms"),
    }


def option_labels():
    """What a suggestion is called to a screen reader: its type, then its title."""
    return {
        "module": _("Module: %(title)s"),
        "lesson": _("Lesson: %(title)s"),
        "case-study": _("Case study: %(title)s"),
        "term": _("Glossary term: %(title)s"),
    }


def item_type_labels():
    """The type shown beside one suggestion (singular, unlike the search filters)."""
    return {
        "module": _("Module"),
        "lesson": _("Lesson"),
        "case-study": _("Case study"),
        "term": _("Glossary term"),
    }


def suggestions_status(count):
    """The sentence the search box's live region reads when suggestions arrive."""
    if not count:
        return _("No suggestions.")
    return ngettext(
        "%(count)s suggestion. Use the up and down arrow keys to choose it.",
        "%(count)s suggestions. Use the up and down arrow keys to choose one.",
        count,
    ) % {"count": count}


def _facet(results, name, value_of, labels, selected):
    counts = {}
    for result in results:
        for value in value_of(result):
            counts[value] = counts.get(value, 0) + 1
    return [
        {
            "name": name,
            "value": value,
            "label": labels.get(value, value),
            "count": counts[value],
            "selected": value in selected,
        }
        for value in sorted(counts, key=lambda v: str(labels.get(v, v)))
    ]


def _selected(request, name, known):
    values = [value for value in request.GET.getlist(name) if value]
    return [value for value in values if value in known], [
        value for value in values if value not in known
    ]


def search(request):
    language = translation.get_language()
    raw = request.GET.get("q", "")
    query, shortened = clean_search_text(raw, phrases=True)
    expand = request.GET.get("expand", "1") != "0"
    notices = []
    if shortened:
        notices.append(
            _("Your search was shortened to its first %(count)s characters.")
            % {"count": MAX_QUERY_LENGTH}
        )
    context = {"query": query, "expand": expand, "notices": notices, "type_labels": type_labels()}
    if not query:
        if raw.strip():
            notices.append(_("Please type words to search for."))
        return render(request, "search/search.html", context)

    try:
        outcome = run_search(query, expand=expand)
    except SearchUnavailable:
        context["unavailable"] = True
        return render(request, "search/search.html", context, status=503)

    theme_names = localized_taxonomy("themes")
    languages = dict(settings.LANGUAGES)
    known = {"type": set(TYPE_KEYS.values()), "theme": set(theme_names), "language": set(languages)}
    filters = {}
    for name in known:
        filters[name], unknown = _selected(request, name, known[name])
        if unknown:
            notices.append(
                _("The filter value “%(value)s” is unknown and was ignored.")
                % {"value": unknown[0][:40]}
            )

    def keep(result, skip):
        return (
            (skip == "type" or not filters["type"] or result.type_key in filters["type"])
            and (
                skip == "theme"
                or not filters["theme"]
                or set(result.theme_slugs) & set(filters["theme"])
            )
            and (
                skip == "language"
                or not filters["language"]
                or result.language in filters["language"]
            )
        )

    results = [result for result in outcome.results if keep(result, None)]
    facets = {
        "type": _facet(
            [r for r in outcome.results if keep(r, "type")],
            "type",
            lambda r: [r.type_key],
            type_labels(),
            filters["type"],
        ),
        "theme": _facet(
            [r for r in outcome.results if keep(r, "theme")],
            "theme",
            lambda r: r.theme_slugs,
            theme_names,
            filters["theme"],
        ),
        "language": _facet(
            [r for r in outcome.results if keep(r, "language")],
            "language",
            lambda r: [r.language],
            languages,
            filters["language"],
        ),
    }

    paginator = Paginator(results, PAGE_SIZE)
    number = positive_int(request.GET.get("page", "1"))
    if number is None or number > max(paginator.num_pages, 1):
        notices.append(_("That page of results does not exist; here is the first page."))
        number = 1
    page = paginator.page(number)

    promotions = _promotions(query, language) if number == 1 and not any(filters.values()) else []
    promoted_keys = {promotion.translation_key for promotion in promotions}
    page.object_list = outcome.prepare(
        [result for result in page.object_list if result.page.translation_key not in promoted_keys]
    )
    # Counted in the cache, written by `manage.py flush_search_hits`: a search never writes.
    record_hit(query)

    context.update(
        results_page=page,
        total=len(results),
        facets=facets,
        filters=filters,
        expansions=outcome.expansions,
        searched_terms=outcome.searched_terms,
        definitions=outcome.definitions,
        promotions=promotions,
        corrected=outcome.corrected,
        corrected_url=quote_plus(outcome.corrected),
        language_names=languages,
        filter_items=[(name, value) for name, values in filters.items() for value in values],
    )
    if not results and not promotions:
        context.update(
            help_concepts=closest_concepts(query, language),
            help_modules=most_visited_modules(language),
        )
    response = render(request, "search/search.html", context)
    # Served again from the page cache, the same search still counts.
    response.page_cache_replay = (record_hit, query)
    return response


def _promotions(query, language):
    """Editors' picks for this exact query, in the visitor's language only."""
    # A lookup, not Wagtail's Query.get(), which creates a row for every new query.
    picks = SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(query), page__locale__language_code=language
    )
    order = list(picks.order_by("sort_order").values_list("page_id", flat=True))
    pages = {page.pk: page for page in public(Page.objects.filter(pk__in=order)).specific()}
    return [pages[pk] for pk in order if pk in pages]


def suggest(request):
    """Titles matching what is typed (inflected, one typo), in the visitor's language,
    as JSON (search/suggest.py)."""
    raw = request.GET.get("q", "")
    query, _shortened = clean_search_text(raw, 60)
    if len(query) < 2:
        return JsonResponse({"query": query, "suggestions": [], "status": ""})
    if raw[:60].rstrip() != raw[:60]:
        query += " "  # the last word is complete
    labels, names = item_type_labels(), option_labels()
    ids = suggest_ids(query, translation.get_language(), SUGGESTIONS)
    pages = {page.pk: page for page in public(Page.objects.filter(pk__in=ids)).specific()}
    suggestions = []
    for pk in ids:
        page = pages.get(pk)
        if page is None:
            continue
        type_key = TYPE_KEYS[type(page)]
        suggestions.append(
            {
                "title": page.title,
                "url": page.get_url(request),
                "type": type_key,
                "type_label": labels[type_key],
                "label": names[type_key] % {"title": page.title},
            }
        )
    return JsonResponse(
        {
            "query": query.strip(),
            "suggestions": suggestions,
            "status": suggestions_status(len(suggestions)),
        }
    )
