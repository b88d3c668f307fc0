"""factory-boy factories for locales and every page type."""

import datetime

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page, Site

from home.demo import remove_wagtail_welcome_page
from home.models import HomePage


class LocaleFactory(DjangoModelFactory):
    class Meta:
        model = Locale
        django_get_or_create = ("language_code",)

    language_code = "en"


def root_page():
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(title="Root", slug="root", locale=LocaleFactory(language_code="en"))
        )
    return root


def root_collection():
    """The root collection a migration makes (tests/conftest.py writes it back after a
    transactional test's flush)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node()


class PageFactory(DjangoModelFactory):
    """Adds the page under ``parent`` and publishes it unless ``live=False``."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    locale = factory.LazyAttribute(
        lambda page: page.parent.locale if page.parent else LocaleFactory(language_code="en")
    )
    parent = None
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, live=True, **kwargs):
        page = model_class(*args, **kwargs)
        parent = parent or cls._default_parent(page)
        if live:
            parent.add_child(instance=page)
            page.save_revision().publish()
        else:
            page.live = False
            parent.add_child(instance=page)
            page.save_revision()
        return page

    @classmethod
    def _default_parent(cls, page):
        raise ValueError(f"{cls.__name__} needs a parent page.")


class HomePageFactory(PageFactory):
    """A home page that becomes the root of the default site."""

    class Meta:
        model = HomePage

    title = "Cluster4Smart"
    slug = "home"
    hero_heading = "Lead your cluster into smart industry"
    hero_text = "Open training for cluster managers."
    introduction = "<p>An open knowledge portal for cluster managers.</p>"
    parent = factory.LazyFunction(root_page)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        remove_wagtail_welcome_page(root_page())
        page = super()._create(model_class, *args, **kwargs)
        if page.locale.language_code == "en":
            site = Site.objects.filter(is_default_site=True).first() or Site(
                is_default_site=True, hostname="testserver", port=80
            )
            site.root_page = page
            site.site_name = "Cluster4Smart"
            site.save()
        return page


def multilingual_home(languages=("fr", "es", "hu")):
    """The English home page (the site root) with live translations titled by language."""
    for code in ("en", *languages):
        LocaleFactory(language_code=code)
    home = HomePageFactory()
    for code in languages:
        translate_page(home, code, title=f"Cluster4Smart {code}")
    return home


def translate_page(page, language_code, live=True, **fields):
    """A wagtail-localize-style translation (``copy_for_translation``) with new texts."""
    locale = LocaleFactory(language_code=language_code)
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    revision = translated.save_revision()
    if live:
        revision.publish()
    translated.refresh_from_db()
    return translated


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = "portal.Theme"
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.LazyAttribute(lambda theme: slugify(theme.name))
    locale = factory.LazyFunction(lambda: LocaleFactory(language_code="en"))


class SectorFactory(ThemeFactory):
    class Meta:
        model = "portal.Sector"
        django_get_or_create = ("slug", "locale")


def quiz_question(question, choices, kind="single", explanation="Because."):
    """A quiz block value: ``choices`` are (text, correct, feedback) triples."""
    return (
        "question",
        {
            "kind": kind,
            "question": question,
            "explanation": explanation,
            "choices": [
                {"text": text, "correct": correct, "feedback": feedback}
                for text, correct, feedback in choices
            ],
        },
    )


DEFAULT_QUIZ = [
    quiz_question(
        "Which body coordinates a cluster?",
        [
            ("The cluster organisation", True, "Yes: it animates the network."),
            ("The national bank", False, "No: banks may fund, not coordinate."),
            ("Each company alone", False, "No: that is not a network."),
        ],
        explanation="A cluster organisation coordinates the members.",
    ),
    quiz_question(
        "Which are Industry 4.0 technologies?",
        [
            ("Digital twins", True, "Right: a virtual model of an asset."),
            ("Internet of Things", True, "Right: connected sensors."),
            ("Fax machines", False, "No: an older technology."),
        ],
        kind="multiple",
        explanation="Digital twins and IoT are core Industry 4.0 technologies.",
    ),
]


class SectionIndexPageFactory(PageFactory):
    """A section's index page, by default under the English home page, shown in menus."""

    class Meta:
        abstract = True

    show_in_menus = True

    @classmethod
    def _default_parent(cls, page):
        return HomePage.objects.get(locale__language_code="en", depth=2)


class ModuleIndexPageFactory(SectionIndexPageFactory):
    class Meta:
        model = "modules.ModuleIndexPage"

    title = "Training modules"
    slug = "modules"


class ModulePageFactory(PageFactory):
    class Meta:
        model = "modules.ModulePage"

    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "What cluster managers need to lead the smart-industry transition."
    learning_outcomes = factory.LazyFunction(
        lambda: [("outcome", "Explain Industry 4.0 to members")]
    )
    estimated_hours = 5
    level = "intermediate"
    pass_mark = 70
    theme = factory.SubFactory(ThemeFactory)


class LessonPageFactory(PageFactory):
    class Meta:
        model = "modules.LessonPage"

    title = factory.Sequence(lambda n: f"Lesson {n}")
    lesson_number = factory.Sequence(lambda n: f"1.{n}")
    estimated_minutes = 30
    introduction = "Why this lesson matters."
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"text": "Key ideas", "level": "h2"}),
            ("rich_text", "<p>Clusters help SMEs adopt new technologies.</p>"),
            ("key_takeaways", {"items": ["Start small", "Measure"]}),
        ]
    )
    quiz = factory.LazyFunction(lambda: list(DEFAULT_QUIZ))


