"""A training module in English, French, Spanish and Hungarian with everything a lesson can
show (text with links, an image, a video file with captions and transcript, an external
video, a fact sheet, a glossary term block and glossary terms in the text, a quiz), and
what must never reach a package: a draft lesson, an image in a private collection, a
draft module, a module in a password-protected catalogue, a module only in English."""

import copy
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories import (
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    multilingual_home,
    translate_page,
)

LANGUAGES = ["en", "fr", "es", "hu"]

# Per language: module title, lesson title prefix, a sentence using the glossary term,
# the glossary term and its definition, and the quiz texts (question, choices, feedback).
TEXTS = {
    "en": {
        "module": "Smart industry",
        "lesson": "Lesson",
        "sentence": "A digital twin mirrors a machine on the shop floor.",
        "term": ("digital twin", "A virtual copy of a physical asset."),
        "quiz": (
            "Which body coordinates a cluster?",
            ["The cluster organisation", "The national bank", "Each company alone"],
            ["Yes: it animates the network.", "No: banks may fund, not coordinate.", "No."],
            "A cluster organisation coordinates the members.",
        ),
    },
    "fr": {
        "module": "Industrie intelligente",
        "lesson": "Leçon",
        "sentence": "Un jumeau numérique reflète une machine de l'atelier.",
        "term": ("jumeau numérique", "Une copie virtuelle d'un actif physique."),
        "quiz": (
            "Quel organisme coordonne un cluster ?",
            ["L'organisation du cluster", "La banque nationale", "Chaque entreprise seule"],
            ["Oui : elle anime le réseau.", "Non : les banques financent.", "Non."],
            "L'organisation du cluster coordonne les membres.",
        ),
    },
    "es": {
        "module": "Industria inteligente",
        "lesson": "Lección",
        "sentence": "Un gemelo digital refleja una máquina del taller.",
        "term": ("gemelo digital", "Una copia virtual de un activo físico."),
        "quiz": (
            "¿Qué entidad coordina un clúster?",
            ["La organización del clúster", "El banco nacional", "Cada empresa sola"],
            ["Sí: anima la red.", "No: los bancos financian.", "No."],
            "La organización del clúster coordina a los miembros.",
        ),
    },
    "hu": {
        "module": "Okos ipar: fűtőművek és gyártás",
        "lesson": "Lecke",
        "sentence": "A digitális iker a műhely egy gépét tükrözi.",
        "term": ("digitális iker", "Egy fizikai eszköz virtuális mása."),
        "quiz": (
            "Melyik szervezet koordinálja a klasztert?",
            ["A klaszterszervezet", "A nemzeti bank", "Minden vállalat egyedül"],
            ["Igen: ő élteti a hálózatot.", "Nem: a bankok finanszíroznak.", "Nem."],
            "A klaszterszervezet koordinálja a tagokat.",
        ),
    },
}

SECOND_QUESTION = {
    "en": (
        "Which are Industry 4.0 technologies?",
        ["Digital twins", "Internet of Things", "Fax machines"],
    ),
    "fr": (
        "Lesquelles sont des technologies de l'industrie 4.0 ?",
        ["Jumeaux numériques", "Internet des objets", "Télécopieurs"],
    ),
    "es": (
        "¿Cuáles son tecnologías de la Industria 4.0?",
        ["Gemelos digitales", "Internet de las cosas", "Faxes"],
    ),
    "hu": ("Melyek az Ipar 4.0 technológiái?", ["Digitális ikrek", "Dolgok internete", "Faxgépek"]),
}


@dataclass
class World:
    modules: dict = field(default_factory=dict)  # language -> module page
    lessons: dict = field(default_factory=dict)  # language -> [public lessons]
    draft_lesson_title: str = ""
    private_image_file: str = ""
    public_image_file: str = ""
    hidden_urls: dict = field(default_factory=dict)  # why -> module URL
    english_only: object = None


def lesson_body(image, private_image, video, captions, sheet, term, sentence):
    return [
        ("heading", {"text": "Key ideas", "level": "h2"}),
        (
            "rich_text",
            f'<p>{sentence} See <a href="https://example.org/twins">an outside page</a>, '
            f'<a linktype="page" id="{term.pk}">the glossary</a> and '
            f'<a linktype="document" id="{sheet.pk}">the fact sheet</a>.</p>',
        ),
        ("image", {"image": image, "alt_text": "A test picture", "caption": "Picture"}),
        ("image", {"image": private_image, "alt_text": "Private", "caption": "Private"}),
        (
            "video",
            {
                "title": "A talk",
                "video_file": video,
                "captions": captions,
                "transcript": "<p>Hello and welcome to the transcript.</p>",
            },
        ),
        (
            "video",
            {
                "title": "An external talk",
                "embed_url": "https://www.youtube-nocookie.com/embed/abc",
                "transcript": "<p>The external talk's transcript.</p>",
            },
        ),
        ("fact_sheet", {"document": sheet, "description": "Two pages to keep."}),
        ("key_takeaways", {"items": ["Start small", "Measure"]}),
        ("glossary_term", {"term": term, "note": "Used throughout."}),
    ]


