"""Review means review: a draft never changes what the public sees.

Two gaps in the libraries are closed here.

- wagtail-localize's ``create_or_update_translation(publish=False)``, behind "Submit
  translation for review", re-translating from the admin and the portal's importers,
  saves the translated page's own row (the live title, body and search entry) before it
  saves a revision: the draft goes live at once. Here, when the translated page is
  live, that full save is skipped and only the revision is written; the row changes when
  the revision is published.
- Wagtail publishes the *latest* revision when a workflow finishes; approval.py
  publishes the revision the reviewers approved instead.
"""

import functools

from wagtail.models import Page
from wagtail_localize.models import TranslationSource

_create_or_update_translation = TranslationSource.create_or_update_translation


def _without_live_row_write(page):
    """``page`` whose full ``save()`` writes nothing while it is live; saves of named
    fields (the revision pointer, draft title, alias flag) go through."""
    save = page.save

    @functools.wraps(save)
    def save_draft_fields_only(*args, **kwargs):
        if kwargs.get("update_fields") is None:
            # The full save would also run validation; save_revision() runs it next.
            return None
        return save(*args, **kwargs)

    page.save = save_draft_fields_only
    return page


@functools.wraps(_create_or_update_translation)
def create_or_update_translation(self, locale, user=None, publish=True, **kwargs):
    if publish:
        return _create_or_update_translation(self, locale, user=user, publish=publish, **kwargs)
    get_translated_instance = self.get_translated_instance

    def get_protected_instance(target_locale):
        instance = get_translated_instance(target_locale)
        if isinstance(instance, Page) and instance.live:
            return _without_live_row_write(instance)
        return instance

    self.get_translated_instance = get_protected_instance
    try:
        return _create_or_update_translation(self, locale, user=user, publish=publish, **kwargs)
    finally:
        del self.get_translated_instance


def install():
    TranslationSource.create_or_update_translation = create_or_update_translation
