"""Roles per language, site administrators and moderation workflows, on every installation."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from portal.editorial import roles

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    remove_wagtail_default_roles(apps)
    roles.setup(apps)


def remove_wagtail_default_roles(apps):
    """Wagtail's starter 'Editors' and 'Moderators' groups may edit every language's tree.
    Left in place, adding someone to them would silently bypass the language roles, so
    they go while nobody belongs to them; so does the starter workflow on the root page."""
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    for workflow in Workflow.objects.filter(name="Moderators approval"):
        if not WorkflowState.objects.filter(workflow=workflow).exists():
            for workflow_task in workflow.workflow_tasks.all():
                workflow_task.task.delete()
            workflow.delete()
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("glossary", "0001_initial"),
        ("home", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
