from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """Roles per language, moderation workflows and the translation status board."""

    name = "portal.editorial"
    label = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self):
        from portal.editorial import publishing, signals

        signals.connect()
        publishing.install()
