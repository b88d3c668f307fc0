"""Translation state of every source page in every other language, in a fixed number of queries.

For a source page and a language the state is one of:

    not translated  no page in that language (an alias showing the source text counts as none)
    in progress     a wagtail-localize translation exists; some segments are still untranslated
    translated      every segment is translated (or the page is maintained by hand)
    out of date     the source has been published since its text was last sent for translation
                    (synced), or, for a page translated by hand, since the translation was
                    last edited
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

SOURCE, NOT_TRANSLATED, IN_PROGRESS, TRANSLATED, OUT_OF_DATE = (
    "source",
    "not-translated",
    "in-progress",
    "translated",
    "out-of-date",
)
STATE_LABELS = {
    SOURCE: _("Source"),
    NOT_TRANSLATED: _("Not translated"),
    IN_PROGRESS: _("In progress"),
    TRANSLATED: _("Translated"),
    OUT_OF_DATE: _("Out of date"),
}
# Sections are the content apps; the board filters source pages by them.
SECTIONS = {
    "home": _("Home"),
    "modules": _("Training modules"),
    "casestudies": _("Case studies"),
    "glossary": _("Glossary"),
}


@dataclass
class Cell:
    locale: Locale
    state: str
    target: Page | None = None
    translation_id: int | None = None
    source_id: int | None = None
    percent: int | None = None

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def summary(self):
        """The state in words, with the share done while in progress: "In progress (40%)"."""
        if self.state == IN_PROGRESS:
            share = gettext("%(percent)s%%") % {"percent": self.percent}
            return f"{self.label} ({share})"
        return str(self.label)


def source_pages():
    """Pages written in their own language: not the target of a wagtail-localize translation
    and, where an English version exists, English (the portal's source language)."""
    default_locale = Locale.get_default()
    is_translation_target = Translation.objects.filter(
        source__object_id=OuterRef("translation_key"),
        target_locale_id=OuterRef("locale_id"),
    )
    has_default_version = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale=default_locale
    ).exclude(pk=OuterRef("pk"))
    return (
        Page.objects.filter(depth__gt=1, alias_of__isnull=True)
        .exclude(Exists(is_translation_target))
        .exclude(Exists(has_default_version))
        .select_related("locale", "content_type")
        .order_by("path")
    )


def translation_cells(pages, locales):
    """{source page pk: [Cell per locale]}, in five queries whatever the number of pages."""
    pages = list(pages)
    if not pages:
        return {}
    locales = list(locales)
    keys = [page.translation_key for page in pages]

    targets = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(
            translation_key__in=keys, locale__in=locales, alias_of__isnull=True
        ).only(
            "pk",
            "title",
            "translation_key",
            "locale_id",
            "live",
            "has_unpublished_changes",
            "latest_revision_created_at",
            "path",
            "depth",
        )
    }
    sources = {
        (source.object_id, source.locale_id): source
        for source in TranslationSource.objects.filter(object_id__in=keys).only(
            "pk", "object_id", "locale_id", "last_updated_at"
        )
    }
    source_ids = [source.pk for source in sources.values()]
    translations = {
        (translation.source_id, translation.target_locale_id): translation
        for translation in Translation.objects.filter(
            source_id__in=source_ids, target_locale__in=locales, enabled=True
        ).only("pk", "source_id", "target_locale_id")
    }
    progress = _segment_progress(source_ids, locales)

    cells = {}
    for page in pages:
        source = sources.get((page.translation_key, page.locale_id))
        row = []
        for locale in locales:
            if locale.pk == page.locale_id:
                row.append(Cell(locale, SOURCE, target=page))
                continue
            target = targets.get((page.translation_key, locale.pk))
            translation = translations.get((source.pk, locale.pk)) if source else None
            row.append(_cell(page, locale, target, source, translation, progress))
        cells[page.pk] = row
    return cells


def _cell(page, locale, target, source, translation, progress):
    # wagtail-localize syncs from the live page, so a source "changes" when it is
    # published; a draft of the source has nothing a sync could bring over yet.
    published = page.last_published_at
    if target is None:
        return Cell(locale, NOT_TRANSLATED, source_id=source.pk if source else None)
    if translation is None:
        # Translated by hand: out of date when the source was published after the
        # translation was last edited.
        edited = target.latest_revision_created_at or target.last_published_at
        state = OUT_OF_DATE if published and edited and published > edited else TRANSLATED
        return Cell(locale, state, target=target)
    total, done = progress.get((source.pk, locale.pk), (0, 0))
    percent = 100 if total == 0 else done * 100 // total
    cell = Cell(locale, TRANSLATED, target, translation.pk, source.pk, percent)
    if published and published > source.last_updated_at:
        cell.state = OUT_OF_DATE
    elif done < total:
        cell.state = IN_PROGRESS
    return cell


def _segment_progress(source_ids, locales):
    """{(source id, locale id): (segments, translated segments)}: wagtail-localize's
    Translation.get_progress for many translations in one query."""
    if not source_ids:
        return {}
    translated_into = {
        f"done_{locale.pk}": Count(
            "pk",
            filter=Q(
                Exists(
                    StringTranslation.objects.filter(
                        translation_of_id=OuterRef("string_id"),
                        context_id=OuterRef("context_id"),
                        locale_id=locale.pk,
                        has_error=False,
                    )
                )
            ),
        )
        for locale in locales
    }
    rows = (
        StringSegment.objects.filter(source_id__in=source_ids)
        .values("source_id")
        .annotate(total=Count("pk"), **translated_into)
        .order_by()
    )
    return {
        (row["source_id"], locale.pk): (row["total"], row[f"done_{locale.pk}"])
        for row in rows
        for locale in locales
    }
