"""Certificate codes: 16 characters of Crockford's base32 (80 random bits), shown in
groups of four. Typed codes are read leniently (any case, spaces or hyphens, O for 0,
I and L for 1); anything else is no code at all, and is never looked up."""

import hashlib
import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_CANONICAL = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
_LENIENT = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_TYPED = 40  # longer input is not a code, however it is spaced


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed) -> str | None:
    """The canonical code for what was typed, or None when it cannot be one."""
    if not isinstance(typed, str) or len(typed) > MAX_TYPED:
        return None
    code = re.sub(r"[\s-]", "", typed).upper().translate(_LENIENT)
    return code if _CANONICAL.match(code) else None


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def digest(code: str) -> str:
    """What is stored of a revocation code: it alone can revoke, and is never kept."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def matches(typed, stored_digest: str) -> bool:
    code = normalise(typed)
    return code is not None and hmac.compare_digest(digest(code), stored_digest)
