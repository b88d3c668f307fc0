from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        checks.register(pdf_libraries_check)


def pdf_libraries_check(app_configs, **kwargs):
    """PDF documents (module PDFs, certificates) need Pango: say so at start-up."""
    from django.core import checks

    from portal.pdf import available

    if available():
        return []
    return [
        checks.Error(
            "WeasyPrint cannot load Pango: module PDFs and certificates cannot be made.",
            hint="apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core "
            "(tools/check_system_libraries.sh says what is missing).",
            id="certificates.E001",
        )
    ]
