"""Routing a request to its page in one query instead of one query per URL segment."""

from django.http import Http404
from wagtail.models import Page


class DirectRoutingMixin:
    """For the root page of each language: find the deepest page matching the path at once.

    Wagtail's default routing walks the tree one child at a time (two queries per
    level); lesson URLs are five levels deep. Here the deepest page whose URL path is
    a prefix of the request is fetched in one query, and the rest of the path (for
    example a lesson's ``quiz/`` route) is handed to that page's own ``route``.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(len(path_components), 0, -1)
        ]
        match = (
            Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
            .order_by("-depth")
            .first()
        )
        if match is None:
            raise Http404
        consumed = match.depth - self.depth
        return match.specific.route(request, path_components[consumed:])
