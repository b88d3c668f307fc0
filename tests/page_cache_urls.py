"""The portal's URLs plus one page that can leave a message for the next page, the way an
admin action does: the page cache must never keep such a response."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import messages
from django.http import HttpResponse
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def noticed(request):
    if request.GET.get("notice"):
        messages.info(request, "Your changes were saved.")
    return HttpResponse("A page that may leave a message.")


urlpatterns = [
    *i18n_patterns(path("notice/", noticed), prefix_default_language=True),
    *portal_urlpatterns,
]
