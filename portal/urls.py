from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import views as certificate_views
from oer import oai
from portal import security, views
from portal.api import api_router
from portal.editorial.chooser import browse_in_editors_language

urlpatterns = [
    # Before Wagtail's own chooser at the same address, which it replaces.
    path("admin/choose-page/", browse_in_editors_language),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Mounted at api/ so that every path below it, even an unknown version, is the API's.
    path("api/", include([path("v2/", api_router.urls)])),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # The certificates' issuer: its public key and profile (certificates/signing.py).
    path(".well-known/jwks.json", certificate_views.jwks, name="certificate_jwks"),
    path("certificates/issuer.json", certificate_views.issuer, name="certificate_issuer"),
    path("oai/", oai.endpoint, name="oai"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public page lives under its language prefix (/en/, /fr/, /es/, /hu/); a bare
# "/" gets a 404 from the resolver, which LocaleMiddleware turns into a redirect to
# the visitor's best language.
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("certificates/", include("certificates.urls")),
    path("my-learning/", include("learning.urls")),
    # Before Wagtail's view at the same address, which it replaces (failures count).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        security.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # A module's LMS packages (<module url>export/scorm12.zip, …), before Wagtail's pages.
    path("", include("exports.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
