"""XLSForm import: pyxform reads the workbook; whatever cannot be mapped is a named problem."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest

from surveys.loader import SurveyDefinitionError
from surveys.model import Condition, QuestionType
from surveys.xlsform import (
    MAX_FILE_BYTES,
    MAX_ZIP_ENTRIES,
    load_xlsform,
    xlsform_to_definition,
)

FILENAME = "form.xlsx"
SURVEY_COLUMNS = ["type", "name", "label", "hint", "required", "relevant", "constraint",
                  "appearance"]
SETTINGS = {"form_title": "Feeling safe", "form_id": "feeling_safe"}
CHOICES = [
    ["list_name", "name", "label"],
    ["yes_no", "yes", "Yes"],
    ["yes_no", "no", "No"],
    ["places", "park", "Park"],
    ["places", "Shops", "Shops or shopping centre"],
    ["places", "youth-club", "Youth club"],
]


def row(qtype: str, name: str | None = None, label: str | None = None, **columns: str) -> list:
    values = {"type": qtype, "name": name, "label": label, **columns}
    return [values.get(column) for column in SURVEY_COLUMNS]


def workbook(rows: list[list], choices: list[list] | None = None,
             settings: dict[str, str] | None = None, header: list[str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(header or SURVEY_COLUMNS)
    for values in rows:
        survey.append(values)
    sheet = book.create_sheet("choices")
    for values in CHOICES if choices is None else choices:
        sheet.append(values)
    settings = SETTINGS if settings is None else settings
    if settings:
        sheet = book.create_sheet("settings")
        sheet.append(list(settings))
        sheet.append(list(settings.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_FORM = [
    row("start", "start"),
    row("end", "end"),
    row("note", "welcome", "We want to know where you feel safe."),
    row("select_one yes_no", "feel_safe", "Do you feel safe in your area?",
        hint="Think about the last month.", required="yes"),
    row("begin group", "about_places", "Places"),
    row("select_multiple places", "places", "Where do you spend time?",
        constraint="count-selected(.) <= 2"),
    row("integer", "hours", "How many hours a week?", constraint=". >= 0 and . <= 168"),
    row("note", "aside", "Nearly done."),
    row("end group"),
    row("text", "why_not", "Why not?", relevant="${feel_safe} = 'no'", appearance="multiline"),
    row("text", "shops_detail", "Which shops?", relevant="selected(${places}, 'Shops')",
        constraint="string-length(.) <= 100"),
]


def problems_of(data: bytes, **kwargs: Any) -> list[tuple[str, str]]:
    with pytest.raises(SurveyDefinitionError) as caught:
        load_xlsform(data, FILENAME, **kwargs)
    assert caught.value.problems, "an error must list its problems"
    assert all(p.source == FILENAME for p in caught.value.problems)
    return [(p.where, p.message) for p in caught.value.problems]


def test_a_good_form_converts_and_validates() -> None:
    survey = load_xlsform(workbook(GOOD_FORM), FILENAME)

    assert (survey.id, survey.title, survey.audience) == ("feeling-safe",
                                                          "Feeling safe", "mixed")
    assert survey.intro == "We want to know where you feel safe."
    assert [p.id for p in survey.pages] == ["feel_safe", "about_places", "why_not",
                                            "shops_detail"]
    group = survey.page("about_places")
    assert group.title == "Places"
    assert [q.id for q in group.questions] == ["places", "hours"]  # the note is left out

    feel_safe = survey.question("feel_safe")
    assert feel_safe.type is QuestionType.SINGLE_CHOICE
    assert [(o.value, o.label) for o in feel_safe.options] == [("yes", "Yes"), ("no", "No")]
    assert feel_safe.hint == "Think about the last month."
    assert feel_safe.required is True

    places = survey.question("places")
    assert places.type is QuestionType.MULTIPLE_CHOICE
    assert [o.value for o in places.options] == ["park", "shops", "youth_club"]
    assert places.options[1].label == "Shops or shopping centre"
    assert places.max_choices == 2
    assert places.required is False

    hours = survey.question("hours")
    assert (hours.type, hours.minimum, hours.maximum) == (QuestionType.NUMBER, 0, 168)

    why_not = survey.question("why_not")
    assert why_not.type is QuestionType.LONG_TEXT
    assert why_not.show_if == Condition(question="feel_safe", equals="no")

    detail = survey.question("shops_detail")
    assert detail.type is QuestionType.SHORT_TEXT
    assert detail.max_length == 100
    assert detail.show_if == Condition(question="places", equals="shops")


def test_the_definition_is_plain_data_for_the_loader() -> None:
    definition = xlsform_to_definition(workbook(GOOD_FORM), FILENAME)

    assert set(definition) == {"id", "title", "audience", "intro", "pages"}
    first = definition["pages"][0]
    assert first == {"id": "feel_safe", "questions": [{
        "id": "feel_safe", "type": "single_choice", "text": "Do you feel safe in your area?",
        "hint": "Think about the last month.", "required": True,
        "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
    }]}


def test_settings_give_audience_and_the_argument_gives_the_id() -> None:
    data = workbook(GOOD_FORM, settings={**SETTINGS, "audience": "parents"})

    survey = load_xlsform(data, FILENAME, survey_id="Parents' Survey 2025!")

    assert (survey.id, survey.audience) == ("parents-survey-2025", "parents")


def test_an_unknown_audience_is_a_problem() -> None:
    data = workbook(GOOD_FORM, settings={**SETTINGS, "audience": "teachers"})

    assert problems_of(data) == [("settings", "audience 'teachers' must be one of young_people, "
                                              "parents, mixed")]


def test_a_missing_title_is_a_problem() -> None:
    problems = problems_of(workbook(GOOD_FORM, settings={"form_id": "x1"}))

    assert [where for where, _ in problems] == ["settings"]
    assert "form_title" in problems[0][1]


def test_multilingual_labels_use_english() -> None:
    header = ["type", "name", "label::Français (fr)", "label::English (en)",
              "hint::Français (fr)", "hint::English (en)"]
    rows = [
        ["select_one yes_no", "feel_safe", "Vous sentez-vous en sécurité ?",
         "Do you feel safe?", "Une seule réponse", "Choose one"],
        ["text", "why", "Pourquoi ?", "Why?", None, None],
    ]
    choices = [["list_name", "name", "label::Français (fr)", "label::English (en)"],
               ["yes_no", "yes", "Oui", "Yes"], ["yes_no", "no", "Non", "No"]]

    survey = load_xlsform(workbook(rows, choices, header=header), FILENAME)

    feel_safe = survey.question("feel_safe")
    assert feel_safe.text == "Do you feel safe?"
    assert feel_safe.hint == "Choose one"
    assert [o.label for o in feel_safe.options] == ["Yes", "No"]
    assert survey.question("why").text == "Why?"


def test_an_integer_without_bounds_is_a_problem_naming_it() -> None:
    rows = [row("integer", "age", "How old are you?"),
            row("integer", "siblings", "How many?", constraint=". >= 0")]

    problems = problems_of(workbook(rows))

    assert [where for where, _ in problems] == ["question 'age'", "question 'siblings'"]
    assert all(". >= 0 and . <= 120" in message for _, message in problems)


def test_unsupported_types_are_all_reported() -> None:
    rows = [
        row("select_one yes_no", "ok", "Fine?"),
        row("geopoint", "where_now", "Where are you?"),
        row("image", "photo_of_place", "Take a photo"),
        row("calculate", "total", None),
        row("deviceid", "device"),
    ]
    header_with_calculation = [*SURVEY_COLUMNS, "calculation"]
    rows[3] = [*rows[3], "1 + 1"]

    problems = problems_of(workbook(rows, header=header_with_calculation))

    assert [where for where, _ in problems] == [
        "question 'where_now'", "question 'photo_of_place'", "question 'total'",
        "question 'device'"]
    assert "type 'geopoint' is not supported" in problems[0][1]
    assert "type 'image' is not supported" in problems[1][1]
    assert "type 'calculate' is not supported" in problems[2][1]
    assert "anonymous" in problems[3][1]


def test_a_complex_relevant_is_a_problem_not_dropped() -> None:
    rows = [
        row("select_one yes_no", "feel_safe", "Safe?"),
        row("integer", "age", "Age?", constraint=". >= 5 and . <= 25"),
        row("text", "why", "Why?", relevant="${feel_safe} = 'no' and ${age} > 12"),
    ]

    problems = problems_of(workbook(rows))

    assert len(problems) == 1
    where, message = problems[0]
    assert where == "question 'why'"
    assert "${feel_safe} = 'no' and ${age} > 12" in message


def test_a_group_relevant_becomes_the_page_condition() -> None:
    rows = [
        row("select_one yes_no", "feel_safe", "Safe?"),
        row("begin group", "unsafe", "When you do not feel safe", relevant="${feel_safe}='no'"),
        row("text", "where_unsafe", "Where?"),
        row("end group"),
    ]

    page = load_xlsform(workbook(rows), FILENAME).page("unsafe")

    assert page.show_if == Condition(question="feel_safe", equals="no")
    assert page.title == "When you do not feel safe"


def test_nested_groups_and_repeats_are_problems() -> None:
    rows = [
        row("begin group", "outer", "Outer"),
        row("begin group", "inner", "Inner"),
        row("text", "deep", "Deep?"),
        row("end group"),
        row("text", "shallow", "Shallow?"),
        row("end group"),
        row("begin repeat", "people", "People"),
        row("text", "person", "Name?"),
        row("end repeat"),
    ]

    problems = problems_of(workbook(rows))

    assert [where for where, _ in problems] == ["group 'outer'", "group 'people'"]
    assert "'inner'" in problems[0][1]


def test_clashing_option_values_are_a_problem() -> None:
    choices = [["list_name", "name", "label"], ["yn", "Yes", "Yes"], ["yn", "yes", "Yes!"],
               ["yn", "no", "No"]]

    problems = problems_of(workbook([row("select_one yn", "q", "Q?")], choices))

    assert problems == [("question 'q'", "choices 'Yes' and 'yes' both become 'yes'; rename one")]


def test_loader_problems_name_the_file() -> None:
    rows = [  # the condition refers to a question on the same page
        row("begin group", "one_page", "One page"),
        row("select_one yes_no", "feel_safe", "Safe?"),
        row("text", "why", "Why?", relevant="${feel_safe} = 'no'"),
        row("end group"),
    ]

    problems = problems_of(workbook(rows))

    assert problems == [("question 'why'", "show_if refers to 'feel_safe', which is on the same "
                                           "page, not an earlier one")]


def test_a_pyxform_error_becomes_a_problem() -> None:
    problems = problems_of(workbook([row("select_one missing_list", "q", "Q?")]))

    assert len(problems) == 1
    assert "missing_list" in problems[0][1]


# -- files that are not a usable workbook ------------------------------------------------
def test_an_empty_file_is_refused() -> None:
    assert problems_of(b"") == [("file", "is empty")]


def test_a_text_file_is_refused() -> None:
    assert problems_of(b"type,name,label\ntext,q1,Hello\n") == [
        ("file", "is not an .xlsx spreadsheet")]


def test_an_old_xls_file_is_refused_with_advice() -> None:
    problems = problems_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)

    assert problems == [("file", "is an old-style .xls workbook: open it and save it as .xlsx")]


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    assert problems_of(buffer.getvalue()) == [("file", "is a zip archive, not an .xlsx "
                                                       "spreadsheet")]


def test_a_damaged_workbook_is_refused() -> None:
    data = bytearray(workbook(GOOD_FORM))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    # Scramble the compressed bytes of the survey sheet, keeping the zip directory intact.
    start = sheet.header_offset + 30 + len(sheet.filename)
    data[start:start + sheet.compress_size] = b"\x00" * sheet.compress_size

    problems = problems_of(bytes(data))

    assert len(problems) == 1
    assert problems[0][0] == "file"
    assert "could not be read" in problems[0][1]


def test_an_oversized_file_is_refused_before_reading() -> None:
    problems = problems_of(b"PK" + b"\0" * MAX_FILE_BYTES)

    assert len(problems) == 1
    assert problems[0][0] == "file"
    assert "at most 5 MB" in problems[0][1]


def test_a_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024  # small on disk

    problems = problems_of(buffer.getvalue())

    assert len(problems) == 1
    assert problems[0][0] == "file"
    assert "would expand to 60 MB" in problems[0][1]


def test_a_zip_of_too_many_entries_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"part{index}.xml", "")

    problems = problems_of(buffer.getvalue())

    assert len(problems) == 1
    assert f"has {MAX_ZIP_ENTRIES + 1} parts" in problems[0][1]
