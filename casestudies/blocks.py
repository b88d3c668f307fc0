from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from portal.blocks import ImageBlock


class KeyFigureBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=200)
    value = blocks.DecimalBlock(label=_("Value"), decimal_places=2, max_digits=12)
    unit = blocks.CharBlock(label=_("Unit"), max_length=40, required=False)

    class Meta:
        icon = "order"
        label = _("Key figure")


class CaseStudyDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = _("Document")


class GalleryBlock(blocks.StreamBlock):
    image = ImageBlock()
