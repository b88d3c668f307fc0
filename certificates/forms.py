"""The one thing a learner types to claim a certificate: the name to print."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import NAME_MAX_LENGTH

# Markup characters and everything invisible (controls, format characters such as
# bidirectional overrides, unassigned code points) are no part of a printed name.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_MARKUP = set("<>{}[]\\`")


class ClaimForm(forms.Form):
    name = forms.CharField(
        label=_("Your name, as it should appear on the certificate"),
        max_length=NAME_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("Please type the name to print on the certificate."),
            "max_length": _(
                "A name of at most %(limit_value)d characters, please (this one has "
                "%(show_value)d)."
            ),
        },
    )

    def clean_name(self):
        name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", self.cleaned_data["name"]))
        name = name.strip()
        if any(char in _MARKUP for char in name) or any(
            unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in name
        ):
            raise forms.ValidationError(
                _("Please type the name as plain text, without < > { } [ ] \\ or ` characters.")
            )
        if not any(unicodedata.category(char).startswith("L") for char in name):
            raise forms.ValidationError(_("A name needs at least one letter."))
        return name
