from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Accessibility and privacy")
    default_auto_field = "django.db.models.BigAutoField"
