"""Keep the front cache (Varnish, deploy/varnish/portal.vcl) in step with what is published.

Configured with ``FRONTEND_CACHE_URL`` (settings: WAGTAILFRONTENDCACHE); without it every
function here returns at once. portal/signals.py calls ``content_changed`` for every
content change; what it sends, once the transaction commits:

- a page published, or saved while live: PURGE of the page and each of its translations
  (the language switcher and hreflang links of each list the others), their ancestors
  (section listings, the module, the home page), their descendants (breadcrumbs), a
  lesson's sibling lessons (previous/next links), the pages that link to or feature any of
  them (Wagtail's reference index: featured blocks, hero links, related-pages lists, rich
  text links), the pages whose related lists or "where used" lists can show them (shared
  themes and glossary concepts, search/related.py), the case-study feeds, each language's
  search page and the sitemap. A PURGE removes the path with all its query strings.
- anything whose reach is hard to compute: a home or section page published (they are in
  every page's navigation), unpublish, deletion, a move, view
  restrictions, taxonomy snippets, images, documents, sites, redirects, a glossary term
  or the glossary (the term linker may now link any page): one BAN of everything.

Nothing is sent before the commit: a request between the purge and the commit would put
the old page back in the cache. A request that read the old data before the commit but
reaches Varnish after the purge is stored for at most its TTL (the VCL's default 120 s).

Wagtail's own frontend_cache app is not installed on purpose: its page_published
handlers purge at once, inside the publishing transaction.
"""

import logging
import threading
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.signals import page_published

logger = logging.getLogger("portal.frontcache")

# Above this many affected pages a ban is cheaper than the purges.
MAX_PURGED_PAGES = 500
# Home pages (depth 2) and the sections under them (depth 3) appear in the header
# navigation of every page of their language (portal_tags.primary_navigation).
NAVIGATION_DEPTH = 3
# Page saves that change only what editors see (a draft, a lock, a workflow state).
DRAFT_ONLY_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "live_revision",
    "wagtail_admin_comments",
    "numchild",
}


class BanRequest(Request):
    def get_method(self):
        return "BAN"


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP (PURGE) backend, plus a BAN of everything (deploy/varnish/portal.vcl)."""

    def __init__(self, params):
        self.location = params["LOCATION"]
        super().__init__(params)

    def purge(self, url):
        """Wagtail's PURGE, with a timeout: a stuck cache must not hold up a publish."""
        parts = urlsplit(url)
        request = PurgeRequest(
            urlunsplit((self.cache_scheme, self.cache_netloc, parts.path, parts.query, "")),
            headers={"Host": parts.netloc, "User-Agent": "Cluster4Smart-frontcache"},
        )
        try:
            urlopen(request, timeout=10)  # noqa: S310 - the configured cache's own URL
        except (HTTPError, URLError, OSError) as error:
            logger.error("Couldn't purge %s from the front cache: %s", url, error)

    def ban_all(self):
        parts = urlsplit(self.location)
        request = BanRequest(
            urlunsplit((parts.scheme, parts.netloc, "/", "", "")),
            headers={"User-Agent": "Cluster4Smart-frontcache"},
        )
        try:
            urlopen(request, timeout=10)  # noqa: S310 - the configured cache's own URL
        except (HTTPError, URLError, OSError) as error:
            logger.error("Couldn't ban the front cache at %s: %s", self.location, error)


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


# What the current thread has to send at its next commit.
_pending = threading.local()


def _state():
    state = getattr(_pending, "state", None)
    if state is None:
        state = _pending.state = {"pages": set(), "ban": False}
    return state


def _schedule(*, page=None, ban=False):
    state = _state()
    if ban:
        state["ban"] = True
    if page is not None:
        state["pages"].add(page.pk)
    # One callback per change; the first to run sends everything, the others find
    # nothing left. A rolled-back change leaves its entry for the next commit (an
    # unneeded purge, never a missed one).
    transaction.on_commit(flush, robust=True)  # a failure is logged, the publish stands


def _is_glossary(page):
    from glossary.models import GlossaryIndexPage, GlossaryTermPage

    return isinstance(page, (GlossaryIndexPage, GlossaryTermPage))


def content_changed(sender=None, signal=None, instance=None, update_fields=None, **kwargs):
    """Called by portal.signals.content_changed with the signal's arguments."""
    if not enabled():
        return
    if isinstance(instance, Page) and signal in (page_published, post_save):
        if signal is post_save and (
            not instance.live or (update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS)
        ):
            return  # a draft, or a page not shown (unpublishing sends page_unpublished)
        if _is_glossary(instance):
            _schedule(ban=True)
        else:
            _schedule(page=instance)
        return
    # Unpublish, delete, move, restrictions, snippets, images, documents, sites.
    _schedule(ban=True)


