from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.blocks import RICH_TEXT_FEATURES, HomeSectionsBlock
from portal.routing import DirectRoutingMixin
from portal.translation import PAGE_TRANSLATABLE_FIELDS


class HomePage(DirectRoutingMixin, Page):
    """The root of each language's tree: a hero, an introduction and free sections."""

    hero_heading = models.CharField(_("hero heading"), max_length=160)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero button target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_label = models.CharField(_("hero button label"), max_length=60, blank=True)
    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(HomeSectionsBlock(), verbose_name=_("sections"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_link_page"),
                FieldPanel("hero_link_label"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("hero_heading"),
        index.SearchField("introduction"),
    ]
    api_fields = [
        APIField("hero_heading"),
        APIField("hero_text"),
        APIField("introduction"),
        APIField("body"),
    ]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("hero_heading"),
        TranslatableField("hero_text"),
        SynchronizedField("hero_image"),
        TranslatableField("hero_link_page"),
        TranslatableField("hero_link_label"),
        TranslatableField("introduction"),
        TranslatableField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    # What the portal offers at a glance: the public pages of these types in this
    # language tree, counted in one query.
    AT_A_GLANCE = [
        ("modules", "modules", "modulepage"),
        ("lessons", "modules", "lessonpage"),
        ("case_studies", "casestudies", "casestudypage"),
        ("terms", "glossary", "glossarytermpage"),
    ]

    def at_a_glance(self):
        """How many public modules, lessons, case studies and terms the language tree has;
        counted once per content version (a count over the whole tree), shared."""
        from portal.content_cache import cached_for_content

        return cached_for_content("at-a-glance", (self.pk,), self._count_at_a_glance)

    def _count_at_a_glance(self):
        from django.conf import settings
        from django.db.models import Count

        from portal.visibility import public

        counts = {
            (app, model): total
            for app, model, total in public(Page.objects.descendant_of(self))
            .filter(
                content_type__app_label__in=[app for _key, app, _model in self.AT_A_GLANCE],
                content_type__model__in=[model for _key, _app, model in self.AT_A_GLANCE],
            )
            .values_list("content_type__app_label", "content_type__model")
            .annotate(total=Count("pk"))
            .order_by()
        }
        glance = {key: counts.get((app, model), 0) for key, app, model in self.AT_A_GLANCE}
        glance["languages"] = len(settings.LANGUAGES)
        return glance

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["at_a_glance"] = self.at_a_glance()
        return context
