"""wagtail-localize's own views, kept inside the language roles.

wagtail-localize lets anyone with "submit translation" create pages in every locale and
publish every translation from the sync form; a Hungarian translator must do neither.
These subclasses are served at wagtail-localize's own URLs (see wagtail_hooks), and the
review view gives translators, who cannot publish, a way to hand their work to moderators.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import GroupPagePermission, Locale, Page
from wagtail_localize.models import Translation
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView


def locales_user_can_translate_into(user):
    """Locales in whose tree the user may edit pages."""
    if user.is_superuser:
        return Locale.objects.all()
    editable = GroupPagePermission.objects.filter(
        group__user=user, permission__codename="change_page"
    )
    if editable.filter(page__depth=1).exists():
        return Locale.objects.all()
    return Locale.objects.filter(pk__in=editable.values("page__locale_id"))


class SubmitPageTranslationInOwnLanguagesView(SubmitPageTranslationView):
    def get_form(self):
        form = super().get_form()
        field = form.fields["locales"]
        field.queryset = field.queryset.filter(
            pk__in=locales_user_can_translate_into(self.request.user).values("pk")
        )
        return form


class UpdateTranslationsWithoutUnauthorisedPublishingView(UpdateTranslationsView):
    def get_form(self):
        form = super().get_form()
        if not self._user_can_publish_every_translation():
            field = form.fields["publish_translations"]
            field.disabled = True
            field.initial = False
            field.help_text = _(
                "Only someone who may publish every translated page can publish them "
                "from here. The updates are applied to the drafts."
            )
        return form

    def _user_can_publish_every_translation(self):
        translations = self.object.translations.filter(enabled=True)
        return all(
            page.permissions_for_user(self.request.user).can_publish()
            for page in Page.objects.filter(
                translation_key=self.object.object_id,
                locale__in=translations.values("target_locale"),
            )
        )


@require_POST
def submit_translation_for_review(request, page_id):
    """Save the translation editor's work as a draft and start the page's workflow."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()
    if translation is None:
        raise Http404
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(
            request, _("This page has no review workflow; ask a moderator to publish it.")
        )
    elif page.workflow_in_progress:
        messages.warning(request, _("This translation is already awaiting review."))
    else:
        try:
            with transaction.atomic():
                translation.save_target(user=request.user, publish=False)
                page = Page.objects.get(pk=page.pk).specific
                workflow.start(page, request.user)
        except ValidationError as error:
            messages.error(
                request,
                _("The translation could not be saved: %(errors)s")
                % {"errors": "; ".join(error.messages)},
            )
        else:
            messages.success(
                request,
                _("'%(title)s' was submitted for review.")
                % {"title": page.get_admin_display_title()},
            )
    return redirect("wagtailadmin_pages:edit", page.pk)
