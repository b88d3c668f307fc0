"""Forget the cached sitemap whenever what is public changes."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

SITEMAP_CACHE_KEY = "portal:sitemap:{host}"
SITEMAP_HOSTS_KEY = "portal:sitemap:hosts"


def forget_sitemaps(**kwargs):
    hosts = cache.get(SITEMAP_HOSTS_KEY, set())
    cache.delete_many([SITEMAP_CACHE_KEY.format(host=host) for host in hosts])


def connect():
    page_published.connect(forget_sitemaps, dispatch_uid="portal-sitemap-published")
    page_unpublished.connect(forget_sitemaps, dispatch_uid="portal-sitemap-unpublished")
    post_delete.connect(forget_sitemaps, sender=Page, dispatch_uid="portal-sitemap-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            forget_sitemaps,
            sender=PageViewRestriction,
            dispatch_uid=f"portal-sitemap-restriction-{id(signal)}",
        )
