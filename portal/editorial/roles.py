"""The portal's roles: who may edit, translate, approve and administer which language tree.

Roles are Wagtail groups with page permissions on one language's home page (the root of
that language's tree), so a French editor can never reach the Hungarian tree. Every
function here takes an app registry, so the data migration (historical models) and the
signal that wires up a new language tree (live models) share one implementation.

    <Language> editors      add and edit pages in their tree, submit them for moderation
    <Language> translators  translate into their language in wagtail-localize, submit for review
    <Language> moderators   approve or reject, publish, lock in their tree
    Site administrators     everything
"""

from django.conf import settings
from django.utils.translation import get_language_info

EDITORS, TRANSLATORS, MODERATORS = "editors", "translators", "moderators"
LANGUAGE_ROLES = (EDITORS, TRANSLATORS, MODERATORS)
SITE_ADMINISTRATORS = "Site administrators"

PAGE_PERMISSIONS = {
    EDITORS: ("add_page", "change_page"),
    TRANSLATORS: ("change_page",),
    MODERATORS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
ADMIN_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
# Images and documents are shared by every language (a photo needs no translation).
MEDIA_EDITING = (
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
)
COLLECTION_PERMISSIONS = {
    EDITORS: MEDIA_EDITING,
    TRANSLATORS: ("choose_image", "choose_document"),
    MODERATORS: MEDIA_EDITING,
}
ADMIN_COLLECTION_PERMISSIONS = (
    "add_image",
    "change_image",
    "delete_image",
    "choose_image",
    "add_document",
    "change_document",
    "delete_document",
    "choose_document",
)
MODEL_PERMISSIONS = {
    EDITORS: (("wagtailadmin", "access_admin"),),
    TRANSLATORS: (("wagtailadmin", "access_admin"), ("wagtail_localize", "submit_translation")),
    MODERATORS: (("wagtailadmin", "access_admin"),),
}


def language_codes():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def group_name(role, language_code):
    """'French editors': English names, as Wagtail's own groups are named in English."""
    return f"{get_language_info(language_code)['name']} {role}"


def role_of_group(name):
    """(role, language code) for one of the language groups, else None."""
    for code in language_codes():
        for role in LANGUAGE_ROLES:
            if group_name(role, code) == name:
                return role, code
    return None


def single_language(group_names):
    """The language of the language roles among ``group_names`` when they all share one,
    else None (no language role, or roles in several languages)."""
    languages = {role[1] for role in map(role_of_group, group_names) if role}
    return languages.pop() if len(languages) == 1 else None


def content_workflow_name(language_code):
    return f"{get_language_info(language_code)['name']} moderation"


def glossary_workflow_name(language_code):
    return f"{get_language_info(language_code)['name']} glossary review"


# Permissions that a migration of their app creates (not a model's Meta), so a database
# flushed between tests lacks them until they are made again: (content type model, name).
MIGRATION_MADE_PERMISSIONS = {
    ("wagtail_localize", "submit_translation"): ("translation", "Can submit translations"),
}


class _Permissions:
    """Permissions by (app label, codename), loaded in one query: a new language tree is
    wired up on every home page save, tests included, so per-permission lookups add up."""

    def __init__(self, apps):
        self.apps = apps
        Permission = apps.get_model("auth", "Permission")
        self.by_key = {
            (p.content_type.app_label, p.codename): p
            for p in Permission.objects.select_related("content_type")
        }

    def get(self, app_label, codename):
        key = (app_label, codename)
        if key not in self.by_key:
            self.by_key[key] = self._make(app_label, codename)
        return self.by_key[key]

    def _make(self, app_label, codename):
        Permission = self.apps.get_model("auth", "Permission")
        if (app_label, codename) not in MIGRATION_MADE_PERMISSIONS:
            return Permission.objects.get(content_type__app_label=app_label, codename=codename)
        ContentType = self.apps.get_model("contenttypes", "ContentType")
        model, name = MIGRATION_MADE_PERMISSIONS[app_label, codename]
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        return Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]

    def page(self, codename):
        return self.get("wagtailcore", codename)

    def collection(self, codename):
        app_label = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
        return self.get(app_label, codename)


