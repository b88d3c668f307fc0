"""The design as a visitor's browser shows it (Chromium through Playwright).

Phones first: no page type scrolls sideways at 320, 375 or 1280 px, in English and in
Hungarian with long compound words; the menu opens on phones without JavaScript; the
module outline sits beside the lesson on wide screens and folds away on phones; images
come in AVIF and WebP with their size set; dark and print styles apply. Screenshots of
each page type go to var/screenshots/design/ (ignored by git) for a reviewer.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots" / "design"
WIDTHS = (320, 375, 1280)
# The longest Hungarian words break out of narrow boxes unless the CSS lets them wrap.
LONG_HU = "Megszentségteleníthetetlenségeskedéseitekért"

OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(e => { const r = e.getBoundingClientRect();
                   return r.width > 0 && r.height > 0 && r.right > innerWidth + 1; })
    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)"""


@pytest.fixture
def site(live_server, home_pages):
    from portal.demo_images import demo_image
    from tests.factories import (
        CaseStudyIndexPageFactory,
        CaseStudyPageFactory,
        LessonPageFactory,
        ModuleIndexPageFactory,
        ModulePageFactory,
        translate_page,
    )

    picture = demo_image("design-test", "factory", "Design test picture")
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(
        parent=catalogue,
        title="Cluster management excellence and benchmarking",
        slug="excellence",
        cover_image=picture,
        cover_image_alt="A factory",
    )
    lessons = [
        LessonPageFactory(
            parent=module,
            title=f"Benchmarking step {n}",
            slug=f"step-{n}",
            lesson_number=f"4.{n}",
            cover_image=picture,
            cover_image_alt="A factory",
        )
        for n in (1, 2, 3)
    ]
    listing = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(
        parent=listing, title="A benchmarking case", slug="case", cover_image=picture
    )
    hu = {
        "catalogue": translate_page(catalogue, "hu", title="Képzési modulok"),
        "module": translate_page(
            module,
            "hu",
            title=f"Klasztermenedzsment-kiválósági {LONG_HU} teljesítményértékelés",
            cover_image_alt="Gyár",
        ),
        "listing": translate_page(listing, "hu", title="Esettanulmányok"),
    }
    hu["lessons"] = [
        translate_page(lesson, "hu", title=f"{LONG_HU} {n}.", cover_image_alt="Gyár")
        for n, lesson in enumerate(lessons, start=1)
    ]
    hu["case"] = translate_page(case, "hu", title=f"Versenyképesség-növelési {LONG_HU}")
    en = {"catalogue": catalogue, "module": module, "lessons": lessons, "listing": listing}
    en["case"] = case
    urls = {}
    for code, pages in (("en", en), ("hu", hu)):
        urls[code] = {
            "home": f"/{code}/",
            "catalogue": pages["catalogue"].url,
            "module": pages["module"].url,
            "lesson": pages["lessons"][1].url,
            "case-studies": pages["listing"].url,
            "case-study": pages["case"].url,
        }
    return live_server.url, urls


def test_no_page_type_scrolls_sideways_on_phones_or_desktops(site, browser):
    base, urls = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for code, pages in urls.items():
            for name, url in pages.items():
                page.goto(base + url)
                scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
                inner_width = page.evaluate("innerWidth")
                wider = page.evaluate(OVERFLOWING)
                if scroll_width > inner_width or wider:
                    problems.append((width, code, name, scroll_width, wider))
                if width in (375, 1280):
                    page.screenshot(path=SCREENSHOTS / f"{name}-{code}-{width}.png", full_page=True)
        context.close()
    assert problems == [], "\n".join(map(str, problems))


def phone_menu_opens_without_javascript_and_desktop_shows_it(base, urls, browser):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    page = phone.new_page()
    page.goto(base + urls["hu"]["case-studies"])
    navigation = page.locator(".primary-navigation")
    expect(navigation.get_by_role("link", name="Esettanulmányok")).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 72, "a compact header on phones"
    page.get_by_text("Menü", exact=True).click()
    expect(navigation.get_by_role("link", name="Esettanulmányok")).to_be_visible()
    expect(page.locator("#site-search-q")).to_be_visible()
    link = navigation.get_by_role("link", name="Képzési modulok").bounding_box()
    assert link["height"] >= 44, "44 px tap targets"
    phone.close()

    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desktop.new_page()
    page.goto(base + urls["hu"]["case-studies"])
    expect(page.get_by_text("Menü", exact=True)).to_be_hidden()
    expect(
        page.locator(".primary-navigation").get_by_role("link", name="Esettanulmányok")
    ).to_be_visible()
    desktop.close()