def translated_quiz(english_raw, language):
    """The English quiz's stored JSON with this language's texts: the same block ids and
    the same correct answers (correctness is synchronised, not translated)."""
    raw = copy.deepcopy(english_raw)
    question, choices, feedbacks, explanation = TEXTS[language]["quiz"]
    first = raw[0]["value"]
    first["question"], first["explanation"] = question, explanation
    for item, text, feedback in zip(first["choices"], choices, feedbacks, strict=True):
        item["value"]["text"], item["value"]["feedback"] = text, feedback
    second_question, second_choices = SECOND_QUESTION[language]
    second = raw[1]["value"]
    second["question"] = second_question
    for item, text in zip(second["choices"], second_choices, strict=True):
        item["value"]["text"] = text
    return raw


def build_world(lesson_count=3, languages=tuple(LANGUAGES)):
    """The world in English and ``languages``; ``lesson_count`` lessons with a quiz and one
    without."""
    world = World()
    translations = [language for language in languages if language != "en"]
    multilingual_home(tuple(translations))
    image = Image.objects.create(title="Picture", file=get_test_image_file(filename="twin.png"))
    private = Collection.get_first_root_node().add_child(name="Members only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x1"
    )
    private_image = Image.objects.create(
        title="Secret", file=get_test_image_file(filename="secret.png"), collection=private
    )
    world.public_image_file = "twin"
    world.private_image_file = "secret"
    video = Document.objects.create(
        title="Talk", file=SimpleUploadedFile("talk.mp4", b"\x00\x00\x00\x18ftypmp42")
    )
    captions = Document.objects.create(
        title="Talk captions",
        file=SimpleUploadedFile("talk.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"),
    )
    sheet = Document.objects.create(
        title="Fact sheet", file=SimpleUploadedFile("fact-sheet.pdf", b"%PDF-1.4\n%%EOF\n")
    )

    glossary = GlossaryIndexPageFactory()
    term_en = GlossaryTermPageFactory(
        parent=glossary,
        title=TEXTS["en"]["term"][0],
        slug="digital-twin",
        short_definition=TEXTS["en"]["term"][1],
    )
    for language in translations:
        translate_page(glossary, language, title=f"Glossary {language}")
        title, definition = TEXTS[language]["term"]
        translate_page(term_en, language, title=title, short_definition=definition)

    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(
        parent=catalogue, title=TEXTS["en"]["module"], slug="smart-industry", pass_mark=70
    )
    lessons = []
    for number in range(1, lesson_count + 1):
        lessons.append(
            LessonPageFactory(
                parent=module,
                title=f"{TEXTS['en']['lesson']} {number}",
                slug=f"lesson-{number}",
                lesson_number=f"1.{number}",
                body=lesson_body(
                    image, private_image, video, captions, sheet, term_en, TEXTS["en"]["sentence"]
                ),
            )
        )
    # A lesson without a quiz: a SCO that completes when opened.
    lessons.append(
        LessonPageFactory(
            parent=module,
            title="Reading only",
            slug="reading-only",
            lesson_number=f"1.{lesson_count + 1}",
            quiz=[],
        )
    )
    draft = LessonPageFactory(
        parent=module, title="Draft lesson never exported", slug="draft", live=False
    )
    world.draft_lesson_title = draft.title
    # The stored JSON, with the block ids the portal scores with.
    lessons = [type(lesson).objects.get(pk=lesson.pk) for lesson in lessons]
    world.modules["en"], world.lessons["en"] = module, lessons

    for language in translations:
        texts = TEXTS[language]
        translate_page(catalogue, language, title=f"Catalogue {language}")
        world.modules[language] = translate_page(module, language, title=texts["module"])
        translated = []
        for lesson in lessons:
            fields = {"title": f"{texts['lesson']} {lesson.lesson_number} {language}"}
            if lesson.quiz:
                fields["quiz"] = translated_quiz(lesson.quiz.raw_data, language)
                body = copy.deepcopy(lesson.body.raw_data)
                body[1]["value"] = body[1]["value"].replace(
                    TEXTS["en"]["sentence"], texts["sentence"]
                )
                fields["body"] = body
            translated.append(translate_page(lesson, language, **fields))
        world.lessons[language] = translated

    # Never exported.
    draft_module = ModulePageFactory(
        parent=catalogue, title="Draft module", slug="draft-module", live=False
    )
    LessonPageFactory(parent=draft_module, title="Lesson of a draft", slug="x")
    members = ModuleIndexPageFactory(title="Members", slug="members")
    PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.PASSWORD, password="Secret-42"
    )
    restricted = ModulePageFactory(parent=members, title="Members module", slug="members-module")
    LessonPageFactory(parent=restricted, title="Members lesson", slug="m")
    english_only = ModulePageFactory(parent=catalogue, title="English only", slug="english-only")
    LessonPageFactory(parent=english_only, title="Only in English", slug="only")
    world.english_only = english_only
    world.hidden_urls = {
        "draft module": "/en/modules/draft-module/",
        "restricted catalogue": "/en/members/members-module/",
        "not translated": "/hu/modules/english-only/",
        "unknown module": "/en/modules/no-such-module/",
        "not a module": "/en/glossary/digital-twin/",
        "unknown language": "/de/modules/smart-industry/",
    }
    return world
