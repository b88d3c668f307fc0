"""Translatable taxonomy shared by modules, case studies and the glossary."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Taxonomy(TranslatableMixin, index.Indexed, models.Model):
    """A named term with a stable slug; its name and description are translated."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Stable identifier, the same in every language (used in filter URLs)."),
    )
    description = models.TextField(_("description"), blank=True)

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_theme_slug_per_locale")
        ]


class Sector(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_sector_slug_per_locale")
        ]


class TagLabel(Taxonomy):
    """How a free tag (django-taggit, on case studies) is shown in each language.

    Tags are stored once, as slugs shared by every translation of a page; a label gives
    a tag's slug its name in a language. A tag without a label shows its slug.
    """

    class Meta(Taxonomy.Meta):
        verbose_name = _("tag label")
        verbose_name_plural = _("tag labels")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_tag_label_slug_per_locale"
            )
        ]
