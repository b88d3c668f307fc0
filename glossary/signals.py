"""Keep the usage lists ("where is this term used") in step with what is published.

The term linker and search expansions follow the portal's content version
(portal/signals.py), which every publish, unpublish, move and restriction changes.
"""

from wagtail.signals import page_published, page_unpublished


def _content_published(sender, instance, **kwargs):
    from glossary.usage import record_usage

    record_usage(instance)


def connect():
    from casestudies.models import CaseStudyPage
    from modules.models import LessonPage

    for signal in (page_published, page_unpublished):
        for model in (LessonPage, CaseStudyPage):
            signal.connect(
                _content_published,
                sender=model,
                dispatch_uid=f"glossary-usage-{model.__name__}-{id(signal)}",
            )
