"""Django's database sessions, which look up only keys Django itself could have made.

Django accepts any cookie value of eight characters or more as a session key and looks
it up; PostgreSQL refuses a NUL byte in the query, so a forged cookie gave a 500. A key
outside the alphabet Django generates keys from is no session at all.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and set(key) <= _KEY_CHARS
