"""The issuer's signing key: ES256 (ECDSA on P-256), from the environment.

``CERTIFICATE_SIGNING_KEY`` holds a PEM (PKCS #8) P-256 private key, made with
``python manage.py certificate_signing_key`` (or ``openssl genpkey -algorithm EC
-pkeyopt ec_paramgen_curve:P-256``). Production settings refuse to start without a
valid one. Without it, development keeps a generated key in
``CERTIFICATE_SIGNING_KEY_FILE`` (var/), and tests make one per process.

The public key is published as a JSON Web Key Set at /.well-known/jwks.json; its key id
is the key's RFC 7638 thumbprint, so a new key gets a new id by itself.
"""

import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc import jwt
from joserfc.jwk import ECKey

ALGORITHM = "ES256"


def load_private_key(pem: str) -> ECKey:
    """The P-256 private key of ``pem``; ImproperlyConfigured when it is not one."""
    pem = pem.strip().replace("\\n", "\n")
    try:
        private = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(
            "CERTIFICATE_SIGNING_KEY is not a PEM private key without a password "
            "(make one with `python manage.py certificate_signing_key`)."
        ) from error
    if not isinstance(private, ec.EllipticCurvePrivateKey) or private.curve.name != "secp256r1":
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY must be an EC P-256 key (ES256).")
    return ECKey.import_key(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def new_private_key_pem() -> str:
    private = ec.generate_private_key(ec.SECP256R1())
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def _key_from_file(path: Path) -> ECKey:
    try:
        return load_private_key(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile
        return load_private_key(path.read_text(encoding="ascii"))
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(new_private_key_pem())
    return load_private_key(path.read_text(encoding="ascii"))


@functools.cache
def signing_key() -> ECKey:
    if settings.CERTIFICATE_SIGNING_KEY:
        return load_private_key(settings.CERTIFICATE_SIGNING_KEY)
    if settings.CERTIFICATE_SIGNING_KEY_FILE:
        return _key_from_file(Path(settings.CERTIFICATE_SIGNING_KEY_FILE))
    return ECKey.generate_key("P-256")


def key_id() -> str:
    return signing_key().thumbprint()


def public_jwk() -> dict:
    return {
        **signing_key().as_dict(private=False),
        "kid": key_id(),
        "alg": ALGORITHM,
        "use": "sig",
    }


def jwks() -> dict:
    return {"keys": [public_jwk()]}


def sign(claims: dict) -> str:
    """A compact JWS (a VC-JWT) of ``claims``; the header names the key (its id in the
    published key set) and carries the public key itself, as Open Badges 3.0 allows."""
    jwk = public_jwk()
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": jwk["kid"], "jwk": jwk}
    return jwt.encode(header, claims, signing_key(), algorithms=[ALGORITHM])
