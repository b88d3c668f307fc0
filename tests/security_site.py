"""One page of every public page type, with the blocks that could carry inline code: an
image, videos (a file with captions, and an external one behind consent), a fact sheet,
a glossary term, a quiz; case studies to filter, glossary terms, a protected page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    multilingual_home,
)

PAGE_PASSWORD = "Members-Only-2719"


def build_site():
    home = multilingual_home()
    image = Image.objects.create(title="Picture", file=get_test_image_file())
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
    term = GlossaryTermPageFactory(parent=glossary, title="digital twin", slug="digital-twin")
    GlossaryTermPageFactory(parent=glossary, title="cluster", slug="cluster")
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Smart industry", slug="smart-industry")
    lesson = LessonPageFactory(
        parent=module,
        title="Digital twins",
        slug="digital-twins",
        body=[
            ("heading", {"text": "Key ideas", "level": "h2"}),
            ("rich_text", "<p>A <b>digital twin</b> mirrors an asset.</p>"),
            ("image", {"image": image, "alt_text": "A test picture", "caption": "Picture"}),
            (
                "video",
                {
                    "title": "A talk",
                    "video_file": video,
                    "captions": captions,
                    "transcript": "<p>Hello and welcome.</p>",
                },
            ),
            (
                "video",
                {
                    "title": "An external talk",
                    "embed_url": "https://www.youtube-nocookie.com/embed/abc",
                    "transcript": "<p>Elsewhere.</p>",
                },
            ),
            ("fact_sheet", {"document": sheet, "description": "Two pages."}),
            ("glossary_term", {"term": term, "note": "See the glossary."}),
            ("key_takeaways", {"items": ["Start small", "Measure"]}),
        ],
    )
    cases = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(parent=cases, title="Twin pilots", themes=["skills"])
    CaseStudyPageFactory(parent=cases, title="Shared robots", country="ES", themes=["skills"])
    secret = LessonPageFactory(parent=module, title="Members only", slug="members-only")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    return {
        "home": home,
        "catalogue": catalogue,
        "module": module,
        "lesson": lesson,
        "cases": cases,
        "case": case,
        "glossary": glossary,
        "term": term,
        "secret": secret,
        "sheet": sheet,
        "password_url": reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, secret.pk]
        ),
    }
