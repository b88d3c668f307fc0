"""Demo self-assessment in four languages, translated through wagtail-localize."""

from pathlib import Path

from assessment.models import SelfAssessmentPage
from portal.demo import SOURCE_LANGUAGE, load_json, locale, paragraphs, translate_all

CONTENT = Path(__file__).parent / "demo_content" / "self-assessment.json"


def _recommended_page(item, language):
    """The page a recommendation names, in ``language``."""
    from casestudies.models import CaseStudyPage
    from modules.models import LessonPage, ModulePage

    english = locale(SOURCE_LANGUAGE)
    if item["kind"] == "module":
        page = ModulePage.objects.get(slug=item["slug"], locale=english)
    elif item["kind"] == "lesson":
        module = ModulePage.objects.get(slug=item["module"], locale=english)
        page = LessonPage.objects.child_of(module).get(slug=item["slug"])
    else:
        page = CaseStudyPage.objects.get(slug=item["slug"], locale=english)
    if language == SOURCE_LANGUAGE:
        return page
    return page.get_translation(locale(language))


def build_self_assessment(data, language):
    return SelfAssessmentPage(
        title=data["title"][language],
        slug=data["slug"],
        search_description=data["search_description"][language],
        introduction=paragraphs(data["introduction"][language]),
        scale=[("option", text) for text in data["scale"][language]],
        areas=[
            (
                "area",
                {
                    "area": area["key"],
                    "title": area["title"][language],
                    "description": area["description"][language],
                    "questions": area["questions"][language],
                    "recommended": [
                        _recommended_page(item, language) for item in area["recommended"]
                    ],
                },
            )
            for area in data["areas"]
        ],
        results_introduction=paragraphs(data["results_introduction"][language]),
        show_in_menus=True,
    )


def load(log):
    from home.models import HomePage

    data = load_json(CONTENT)
    home = HomePage.objects.get(locale=locale(SOURCE_LANGUAGE), depth=2)
    page = SelfAssessmentPage.objects.child_of(home).first()
    if page is None:
        page = build_self_assessment(data, SOURCE_LANGUAGE)
        home.add_child(instance=page)
        page.save_revision().publish()
        log("Created the self-assessment.")
    translate_all(page, build_self_assessment, data, log)
    return page