class CaseStudyIndexPageFactory(SectionIndexPageFactory):
    class Meta:
        model = "casestudies.CaseStudyIndexPage"

    title = "Case studies"
    slug = "case-studies"


class CaseStudyPageFactory(PageFactory):
    """A case study; ``themes``/``sectors`` take slugs of English taxonomy entries."""

    class Meta:
        model = "casestudies.CaseStudyPage"

    title = factory.Sequence(lambda n: f"Case study {n}")
    cluster_name = factory.Sequence(lambda n: f"Fictional Cluster {n}")
    is_illustrative = True
    country = "FR"
    region = "Occitanie"
    year = 2022
    members = 120
    summary = "How a cluster organised shared digital services for its members."
    challenge = "<p>Members lacked digital skills.</p>"
    approach = "<p>The cluster set up a pilot programme.</p>"
    results = "<p>Forty companies took part.</p>"
    key_figures = factory.LazyFunction(
        lambda: [("figure", {"label": "Companies supported", "value": 40, "unit": "companies"})]
    )

    @classmethod
    def _create(cls, model_class, *args, themes=(), sectors=(), tags=(), **kwargs):
        page = super()._create(model_class, *args, **kwargs)
        if themes or sectors or tags:
            page.themes.set([ThemeFactory(slug=slug, name=slug.title()) for slug in themes])
            page.sectors.set([SectorFactory(slug=slug, name=slug.title()) for slug in sectors])
            page.tags.set(list(tags))
            revision = page.save_revision()
            if page.live:
                revision.publish()
        return page


class GlossaryIndexPageFactory(SectionIndexPageFactory):
    class Meta:
        model = "glossary.GlossaryIndexPage"

    title = "Glossary"
    slug = "glossary"


class GlossaryTermPageFactory(PageFactory):
    class Meta:
        model = "glossary.GlossaryTermPage"

    title = factory.Sequence(lambda n: f"term {n}")
    concept_id = factory.Sequence(lambda n: f"t{n:03d}")
    short_definition = factory.LazyAttribute(
        lambda term: f"What {term.title} means for cluster managers."
    )
    explanation = "<p>Why it matters.</p>"


class UserFactory(DjangoModelFactory):
    """A staff member; ``roles`` names groups created by the editorial migration,
    e.g. UserFactory(roles=["French editors"])."""

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def roles(user, create, names, **kwargs):
        if create and names:
            from django.contrib.auth.models import Group

            user.groups.add(*[Group.objects.get(name=name) for name in names])


def log_in(client, *roles):
    """A new staff member holding ``roles``, logged in on ``client``."""
    member = UserFactory(roles=list(roles))
    client.force_login(member)
    return member


def start_translation(page, language_code):
    """Submit a page for translation the way wagtail-localize's "Translate this page" does:
    a TranslationSource, a Translation and a draft target page."""
    from wagtail_localize.models import Translation, TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(
        source=source, target_locale=LocaleFactory(language_code=language_code)
    )
    translation.save_target(publish=False)
    return translation


def translate_segments(translation, count=None, text="Traduit"):
    """Translate the first ``count`` segments (all by default) of a translation."""
    from wagtail_localize.models import StringTranslation

    segments = translation.source.stringsegment_set.order_by("order")
    for segment in segments[:count] if count is not None else segments:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={"data": f"{text} {segment.string.data}"},
        )


# -- issue 14: the self-assessment, the accessibility statement and the privacy notice ------


def assessment_area(key, title, questions, recommended=()):
    """A self-assessment area block value; ``recommended`` are pages."""
    return (
        "area",
        {
            "area": key,
            "title": title,
            "description": f"About {title.lower()}.",
            "questions": list(questions),
            "recommended": list(recommended),
        },
    )


class SelfAssessmentPageFactory(SectionIndexPageFactory):
    class Meta:
        model = "assessment.SelfAssessmentPage"

    title = "Self-assessment"
    slug = "self-assessment"
    introduction = "<p>Rate your cluster organisation.</p>"
    scale = factory.LazyFunction(
        lambda: [("option", text) for text in ("Not in place", "Partly", "In place")]
    )
    areas = factory.LazyFunction(
        lambda: [
            assessment_area("governance", "Governance", ["Members take part in decisions."]),
            assessment_area("financing", "Financing", ["Our budget is secured."]),
        ]
    )


class AccessibilityStatementPageFactory(SectionIndexPageFactory):
    class Meta:
        model = "legal.AccessibilityStatementPage"

    title = "Accessibility statement"
    slug = "accessibility"
    show_in_menus = False
    introduction = "<p>We want this portal to be accessible.</p>"
    conformance_status = "partial"
    non_accessible_content = "<p>Fact sheet PDFs are not tagged.</p>"
    prepared_on = datetime.date(2026, 12, 1)
    preparation = "<p>A self-assessment by the project team.</p>"
    feedback = "<p>Write to us.</p>"
    contact_email = "accessibility@example.org"
    enforcement = "<p>Contact the national enforcement body.</p>"


class PrivacyNoticePageFactory(SectionIndexPageFactory):
    class Meta:
        model = "legal.PrivacyNoticePage"

    title = "Privacy notice"
    slug = "privacy"
    show_in_menus = False
    introduction = "<p>What the portal stores.</p>"
    sections = factory.LazyFunction(
        lambda: [("section", {"heading": "Progress codes", "text": "<p>Stored 30 days.</p>"})]
    )
    updated_on = datetime.date(2026, 12, 1)
