"""Keeping the harvest registry (``HarvestRecord``) in step with what is public.

Every change that can make a harvested page appear, change address or disappear writes
here, inside the publishing transaction: publish (and scheduled go-live), unpublish (and
scheduled expiry), deletion, moves and view restrictions. Nothing else writes to the
registry; the OAI-PMH views only read it.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.visibility import public

KIND_MODELS = {
    "module": "modules.ModulePage",
    "lesson": "modules.LessonPage",
    "case-study": "casestudies.CaseStudyPage",
    "glossary-term": "glossary.GlossaryTermPage",
}


def kind_models():
    """{kind: page model} of the harvested page types."""
    from django.apps import apps

    return {kind: apps.get_model(label) for kind, label in KIND_MODELS.items()}


def kind_of(model):
    for kind, kind_model in kind_models().items():
        if model is kind_model:
            return kind
    return None


def now():
    """Datestamps have the protocol's granularity (seconds)."""
    return timezone.now().replace(microsecond=0)


def sync(path=None, page_ids=None, touch=False, kinds=None):
    """Bring the rows of the harvested pages under ``path`` (or of ``page_ids``, or of
    every page) in line with their public state: a new row for a public page, a deleted
    mark for a page that stopped being public, the mark lifted when it is public again.
    ``touch`` gives the public records a new datestamp (their addresses changed); ``kinds``
    limits the work to those page types."""
    from oer.models import HarvestRecord

    stamp = now()
    for kind, model in kind_models().items():
        if kinds is not None and kind not in kinds:
            continue
        pages = model.objects.all()
        if path is not None:
            pages = pages.filter(path__startswith=path)
        if page_ids is not None:
            pages = pages.filter(pk__in=page_ids)
        visible = {
            pk: (key, language)
            for pk, key, language in public(pages)
            .filter(alias_of__isnull=True)
            .values_list("pk", "translation_key", "locale__language_code")
        }
        in_scope = set(pages.values_list("pk", flat=True))
        wanted = set(visible.values())
        # Subqueries, not lists: a whole-site sync may concern many thousands of pages.
        rows = HarvestRecord.objects.filter(kind=kind).filter(
            Q(page_id__in=pages.values("pk"))
            | Q(translation_key__in=public(pages).values("translation_key"))
        )
        by_key = {}
        for row in rows:
            if row.page_id not in in_scope and (row.translation_key, row.language) not in wanted:
                continue  # another language of a page in scope
            by_key[(row.translation_key, row.language)] = row
            if row.page_id not in visible and not row.deleted:
                row.deleted, row.datestamp = True, stamp
                row.save(update_fields=["deleted", "datestamp"])
        for pk, (key, language) in visible.items():
            row = by_key.get((key, language))
            if row is None:
                HarvestRecord.objects.create(
                    translation_key=key, language=language, kind=kind, page_id=pk, datestamp=stamp
                )
            elif row.deleted or row.page_id != pk or touch:
                row.deleted, row.page_id, row.datestamp = False, pk, stamp
                row.save(update_fields=["deleted", "page_id", "datestamp"])


def mark_missing_pages_deleted():
    """Rows whose page no longer exists (deleted while the registry was not listening)."""
    from oer.models import HarvestRecord

    return (
        HarvestRecord.objects.filter(deleted=False)
        .exclude(page_id__in=Page.objects.values("pk"))
        .update(deleted=True, datestamp=now())
    )


def _published(sender, instance, **kwargs):
    kind = kind_of(sender)
    if kind is not None:
        sync(page_ids=[instance.pk], kinds=[kind])
    if kind == "module":
        # The lessons' records name their module (title, address).
        from oer.models import HarvestRecord

        lessons = Page.objects.filter(path__startswith=instance.path, depth=instance.depth + 1)
        HarvestRecord.objects.filter(page_id__in=lessons.values("pk"), deleted=False).update(
            datestamp=now()
        )


def _unpublished(sender, instance, **kwargs):
    kind = kind_of(sender)
    if kind is not None:
        sync(page_ids=[instance.pk], kinds=[kind])


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and kind_of(type(instance)) is not None:
        from oer.models import HarvestRecord

        HarvestRecord.objects.filter(page_id=instance.pk, deleted=False).update(
            deleted=True, datestamp=now()
        )


def _restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).only("path").first()
    if page is not None:  # (None: the restriction goes with its deleted page)
        sync(path=page.path)


def _moved(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.pk).only("path").first()
    if page is not None:
        sync(path=page.path, touch=True)


def connect():
    page_published.connect(_published, dispatch_uid="oer-harvest-published")
    page_unpublished.connect(_unpublished, dispatch_uid="oer-harvest-unpublished")
    post_delete.connect(_deleted, dispatch_uid="oer-harvest-deleted")
    post_page_move.connect(_moved, dispatch_uid="oer-harvest-moved")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"oer-harvest-restriction-{id(signal)}",
        )
