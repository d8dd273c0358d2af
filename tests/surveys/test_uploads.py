"""surveys.uploads: files from anyone are read in a separate process, within limits."""

from __future__ import annotations

import time

import pytest

from surveys import BANK_DIR, SurveyDefinitionError
from surveys.uploads import Limits, read_uploaded_survey
from tests.hostile_files import expanding_workbook, many_unknown_fields_yaml, wide_workbook
from tests.surveys.test_xlsform import GOOD_FORM, workbook


def refusal(data: bytes, name: str, limits: Limits | None = None) -> tuple[list[str], float]:
    started = time.monotonic()
    with pytest.raises(SurveyDefinitionError) as caught:
        read_uploaded_survey(data, name, limits)
    return [p.message for p in caught.value.problems], time.monotonic() - started


def test_a_reader_past_its_time_is_stopped() -> None:
    """The last line of defence: whatever the checks miss, the process is killed."""
    slow = Limits(seconds=0.5, yaml_nodes=10**9)
    messages, seconds = refusal(many_unknown_fields_yaml(), "fields.yaml", slow)
    assert messages == [
        "could not be read within 0.5 seconds and the memory allowed; a "
        "survey file is far smaller and simpler than this one"
    ]
    assert seconds < 3


def test_rows_columns_and_cells_are_counted_before_reading() -> None:
    assert "more than 10000 rows" in refusal(expanding_workbook(9.5), "a.xlsx")[0][0]
    assert "more than 250 columns" in refusal(wide_workbook(300, 5), "b.xlsx")[0][0]
    assert (
        "more than 2000 cells"
        in refusal(wide_workbook(20, 200), "c.xlsx", Limits(cells=2000))[0][0]
    )


def test_at_most_fifty_problems_then_a_count() -> None:
    messages, _ = refusal(many_unknown_fields_yaml(1000), "fields.yaml")
    assert len(messages) == 51
    assert messages[-1] == "and 951 more problems; correct these first"


def test_good_files_are_read_as_before() -> None:
    form = read_uploaded_survey(workbook(GOOD_FORM), "where-you-feel-safe.xlsx")
    assert form.survey.question("feel_safe") is not None and form.warnings
    path = BANK_DIR / "sample-young-people.yaml"
    assert read_uploaded_survey(path.read_bytes(), path.name).survey.id == "sample-young-people"
