"""Cached page data follows every change that affects what the public sees.

Each test warms the caches (sitemap, listings, related content, tooltips, taxonomy names)
by reading, makes one kind of change the way an editor would, and reads again.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from portal.models import Theme
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    HomePageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
)


@pytest.fixture
def site(locales):
    HomePageFactory()
    index = CaseStudyIndexPageFactory()
    themes = {"themes": ["open-innovation"]}
    return {
        "index": index,
        "shown": CaseStudyPageFactory(parent=index, title="Shown case", **themes),
        "other": CaseStudyPageFactory(parent=index, title="Other case", **themes),
    }


def seen(client, site):
    """The sitemap, the listing and the related list of the shown case, read together."""
    return (
        client.get("/sitemap.xml").content.decode()
        + client.get(site["index"].url).content.decode()
        + client.get(site["shown"].url).content.decode()
    )


def test_a_published_page_appears(client, site):
    assert "new-case" not in seen(client, site)
    CaseStudyPageFactory(parent=site["index"], title="New case", themes=["open-innovation"])
    assert seen(client, site).count("new-case") >= 3  # sitemap, listing, related


def test_unpublished_and_deleted_pages_disappear(client, site):
    assert "other-case" in seen(client, site)
    site["other"].unpublish()
    assert "other-case" not in seen(client, site)
    extra = CaseStudyPageFactory(parent=site["index"], title="Extra case")
    assert "extra-case" in seen(client, site)
    Page.objects.get(pk=extra.pk).delete()
    assert "extra-case" not in seen(client, site)


def test_a_copy_appears_and_a_move_changes_the_address(client, locales):
    HomePageFactory()
    catalogue = ModuleIndexPageFactory()
    first = ModulePageFactory(parent=catalogue, title="First module", slug="first")
    second = ModulePageFactory(parent=catalogue, title="Second module", slug="second")
    lesson = LessonPageFactory(parent=first, title="Moving lesson", slug="moving")
    assert "/en/modules/first/moving/" in client.get("/sitemap.xml").content.decode()
    assert "Moving lesson" in client.get(first.url).content.decode()

    Page.objects.get(pk=lesson.pk).move(second, pos="last-child")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/en/modules/second/moving/" in sitemap and "/en/modules/first/moving/" not in sitemap

    Page.objects.get(pk=lesson.pk).specific.copy(
        to=first, update_attrs={"slug": "copied", "title": "Copied lesson"}, keep_live=True
    )
    assert "/en/modules/first/copied/" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_a_restriction_hides_and_its_removal_shows_again(client, site, kind):
    assert "other-case" in seen(client, site)
    restriction = PageViewRestriction.objects.create(
        page=site["other"], restriction_type=kind, password="s3cret" if kind == "password" else ""
    )
    if kind == "groups":
        restriction.groups.set([Group.objects.create(name="Members")])
    assert "other-case" not in seen(client, site)
    restriction.delete()
    assert "other-case" in seen(client, site)


def test_a_restriction_on_an_ancestor_hides_the_whole_section(client, site):
    assert "shown-case" in client.get("/sitemap.xml").content.decode()
    PageViewRestriction.objects.create(page=site["index"], restriction_type="login")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "shown-case" not in sitemap and "other-case" not in sitemap
    assert "/en/" in sitemap.replace("http://testserver", "")  # the home page stays


def test_taxonomy_names_follow_a_rename(client, site):
    assert "Open-Innovation" in client.get(site["index"].url).content.decode()
    theme = Theme.objects.get(slug="open-innovation", locale__language_code="en")
    theme.name = "Open innovation networks"
    theme.save()
    assert "Open innovation networks" in client.get(site["index"].url).content.decode()


def test_tooltips_follow_a_glossary_change(client, locales):
    HomePageFactory()
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(
        parent=glossary, title="digital twin", short_definition="A virtual model."
    )
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue)
    lesson = LessonPageFactory(
        parent=module, body=[("rich_text", "<p>Build a digital twin of the plant.</p>")]
    )
    assert "A virtual model." in client.get(lesson.url).content.decode()

    term.short_definition = "A living virtual replica."
    term.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "A living virtual replica." in html and "A virtual model." not in html

    PageViewRestriction.objects.create(page=glossary, restriction_type="login")
    assert "A living virtual replica." not in client.get(lesson.url).content.decode()


def test_menu_and_language_switcher_follow_changes(client, home_pages):
    """The primary navigation and the switcher are cached between requests; what an
    editor hides or unpublishes leaves them at once."""
    from tests.factories import translate_page

    catalogue = ModuleIndexPageFactory(title="Training catalogue", show_in_menus=True)
    french = translate_page(catalogue, "fr", title="Catalogue de formation")
    html = client.get("/en/").content.decode()
    assert "Training catalogue" in html  # the menu
    assert f'href="{french.url}"' in client.get(catalogue.url).content.decode()  # the switcher

    french.unpublish()
    assert f'href="{french.url}"' not in client.get(catalogue.url).content.decode()

    catalogue.show_in_menus = False
    catalogue.save_revision().publish()
    assert "Training catalogue" not in client.get("/en/").content.decode()


@pytest.fixture
def linked_lesson(locales):
    """A live lesson whose body mentions a glossary term, the term linked once per page."""
    HomePageFactory()
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(
        parent=glossary, title="digital twin", short_definition="A virtual model."
    )
    module = ModulePageFactory(parent=ModuleIndexPageFactory())
    lesson = LessonPageFactory(
        parent=module,
        body=[
            ("rich_text", "<p>Build a digital twin of the plant.</p>"),
            ("rich_text", "<p>The digital twin again.</p>"),
            ("glossary_term", {"term": term, "note": "Worth knowing."}),
        ],
    )
    return {"lesson": lesson, "term": term}


def test_an_edited_lesson_body_is_shown_once_published(client, linked_lesson):
    """The linked body is cached between requests; publishing an edit shows it at once."""
    lesson = linked_lesson["lesson"]
    html = client.get(lesson.url).content.decode()
    assert "of the plant." in html and html.count("A virtual model.") == 2

    lesson.body = [("rich_text", "<p>Operate a digital twin of the line.</p>")]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "of the line." in html
    assert "of the plant." not in html
    assert html.count('class="glossary-link"') == 1  # still linked, once


def test_a_cached_body_repeats_its_links_once_per_page(client, linked_lesson):
    """A cached read links the same first mention as the first read, and only that one."""
    lesson = linked_lesson["lesson"]
    first = client.get(lesson.url).content.decode()
    again = client.get(lesson.url).content.decode()
    assert first.count('class="glossary-link"') == again.count('class="glossary-link"') == 1


def test_a_glossary_term_block_follows_its_term(client, linked_lesson):
    lesson, term = linked_lesson["lesson"], linked_lesson["term"]
    assert "Worth knowing." in client.get(lesson.url).content.decode()
    term.unpublish()
    html = client.get(lesson.url).content.decode()
    assert "Worth knowing." not in html and "of the plant." in html


def test_a_preview_renders_the_unsaved_body_not_the_cached_one(client, linked_lesson, settings):
    # The page cache off, so that the preview's dummy request (anonymous here, without the
    # editor's session) reaches the page's rendering and its cached body fragment.
    settings.PAGE_CACHE_SECONDS = 0
    lesson = linked_lesson["lesson"]
    assert "of the plant." in client.get(lesson.url).content.decode()

    draft = type(lesson).objects.get(pk=lesson.pk)
    draft.body = [("rich_text", "<p>An unsaved draft with a digital twin.</p>")]
    preview = draft.make_preview_request().content.decode()
    assert "An unsaved draft" in preview
    assert "of the plant." not in preview
    # The public still reads the live body, not the preview.
    html = client.get(lesson.url).content.decode()
    assert "of the plant." in html and "unsaved" not in html


def test_case_study_fields_link_a_term_once_when_cached(client, locales):
    HomePageFactory()
    GlossaryTermPageFactory(
        parent=GlossaryIndexPageFactory(), title="digital twin", short_definition="A model."
    )
    case = CaseStudyPageFactory(
        parent=CaseStudyIndexPageFactory(),
        challenge="<p>No digital twin yet.</p>",
        approach="<p>A digital twin was built.</p>",
    )
    for _ in range(2):
        html = client.get(case.url).content.decode()
        assert html.count('class="glossary-link"') == 1
        assert "yet." in html and "was built." in html


def test_the_breadcrumb_follows_a_renamed_section(client, linked_lesson):
    lesson = linked_lesson["lesson"]
    module = lesson.get_parent().specific
    assert f">{module.title}<" in client.get(lesson.url).content.decode()

    module.title = "Renamed module"
    module.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    breadcrumb = html[html.index('class="breadcrumb') :]
    breadcrumb = breadcrumb[: breadcrumb.index("</nav>")]
    assert f">{lesson.title}<" in breadcrumb and "Renamed module" in breadcrumb


def test_a_term_page_follows_its_translations_and_where_it_is_used(client, linked_lesson):
    """Other languages and "where this term is used" are cached between requests."""
    from tests.factories import translate_page

    term, lesson = linked_lesson["term"], linked_lesson["lesson"]
    french = translate_page(term, "fr", title="jumeau numérique")
    html = client.get(term.url).content.decode()
    used = html.split('id="used-in"')[1].split("</section>")[0]
    assert f">{lesson.title}</a>" in used and "jumeau numérique" in html

    french.unpublish()
    LessonPageFactory(
        parent=lesson.get_parent(),
        title="Twins in practice",
        body=[("rich_text", "<p>A digital twin at work.</p>")],
    )
    html = client.get(term.url).content.decode()
    used = html.split('id="used-in"')[1].split("</section>")[0]
    assert f">{lesson.title}</a>" in used and ">Twins in practice</a>" in used
    assert "jumeau numérique" not in html


def test_the_home_page_stops_featuring_an_unpublished_page(client, locales, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the home body's own fragment cache is what is tested
    home = HomePageFactory()
    index = CaseStudyIndexPageFactory()
    featured = CaseStudyPageFactory(parent=index, title="Featured case")
    kept = CaseStudyPageFactory(parent=index, title="Kept case")
    home.body = [
        (
            "featured_content",
            {"heading": "Featured", "introduction": "", "pages": [featured, kept]},
        )
    ]
    home.save_revision().publish()
    html = client.get("/en/").content.decode()
    assert "Featured case" in html and "Kept case" in html
    assert "Featured case" in client.get("/en/").content.decode()  # from the fragment cache
    Page.objects.get(pk=featured.pk).unpublish()
    html = client.get("/en/").content.decode()
    assert "Featured case" not in html and "Kept case" in html
