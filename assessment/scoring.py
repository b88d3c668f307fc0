"""Reading, checking and scoring self-assessment answers.

Everything is read from the page's stored JSON (``raw_data``), so scoring a submission
makes no query. Questions are identified by their block ids, which wagtail-localize keeps
the same in every translation: answers given in one language are results in all.
"""

from dataclasses import dataclass, field

ANSWER_PREFIX = "q-"
MAX_FIELDS = 500


class TamperedAnswers(ValueError):
    """A submission the form could not have produced."""


@dataclass
class Question:
    id: str
    text: str


@dataclass
class Area:
    id: str
    key: str
    title: str
    description: str
    questions: list
    recommended_ids: list


@dataclass
class AreaResult:
    area: Area
    percent: int
    answered: int


@dataclass
class Result:
    areas: list
    weakest: list = field(default_factory=list)
    incomplete: bool = False


def scale_of(page):
    return [block["value"] for block in page.scale.raw_data if block["type"] == "option"]


def areas_of(page):
    areas = []
    for block in page.areas.raw_data:
        if block["type"] != "area":
            continue
        value = block["value"]
        areas.append(
            Area(
                id=block["id"],
                key=value.get("area", ""),
                title=value.get("title", ""),
                description=value.get("description", ""),
                questions=[
                    Question(id=item["id"], text=item["value"])
                    for item in value.get("questions", [])
                    if item.get("value")
                ],
                recommended_ids=[
                    item["value"]
                    for item in value.get("recommended", [])
                    if isinstance(item.get("value"), int)
                ],
            )
        )
    return areas


def read_answers(page, data):
    """{question id: scale index} from a form submission, and the ids left unanswered.

    TamperedAnswers when the data names a question the page does not have, gives an
    answer twice or gives one that is not on the scale."""
    options = len(scale_of(page))
    known = {question.id for area in areas_of(page) for question in area.questions}
    names = [name for name in data if name.startswith(ANSWER_PREFIX)]
    if len(names) > MAX_FIELDS:
        raise TamperedAnswers
    answers = {}
    for name in names:
        question_id = name[len(ANSWER_PREFIX) :]
        values = data.getlist(name)
        if question_id not in known or len(values) != 1:
            raise TamperedAnswers
        value = values[0]
        if not (value.isascii() and value.isdigit() and len(value) <= 3):
            raise TamperedAnswers
        number = int(value)
        if number >= options:
            raise TamperedAnswers
        answers[question_id] = number
    missing = [question_id for question_id in known if question_id not in answers]
    return answers, missing


def clean_stored(answers):
    """Answers as kept in the session, or {} when they are not of that shape."""
    if not isinstance(answers, dict):
        return {}
    return {
        key: value
        for key, value in answers.items()
        if isinstance(key, str) and isinstance(value, int) and not isinstance(value, bool)
    }


def score(page, answers):
    """The profile: per area, the mean answer as a share of the top of the scale."""
    top = max(len(scale_of(page)) - 1, 1)
    results = []
    incomplete = False
    for area in areas_of(page):
        values = [min(max(answers[q.id], 0), top) for q in area.questions if q.id in answers]
        if len(values) < len(area.questions):
            incomplete = True
        percent = round(100 * sum(values) / (top * len(values))) if values else 0
        results.append(AreaResult(area=area, percent=percent, answered=len(values)))
    scored = [result for result in results if result.area.questions]
    lowest = min((result.percent for result in scored), default=None)
    # Every area at the lowest score, unless the learner rated everything at the top.
    weakest = (
        [r for r in scored if r.percent == lowest] if lowest is not None and lowest < 100 else []
    )
    return Result(areas=results, weakest=weakest, incomplete=incomplete)
