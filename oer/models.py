"""The harvest registry: one row per record the OAI-PMH endpoint has ever offered.

A record is a public page of a harvested type (module, lesson, case study, glossary
term) in one language. Rows are written by the publishing actions only (publish,
unpublish, deletion, moves, view restrictions: ``oer/signals.py``), never by a request
that reads: the OAI-PMH views read this table and the pages. A row outlives its page,
so a harvester is told of an unpublished, deleted or restricted page by a deleted
record (``deletedRecord`` is ``persistent``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HarvestRecord(models.Model):
    MODULE, LESSON, CASE_STUDY, GLOSSARY_TERM = "module", "lesson", "case-study", "glossary-term"
    KINDS = [
        (MODULE, _("Training module")),
        (LESSON, _("Lesson")),
        (CASE_STUDY, _("Case study")),
        (GLOSSARY_TERM, _("Glossary term")),
    ]

    # The identifier: stable across moves, renames and new page ids (a page deleted
    # and translated again gets a new id but the same translation key and language).
    translation_key = models.UUIDField(_("translation key"))
    language = models.CharField(_("language"), max_length=12)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    # A plain number, not a foreign key: the row stays when the page is deleted.
    page_id = models.PositiveIntegerField(_("page id"), db_index=True)
    datestamp = models.DateTimeField(_("datestamp"), db_index=True)
    deleted = models.BooleanField(_("deleted"), default=False)

    class Meta:
        verbose_name = _("harvest record")
        verbose_name_plural = _("harvest records")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="one_harvest_record_per_language"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.translation_key} ({self.language})"
