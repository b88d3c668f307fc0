"""Server-side quiz scoring: the page never tells which answers are right beforehand."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from modules.blocks import QuizQuestionBlock

FIELD_PREFIX = "q-"


class InvalidSubmission(ValueError):
    """The submission does not belong to this quiz (tampered or stale form)."""


@dataclass
class QuestionResult:
    number: int
    block_id: str
    kind: str
    question: str
    explanation: str
    choices: list = field(default_factory=list)  # dicts: text, correct, selected, feedback
    is_correct: bool = False


@dataclass
class QuizResult:
    questions: list
    errors: dict

    @property
    def correct(self) -> int:
        return sum(1 for question in self.questions if question.is_correct)

    @property
    def score(self) -> int:
        return round(100 * self.correct / len(self.questions)) if self.questions else 0


def score_quiz(quiz, data) -> QuizResult:
    """Score ``data`` (a QueryDict) against the quiz StreamValue.

    Unanswered questions are reported in ``errors`` (the form is shown again);
    answers that do not belong to their question raise InvalidSubmission.
    """
    questions = [block for block in quiz if block.block_type == "question"]
    known_fields = {FIELD_PREFIX + block.id for block in questions}
    stray = [name for name in data if name.startswith(FIELD_PREFIX) and name not in known_fields]
    if stray:
        raise InvalidSubmission(_("The answers do not belong to this quiz."))

    results, errors = [], {}
    for number, block in enumerate(questions, start=1):
        value = block.value
        choice_ids = [choice.id for choice in value["choices"].bound_blocks]
        selected = data.getlist(FIELD_PREFIX + block.id)
        if any(answer not in choice_ids for answer in selected) or len(set(selected)) != len(
            selected
        ):
            raise InvalidSubmission(_("An answer does not belong to its question."))
        if value["kind"] == QuizQuestionBlock.SINGLE and len(selected) > 1:
            raise InvalidSubmission(_("Only one answer can be chosen for this question."))
        if not selected:
            errors[block.id] = _("Please answer this question.")
        choices = [
            {
                "id": bound.id,
                "text": bound.value["text"],
                "correct": bool(bound.value["correct"]),
                "selected": bound.id in selected,
                "feedback": bound.value["feedback"],
            }
            for bound in value["choices"].bound_blocks
        ]
        results.append(
            QuestionResult(
                number=number,
                block_id=block.id,
                kind=value["kind"],
                question=value["question"],
                explanation=value["explanation"],
                choices=choices,
                is_correct=all(choice["correct"] == choice["selected"] for choice in choices),
            )
        )
    return QuizResult(questions=results, errors=errors)


def rescore_saved_answers(quiz, saved) -> tuple[QuizResult | None, bool]:
    """Score answers kept from an earlier submission against the quiz as it is now.

    Editors may have removed or changed questions and choices since: answers to what is
    gone are dropped. Returns the result (None when the remaining answers no longer make a
    complete submission) and whether the quiz changed since the answers were given.
    """
    questions = {block.id: block for block in quiz if block.block_type == "question"}
    data, changed = QueryDict(mutable=True), False
    for question_id, choice_ids in (saved if isinstance(saved, dict) else {}).items():
        block = questions.get(question_id)
        if block is None:
            changed = True
            continue
        choices = {choice.id for choice in block.value["choices"].bound_blocks}
        kept = [choice_id for choice_id in choice_ids if choice_id in choices]
        changed = changed or len(kept) != len(choice_ids)
        data.setlist(FIELD_PREFIX + question_id, kept)
    try:
        result = score_quiz(quiz, data)
    except InvalidSubmission:
        return None, True
    if result.errors:
        return None, True
    return result, changed
