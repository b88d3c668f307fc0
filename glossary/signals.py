"""Keep the term linker and the usage lists in step with what is published."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from glossary.matcher import glossary_changed


def _term_changed(sender, **kwargs):
    glossary_changed()


def _content_published(sender, instance, **kwargs):
    from glossary.usage import record_usage

    record_usage(instance)


def connect():
    from casestudies.models import CaseStudyPage
    from glossary.models import GlossaryTermPage
    from modules.models import LessonPage

    for signal in (page_published, page_unpublished):
        signal.connect(
            _term_changed, sender=GlossaryTermPage, dispatch_uid=f"glossary-term-{id(signal)}"
        )
        for model in (LessonPage, CaseStudyPage):
            signal.connect(
                _content_published,
                sender=model,
                dispatch_uid=f"glossary-usage-{model.__name__}-{id(signal)}",
            )
    post_delete.connect(
        _term_changed, sender=GlossaryTermPage, dispatch_uid="glossary-term-deleted"
    )
