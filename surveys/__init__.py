"""What we ask: survey definitions, their validation, show_if logic and the question bank.

This package has no web framework in it, so the same definitions can be checked
from the command line, a notebook or a test.
"""

from pathlib import Path

from surveys.loader import (
    DefinitionProblem,
    SurveyDefinitionError,
    load_survey,
    parse_survey,
    parse_survey_text,
)
from surveys.model import Question, QuestionType, Survey

BANK_DIR = Path(__file__).parent / "bank"


def bank_files() -> list[Path]:
    """The survey files shipped in the question bank."""
    return sorted(BANK_DIR.glob("*.yaml"))


__all__ = [
    "BANK_DIR",
    "DefinitionProblem",
    "Question",
    "QuestionType",
    "Survey",
    "SurveyDefinitionError",
    "bank_files",
    "load_survey",
    "parse_survey",
    "parse_survey_text",
]
