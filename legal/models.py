"""The accessibility statement (the EU model of Implementing Decision 2018/1523 under
Directive 2016/2102) and the privacy notice: one of each per language, under the home page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.blocks import RICH_TEXT_FEATURES
from portal.translation import PAGE_TRANSLATABLE_FIELDS


class AccessibilityStatementPage(Page):
    FULL, PARTIAL, NOT = "full", "partial", "not"
    STATUSES = [
        (FULL, _("fully compliant")),
        (PARTIAL, _("partially compliant")),
        (NOT, _("not compliant")),
    ]

    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES)
    conformance_status = models.CharField(
        _("compliance status"), max_length=10, choices=STATUSES, default=PARTIAL
    )
    standard = models.CharField(
        _("standard"), max_length=120, default="EN 301 549 V3.2.1 (WCAG 2.1 level AA)"
    )
    conformance_text = RichTextField(
        _("compliance status explained"), features=RICH_TEXT_FEATURES, blank=True
    )
    non_accessible_content = RichTextField(
        _("non-accessible content"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Non-compliance, disproportionate burden, content outside the scope."),
    )
    prepared_on = models.DateField(_("statement prepared on"))
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    preparation = RichTextField(
        _("preparation of the statement"),
        features=RICH_TEXT_FEATURES,
        help_text=_("How the statement was prepared (self-assessment, third party, tools)."),
    )
    feedback = RichTextField(_("feedback and contact"), features=RICH_TEXT_FEATURES)
    contact_email = models.EmailField(_("contact e-mail"))
    enforcement = RichTextField(_("enforcement procedure"), features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("conformance_status"), FieldPanel("standard")]),
                FieldPanel("conformance_text"),
            ],
            heading=_("Compliance status"),
        ),
        FieldPanel("non_accessible_content"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("reviewed_on")]),
                FieldPanel("preparation"),
            ],
            heading=_("Preparation of this accessibility statement"),
        ),
        FieldPanel("feedback"),
        FieldPanel("contact_email"),
        FieldPanel("enforcement"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("introduction"),
        SynchronizedField("conformance_status"),
        SynchronizedField("standard"),
        TranslatableField("conformance_text"),
        TranslatableField("non_accessible_content"),
        SynchronizedField("prepared_on"),
        SynchronizedField("reviewed_on"),
        TranslatableField("preparation"),
        TranslatableField("feedback"),
        SynchronizedField("contact_email"),
        TranslatableField("enforcement"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")


class NoticeSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=160)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "legal/notice_section_block.html"


class PrivacyNoticePage(Page):
    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES)
    sections = StreamField([("section", NoticeSectionBlock())], verbose_name=_("sections"))
    updated_on = models.DateField(_("last updated on"))

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("sections"),
        FieldPanel("updated_on"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("introduction"),
        TranslatableField("sections"),
        SynchronizedField("updated_on"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("sections"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