def _redirect_changed(sender, **kwargs):
    if enabled():
        _schedule(ban=True)


def flush():
    state = getattr(_pending, "state", None)
    _pending.state = None
    if not state or not enabled():
        return
    if state["ban"]:
        ban_all()
        return
    affected = affected_pages(Page.objects.filter(pk__in=state["pages"]).specific())
    if affected is None:
        ban_all()
        return
    batch = PurgeBatch()
    batch.add_pages(affected)
    batch.add_urls(_site_wide_urls())
    batch.purge()


def ban_all():
    for backend in get_backends().values():
        if hasattr(backend, "ban_all"):
            backend.ban_all()


def _site_wide_urls():
    """The sitemap and each language's search page, on every site."""
    urls = []
    for site in Site.objects.all():
        root = site.root_url
        urls.append(f"{root}/sitemap.xml")
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls.append(root + reverse("search:search"))
    return urls


def _shown_alongside(pages):
    """Pages whose related list or "where used" list may show one of ``pages``: those
    sharing a theme or a glossary concept with them (search/related.py), and the glossary
    terms they use."""
    from casestudies.models import CaseStudyPage
    from glossary.models import GlossaryUsage
    from modules.models import LessonPage, ModulePage

    ids = [page.pk for page in pages]
    parents = [page.path[: -page.steplen] for page in pages if isinstance(page, LessonPage)]
    case_study_themes = CaseStudyPage.themes.through.objects.filter(casestudypage_id__in=ids)
    themes = {
        *ModulePage.objects.filter(Q(pk__in=ids) | Q(path__in=parents)).values_list(
            "theme", flat=True
        ),
        *case_study_themes.values_list("theme", flat=True),
    } - {None}
    shown = Q(pk__in=[])
    if themes:
        modules = ModulePage.objects.filter(theme__in=themes)
        shown |= Q(pk__in=modules.values("pk"))
        shown |= Q(pk__in=CaseStudyPage.objects.filter(themes__in=themes).values("pk"))
        for path, depth in modules.values_list("path", "depth"):
            shown |= Q(path__startswith=path, depth=depth + 1)  # the module's lessons
    concepts = GlossaryUsage.objects.filter(page__in=ids).values("term__translation_key")
    sharing = GlossaryUsage.objects.filter(term__translation_key__in=concepts)
    shown |= Q(pk__in=sharing.values("page")) | Q(pk__in=sharing.values("term"))
    keys = Page.objects.filter(shown).values_list("translation_key", flat=True)
    return Page.objects.filter(translation_key__in=set(keys))


def affected_pages(pages):
    """Every page whose public rendering can show one of ``pages``, or None when there
    are more than MAX_PURGED_PAGES of them."""
    pages = list(pages)
    if not pages:
        return []
    from modules.models import LessonPage

    keys = {page.translation_key for page in pages}
    translations = list(Page.objects.filter(translation_key__in=keys).specific(defer=True))
    if any(page.depth <= NAVIGATION_DEPTH for page in translations):
        return None  # a home or section page: in the navigation of every page
    ids = {page.pk for page in translations}
    for page in translations:
        ids.update(page.get_ancestors().filter(depth__gt=1).values_list("pk", flat=True))
        # Breadcrumbs below it; a lesson's previous/next links in the other lessons.
        ids.update(Page.objects.descendant_of(page).values_list("pk", flat=True))
        if isinstance(page, LessonPage):
            ids.update(page.get_siblings().values_list("pk", flat=True))
    # Pages that link to or feature one of the translations.
    page_type = ContentType.objects.get_for_model(Page)
    referencing = ReferenceIndex.objects.filter(
        to_content_type=page_type,
        to_object_id__in=[str(page.pk) for page in translations],
        base_content_type=page_type,
    ).values_list("object_id", flat=True)
    ids.update(int(pk) for pk in referencing)
    ids.update(_shown_alongside(translations).values_list("pk", flat=True))
    # The case-study listings carry the feeds (CaseStudyIndexPage.get_cached_paths).
    from casestudies.models import CaseStudyIndexPage, CaseStudyPage

    if any(isinstance(page, CaseStudyPage) for page in pages):
        ids.update(CaseStudyIndexPage.objects.values_list("pk", flat=True))
    if len(ids) > MAX_PURGED_PAGES:
        return None
    return Page.objects.filter(pk__in=ids).specific(defer=True)


def connect():
    from django.apps import apps

    redirect = apps.get_model("wagtailredirects", "Redirect")
    for signal in (post_save, post_delete):
        signal.connect(
            _redirect_changed,
            sender=redirect,
            dispatch_uid=f"portal-frontcache-redirect-{id(signal)}",
        )
