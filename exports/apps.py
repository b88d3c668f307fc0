from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Training modules as packages for learning platforms (SCORM 1.2, Common Cartridge 1.1)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exports"
    label = "exports"
    verbose_name = _("Exports to learning platforms")
