"""Translating content through wagtail-localize from parallel, already-written texts.

Demo content and imports are written in all four languages with the same structure.
We build the source object and an unsaved twin in the target language, pair their
segments by position, and feed the pairs to wagtail-localize as a translator would:
strings through a PO file, per-language documents or images as segment overrides. The
result is a real wagtail-localize translation that its editor opens, syncs and reports
on like any other.
"""

import json

from django.db import transaction
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, get_translatable_fields
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import OverridableSegmentValue, StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

TOOL_NAME = "Cluster4Smart content loader"


class ParallelTextMismatch(ValueError):
    """The source and its translation do not have the same translatable structure."""


def _segments(instance, kind):
    # An unsaved twin's stream blocks have no ids yet; preparing them assigns ids.
    for field in instance._meta.get_fields():
        if isinstance(field, StreamField):
            field.get_prep_value(field.value_from_object(instance))
    return [segment for segment in extract_segments(instance) if isinstance(segment, kind)]


def _pairs(source_instance, translated_twin, kind):
    sources = _segments(source_instance, kind)
    translations = _segments(translated_twin, kind)
    if len(sources) != len(translations):
        raise ParallelTextMismatch(
            f"{source_instance!r}: {len(sources)} source {kind.__name__}s but "
            f"{len(translations)} in the translation"
        )
    return list(zip(sources, translations, strict=True))


def _copy_synchronised_values(source_instance, translated_twin):
    """Give the twin the source's values of fields that are the same in every language
    (foreign keys, numbers), so that only real differences, such as a French document in
    place of the English one, become overrides. wagtail-localize's own copy also treats
    StreamFields as synchronised, which would overwrite the twin's texts."""
    for declared in get_translatable_fields(type(source_instance)):
        if not isinstance(declared, SynchronizedField):
            continue
        field = declared.get_field(type(source_instance))
        if getattr(field, "concrete", False) and not field.many_to_many:
            setattr(translated_twin, field.attname, getattr(source_instance, field.attname))


def segment_pairs(source_instance, translated_twin):
    """Map (context path, source string) to the translated string."""
    return {
        (source.path, source.string.data): translated.string.data
        for source, translated in _pairs(source_instance, translated_twin, StringSegmentValue)
    }


@transaction.atomic
def translate_from_twin(source_instance, target_locale, translated_twin, publish=True):
    """Create or update the translation of ``source_instance`` into ``target_locale``.

    ``translated_twin`` is an unsaved instance of the same model holding the target
    language's texts (and, where they differ, its documents or images) in the same
    structure. Pages are published unless ``publish`` is false.
    """
    # Reload so that StreamField block ids match what wagtail-localize stores; for pages,
    # the latest revision, since a draft's content lives there and not in the page row.
    source_instance = type(source_instance).objects.get(pk=source_instance.pk)
    if isinstance(source_instance, Page):
        source_instance = source_instance.get_latest_revision_as_object()
    source, _created = TranslationSource.update_or_create_from_instance(source_instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=target_locale, defaults={"enabled": True}
    )

    _copy_synchronised_values(source_instance, translated_twin)
    pairs = segment_pairs(source_instance, translated_twin)
    po = translation.export_po()
    for entry in po:
        if entry.obsolete:
            continue
        try:
            entry.msgstr = pairs[(entry.msgctxt, entry.msgid)]
        except KeyError as error:
            raise ParallelTextMismatch(
                f"No translation for {entry.msgid!r} at {entry.msgctxt}"
            ) from error
    translation.import_po(po, tool_name=TOOL_NAME)

    for original, translated in _pairs(source_instance, translated_twin, OverridableSegmentValue):
        if original.data == translated.data:
            continue
        segment = OverridableSegment.objects.get(source=source, context__path=original.path)
        SegmentOverride.objects.update_or_create(
            locale=target_locale,
            context_id=segment.context_id,
            defaults={"data_json": json.dumps(translated.data)},
        )

    if isinstance(source_instance, Page):
        # wagtail-localize would publish on commit, from the page as it was when first
        # saved; when a whole tree is translated in one transaction that stale copy
        # overwrites the child count of parents. Publishing now avoids it.
        translation.save_target(publish=False)
        target = translation.get_target_instance()
        revision = _apply_language_own_fields(source_instance, translated_twin, target)
        revision = revision or target.get_latest_revision()
        if publish:
            revision.publish()
    else:
        translation.save_target(publish=True)
    return translation


def _apply_language_own_fields(source_instance, translated_twin, target):
    """Fields each language keeps for itself (``language_own_fields``, left out of
    ``translatable_fields``): wagtail-localize never touches them, so they are set here."""
    changed = False
    page = target.get_latest_revision_as_object()
    for name in getattr(source_instance, "language_own_fields", ()):
        wanted = getattr(translated_twin, name)
        if getattr(page, name) != wanted:
            setattr(page, name, wanted)
            changed = True
    return page.save_revision() if changed else None
