"""Making, reading and rate-limiting progress codes (see learning/models.py).

A code is 12 characters of Crockford's base 32 (no I, L, O or U), 60 random bits from
``secrets``, shown as ``ABCD-EFGH-JKMN``. Typing is forgiving: case, spaces and hyphens
are ignored and O, I and L read as 0, 1 and 1. Each lookup (restore or delete by code)
counts against the visitor's address in the shared cache; so does making one.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from learning.models import ProgressCode
from modules.progress import LearnerProgress
from portal.security import client_ip

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
SESSION_KEY = "progress_code"
# The most lessons and quizzes a code keeps: far more than the course has.
MAX_ENTRIES = 2000
_TYPING = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


class InvalidCode(ValueError):
    """Not a code this portal could have made (wrong length or characters)."""


class RateLimited(Exception):
    pass


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text):
    """The code in ``text`` as stored, or InvalidCode."""
    if not isinstance(text, str) or len(text) > 40:
        raise InvalidCode
    code = text.strip().upper().translate(_TYPING)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        raise InvalidCode
    return code


def digest(code):
    return salted_hmac("learning.progress-code", code, algorithm="sha256").hexdigest()


def expiry():
    return timezone.now() + timedelta(days=settings.PROGRESS_CODE_DAYS)


# -- rate limit -----------------------------------------------------------------------


def check_rate(request, action):
    """Count one ``action`` ("lookup" or "create") for the visitor's address; RateLimited
    when the address used up its allowance for the current window."""
    window = settings.PROGRESS_CODE_WINDOW_MINUTES * 60
    limit = (
        settings.PROGRESS_CODE_LOOKUP_LIMIT
        if action == "lookup"
        else settings.PROGRESS_CODE_CREATE_LIMIT
    )
    slot = int(timezone.now().timestamp() // window)
    key = f"learning:rate:{action}:{client_ip(request) or 'unknown'}:{slot}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    if count > limit:
        raise RateLimited


def rate_window_minutes():
    return settings.PROGRESS_CODE_WINDOW_MINUTES


# -- progress in and out ----------------------------------------------------------------


def snapshot(progress: LearnerProgress):
    return {"done": sorted(progress.done), "quizzes": progress.quizzes, "last": progress.last}


@dataclass
class Restored:
    lessons: int
    quizzes: int


def _clean(stored):
    """The stored progress, keeping only entries of the shape the portal writes."""
    done = stored.get("done") if isinstance(stored, dict) else None
    quizzes = stored.get("quizzes") if isinstance(stored, dict) else None
    clean_done = [key for key in (done or [])[:MAX_ENTRIES] if isinstance(key, str)]
    clean_quizzes = {}
    for key, quiz in list((quizzes or {}).items())[:MAX_ENTRIES]:
        if not isinstance(key, str) or not isinstance(quiz, dict):
            continue
        numbers = {
            name: quiz.get(name) if isinstance(quiz.get(name), int) else 0
            for name in ("last", "best", "attempts")
        }
        clean_quizzes[key] = {**numbers, "passed": quiz.get("passed") is True}
    last = stored.get("last") if isinstance(stored, dict) else None
    return clean_done, clean_quizzes, last if isinstance(last, str) else None


def merge_into(progress: LearnerProgress, stored) -> Restored:
    """Add the stored progress to the session's: a lesson done in either is done, the
    best scores and passes are kept."""
    done, quizzes, last = _clean(stored)
    progress.done.update(done)
    for key, quiz in quizzes.items():
        mine = progress.quizzes.get(key, {})
        progress.quizzes[key] = {
            "last": quiz["last"] if not mine else mine.get("last", 0),
            "best": max(quiz["best"], mine.get("best", 0)),
            "passed": quiz["passed"] or mine.get("passed", False),
            "attempts": max(quiz["attempts"], mine.get("attempts", 0)),
        }
    if last and not progress.last:
        progress.last = last
    progress._save()
    return Restored(lessons=len(done), quizzes=len(quizzes))


# -- the codes themselves ----------------------------------------------------------------


def find(code):
    """The live row for a normalised code, or None (unknown, deleted or expired)."""
    return ProgressCode.objects.filter(digest=digest(code), expires_at__gt=timezone.now()).first()


@transaction.atomic
def save_progress(session, progress: LearnerProgress):
    """Save the session's progress under its code, made now unless the session holds a
    live one; returns (code, row). Expired codes of anybody are removed on the way."""
    now = timezone.now()
    ProgressCode.objects.filter(expires_at__lte=now).delete()
    held = session.get(SESSION_KEY)
    row = None
    if held:
        try:
            code = normalise(held)
        except InvalidCode:
            code = None
        row = find(code) if code else None
    if row is None:
        code = new_code()
        row = ProgressCode(digest=digest(code))
    row.progress = snapshot(progress)
    row.expires_at = expiry()
    row.save()
    session[SESSION_KEY] = code
    return code, row


def held_code(session):
    """(code, row) of the code this session made or restored from, while it lives."""
    if session is None or not session.get(SESSION_KEY):
        return None, None
    try:
        code = normalise(session[SESSION_KEY])
    except InvalidCode:
        return None, None
    row = find(code)
    return (code, row) if row is not None else (None, None)


def delete(code):
    """Delete the code's row; whether there was one."""
    deleted, _rows = ProgressCode.objects.filter(digest=digest(code)).delete()
    return bool(deleted)
