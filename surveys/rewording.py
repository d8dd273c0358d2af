"""Rewordings: which questions a new version words differently, and each question's history.

Answers are stored under a question's id, so a reworded question keeps collecting
into the same figures. Whether that is right depends on the change: a typo fix asks
the same question, a new wording may ask a different one. The design team says which
when it publishes (`SAME` or `NEW`, kept with the version); results then show the
answers to each wording apart, or together, accordingly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from surveys.diff import Change, diff_surveys
from surveys.model import Question, Survey

SAME = "same"  # a typo fix or small change: the same question, figures combined
NEW = "new"  # a different question under the same id: figures kept apart
CHOICES = (SAME, NEW)


def reworded_questions(old: Survey, new: Survey) -> dict[str, list[Change]]:
    """Closed questions in both versions whose words respondents read changed, with the
    changes (question text, hint, answer labels, statements), in survey order."""
    closed = {q.id for q in new.questions() if q.is_closed} & {q.id for q in old.questions()}
    found: dict[str, list[Change]] = {}
    for change in diff_surveys(old, new):
        if change.kind == "wording" and change.question_id in closed:
            found.setdefault(change.question_id, []).append(change)
    return found


@dataclass(frozen=True)
class Wording:
    """One wording of a question as results show it: its text, and the day it was first
    asked (None: from the start). A typo fix keeps the wording, with the newer text."""

    text: str
    since: date | None
    # The version number it was first asked in (None: from the start).
    version: int | None = None


@dataclass(frozen=True)
class PublishedVersion:
    """A version as the history needs it: when it was published, what it asked, and the
    team's choice for each question it reworded (SAME or NEW; none recorded reads NEW)."""

    published_on: date
    survey: Survey
    rewordings: Mapping[str, str]
    number: int = 0


def wording_histories(versions: Sequence[PublishedVersion]) -> dict[str, tuple[Wording, ...]]:
    """Per closed question of the latest version, its wordings in order, oldest first.

    A rewording with no recorded choice (a file upload, a version from before the choice
    existed) counts as a new question: showing answers apart with a note never puts
    earlier answers under words nobody read, while combining could.
    """
    if not versions:
        return {}
    histories: dict[str, list[Wording]] = {}
    for previous, version in zip([None, *versions[:-1]], versions, strict=True):
        reworded = reworded_questions(previous.survey, version.survey) if previous else {}
        for question in version.survey.questions():
            if not question.is_closed:
                continue
            history = histories.setdefault(question.id, [])
            if not history or previous is None or previous.survey.question(question.id) is None:
                if not history:
                    history.append(Wording(_text(question), None))
                continue
            if question.id not in reworded:
                continue
            same_question = version.rewordings.get(question.id, NEW) == SAME
            # Two rewordings on one day are one change: nothing was answered between them.
            same_day = len(history) > 1 and history[-1].since == version.published_on
            if same_question or same_day:
                history[-1] = Wording(_text(question), history[-1].since, history[-1].version)
            else:
                history.append(Wording(_text(question), version.published_on, version.number))
    latest = versions[-1].survey
    return {q.id: tuple(histories[q.id]) for q in latest.questions() if q.id in histories}


def _text(question: Question) -> str:
    return question.text
