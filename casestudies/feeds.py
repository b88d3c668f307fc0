"""An Atom feed of the newest case studies of one language."""

from django.http import HttpResponse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

FEED_SIZE = 20


def atom_feed(index_page, request):
    language = translation.get_language()
    feed = Atom1Feed(
        title=_("Cluster case studies · Cluster4Smart"),
        link=index_page.get_full_url(request),
        feed_url=index_page.get_full_url(request) + "feed/",
        description=index_page.search_description or _("New cluster case studies"),
        language=language,
        feed_guid=f"urn:uuid:{index_page.translation_key}:{language}",
    )
    latest = index_page.case_studies().order_by("-first_published_at")[:FEED_SIZE]
    for case_study in latest:
        feed.add_item(
            title=case_study.title,
            link=case_study.get_full_url(request),
            description=case_study.summary,
            unique_id=f"urn:uuid:{case_study.translation_key}:{language}",
            pubdate=case_study.first_published_at,
            updateddate=case_study.last_published_at,
            categories=[case_study.country.code],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
