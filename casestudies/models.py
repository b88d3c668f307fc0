"""Cluster case studies: structured facts, faceted browsing and an Atom feed per language."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from casestudies.blocks import CaseStudyDocumentBlock, GalleryBlock, KeyFigureBlock
from portal.blocks import RICH_TEXT_FEATURES
from portal.pages import SectionIndexPage
from portal.translation import PAGE_TRANSLATABLE_FIELDS
from portal.visibility import public
from search.analysis import StemmedSearchMixin, page_stems, stems_field


class CaseStudyIndexPage(RoutablePageMixin, SectionIndexPage):
    subpage_types = ["casestudies.CaseStudyPage"]

    class Meta:
        verbose_name = _("case study listing")
        verbose_name_plural = _("case study listings")

    def get_context(self, request, *args, **kwargs):
        from casestudies.listing import CaseStudyListing
        from portal.taxonomy import localized_taxonomy

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = CaseStudyListing(self, request)
        context["theme_names"] = localized_taxonomy("themes")
        return context

    def case_studies(self):
        return public(CaseStudyPage.objects.child_of(self))

    def get_cached_paths(self):
        # The front cache purges the feed with the listing (portal/frontcache.py).
        return ["/", "feed/"]

    @path("feed/", name="feed")
    def feed(self, request):
        from casestudies.feeds import atom_feed

        return atom_feed(self, request)


class CaseStudyPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "casestudies.CaseStudyPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CaseStudyPage(StemmedSearchMixin, Page):
    cluster_name = models.CharField(_("cluster or organisation"), max_length=200)
    is_illustrative = models.BooleanField(
        _("illustrative example"),
        default=False,
        help_text=_("Tick for fictional cases: the page then says so to readers."),
    )
    country = CountryField(_("country"))
    region = models.CharField(
        _("region"), max_length=120, help_text=_("For example a NUTS 2 region.")
    )
    sectors = ParentalManyToManyField(
        "portal.Sector", verbose_name=_("sectors"), blank=True, related_name="+"
    )
    themes = ParentalManyToManyField(
        "portal.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    funding_programme = models.CharField(_("funding programme"), max_length=250, blank=True)
    summary = models.TextField(_("summary"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image_alt = models.CharField(
        _("cover image text alternative"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it. Empty: decorative."),
    )
    challenge = RichTextField(_("challenge"), features=RICH_TEXT_FEATURES)
    approach = RichTextField(_("approach"), features=RICH_TEXT_FEATURES)
    results = RichTextField(_("results"), features=RICH_TEXT_FEATURES)
    key_figures = StreamField(
        [("figure", KeyFigureBlock())], verbose_name=_("key figures"), blank=True
    )
    lessons_learned = RichTextField(_("lessons learned"), features=RICH_TEXT_FEATURES, blank=True)
    transferability = RichTextField(
        _("transferability"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What another cluster needs to reuse this approach."),
    )
    resources_needed = RichTextField(_("resources needed"), features=RICH_TEXT_FEATURES, blank=True)
    contact = models.TextField(_("contact"), blank=True)
    website = models.URLField(_("website"), blank=True)
    images = StreamField(GalleryBlock(), verbose_name=_("images"), blank=True)
    documents = StreamField(
        [("document", CaseStudyDocumentBlock())], verbose_name=_("documents"), blank=True
    )
    related_pages = StreamField(
        [
            (
                "page",
                blocks.PageChooserBlock(
                    page_type=["modules.ModulePage", "casestudies.CaseStudyPage"]
                ),
            )
        ],
        verbose_name=_("related training modules and case studies"),
        blank=True,
    )
    tags = ClusterTaggableManager(through=CaseStudyPageTag, blank=True, verbose_name=_("tags"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("cluster_name"),
                FieldPanel("is_illustrative"),
                FieldRowPanel([FieldPanel("country"), FieldPanel("region")]),
                FieldRowPanel([FieldPanel("year"), FieldPanel("members")]),
                FieldPanel("funding_programme"),
                FieldPanel("sectors"),
                FieldPanel("themes"),
                FieldPanel("tags"),
            ],
            heading=_("Facts"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_image_alt")], heading=_("Cover image")
        ),
        FieldPanel("challenge"),
        FieldPanel("approach"),
        FieldPanel("results"),
        FieldPanel("key_figures"),
        FieldPanel("lessons_learned"),
        FieldPanel("transferability"),
        FieldPanel("resources_needed"),
        MultiFieldPanel([FieldPanel("contact"), FieldPanel("website")], heading=_("Contact")),
        FieldPanel("images"),
        FieldPanel("documents"),
        FieldPanel("related_pages"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        SynchronizedField("cluster_name"),
        SynchronizedField("is_illustrative"),
        SynchronizedField("country"),
        TranslatableField("region"),
        SynchronizedField("sectors"),
        SynchronizedField("themes"),
        SynchronizedField("year"),
        SynchronizedField("members"),
        TranslatableField("funding_programme"),
        TranslatableField("summary"),
        SynchronizedField("cover_image"),
        TranslatableField("cover_image_alt"),
        TranslatableField("challenge"),
        TranslatableField("approach"),
        TranslatableField("results"),
        TranslatableField("key_figures"),
        TranslatableField("lessons_learned"),
        TranslatableField("transferability"),
        TranslatableField("resources_needed"),
        TranslatableField("contact"),
        SynchronizedField("website"),
        TranslatableField("images"),
        TranslatableField("documents"),
        TranslatableField("related_pages"),
        SynchronizedField("tagged_items"),
    ]
    search_stems = page_stems  # in the class itself, for Wagtail's OpenSearch mapping
    search_fields = Page.search_fields + [
        stems_field(),
        index.SearchField("cluster_name"),
        index.SearchField("region"),
        index.SearchField("summary"),
        index.SearchField("challenge"),
        index.SearchField("approach"),
        index.SearchField("results"),
        index.SearchField("lessons_learned"),
        index.FilterField("year"),
        index.FilterField("locale_id"),
    ]
    api_fields = [
        APIField("cluster_name"),
        APIField("is_illustrative"),
        APIField("country"),
        APIField("region"),
        APIField("year"),
        APIField("members"),
        APIField("funding_programme"),
        APIField("summary"),
        APIField("challenge"),
        APIField("approach"),
        APIField("results"),
        APIField("key_figures"),
        APIField("lessons_learned"),
        APIField("transferability"),
        APIField("resources_needed"),
        APIField("tags"),
    ]
    parent_page_types = ["casestudies.CaseStudyIndexPage"]
    subpage_types = []
    glossary_scanned_fields = [
        "challenge",
        "approach",
        "results",
        "lessons_learned",
        "transferability",
        "resources_needed",
    ]

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def get_context(self, request, *args, **kwargs):
        from portal.taxonomy import localized_related_pages, localized_taxonomy

        context = super().get_context(request, *args, **kwargs)
        context["theme_names"] = localized_taxonomy("themes", [t.slug for t in self.themes.all()])
        context["sector_names"] = localized_taxonomy(
            "sectors", [s.slug for s in self.sectors.all()]
        )
        # Tags are shown by their label in the visitor's language (their slug without one).
        context["tag_names"] = localized_taxonomy("tags", [t.slug for t in self.tags.all()])
        context["related"] = localized_related_pages(
            [block.value for block in self.related_pages if block.value], request
        )
        return context
