"""Translating content through wagtail-localize from parallel, already-written texts.

Demo content and imports are written in all four languages with the same structure.
We build the source page and an unsaved twin in the target language, pair their
translatable segments by position, and feed the pairs to wagtail-localize as a
translator's PO file would be: the result is a real wagtail-localize translation that
its editor opens, syncs and reports on like any other.
"""

from django.db import transaction
from wagtail.fields import StreamField
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

TOOL_NAME = "Cluster4Smart content loader"


class ParallelTextMismatch(ValueError):
    """The source and its translation do not have the same translatable structure."""


def _strings(instance):
    # An unsaved twin's stream blocks have no ids yet; preparing them assigns ids.
    for field in instance._meta.get_fields():
        if isinstance(field, StreamField):
            field.get_prep_value(field.value_from_object(instance))
    return [s for s in extract_segments(instance) if isinstance(s, StringSegmentValue)]


def segment_pairs(source_instance, translated_twin):
    """Map (context path, source string) to the translated string."""
    source_strings = _strings(source_instance)
    translated_strings = _strings(translated_twin)
    if len(source_strings) != len(translated_strings):
        raise ParallelTextMismatch(
            f"{source_instance!r}: {len(source_strings)} source segments but "
            f"{len(translated_strings)} translated segments"
        )
    return {
        (source.path, source.string.data): translated.string.data
        for source, translated in zip(source_strings, translated_strings, strict=True)
    }


@transaction.atomic
def translate_from_twin(source_instance, target_locale, translated_twin, publish=True):
    """Create or update the translation of ``source_instance`` into ``target_locale``.

    ``translated_twin`` is an unsaved instance of the same model holding the target
    language's texts in the same structure. Returns the translated instance.
    """
    # Reload so that StreamField block ids match what wagtail-localize stored.
    source_instance = type(source_instance).objects.get(pk=source_instance.pk)
    source, _created = TranslationSource.update_or_create_from_instance(source_instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=target_locale, defaults={"enabled": True}
    )
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
    translation.save_target(publish=publish)
    return translation.get_target_instance()
