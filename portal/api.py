"""Read-only Wagtail API v2: pages (filterable by type and locale), images, documents.

Only what is public: public pages (portal.visibility; Wagtail's own filter lets a
visitor who unlocked a password or logged in see restricted pages, and ignores expiry),
and images and documents outside restricted collections.
"""

from django.conf import settings
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from portal.visibility import hidden_live_ids, in_public_collection


class PortalPagesAPIViewSet(PagesAPIViewSet):
    """Pages with their translation key, so clients can group a page's translations."""

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


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    def get_queryset(self):
        return in_public_collection(super().get_queryset())


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    def get_queryset(self):
        return in_public_collection(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
