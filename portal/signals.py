"""Forget cached public data (sitemap, related content, taxonomy names) when it changes."""

from uuid import uuid4

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

CONTENT_VERSION_KEY = "portal:content-version"
SITEMAP_CACHE_KEY = "portal:sitemap:{host}"
SITEMAP_HOSTS_KEY = "portal:sitemap:hosts"


def content_version():
    """Changes whenever what is public changes; part of the keys of cached fragments."""
    return cache.get_or_set(CONTENT_VERSION_KEY, lambda: uuid4().hex, None)


def forget_sitemaps(**kwargs):
    cache.set(CONTENT_VERSION_KEY, uuid4().hex, None)
    hosts = cache.get(SITEMAP_HOSTS_KEY, set())
    cache.delete_many([SITEMAP_CACHE_KEY.format(host=host) for host in hosts])


def forget_taxonomy(sender, **kwargs):
    from django.conf import settings

    from portal.taxonomy import TAXONOMY_CACHE_KEY

    name = "themes" if sender._meta.model_name == "theme" else "sectors"
    cache.delete_many(
        [TAXONOMY_CACHE_KEY.format(name=name, language=code) for code, _name in settings.LANGUAGES]
    )


def connect():
    from portal.models import Sector, Theme

    for model in (Theme, Sector):
        post_save.connect(
            forget_taxonomy, sender=model, dispatch_uid=f"portal-taxonomy-save-{model.__name__}"
        )
        post_delete.connect(
            forget_taxonomy, sender=model, dispatch_uid=f"portal-taxonomy-delete-{model.__name__}"
        )
    page_published.connect(forget_sitemaps, dispatch_uid="portal-sitemap-published")
    page_unpublished.connect(forget_sitemaps, dispatch_uid="portal-sitemap-unpublished")
    post_delete.connect(forget_sitemaps, sender=Page, dispatch_uid="portal-sitemap-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            forget_sitemaps,
            sender=PageViewRestriction,
            dispatch_uid=f"portal-sitemap-restriction-{id(signal)}",
        )
