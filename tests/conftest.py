import os
import shutil

import pytest

from tests.factories import HomePageFactory, LocaleFactory, translate_page
from tests.services import require

LANGUAGE_CODES = ["en", "fr", "es", "hu"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

HOME_TEXTS = {
    "fr": {"title": "Cluster4Smart FR", "hero_heading": "Conduisez votre cluster"},
    "es": {"title": "Cluster4Smart ES", "hero_heading": "Lleve su clúster"},
    "hu": {"title": "Cluster4Smart HU", "hero_heading": "Vezesse klaszterét"},
}


@pytest.fixture
def locales(db):
    return {code: LocaleFactory(language_code=code) for code in LANGUAGE_CODES}


@pytest.fixture
def home_pages(locales):
    """The home page in English (the site root) and its three live translations."""
    english = HomePageFactory()
    pages = {"en": english}
    for code, texts in HOME_TEXTS.items():
        pages[code] = translate_page(english, code, **texts)
    return pages


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require(
        shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM),
        f"Chromium not found at {CHROMIUM} (install Debian's chromium package)",
    )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(home_pages):
    """A catalogue with one module of three lessons, all translated into French and Spanish."""
    from tests.factories import LessonPageFactory, ModuleIndexPageFactory, ModulePageFactory

    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Smart industry", slug="smart-industry")
    lessons = [
        LessonPageFactory(
            parent=module, title=f"Lesson {n}", slug=f"lesson-{n}", lesson_number=f"1.{n}"
        )
        for n in (1, 2, 3)
    ]
    pages = {"en": {"catalogue": catalogue, "module": module, "lessons": lessons}}
    for code in ("fr", "es"):
        pages[code] = {
            "catalogue": translate_page(catalogue, code, title=f"Catalogue {code}"),
            "module": translate_page(module, code, title=f"Module {code}"),
            "lessons": [
                translate_page(lesson, code, title=f"{lesson.title} {code}") for lesson in lessons
            ],
        }
    return pages
