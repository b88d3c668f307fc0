"""Progress codes: a learner's progress, saved under a short code to restore elsewhere.

A code row holds the progress (lesson translation keys done, quiz scores, the last
lesson) and when it expires: no name, no address, no session key, no IP address. The
code itself is not stored, only a keyed hash of it (``learning.codes.digest``), so the
table cannot be read back into working codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressCode(models.Model):
    digest = models.CharField(_("code digest"), max_length=64, unique=True)
    progress = models.JSONField(_("progress"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("progress code")
        verbose_name_plural = _("progress codes")

    def __str__(self):
        return f"progress code {self.pk}"
