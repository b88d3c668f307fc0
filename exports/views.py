"""The packages of a module, at ``<module url>export/scorm12.zip`` and
``<module url>export/cartridge.imscc``, for anonymous GETs.

They are public pages like any other: a 200 sets no cookie and reads no session, so the
page cache (portal/page_cache.py) keeps it, marks it ``Cache-Control: public`` with an
ETag, and a front cache may store it; the module's ``get_cached_paths`` lets a publish
purge them from Varnish with the module. Anything that is not a public module in the
language of the URL (an unknown address, a draft, a restricted section, a language the
module has no public translation in) is a 404.
"""

from django.http import Http404, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe
from wagtail.models import Site

from exports import cartridge, scorm
from exports.package import ModulePackage, find_module

WRITERS = {"scorm12.zip": scorm, "cartridge.imscc": cartridge}
# The paths below a module's URL, for its get_cached_paths (front-cache purges).
EXPORT_PATHS = [f"export/{name}" for name in WRITERS]


def module_for_request(request, page_path):
    language = translation.get_language_from_path(request.path_info)
    site = Site.find_for_request(request)
    if language is None or site is None:
        return None
    root = next(
        (
            root
            for root in Site.get_site_root_paths()
            if root.site_id == site.pk and root.language_code == language
        ),
        None,
    )
    return find_module(root.root_path, language, page_path) if root is not None else None


@require_safe
def module_export(request, page_path, name):
    writer = WRITERS.get(name)
    module = module_for_request(request, page_path) if writer is not None else None
    if module is None:
        raise Http404
    package = ModulePackage(module, source_url=module.get_full_url(request) or "")
    response = HttpResponse(writer.build(package), content_type=writer.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{writer.filename(package)}"'
    return response
