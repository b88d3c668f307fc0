"""Read-only Wagtail API v2: pages (filterable by type and locale), images, documents.

Only what is public: public pages (portal.visibility; Wagtail's own filter lets a
visitor who unlocked a password or logged in see restricted pages, and ignores expiry),
and images and documents outside restricted collections.

Wagtail's API hands some parameters to the database or the search backend as they come
(an unbalanced quote is an FTS5 syntax error, an offset past 2**63 overflows, a NUL
byte is refused by PostgreSQL). Every endpoint here checks them first and answers a JSON
400, the same way whichever database and search backend run underneath.
"""

import logging
import re

from django.conf import settings
from rest_framework import status
from rest_framework.response import Response
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from portal.search_text import clean_search_text
from portal.visibility import hidden_live_ids, in_public_collection
from search.engine import BACKEND_ERRORS

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"[0-9]{1,9}")
# Parameters naming a page by id; Wagtail also accepts "root" for them.
PAGE_ID_PARAMETERS = ("child_of", "descendant_of", "ancestor_of", "translation_of", "id")
SEARCH_OPERATORS = ("and", "or")


def check_query(params):
    """Raise BadRequestError for a query string no endpoint can answer."""
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise BadRequestError(f"null characters are not allowed in '{name[:40]}'")
    for name in ("offset", "limit"):
        if name in params and not _NUMBER.fullmatch(params[name]):
            raise BadRequestError(f"{name} must be a positive integer")
    for name in PAGE_ID_PARAMETERS:
        value = params.get(name)
        if value is not None and value != "root" and not _NUMBER.fullmatch(value):
            raise BadRequestError(f"{name} must be a positive integer")
    operator = params.get("search_operator")
    if operator is not None and operator not in SEARCH_OPERATORS:
        raise BadRequestError(f"search_operator must be one of: {', '.join(SEARCH_OPERATORS)}")


class PlainWordsSearchFilter(SearchFilter):
    """Wagtail's search filter, given the words of the query only (as the search page is)."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        words, _shortened = clean_search_text(request.GET["search"])
        if not words:
            return queryset.none()
        request.GET = request.GET.copy()
        request.GET["search"] = words
        return super().filter_queryset(request, queryset, view)


class CheckedQueryMixin:
    """Checks the query string before any action, and reports an unreachable engine as 503."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query(request.GET)

    def handle_exception(self, exc):
        if isinstance(exc, BACKEND_ERRORS):
            logger.warning("Search backend unavailable: %s", exc)
            return Response(
                {"message": "search is temporarily unavailable"},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return super().handle_exception(exc)


def _with_plain_words_search(filter_backends):
    return [
        PlainWordsSearchFilter if backend is SearchFilter else backend
        for backend in filter_backends
    ]


class PortalPagesAPIViewSet(CheckedQueryMixin, PagesAPIViewSet):
    """Pages with their translation key, so clients can group a page's translations."""

    filter_backends = _with_plain_words_search(PagesAPIViewSet.filter_backends)
    meta_fields = PagesAPIViewSet.meta_fields + ["translation_key"]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["translation_key"]

    def get_base_queryset(self):
        # Searchable: search backends filter only on indexed fields such as the id.
        return super().get_base_queryset().exclude(pk__in=hidden_live_ids())

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        locale = self.request.GET.get("locale")
        languages = [code for code, _name in settings.LANGUAGES]
        if locale is not None and locale not in languages:
            raise BadRequestError(f"locale must be one of: {', '.join(languages)}")


class PortalImagesAPIViewSet(CheckedQueryMixin, ImagesAPIViewSet):
    filter_backends = _with_plain_words_search(ImagesAPIViewSet.filter_backends)

    def get_queryset(self):
        return in_public_collection(super().get_queryset())


class PortalDocumentsAPIViewSet(CheckedQueryMixin, DocumentsAPIViewSet):
    filter_backends = _with_plain_words_search(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self):
        return in_public_collection(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", PortalDocumentsAPIViewSet)
