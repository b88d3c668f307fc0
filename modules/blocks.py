"""Blocks of a lesson body and of its quiz."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from portal.blocks import RICH_TEXT_FEATURES, CalloutBlock, HeadingBlock, ImageBlock, QuoteBlock


class VideoBlock(blocks.StructBlock):
    """A video that loads nothing from a third party until the learner asks for it."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    embed_url = blocks.URLBlock(
        label=_("Video address (embed URL)"),
        required=False,
        help_text=_(
            "For example https://www.youtube-nocookie.com/embed/…; loaded only after the learner agrees."
        ),
    )
    video_file = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"), required=False)
    captions = DocumentChooserBlock(label=_("Captions (WebVTT file)"), required=False)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=RICH_TEXT_FEATURES,
        help_text=_("The full text of the video."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "modules/blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("embed_url") and not value.get("video_file"):
            raise StructBlockValidationError(
                block_errors={
                    "embed_url": ValidationError(_("Give a video address or a video file."))
                }
            )
        return value


class FactSheetBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Fact sheet")
        template = "modules/blocks/fact_sheet_block.html"


class KeyTakeawaysBlock(blocks.StructBlock):
    items = blocks.ListBlock(blocks.CharBlock(label=_("Takeaway")), label=_("Takeaways"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Key takeaways")
        template = "modules/blocks/key_takeaways_block.html"


class GlossaryTermBlock(blocks.StructBlock):
    """A reference to a glossary term, shown with its definition."""

    term = blocks.PageChooserBlock(page_type="glossary.GlossaryTermPage", label=_("Glossary term"))
    note = blocks.TextBlock(label=_("Note"), required=False)

    class Meta:
        icon = "help"
        label = _("Glossary term")
        template = "modules/blocks/glossary_term_block.html"


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    fact_sheet = FactSheetBlock()
    key_takeaways = KeyTakeawaysBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    glossary_term = GlossaryTermBlock()


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.TextBlock(label=_("Feedback"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class QuizQuestionBlock(blocks.StructBlock):
    SINGLE, MULTIPLE = "single", "multiple"

    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[(SINGLE, _("Single choice")), (MULTIPLE, _("Multiple choice"))],
        default=SINGLE,
    )
    question = blocks.TextBlock(label=_("Question"))
    choices = blocks.ListBlock(QuizChoiceBlock(), label=_("Choices"), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        label=_("Explanation"), help_text=_("Shown after the learner answers.")
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if value["kind"] == self.SINGLE and correct != 1:
            message = _("A single-choice question needs exactly one correct answer.")
        elif value["kind"] == self.MULTIPLE and correct < 1:
            message = _("A multiple-choice question needs at least one correct answer.")
        else:
            return value
        raise StructBlockValidationError(block_errors={"choices": ValidationError(message)})


class QuizBlock(blocks.StreamBlock):
    question = QuizQuestionBlock()