def lesson_outline_beside_the_lesson_on_wide_screens_folded_on_phones(base, urls, browser):
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desktop.new_page()
    page.goto(base + urls["en"]["lesson"])
    outline = page.get_by_role("navigation", name="Module outline")
    current = outline.get_by_role("link", name="Benchmarking step 2")
    expect(current).to_be_visible()
    expect(current).to_have_attribute("aria-current", "page")
    expect(outline.get_by_role("link", name="Benchmarking step 3")).to_be_visible()
    beside = outline.bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert beside["x"] + beside["width"] <= heading["x"], "the outline is left of the text"
    assert heading["y"] < 300, "the lesson starts near the top"
    # It stays in view (sticky) while the lesson scrolls.
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(100)
    expect(current).to_be_in_viewport()
    desktop.close()

    phone = browser.new_context(viewport={"width": 375, "height": 812})
    page = phone.new_page()
    page.goto(base + urls["hu"]["lesson"])
    outline = page.get_by_role("navigation", name="A modul felépítése")
    expect(outline.get_by_role("link", name=f"{LONG_HU} 3.")).to_be_hidden()
    outline.get_by_text("A modul felépítése").click()
    expect(outline.get_by_role("link", name=f"{LONG_HU} 3.")).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    phone.close()


def case_study_filters_fold_away_on_phones_with_the_count_in_view(base, urls, browser):
    phone = browser.new_context(viewport={"width": 375, "height": 812})
    page = phone.new_page()
    page.goto(base + urls["en"]["case-studies"])
    expect(page.get_by_role("heading", name="1 case study")).to_be_in_viewport()
    expect(page.get_by_label("Sort by")).to_be_hidden()
    page.locator("summary", has_text="Filter case studies").click()
    expect(page.get_by_label("Sort by")).to_be_visible()
    phone.close()

    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desktop.new_page()
    page.goto(base + urls["en"]["case-studies"])
    expect(page.get_by_label("Sort by")).to_be_visible()
    desktop.close()


def images_are_responsive_and_sized(base, urls, browser):
    page = browser.new_page()
    page.goto(base + urls["hu"]["catalogue"])
    card_image = page.locator(".module-card img")
    expect(card_image).to_have_attribute("loading", "lazy")
    expect(card_image).to_have_attribute("width", "400")
    expect(card_image).to_have_attribute("height", "225")
    types = page.locator(".module-card picture source").evaluate_all(
        "sources => sources.map(s => s.type)"
    )
    assert types == ["image/avif", "image/webp"]
    page.goto(base + urls["hu"]["module"])
    expect(page.get_by_role("img", name="Gyár")).to_be_visible()
    page.goto(base + urls["en"]["lesson"])
    expect(page.get_by_role("img", name="A factory")).to_be_visible()


def dark_scheme_and_print_styles(base, urls, browser):
    backgrounds = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(base + urls["en"]["lesson"])
        backgrounds[scheme] = page.evaluate(
            "getComputedStyle(document.documentElement).backgroundColor"
        )
        if scheme == "dark":
            page.screenshot(path=SCREENSHOTS / "lesson-en-1280-dark.png")
            page.emulate_media(media="print")
            expect(page.locator(".site-header")).to_be_hidden()
            expect(page.get_by_role("navigation", name="Module outline")).to_be_hidden()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            printed = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
            assert printed == "rgb(255, 255, 255)", "print is black on white in any scheme"
        context.close()
    assert backgrounds["light"] == "rgb(255, 255, 255)"
    assert backgrounds["dark"] == "rgb(16, 22, 30)"


def test_menu_outline_filters_images_dark_and_print(site, browser):
    """One site for these checks: building it is the slow part."""
    base, urls = site
    phone_menu_opens_without_javascript_and_desktop_shows_it(base, urls, browser)
    lesson_outline_beside_the_lesson_on_wide_screens_folded_on_phones(base, urls, browser)
    case_study_filters_fold_away_on_phones_with_the_count_in_view(base, urls, browser)
    images_are_responsive_and_sized(base, urls, browser)
    dark_scheme_and_print_styles(base, urls, browser)
