"""Certificates of completion: what a certificate shows, and nothing else.

The learner's name as they typed it, the module (its translation key, title, learning
outcomes and hours in the language of the claim), the date, and the verification code.
No session key, no address, no progress. The revocation code is kept as a digest only.
A revoked certificate keeps its code, module and dates, so that a verifier is told it
was revoked, but loses the name and outcomes.
"""

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from certificates import codes

NAME_MAX_LENGTH = 100


class Certificate(models.Model):
    code = models.CharField(_("verification code"), max_length=codes.LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    module_key = models.UUIDField(_("module (translation key)"), db_index=True)
    module_title = models.CharField(_("module title"), max_length=255)
    learning_outcomes = models.JSONField(_("learning outcomes"), default=list, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    language = models.CharField(_("language"), max_length=8)
    issued_at = models.DateTimeField(_("issued"))
    revocation_digest = models.CharField(_("revocation code (digest)"), max_length=64)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]

    def __str__(self):
        return codes.grouped(self.code)

    @property
    def grouped_code(self):
        return codes.grouped(self.code)

    @property
    def revoked(self):
        return self.revoked_at is not None

    @property
    def hours_number(self):
        value = float(self.hours)
        return int(value) if value.is_integer() else value

    def url(self, name="verify", language=None):
        """This certificate's page (or ``name``: pdf, credential_jwt, credential_json,
        revoke) under the prefix of ``language``, by default the certificate's own."""
        with translation.override(language or self.language):
            return reverse(f"certificates:{name}", args=[self.grouped_code])

    @property
    def url_pdf(self):
        return self.url("pdf")

    @property
    def url_jwt(self):
        return self.url("credential_jwt")

    @property
    def url_json(self):
        return self.url("credential_json")

    @property
    def url_revoke(self):
        return self.url("revoke", language=translation.get_language())
