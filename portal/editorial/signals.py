"""Wire new language trees into the roles, and give role members the admin in their language."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save
from wagtail.models import Page

from portal.editorial import roles


def connect_new_tree(sender, instance, created, raw=False, **kwargs):
    if not created or raw or not isinstance(instance, Page):
        return
    if instance.depth == 2:
        roles.connect_language_tree(apps, instance)
    elif instance._meta.label_lower == "glossary.glossaryindexpage":
        roles.connect_glossary(apps, instance)


def prefer_role_language(sender, instance, action, reverse, pk_set, **kwargs):
    """A user who joins 'French translators' and has not chosen an admin language gets the
    admin in French, and with it page choosers that open on the French tree."""
    if action != "post_add" or not pk_set:
        return
    from wagtail.users.models import UserProfile

    if reverse:
        group_names = [instance.name]
        users = get_user_model().objects.filter(pk__in=pk_set)
    else:
        group_names = Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)
        users = [instance]
    language = roles.single_language(group_names)
    if language is None:
        return
    for user in users:
        profile = UserProfile.get_for_user(user)
        if not profile.preferred_language:
            profile.preferred_language = language
            profile.save(update_fields=["preferred_language"])


def connect():
    post_save.connect(connect_new_tree, dispatch_uid="editorial-connect-new-tree")
    m2m_changed.connect(
        prefer_role_language,
        sender=get_user_model().groups.through,
        dispatch_uid="editorial-prefer-role-language",
    )