def _ensure_rows(model, wanted, **common):
    """Create the rows of ``model`` among ``wanted`` ((group, permission) pairs sharing
    ``common`` fields) that do not exist yet: one query to look, one to insert."""
    existing = set(
        model.objects.filter(group__in={group for group, _p in wanted}, **common).values_list(
            "group_id", "permission_id"
        )
    )
    missing = {
        (group.pk, permission.pk): (group, permission)
        for group, permission in wanted
        if (group.pk, permission.pk) not in existing
    }
    model.objects.bulk_create(
        [
            model(group=group, permission=permission, **common)
            for group, permission in missing.values()
        ]
    )


def ensure_groups(apps):
    """Create every role's group with its model and collection permissions; idempotent."""
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    permissions = _Permissions(apps)
    root_collection = Collection.objects.filter(depth=1).first()

    groups = {}
    collection_rows = []
    for code in language_codes():
        for role in LANGUAGE_ROLES:
            group, _created = Group.objects.get_or_create(name=group_name(role, code))
            group.permissions.add(*[permissions.get(*p) for p in MODEL_PERMISSIONS[role]])
            collection_rows += [
                (group, permissions.collection(codename))
                for codename in COLLECTION_PERMISSIONS[role]
            ]
            groups[role, code] = group

    admins, _created = Group.objects.get_or_create(name=SITE_ADMINISTRATORS)
    admins.permissions.add(*permissions.by_key.values())
    root_page = Page.objects.filter(depth=1).first()
    if root_page:
        _ensure_rows(
            GroupPagePermission,
            [(admins, permissions.page(codename)) for codename in ADMIN_PAGE_PERMISSIONS],
            page=root_page,
        )
    if root_collection:
        collection_rows += [
            (admins, permissions.collection(codename)) for codename in ADMIN_COLLECTION_PERMISSIONS
        ]
        _ensure_rows(GroupCollectionPermission, collection_rows, collection=root_collection)
    groups[SITE_ADMINISTRATORS] = admins
    groups["permissions"] = permissions
    return groups


def _approval_workflow(apps, workflow_name, reviewers):
    """A one-step workflow whose single task the reviewers (and site administrators) approve."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    workflow, created = Workflow.objects.get_or_create(
        name=workflow_name, defaults={"active": True}
    )
    if created:
        task = GroupApprovalTask.objects.create(
            name=f"{workflow_name}: approval",
            active=True,
            content_type=ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )[0],
        )
        task.groups.add(*reviewers)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def _assign_workflow(apps, workflow, page):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.get_or_create(page_id=page.pk, defaults={"workflow": workflow})


def connect_language_tree(apps, home_page, groups=None):
    """Give one language's roles their permissions on its home page (and so on its whole
    tree) and put the tree under that language's moderation workflow. ``groups``: what
    ensure_groups returned, when the caller has just run it."""
    Locale = apps.get_model("wagtailcore", "Locale")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    code = Locale.objects.get(pk=home_page.locale_id).language_code
    if code not in language_codes():
        return
    groups = groups or ensure_groups(apps)
    permissions = groups.get("permissions") or _Permissions(apps)
    _ensure_rows(
        GroupPagePermission,
        [
            (groups[role, code], permissions.page(codename))
            for role in LANGUAGE_ROLES
            for codename in PAGE_PERMISSIONS[role]
        ],
        page_id=home_page.pk,
    )
    reviewers = [groups[MODERATORS, code], groups[SITE_ADMINISTRATORS]]
    _assign_workflow(
        apps, _approval_workflow(apps, content_workflow_name(code), reviewers), home_page
    )


def connect_glossary(apps, glossary_index):
    """Glossary terms get their own one-step review, separate from the course content's."""
    Group = apps.get_model("auth", "Group")
    Locale = apps.get_model("wagtailcore", "Locale")
    code = Locale.objects.get(pk=glossary_index.locale_id).language_code
    if code not in language_codes():
        return
    reviewers = Group.objects.filter(name__in=[group_name(MODERATORS, code), SITE_ADMINISTRATORS])
    workflow = _approval_workflow(apps, glossary_workflow_name(code), list(reviewers))
    _assign_workflow(apps, workflow, glossary_index)


def setup(apps):
    """Everything above for the trees that exist now; later trees are wired by a signal."""
    Page = apps.get_model("wagtailcore", "Page")
    groups = ensure_groups(apps)
    for home_page in Page.objects.filter(depth=2):
        connect_language_tree(apps, home_page, groups)
    for index in Page.objects.filter(
        content_type__app_label="glossary", content_type__model="glossaryindexpage"
    ):
        connect_glossary(apps, index)
