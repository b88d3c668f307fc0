from django.db import models
from django.utils.translation import gettext_lazy as _


class PageWords(models.Model):
    """The distinct folded words of one public page, in its language: the portal's
    vocabulary for "did you mean" (search/vocabulary.py). Written when pages are indexed
    (``update_index``, publish, unpublish, delete), never when a visitor searches."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=16, db_index=True)
    words = models.TextField(_("words"))

    class Meta:
        verbose_name = _("indexed words of a page")
        verbose_name_plural = _("indexed words of pages")

    def __str__(self):
        return f"{self.language}: {self.page_id}"
