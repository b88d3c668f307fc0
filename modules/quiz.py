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


def saved_answers_data(quiz, saved) -> tuple[QueryDict, bool]:
    """Answers kept in the session ({question id: [choice ids]}) as form data, without
    those to questions and choices the quiz no longer has; and whether any were dropped."""
    questions = {block.id: block for block in quiz if block.block_type == "question"}
    data, changed = QueryDict(mutable=True), False
    for question_id, choice_ids in (saved if isinstance(saved, dict) else {}).items():
        block = questions.get(question_id)
        if block is None or not isinstance(choice_ids, list):
            changed = True
            continue
        choices = {choice.id for choice in block.value["choices"].bound_blocks}
        kept = [choice_id for choice_id in choice_ids if choice_id in choices]
        changed = changed or len(kept) != len(choice_ids)
        data.setlist(FIELD_PREFIX + question_id, kept)
    return data, changed


def answers_of(data) -> dict:
    """Form data as the session keeps it: {question id: [choice ids]}."""
    return {
        name[len(FIELD_PREFIX) :]: data.getlist(name)
        for name in data
        if name.startswith(FIELD_PREFIX)
    }


def error_links(quiz, errors) -> list[dict]:
    """The error summary's entries, in the quiz's order: the question's number, its
    message and the id of its first answer's input (the summary links to it)."""
    links = []
    questions = [block for block in quiz if block.block_type == "question"]
    for number, block in enumerate(questions, start=1):
        if block.id in errors:
            choices = block.value["choices"].bound_blocks
            links.append(
                {
                    "number": number,
                    "message": errors[block.id],
                    "target": f"c-{choices[0].id}" if choices else f"question-{block.id}",
                }
            )
    return links


def rescore_saved_answers(quiz, saved) -> tuple[QuizResult | None, bool]:
    """Score answers kept from an earlier submission against the quiz as it is now.

    Editors may have removed or changed questions and choices since: answers to what is
    gone are dropped. Returns the result (None when the remaining answers no longer make a
    complete submission) and whether the quiz changed since the answers were given.
    """
    data, changed = saved_answers_data(quiz, saved)
    try:
        result = score_quiz(quiz, data)
    except InvalidSubmission:
        return None, True
    if result.errors:
        return None, True
    return result, changed
