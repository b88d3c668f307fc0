"""A learner's progress, kept in their session only: no account, no tracking.

Lessons are identified by their translation key, so progress made in one language
counts in the others.
"""

from dataclasses import dataclass

from django.conf import settings

SESSION_KEY = "learner_progress"


def visitor_session(request):
    """The visitor's session if they already hold one, else None.

    Pages read progress only from a session the visitor already has: a visitor without a
    session cookie gets the same bytes as every other (no ``Vary: Cookie``, which reading
    ``request.session`` would add), so the page can be cached for all of them. The first
    action (completing a lesson, answering a quiz) starts the session; from then on the
    visitor's requests carry the cookie and bypass the caches (portal/page_cache.py).
    """
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return request.session
    return None


@dataclass
class ModuleProgress:
    total: int
    done: int
    quizzes_total: int
    quizzes_passed: int
    next_lesson_key: str | None
    started: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def passed(self) -> bool:
        return (
            self.total > 0 and self.done == self.total and self.quizzes_passed == self.quizzes_total
        )


class LearnerProgress:
    def __init__(self, session):
        """``session``: a session, or None for a visitor who holds none (no progress)."""
        self.session = session
        stored = (session.get(SESSION_KEY) if session is not None else None) or {}
        self.done = set(stored.get("done", []))
        self.quizzes = dict(stored.get("quizzes", {}))
        # The lesson the learner last completed or answered a quiz of ("continue where you
        # left off" in My learning).
        self.last = stored.get("last")

    def _save(self):
        self.session[SESSION_KEY] = {
            "done": sorted(self.done),
            "quizzes": self.quizzes,
            "last": self.last,
        }

    def is_done(self, lesson_key) -> bool:
        return str(lesson_key) in self.done

    def quiz(self, lesson_key) -> dict | None:
        return self.quizzes.get(str(lesson_key))

    def mark_done(self, lesson_key):
        self.done.add(str(lesson_key))
        self.last = str(lesson_key)
        self._save()

    def record_quiz(self, lesson_key, score: int, passed: bool):
        key = str(lesson_key)
        previous = self.quizzes.get(key, {})
        self.quizzes[key] = {
            "last": score,
            "best": max(score, previous.get("best", 0)),
            "passed": passed or previous.get("passed", False),
            "attempts": previous.get("attempts", 0) + 1,
        }
        if self.quizzes[key]["passed"]:
            self.done.add(key)
        self.last = key
        self._save()

    def forget(self):
        self.session.pop(SESSION_KEY, None)
        self.done, self.quizzes, self.last = set(), {}, None

    def for_module(self, lessons) -> ModuleProgress:
        """``lessons``: (translation key, has a quiz) pairs in course order."""
        keys = [str(key) for key, _has_quiz in lessons]
        with_quiz = [str(key) for key, has_quiz in lessons if has_quiz]
        next_key = next((key for key in keys if key not in self.done), None)
        return ModuleProgress(
            total=len(keys),
            done=sum(1 for key in keys if key in self.done),
            quizzes_total=len(with_quiz),
            quizzes_passed=sum(1 for key in with_quiz if self.quizzes.get(key, {}).get("passed")),
            next_lesson_key=next_key,
            started=any(key in self.done or key in self.quizzes for key in keys),
        )
