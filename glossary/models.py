"""The smart-industry glossary: one concept per term, its pages translations of each other."""

from urllib.parse import quote

from django.db import models
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from glossary import collation
from portal.blocks import RICH_TEXT_FEATURES
from portal.pages import SectionIndexPage
from portal.search_text import clean_search_text
from portal.translation import PAGE_TRANSLATABLE_FIELDS
from portal.visibility import public
from search.analysis import StemmedSearchMixin, page_stems, stems_field


class GlossaryIndexPage(SectionIndexPage):
    subpage_types = ["glossary.GlossaryTermPage"]

    class Meta:
        verbose_name = _("glossary")
        verbose_name_plural = _("glossaries")

    def terms(self):
        return public(GlossaryTermPage.objects.child_of(self)).only(
            "title",
            "url_path",
            "path",
            "depth",
            "short_definition",
            "abbreviation",
            "synonyms",
            "translation_key",
        )

    def term_groups(self, request):
        """Every navigation letter with its terms in collation order, each term as what the
        A-Z shows of it (title, addresses, abbreviation, definition, filter text). Shared
        between processes until the content changes; never cached for a preview."""
        from portal.content_cache import cached_for_content, site_of
        from portal.templatetags.portal_tags import is_preview_request

        language = translation.get_language()
        if self.pk is None or not self.live or is_preview_request(request):
            return self._term_groups(request, language)
        return cached_for_content(
            "glossary-az",
            (self.pk, language, *site_of(request)),
            lambda: self._term_groups(request, language),
        )

    def _term_groups(self, request, language):
        # The terms are children of this page: their addresses extend its own (quoted as
        # Django's reverse() quotes them), without a URL lookup per term.
        url, full_url = self.get_url(request), self.get_full_url(request)

        def below(term):
            return quote(term.url_path[len(self.url_path) :], safe=RFC3986_SUBDELIMS + "/~:@")

        entries = (
            (
                term.title,
                {
                    "title": term.title,
                    "url": url + below(term),
                    "full_url": full_url + below(term),
                    "abbreviation": term.abbreviation,
                    "short_definition": term.short_definition,
                    "search_text": term.search_text,
                },
            )
            for term in self.terms()
        )
        return collation.group_by_initial(entries, language)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        language = translation.get_language()
        query, _shortened = clean_search_text(request.GET.get("q", ""), 100)
        letter = request.GET.get("letter", "").strip()
        letters = collation.alphabet(language)
        groups = self.term_groups(request)
        available = {initial for initial, items in groups if items}
        notices = []
        if letter and letter not in letters and letter != collation.OTHER:
            notices.append(
                gettext("There is no letter “%(letter)s” in this alphabet.")
                % {"letter": letter[:10]}
            )
        if query:
            folded = collation.fold(query)
            groups = [
                (initial, [term for term in items if folded in term["search_text"]])
                for initial, items in groups
            ]
        if letter:
            groups = [(initial, items) for initial, items in groups if initial == letter]
        context.update(
            letters=[(entry, entry in available) for entry in letters],
            groups=[(initial, items) for initial, items in groups if items],
            selected_letter=letter,
            query=query,
            notices=notices,
            term_count=sum(len(items) for _initial, items in groups),
        )
        return context


