"""The case-study listing: combined filters, facet counts, sorting and pagination.

Every state lives in the query string, so a filtered view can be shared. Bad values
are dropped with a notice instead of failing. Facet counts come from one aggregate
query per facet, each with every other active filter applied.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _
from django_countries import countries

from casestudies.models import CaseStudyPage
from portal.params import positive_int
from portal.search_text import MAX_QUERY_LENGTH, clean_search_text
from portal.taxonomy import localized_taxonomy

PAGE_SIZE = 24
SORTS = {"newest": ("-year", "-first_published_at", "title"), "title": ("title",)}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


class CaseStudyListing:
    def __init__(self, index_page, request):
        self.index_page = index_page
        self.request = request
        self.notices = []
        self.filters = self._read_filters(request.GET)
        self.sort = self._read_sort(request.GET)
        base = index_page.case_studies()
        self.page = self._paginate(self._apply(base, self.filters), request.GET)
        self.facets = self._facets(base)

    # -- reading the query string -------------------------------------------------
    def _read_filters(self, params):
        filters = {
            "country": [],
            "sector": [],
            "theme": [],
            "year_from": None,
            "year_to": None,
            "q": "",
        }
        themes, sectors = localized_taxonomy("themes"), localized_taxonomy("sectors")
        for name, known in (("country", dict(countries)), ("sector", sectors), ("theme", themes)):
            for value in params.getlist(name):
                value = value.strip()
                if name == "country":
                    value = value.upper()
                if value in known and value not in filters[name]:
                    filters[name].append(value)
                elif value:
                    self.notices.append(
                        _("The filter value “%(value)s” is unknown and was ignored.")
                        % {"value": value[:40]}
                    )
        for name in ("year_from", "year_to"):
            raw = params.get(name, "").strip()
            if not raw:
                continue
            year = positive_int(raw)
            if year is not None and 1900 <= year <= 2100:
                filters[name] = year
            else:
                self.notices.append(
                    _("The year “%(value)s” is not valid and was ignored.") % {"value": raw[:20]}
                )
        query, shortened = clean_search_text(params.get("q", ""), MAX_QUERY_LENGTH)
        if shortened:
            self.notices.append(
                _("The search text was shortened to %(count)s characters.")
                % {"count": MAX_QUERY_LENGTH}
            )
        filters["q"] = query
        return filters

    def _read_sort(self, params):
        sort = params.get("sort", "newest")
        if sort not in SORTS:
            self.notices.append(_("Unknown sort order; showing the newest first."))
            sort = "newest"
        return sort

    # -- filtering ----------------------------------------------------------------
    def _apply(self, queryset, filters, skip=None):
        if filters["country"] and skip != "country":
            queryset = queryset.filter(country__in=filters["country"])
        if filters["sector"] and skip != "sector":
            queryset = queryset.filter(sectors__slug__in=filters["sector"])
        if filters["theme"] and skip != "theme":
            queryset = queryset.filter(themes__slug__in=filters["theme"])
        if filters["year_from"] and skip != "year":
            queryset = queryset.filter(year__gte=filters["year_from"])
        if filters["year_to"] and skip != "year":
            queryset = queryset.filter(year__lte=filters["year_to"])
        if filters["q"]:
            queryset = queryset.filter(pk__in=self._search_ids(filters["q"]))
        return queryset.distinct()

    def _search_ids(self, query):
        if not hasattr(self, "_matching_ids"):
            # Every word, in its exact form or its stem in the listing's language, as the
            # portal's search matches them (search/engine.py); phrases in quotes as phrases.
            from search.engine import split_query, text_clause

            clause = text_clause(*split_query(query), [self.index_page.locale.language_code])
            # The search backend filters only on indexed fields; restrictions are applied
            # afterwards by the listing's own queryset.
            # The listing sorts by date or title, so relevance ranking would be wasted work;
            # any cheap order does (OpenSearch sorts on dates, not on the tree path or pk,
            # which its mapping holds as text).
            searchable = (
                CaseStudyPage.objects.live()
                .descendant_of(self.index_page)
                .order_by("first_published_at")
                .only("pk")
            )
            self._matching_ids = (
                [page.pk for page in searchable.search(clause, order_by_relevance=False)]
                if clause is not None
                else []
            )
        return self._matching_ids

    def _paginate(self, queryset, params):
        paginator = Paginator(
            queryset.order_by(*SORTS[self.sort])
            .select_related("cover_image")
            .prefetch_related("themes", "cover_image__renditions")
            .only(
                "title",
                "cover_image",
                "url_path",
                "path",
                "depth",
                "summary",
                "country",
                "year",
                "region",
                "cluster_name",
                "is_illustrative",
            ),
            PAGE_SIZE,
        )
        raw = params.get("page", "1")
        number = positive_int(raw)
        if number is None:
            self.notices.append(
                _("The page number “%(value)s” is not valid; showing the first page.")
                % {"value": raw[:20]}
            )
            number = 1
        elif number > paginator.num_pages:
            self.notices.append(
                _("There are only %(count)s pages of results; showing the last one.")
                % {"count": paginator.num_pages}
            )
            number = paginator.num_pages
        return paginator.page(number)

    # -- facets ---------------------------------------------------------------------
    def _facets(self, base):
        # The country facet also brings the year range shown as hints in the year fields.
        country_rows = (
            self._apply(base, self.filters, skip="country")
            .order_by()
            .values_list("country")
            .annotate(n=Count("pk", distinct=True), first=Min("year"), last=Max("year"))
        )
        country_counts, firsts, lasts = {}, [], []
        for code, count, first, last in country_rows:
            country_counts[code] = count
            firsts.append(first)
            lasts.append(last)
        theme_counts = dict(
            self._apply(base, self.filters, skip="theme")
            .order_by()
            .values_list("themes__slug")
            .annotate(n=Count("pk", distinct=True))
        )
        sector_counts = dict(
            self._apply(base, self.filters, skip="sector")
            .order_by()
            .values_list("sectors__slug")
            .annotate(n=Count("pk", distinct=True))
        )
        years = {"first": min(firsts, default=None), "last": max(lasts, default=None)}
        country_names = dict(countries)
        return {
            "country": sorted(
                (
                    self._option("country", code, str(country_names.get(code, code)), count)
                    for code, count in country_counts.items()
                    if code
                ),
                key=lambda option: option.label,
            ),
            "theme": [
                self._option("theme", slug, label, theme_counts.get(slug, 0))
                for slug, label in sorted(
                    localized_taxonomy("themes").items(), key=lambda item: item[1]
                )
            ],
            "sector": [
                self._option("sector", slug, label, sector_counts.get(slug, 0))
                for slug, label in sorted(
                    localized_taxonomy("sectors").items(), key=lambda item: item[1]
                )
            ],
            "years": years,
        }

    def _option(self, name, value, label, count):
        selected = value in self.filters[name]
        values = (
            [v for v in self.filters[name] if v != value]
            if selected
            else [*self.filters[name], value]
        )
        return FacetOption(
            value=value, label=label, count=count, selected=selected, url=self.url(**{name: values})
        )

    # -- URLs -----------------------------------------------------------------------
    def query_items(self, **overrides):
        state = {
            "q": self.filters["q"],
            "country": self.filters["country"],
            "sector": self.filters["sector"],
            "theme": self.filters["theme"],
            "year_from": self.filters["year_from"],
            "year_to": self.filters["year_to"],
            "sort": self.sort if self.sort != "newest" else None,
        }
        state.update(overrides)
        items = []
        for name, value in state.items():
            for single in value if isinstance(value, list) else [value]:
                if single not in (None, ""):
                    items.append((name, single))
        return items

    def url(self, **overrides):
        overrides.setdefault("page", None)
        query = urlencode(self.query_items(**overrides))
        return "?" + query if query else "?"

    def page_url(self, number):
        return self.url(page=number)

    @property
    def state_key(self):
        """What the results shown depend on, besides the content: filters, sort, page."""
        return urlencode(self.query_items(page=self.page.number))

    @property
    def active(self):
        return any(
            self.filters[name]
            for name in ("country", "sector", "theme", "year_from", "year_to", "q")
        )

    def hidden_fields(self):
        """The state to keep when the free-text form is submitted."""
        return [(name, value) for name, value in self.query_items(q=None)]
