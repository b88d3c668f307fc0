from django.urls import re_path

from exports import views

app_name = "exports"
urlpatterns = [
    # Below a page address of the current language; the view answers 404 unless it is a
    # public module.
    re_path(
        r"^(?P<page_path>(?:[-\w]+/)+)export/(?P<name>scorm12\.zip|cartridge\.imscc)$",
        views.module_export,
        name="module_export",
    ),
]
