"""One generation token for everything the public sees, changed whenever that may change.

Every cache holding page data (sitemap, related content, the glossary linker and
expansions, taxonomy names, listings, the page cache) puts ``content_version()`` in its
key, so one change makes all of them miss together, in every process sharing the cache.

The token changes on: publish, unpublish, any page save (moves, copies, drafts: cheap to
over-count), page deletion, moves, view restrictions on pages and collections (and
their groups), taxonomy snippets, images, documents and sites. It also rolls over by
itself when the next scheduled expiry of a live page passes, so lists stop showing an
expired page at its expiry time even before ``publish_scheduled`` unpublishes it.

It is changed at once, for readers in the same transaction, and again after the commit:
a process that rebuilt a cache entry between the two from data not yet committed would
otherwise keep it under the new token.
"""

import logging
from uuid import uuid4

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal import frontcache

logger = logging.getLogger(__name__)
CONTENT_VERSION_KEY = "portal:content-version:{scope}"
# "glossary" changes only with glossary pages and what can hide them (restrictions, moves,
# sites): the term linkers and search expansions, rebuilt in every process when it
# changes, are not rebuilt for every lesson published.
SCOPES = ("all", "glossary")


def _next_expiry():
    """When the soonest scheduled expiry of a live page falls, as a timestamp, or None."""
    soonest = (
        Page.objects.filter(live=True, expire_at__gt=timezone.now())
        .order_by("expire_at")
        .values_list("expire_at", flat=True)
        .first()
    )
    return soonest.timestamp() if soonest else None


def _new_state():
    return {"token": uuid4().hex, "valid_until": _next_expiry()}


# Within one request the tokens are read once: a page render asks for them a dozen times
# (menu, crumbs, translations, linker...), each a round trip to the shared cache. Outside
# requests (commands, tests between requests) nothing is remembered.
_request_tokens = Local()


def content_version_key(scope="all"):
    return CONTENT_VERSION_KEY.format(scope=scope)


def token_of(state):
    """The token a stored state stands for, or None when it is missing or has expired."""
    if state is None:
        return None
    valid_until = state["valid_until"]
    if valid_until is not None and timezone.now().timestamp() >= valid_until:
        return None
    return state["token"]


def content_version(scope="all"):
    """The current generation token of ``scope``; part of the key of every cached piece
    of page data."""
    tokens = getattr(_request_tokens, "tokens", None)
    if tokens is not None and scope in tokens:
        return tokens[scope]
    token = token_of(read_version_state(scope))
    if token is None:
        state = _new_state()
        cache.set(content_version_key(scope), state, None)
        token = state["token"]
    remember_token(scope, token)
    return token


def read_version_state(scope):
    """The stored state of ``scope``; on Redis from this process's memory while Redis says
    it has not changed (portal/cache_watch.py), without a round trip."""
    get = getattr(cache, "get_watched", None) or cache.get
    return get(content_version_key(scope))


def remember_token(scope, token):
    """Keep ``token`` for the rest of the current request (the page cache reads it along
    with the page copy, in one round trip)."""
    tokens = getattr(_request_tokens, "tokens", None)
    if tokens is not None:
        tokens[scope] = token


def _start_remembering(**kwargs):
    _request_tokens.tokens = {}


def _stop_remembering(**kwargs):
    _request_tokens.tokens = None


def _bump(scopes):
    state = _new_state()
    failed = cache.set_many({content_version_key(scope): state for scope in scopes}, None)
    if failed:
        logger.error(
            "Could not start a new content version in the shared cache (%s): cached pages "
            "stay as they were until they expire or the next change is saved",
            ", ".join(failed),
        )
    tokens = getattr(_request_tokens, "tokens", None)
    if tokens:
        tokens.clear()


def _scopes(sender):
    from glossary.models import GlossaryIndexPage, GlossaryTermPage

    if sender in (GlossaryIndexPage, GlossaryTermPage, PageViewRestriction, Site, None):
        return SCOPES
    return ("all",)


def content_changed(sender=None, **kwargs):
    scopes = _scopes(sender)
    _bump(scopes)
    transaction.on_commit(lambda: _bump(scopes))
    # The front cache (Varnish) is purged from here too, after the commit.
    frontcache.content_changed(sender, **kwargs)


def _page_saved(sender, instance, raw=False, **kwargs):
    if not raw and isinstance(instance, Page):
        content_changed(sender=sender, instance=instance, **kwargs)


def _page_moved(sender, **kwargs):
    # A move can take any page, glossary terms included, under a restriction.
    content_changed(**kwargs)


def connect():
    from django.apps import apps

    from portal.models import Sector, TagLabel, Theme

    frontcache.connect()
    request_started.connect(_start_remembering, dispatch_uid="portal-content-tokens-start")
    request_finished.connect(_stop_remembering, dispatch_uid="portal-content-tokens-stop")
    page_published.connect(content_changed, dispatch_uid="portal-content-published")
    page_unpublished.connect(content_changed, dispatch_uid="portal-content-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="portal-content-moved")
    # Every page model sends its own post_save, so these listen to all senders.
    post_save.connect(_page_saved, dispatch_uid="portal-content-page-saved")
    post_delete.connect(_page_saved, dispatch_uid="portal-content-page-deleted")
    watched = [
        PageViewRestriction,
        CollectionViewRestriction,
        Theme,
        Sector,
        TagLabel,
        Site,
        Locale,
        apps.get_model("wagtailimages", "Image"),
        apps.get_model("wagtaildocs", "Document"),
    ]
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed,
                sender=model,
                dispatch_uid=f"portal-content-{model._meta.label_lower}-{id(signal)}",
            )
    for model in (PageViewRestriction, CollectionViewRestriction):
        m2m_changed.connect(
            content_changed,
            sender=model.groups.through,
            dispatch_uid=f"portal-content-{model._meta.label_lower}-groups",
        )
