"""What the public may see: the one definition every public channel uses.

A page is public when it is live, has not expired, and neither it nor any ancestor carries
a view restriction (password, login or groups). Pages, listings, search, suggestions, the
API, the sitemap, feeds, hreflang alternates, related content, glossary tooltips and
exports all filter through ``public``; nothing filters on ``live`` alone.

The restriction test is a correlated ``NOT EXISTS`` over the (small) restriction table: a
restriction hides its page and every page whose path starts with the restricted page's
path. It adds no query of its own, unlike Wagtail's ``PageQuerySet.public()``, which loads
every restriction first, and it composes with ``select_related``/``only``/``values``.
"""

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import CollectionViewRestriction, PageViewRestriction


def _restricted_ancestor(path_ref, restriction_model, path_field):
    """Restrictions on the object at ``path_ref`` or on one of its tree ancestors."""
    return (
        restriction_model.objects.annotate(restricted_length=Length(path_field))
        .filter(**{path_field: Substr(path_ref, 1, F("restricted_length"))})
        .values("pk")
    )


def public_q(prefix=""):
    """A Q object for public pages; ``prefix`` reaches a page through a relation
    (``public_q("page__")`` on a model with a foreign key named ``page``)."""
    restricted = _restricted_ancestor(OuterRef(f"{prefix}path"), PageViewRestriction, "page__path")
    not_expired = Q(**{f"{prefix}expire_at__isnull": True}) | Q(
        **{f"{prefix}expire_at__gt": timezone.now()}
    )
    return Q(**{f"{prefix}live": True}) & not_expired & ~Exists(restricted)


def public(queryset):
    """The public pages of ``queryset`` (any page model's queryset)."""
    return queryset.filter(public_q())


def hidden_live_ids():
    """Ids of live pages that are not public (restricted sections, expired pages): few,
    for querysets a search backend must filter, which accept only indexed fields."""
    from wagtail.models import Page

    return list(Page.objects.filter(live=True).exclude(public_q()).values_list("pk", flat=True))


def is_public(page):
    """Whether one page is public (one query for its and its ancestors' restrictions)."""
    if not page.live or (page.expire_at is not None and page.expire_at <= timezone.now()):
        return False
    return not page.get_view_restrictions().exists()


def in_public_collection(queryset):
    """Images or documents whose collection, and its ancestors, carry no view restriction.
    By collection id, an indexed field, so that the queryset can still be searched."""
    from wagtail.models import Collection

    restricted = Collection.objects.filter(
        Exists(
            _restricted_ancestor(OuterRef("path"), CollectionViewRestriction, "collection__path")
        )
    )
    return queryset.exclude(collection_id__in=list(restricted.values_list("pk", flat=True)))


def localized_public(pages, language=None):
    """Each of ``pages`` as its public translation in ``language`` (the active language by
    default), else as itself when it is public; pages that are not public are left out.
    Order is kept. One query, whatever the number of pages; base pages with their locale."""
    from django.utils import translation
    from wagtail.models import Page

    pages = [page for page in pages if page is not None and page.pk is not None]
    if not pages:
        return []
    language = language or translation.get_language()
    candidates = public(
        Page.objects.filter(
            Q(pk__in=[page.pk for page in pages])
            | Q(
                translation_key__in=[page.translation_key for page in pages],
                locale__language_code=language,
            )
        )
    ).select_related("locale")
    by_id, in_language = {}, {}
    for candidate in candidates:
        by_id[candidate.pk] = candidate
        if candidate.locale.language_code == language:
            in_language[candidate.translation_key] = candidate
    shown = []
    for page in pages:
        choice = in_language.get(page.translation_key) or by_id.get(page.pk)
        if choice is not None and choice not in shown:
            shown.append(choice)
    return shown
