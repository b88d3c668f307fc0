"""factory-boy factories for locales and every page type."""

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page, Site

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

    class Params:
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
        page = super()._create(model_class, *args, **kwargs)
        if page.locale.language_code == "en":
            site = Site.objects.filter(is_default_site=True).first() or Site(
                is_default_site=True, hostname="testserver", port=80
            )
            site.root_page = page
            site.site_name = "Cluster4Smart"
            site.save()
        return page


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
