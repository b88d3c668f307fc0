"""Abstract page types shared by the content apps."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_localize.fields import TranslatableField

from portal.blocks import RICH_TEXT_FEATURES
from portal.translation import PAGE_TRANSLATABLE_FIELDS


class SectionIndexPage(Page):
    """The landing page of a section (course catalogue, case studies, glossary), one per
    language, right under that language's home page."""

    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [TranslatableField("introduction")]
    api_fields = [APIField("introduction")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True
