from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OerConfig(AppConfig):
    name = "oer"
    verbose_name = _("Open educational resources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oer import signals

        signals.connect()
