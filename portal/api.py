"""Read-only Wagtail API v2: pages (filterable by type and locale), images, documents."""

from django.conf import settings
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class PortalPagesAPIViewSet(PagesAPIViewSet):
    """Pages with their translation key, so clients can group a page's translations."""

    meta_fields = PagesAPIViewSet.meta_fields + ["translation_key"]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["translation_key"]

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        locale = self.request.GET.get("locale")
        languages = [code for code, _name in settings.LANGUAGES]
        if locale is not None and locale not in languages:
            raise BadRequestError(f"locale must be one of: {', '.join(languages)}")


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
