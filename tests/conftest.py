import os
import shutil

import pytest
from django.core.management import call_command
from django.db import connection
from pytest_django.plugin import blocking_manager_key

from tests.factories import HomePageFactory, LocaleFactory, translate_page
from tests.services import require

LANGUAGE_CODES = ["en", "fr", "es", "hu"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

HOME_TEXTS = {
    "fr": {"title": "Cluster4Smart FR", "hero_heading": "Conduisez votre cluster"},
    "es": {"title": "Cluster4Smart ES", "hero_heading": "Lleve su clúster"},
    "hu": {"title": "Cluster4Smart HU", "hero_heading": "Vezesse klaszterét"},
}


# -- what the migrations wrote, back after every flush ----------------------------------------
#
# The migrations write data tests rely on: the editors' groups and their permissions, the
# workflows, the page tree's root and the root collection. A transactional test (a browser
# test's live server, say) ends with a flush that takes all of it away, and pytest does not
# keep such tests last (its grouping by parametrised fixtures reorders them, and xdist
# hands a whole file to a worker), so a test after one in the same worker would find
# none of it. The data is kept from the moment the test database is made and written
# back whenever a test leaves the database without its root page.

_MIGRATED = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _MIGRATED["default"] = connection.creation.serialize_db_to_string()
    yield


def _uses_database(item):
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


def _reset_sequences():
    """PostgreSQL's id sequences restart at 1 after a flush; the rows written back keep
    their ids, so the next row made would clash with one of them."""
    from django.apps import apps
    from django.core.management.color import no_style

    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the test's fixtures are torn down: a flush has happened by now
    # After the last test (nextitem None) the test database itself is gone.
    if nextitem is not None and "default" in _MIGRATED and _uses_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            from django.contrib.contenttypes.models import ContentType
            from wagtail.models import Page

            if not Page.objects.filter(depth=1).exists():
                # post_migrate ran after the flush; its rows would clash with the kept ones.
                call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
                connection.creation.deserialize_db_from_string(_MIGRATED["default"])
                _reset_sequences()
                ContentType.objects.clear_cache()
    return result


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

    from search.visits import discard_pending

    cache.clear()
    discard_pending()
    yield
    cache.clear()
    discard_pending()


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
