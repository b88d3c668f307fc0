"""Demo course: the catalogue, four modules with lessons, quizzes and fact sheets."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import translation
from wagtail.documents import get_document_model

from modules.models import LessonPage, ModuleIndexPage, ModulePage
from portal.demo import (
    SOURCE_LANGUAGE,
    load_json,
    load_section_index,
    paragraphs,
    target_languages,
    taxonomy,
    translate_all,
)
from portal.demo_images import alt_text, demo_image
from portal.models import Theme
from portal.pdf import render_pdf

CONTENT = Path(__file__).parent / "demo_content"
# The motif of each module's illustrations (portal/demo_images.py), by theme.
MOTIFS = {
    "smart-industry": "factory",
    "internationalisation": "globe",
    "leadership": "people",
    "cluster-excellence": "chart",
}
MODULE_FILES = [
    "module-1-industry-40.json",
    "module-2-internationalisation.json",
    "module-3-leadership.json",
    "module-4-excellence.json",
]


def module_image(data):
    motif = MOTIFS.get(data["theme"], "network")
    return demo_image(f"module-{data['slug']}", motif, f"Demo illustration: {data['title']['en']}")


def build_module(data, language):
    motif = MOTIFS.get(data["theme"], "network")
    return ModulePage(
        title=data["title"][language],
        slug=data["slug"],
        search_description=data["summary"][language],
        summary=data["summary"][language],
        learning_outcomes=[("outcome", text) for text in data["learning_outcomes"][language]],
        prerequisites=data["prerequisites"][language],
        estimated_hours=data["estimated_hours"],
        level=data["level"],
        pass_mark=data["pass_mark"],
        theme=taxonomy(Theme, data["theme"]),
        cover_image=module_image(data),
        cover_image_alt=alt_text(motif, language),
    )


def _body_block(block, language):
    kind = block["type"]
    if kind == "paragraphs":
        return ("rich_text", paragraphs(block["text"][language]))
    if kind == "heading":
        return ("heading", {"text": block["text"][language], "level": "h2"})
    if kind == "callout":
        return (
            "callout",
            {"title": block["title"][language], "text": paragraphs([block["text"][language]])},
        )
    if kind == "quote":
        return (
            "quote",
            {"text": block["text"][language], "attribution": block["attribution"][language]},
        )
    if kind == "takeaways":
        return ("key_takeaways", {"items": block["items"][language]})
    raise ValueError(f"Unknown demo block type {kind!r}")


def build_lesson(lesson, language, fact_sheet=None, catalogue=None, motif="network"):
    body = [_body_block(block, language) for block in lesson["body"]]
    if fact_sheet is not None:
        body.append(
            (
                "fact_sheet",
                {
                    "document": fact_sheet[language],
                    "description": catalogue["fact_sheet_description"][language],
                },
            )
        )
    quiz = [
        (
            "question",
            # In the block's own order (kind, question, choices, explanation): the
            # translation is paired with the English quiz segment by segment, in the
            # order of the unsaved value (portal/localize.py).
            {
                "kind": question["kind"],
                "question": question["question"][language],
                "choices": [
                    {
                        "text": choice["text"][language],
                        "correct": choice["correct"],
                        "feedback": choice["feedback"][language],
                    }
                    for choice in question["choices"]
                ],
                "explanation": question["explanation"][language],
            },
        )
        for question in lesson.get("quiz", [])
    ]
    return LessonPage(
        title=lesson["title"][language],
        slug=lesson["slug"],
        search_description=lesson["introduction"][language],
        lesson_number=lesson["number"],
        estimated_minutes=lesson["minutes"],
        introduction=lesson["introduction"][language],
        cover_image=demo_image(
            f"lesson-{lesson['slug']}", motif, f"Demo illustration: {lesson['title']['en']}"
        ),
        cover_image_alt=alt_text(motif, language),
        body=body,
        quiz=quiz,
    )


def fact_sheet_documents(module, catalogue):
    """One PDF per language, generated from the module's fact sheet texts."""
    Document = get_document_model()
    documents = {}
    for language in [SOURCE_LANGUAGE, *target_languages()]:
        sheet = module["fact_sheet"]
        title = f"{catalogue['fact_sheet_label'][language]}: {module['title'][language]}"
        document = Document.objects.filter(title=title).first()
        if document is None:
            with translation.override(language):
                pdf = render_pdf(
                    "modules/pdf/fact_sheet.html",
                    {
                        "pdf_language": language,
                        "pdf_title": title,
                        "module_title": module["title"][language],
                        "sheet_title": sheet["title"][language],
                        "sections": [
                            {
                                "heading": section["heading"][language],
                                "items": section["items"][language],
                            }
                            for section in sheet["sections"]
                        ],
                    },
                )
            document = Document(title=title)
            document.file.save(f"{module['slug']}-{language}.pdf", ContentFile(pdf), save=False)
            document.save()
        documents[language] = document
    return documents


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(log):
    catalogue_data = load_json(CONTENT / "catalogue.json")
    catalogue = load_section_index(ModuleIndexPage, "modules", catalogue_data, log)

    for filename in MODULE_FILES:
        data = load_json(CONTENT / filename)
        module = ModulePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
        if module is None:
            module = _publish_child(catalogue, build_module(data, SOURCE_LANGUAGE))
            log(f"Created module {module.title}.")
        translate_all(module, build_module, data, log)
        documents = fact_sheet_documents(data, catalogue_data)
        for lesson_data in data["lessons"]:

            def build(lesson_data, language, documents=documents, motif=MOTIFS[data["theme"]]):
                return build_lesson(lesson_data, language, documents, catalogue_data, motif)

            lesson = LessonPage.objects.child_of(module).filter(slug=lesson_data["slug"]).first()
            if lesson is None:
                lesson = _publish_child(module, build(lesson_data, SOURCE_LANGUAGE))
            translate_all(lesson, build, lesson_data)
        log(f"Module {module.title}: {len(data['lessons'])} lessons in four languages.")
    return catalogue
