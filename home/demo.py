"""Demo home pages: the English source and its translations through wagtail-localize."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page, Site

from home.models import HomePage
from portal.demo import (
    SOURCE_LANGUAGE,
    load_json,
    locale,
    paragraphs,
    target_languages,
    translate_all,
)
from portal.demo_images import demo_image
from portal.localize import translate_from_twin

CONTENT = Path(__file__).parent / "demo_content" / "home.json"


def build_home(data, language, instance=None, featured=None):
    """The home page in ``language``; ``featured`` maps a featured section's key to its
    pages, once the sections exist."""
    page = instance or HomePage()
    page.title = data["title"][language]
    page.slug = "home"
    page.search_description = data["search_description"][language]
    page.hero_heading = data["hero_heading"][language]
    page.hero_image = demo_image("home-hero", "network", "Demo illustration: Cluster4Smart")
    page.hero_text = data["hero_text"][language]
    page.introduction = paragraphs(data["introduction"][language])
    page.body = [
        (
            "section",
            {
                "heading": section["heading"][language],
                "text": paragraphs(section["text"][language]),
            },
        )
        for section in data["sections"]
    ]
    if featured:
        page.hero_link_page = featured["modules"][0].get_parent()
        page.hero_link_label = data["hero_link_label"][language]
        page.body += [
            (
                "featured_content",
                {
                    "heading": block["heading"][language],
                    "introduction": block["introduction"][language],
                    "pages": featured[block["key"]],
                },
            )
            for block in data["featured"]
        ]
    return page


def remove_wagtail_welcome_page(root):
    for child in root.get_children().filter(depth=2):
        if child.specific_class is Page:
            child.delete()


def _point_default_site_at(home):
    """The default site serves the home page on the host of WAGTAILADMIN_BASE_URL."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    wanted = {
        "hostname": address.hostname or "localhost",
        "port": address.port or (443 if address.scheme == "https" else 80),
        "root_page": home,
        "site_name": "Cluster4Smart",
    }
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    if any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()


def load(log):
    data = load_json(CONTENT)
    english = locale(SOURCE_LANGUAGE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=english)
    )
    home = HomePage.objects.filter(locale=english, depth=2).first()
    if home is None:
        remove_wagtail_welcome_page(root)
        home = build_home(data, SOURCE_LANGUAGE)
        home.locale = english
        root.add_child(instance=home)
        home.save_revision().publish()
        log("Created the English home page.")

    _point_default_site_at(home)

    translate_all(home, build_home, data, log)
    return home


def feature_sections(log):
    """Point the home page at the modules and sections, once they exist; translate again."""
    from casestudies.models import CaseStudyIndexPage
    from glossary.models import GlossaryIndexPage
    from modules.models import ModulePage

    data = load_json(CONTENT)
    home = HomePage.objects.get(locale=locale(SOURCE_LANGUAGE), depth=2)
    if any(block.block_type == "featured_content" for block in home.body):
        return
    featured = {
        "modules": list(ModulePage.objects.live().filter(locale=home.locale).order_by("path")),
        "sections": [
            model.objects.live().get(locale=home.locale)
            for model in (CaseStudyIndexPage, GlossaryIndexPage)
        ],
    }
    build_home(data, SOURCE_LANGUAGE, home, featured).save_revision().publish()
    for code in target_languages():
        translate_from_twin(home, locale(code), build_home(data, code, featured=featured))
    log("The home page features the modules, case studies and glossary.")