class GlossaryTermPage(StemmedSearchMixin, Page):
    PREFERRED, ADMITTED, DEPRECATED = "preferred", "admitted", "deprecated"
    STATUSES = [
        (PREFERRED, _("Preferred term")),
        (ADMITTED, _("Admitted term")),
        (DEPRECATED, _("Deprecated term")),
    ]

    concept_id = models.CharField(
        _("concept id"),
        max_length=100,
        help_text=_("The concept's identifier in terminology exchange files (TBX, CSV)."),
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    # One per line: each language has its own number of synonyms, which a list mirroring
    # the English structure could not hold; translators write their language's list.
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_(
            "Other names people use, one per line; they are linked and found by search too."
        ),
    )
    deprecated_synonyms = models.TextField(
        _("deprecated synonyms"), blank=True, help_text=_("Names to avoid, one per line.")
    )
    short_definition = models.TextField(
        _("short definition"),
        max_length=400,
        help_text=_("One or two sentences of plain text, shown in tooltips and search results."),
    )
    explanation = RichTextField(_("explanation"), features=RICH_TEXT_FEATURES, blank=True)
    example = models.TextField(_("example of use"), blank=True)
    source = models.CharField(_("source or reference"), max_length=300, blank=True)
    part_of_speech = models.CharField(_("part of speech"), max_length=20, blank=True)
    theme = models.ForeignKey(
        "portal.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    related_terms = StreamField(
        [("term", blocks.PageChooserBlock(page_type="glossary.GlossaryTermPage", label=_("Term")))],
        verbose_name=_("related terms"),
        blank=True,
    )
    status = models.CharField(
        _("status of the term"), max_length=20, choices=STATUSES, default=PREFERRED
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("abbreviation"), FieldPanel("status")]),
        FieldPanel("short_definition"),
        FieldPanel("explanation"),
        FieldPanel("synonyms"),
        FieldPanel("example"),
        FieldPanel("source"),
        FieldPanel("theme"),
        FieldPanel("related_terms"),
        MultiFieldPanel(
            [
                FieldPanel("concept_id"),
                FieldPanel("part_of_speech"),
                FieldPanel("deprecated_synonyms"),
            ],
            heading=_("Terminology data"),
        ),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        SynchronizedField("concept_id"),
        TranslatableField("short_definition"),
        TranslatableField("explanation"),
        TranslatableField("example"),
        TranslatableField("source"),
        SynchronizedField("part_of_speech"),
        SynchronizedField("theme"),
        TranslatableField("related_terms"),
        SynchronizedField("status"),
    ]
    search_stems = page_stems  # in the class itself, for Wagtail's OpenSearch mapping
    search_fields = Page.search_fields + [
        stems_field(),
        index.SearchField("abbreviation", boost=2),
        index.SearchField("synonyms", boost=2),
        index.SearchField("short_definition"),
        index.SearchField("explanation"),
        index.AutocompleteField("abbreviation"),
        index.FilterField("locale_id"),
    ]
    api_fields = [
        APIField("concept_id"),
        APIField("abbreviation"),
        APIField("synonyms"),
        APIField("short_definition"),
        APIField("explanation"),
        APIField("example"),
        APIField("source"),
        APIField("status"),
        APIField("theme"),
    ]
    # Terminology of each language, not translations of the English: a language may have
    # more synonyms, or an abbreviation where English has none (Spanish "AEI"). Kept out
    # of wagtail-localize (neither translated nor synced) and set per language by the
    # importer and by each language's editors.
    language_own_fields = ["abbreviation", "synonyms", "deprecated_synonyms"]
    parent_page_types = ["glossary.GlossaryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        indexes = [models.Index(fields=["concept_id"], name="glossary_concept_id_idx")]

    @property
    def synonym_list(self):
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    @property
    def deprecated_synonym_list(self):
        return [line.strip() for line in self.deprecated_synonyms.splitlines() if line.strip()]

    @property
    def search_text(self):
        """Everything the index filter box matches, folded for accents and case."""
        return collation.fold(" ".join([self.title, self.abbreviation, *self.synonym_list]))

    def get_context(self, request, *args, **kwargs):
        from portal.content_cache import cached_for_content, site_of
        from portal.templatetags.portal_tags import is_preview_request

        context = super().get_context(request, *args, **kwargs)
        # Titles and addresses only, shared between processes until the content changes;
        # a preview (unsaved related terms under the live page's pk) is never cached.
        if self.pk is None or not self.live or is_preview_request(request):
            context.update(self._neighbours(request))
        else:
            parts = (self.pk, translation.get_language(), *site_of(request))
            context.update(
                cached_for_content("glossary-term", parts, lambda: self._neighbours(request))
            )
        return context

    def _neighbours(self, request):
        """This term in other languages, its related terms and the pages that use it."""
        from glossary.usage import pages_using
        from portal.taxonomy import localized_related_pages

        others = (
            public(GlossaryTermPage.objects.filter(translation_key=self.translation_key))
            .exclude(pk=self.pk)
            .select_related("locale")
            .only("title", "url_path", "path", "depth", "locale", "abbreviation")
        )
        return {
            "other_languages": sorted(
                (
                    (
                        term.locale.language_code,
                        {
                            "title": term.title,
                            "url": term.get_url(request),
                            "abbreviation": term.abbreviation,
                        },
                    )
                    for term in others
                ),
                key=lambda pair: pair[0],
            ),
            "related": localized_related_pages(
                [block.value for block in self.related_terms if block.value], request
            ),
            "used_in": [
                {"title": used.title, "url": used.get_url(request)} for used in pages_using(self)
            ],
        }


class GlossaryUsage(models.Model):
    """Which live pages mention a term (auto-linked or referenced), kept up to date on publish."""

    term = models.ForeignKey(GlossaryTermPage, on_delete=models.CASCADE, related_name="usages")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "page"], name="one_glossary_usage_per_page")
        ]

    def __str__(self):
        return f"{self.term_id} in {self.page_id}"
