"""The Open Badges 3.0 credential of a certificate, and its VC-JWT.

An ``OpenBadgeCredential`` (W3C Verifiable Credentials Data Model 2.0 with the Open
Badges 3.0 context): the issuer's profile, the learner named by an ``IdentityObject``
(the name they typed, not hashed: it is printed on the certificate anyway), and the
module as the ``Achievement``, with its criteria, in the language of the claim.

Signed as Open Badges 3.0 §8.2 describes: a JWT whose payload is the credential itself,
plus the registered claims ``iss`` (the issuer's id), ``nbf`` (``validFrom``) and ``jti``
(the credential's id), with ES256 and the key published at /.well-known/jwks.json.
"""

from datetime import UTC

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from certificates import signing

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
ISSUER_NAME = "Cluster4Smart"


def issuer_profile(root_url):
    return {
        "id": root_url + reverse("certificate_issuer"),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": root_url + "/",
    }


def _timestamp(moment):
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build(certificate, root_url):
    """The credential as a dict (JSON-LD), in the certificate's language."""
    with translation.override(certificate.language):
        module = certificate.module_title
        outcomes = "".join(f"\n- {outcome}" for outcome in certificate.learning_outcomes)
        narrative = gettext(
            "Passed every quiz of the training module “%(module)s” with at least its pass mark."
        ) % {"module": module}
        if outcomes:
            narrative += "\n\n" + gettext("Learning outcomes:") + outcomes
        return {
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": root_url + certificate.url(),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": gettext("Certificate of completion: %(module)s") % {"module": module},
            "issuer": issuer_profile(root_url),
            "validFrom": _timestamp(certificate.issued_at.astimezone(UTC)),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityHash": certificate.name,
                        "identityType": "name",
                        "hashed": False,
                    }
                ],
                "achievement": {
                    "id": f"urn:uuid:{certificate.module_key}",
                    "type": ["Achievement"],
                    "achievementType": "Course",
                    "name": module,
                    "description": gettext(
                        "A training module of the Cluster4Smart open course for cluster "
                        "managers, about %(hours)s hours of study."
                    )
                    % {"hours": certificate.hours_number},
                    "criteria": {"narrative": narrative},
                    "inLanguage": certificate.language,
                    "creator": issuer_profile(root_url),
                },
            },
            "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        }


def as_jwt(certificate, root_url):
    data = build(certificate, root_url)
    claims = {
        **data,
        "iss": data["issuer"]["id"],
        "nbf": int(certificate.issued_at.timestamp()),
        "jti": data["id"],
    }
    return signing.sign(claims)
