"""XLSForm import: pyxform reads the workbook; whatever cannot be mapped is a named problem."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest

from surveys.conditions import condition_holds, visible_pages
from surveys.loader import SurveyDefinitionError, load_survey, read_survey_file
from surveys.model import AllOf, Condition, QuestionType
from surveys.xlsform import (
    DEFAULT_NUMBER_MAX,
    MAX_FILE_BYTES,
    MAX_ZIP_ENTRIES,
    XLSFormImport,
    convert_xlsform,
    load_xlsform,
    xlsform_to_definition,
)

FILENAME = "form.xlsx"
SURVEY_COLUMNS = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "appearance",
]
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


def workbook(
    rows: list[list],
    choices: list[list] | None = None,
    settings: dict[str, str] | None = None,
    header: list[str] | None = None,
) -> bytes:
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
    row(
        "select_one yes_no",
        "feel_safe",
        "Do you feel safe in your area?",
        hint="Think about the last month.",
        required="yes",
    ),
    row("begin group", "about_places", "Places", appearance="field-list"),
    row(
        "select_multiple places",
        "places",
        "Where do you spend time?",
        constraint="count-selected(.) <= 2",
    ),
    row("integer", "hours", "How many hours a week?", constraint=". >= 0 and . <= 168"),
    row("note", "aside", "Nearly done."),
    row("end group"),
    row("text", "why_not", "Why not?", relevant="${feel_safe} = 'no'", appearance="multiline"),
    row(
        "text",
        "shops_detail",
        "Which shops?",
        relevant="selected(${places}, 'Shops')",
        constraint="string-length(.) <= 100",
    ),
]


def problems_of(data: bytes, filename: str = FILENAME, **kwargs: Any) -> list[tuple[str, str]]:
    with pytest.raises(SurveyDefinitionError) as caught:
        load_xlsform(data, filename, **kwargs)
    assert caught.value.problems, "an error must list its problems"
    assert all(p.source == filename for p in caught.value.problems)
    return [(p.where, p.message) for p in caught.value.problems]


def warnings_at(converted: XLSFormImport, where: str) -> list[str]:
    return [w.message for w in converted.warnings if w.where == where]


def test_a_good_form_converts_and_validates() -> None:
    survey = load_xlsform(workbook(GOOD_FORM), FILENAME)

    assert (survey.id, survey.title, survey.audience) == ("feeling-safe", "Feeling safe", "mixed")
    assert survey.intro == "We want to know where you feel safe."
    assert [p.id for p in survey.pages] == ["feel_safe", "about_places", "why_not", "shops_detail"]
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
    assert first == {
        "id": "feel_safe",
        "questions": [
            {
                "id": "feel_safe",
                "type": "single_choice",
                "text": "Do you feel safe in your area?",
                "hint": "Think about the last month.",
                "required": True,
                "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
            }
        ],
    }


def test_settings_give_audience_and_the_argument_gives_the_id() -> None:
    data = workbook(GOOD_FORM, settings={**SETTINGS, "audience": "parents"})

    survey = load_xlsform(data, FILENAME, survey_id="Parents' Survey 2025!")

    assert (survey.id, survey.audience) == ("parents-survey-2025", "parents")


def test_an_unknown_audience_is_a_problem() -> None:
    data = workbook(GOOD_FORM, settings={**SETTINGS, "audience": "teachers"})

    assert problems_of(data) == [
        ("settings", "audience 'teachers' must be one of young_people, parents, mixed")
    ]


def test_a_missing_title_comes_from_the_file_name_with_a_warning() -> None:
    converted = convert_xlsform(workbook(GOOD_FORM, settings={}), "kobo-export.xlsx")

    assert (converted.definition["title"], converted.definition["id"]) == (
        "Kobo export",
        "kobo-export",
    )
    assert warnings_at(converted, "settings") == [
        "form_title is missing, so the survey is called 'Kobo export' after the file; add a "
        "settings sheet with a form_title column to choose the title respondents see"
    ]
    load_xlsform(workbook(GOOD_FORM, settings={"form_id": "x1"}), "my_survey.xlsx")


def test_multilingual_labels_use_english() -> None:
    header = [
        "type",
        "name",
        "label::Français (fr)",
        "label::English (en)",
        "hint::Français (fr)",
        "hint::English (en)",
    ]
    rows = [
        [
            "select_one yes_no",
            "feel_safe",
            "Vous sentez-vous en sécurité ?",
            "Do you feel safe?",
            "Une seule réponse",
            "Choose one",
        ],
        ["text", "why", "Pourquoi ?", "Why?", None, None],
    ]
    choices = [
        ["list_name", "name", "label::Français (fr)", "label::English (en)"],
        ["yes_no", "yes", "Oui", "Yes"],
        ["yes_no", "no", "Non", "No"],
    ]

    survey = load_xlsform(workbook(rows, choices, header=header), FILENAME)

    feel_safe = survey.question("feel_safe")
    assert feel_safe.text == "Do you feel safe?"
    assert feel_safe.hint == "Choose one"
    assert [o.label for o in feel_safe.options] == ["Yes", "No"]
    assert survey.question("why").text == "Why?"


def test_an_integer_without_bounds_gets_default_bounds_and_a_warning() -> None:
    rows = [
        row("integer", "age", "How old are you?"),
        row("integer", "siblings", "How many?", constraint=". >= 1"),
        row("integer", "days", "How many days?", constraint="0 <= . and . <= 31"),
    ]

    converted = convert_xlsform(workbook(rows), FILENAME)
    survey = load_xlsform(workbook(rows), FILENAME)

    assert [(q.minimum, q.maximum) for q in survey.questions()] == [
        (0, DEFAULT_NUMBER_MAX),
        (1, DEFAULT_NUMBER_MAX),
        (0, 31),
    ]
    assert warnings_at(converted, "question 'age'") == [
        f"an integer question has no smallest or largest answer, so answers from 0 to "
        f"{DEFAULT_NUMBER_MAX} are accepted; add a constraint such as `. >= 0 and . <= 120` "
        "to choose"
    ]
    assert "from 1 to" in warnings_at(converted, "question 'siblings'")[0]
    assert warnings_at(converted, "question 'days'") == []


def test_identifying_types_are_all_reported_and_calculations_left_out() -> None:
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
        "question 'where_now'",
        "question 'photo_of_place'",
        "question 'device'",
    ]
    assert "type 'geopoint' records where the respondent is" in problems[0][1]
    assert "type 'image' takes a photo" in problems[1][1]
    assert "type 'deviceid' records which device" in problems[2][1]
    assert all("anonymous" in message for _, message in problems)


def test_a_relevant_that_cannot_be_converted_is_a_problem_not_dropped() -> None:
    rows = [
        row("select_one yes_no", "feel_safe", "Safe?"),
        row("integer", "age", "Age?", constraint=". >= 5 and . <= 25"),
        row("text", "why", "Why?", relevant="${feel_safe} = 'no' and ${age} + 1 > 12"),
    ]

    problems = problems_of(workbook(rows))

    assert len(problems) == 1
    where, message = problems[0]
    assert where == "question 'why'"
    assert "${feel_safe} = 'no' and ${age} + 1 > 12" in message
    assert "'+'" in message


def test_a_group_relevant_becomes_the_page_condition() -> None:
    rows = [
        row("select_one yes_no", "feel_safe", "Safe?"),
        row(
            "begin group",
            "unsafe",
            "When you do not feel safe",
            relevant="${feel_safe}='no'",
            appearance="field-list",
        ),
        row("text", "where_unsafe", "Where?"),
        row("end group"),
    ]

    page = load_xlsform(workbook(rows), FILENAME).page("unsafe")

    assert page.show_if == Condition(question="feel_safe", equals="no")
    assert page.title == "When you do not feel safe"


def test_repeats_are_problems_however_deep() -> None:
    rows = [
        row("begin group", "outer", "Outer"),
        row("begin repeat", "people", "People"),
        row("text", "person", "Who?"),
        row("end repeat"),
        row("text", "shallow", "Shallow?"),
        row("end group"),
        row("begin repeat", "visits", "Visits"),
        row("text", "visit", "Where?"),
        row("end repeat"),
    ]

    problems = problems_of(workbook(rows))

    assert [where for where, _ in problems] == ["group 'people'", "group 'visits'"]
    assert all("each page asks its questions once" in message for _, message in problems)


def test_clashing_option_values_are_a_problem() -> None:
    choices = [
        ["list_name", "name", "label"],
        ["yn", "Yes", "Yes"],
        ["yn", "yes", "Yes!"],
        ["yn", "no", "No"],
    ]

    problems = problems_of(workbook([row("select_one yn", "q", "Q?")], choices))

    assert problems == [("question 'q'", "choices 'Yes' and 'yes' both become 'yes'; rename one")]


def test_loader_problems_name_the_file() -> None:
    rows = [  # the condition refers to a question on the same page
        row("begin group", "one_page", "One page", appearance="field-list"),
        row("select_one yes_no", "feel_safe", "Safe?"),
        row("text", "why", "Why?", relevant="${feel_safe} = 'no'"),
        row("end group"),
    ]

    problems = problems_of(workbook(rows))

    assert problems == [
        (
            "question 'why'",
            "show_if refers to 'feel_safe', which is on the same page, not an earlier one",
        )
    ]


def test_a_pyxform_error_becomes_a_problem() -> None:
    problems = problems_of(workbook([row("select_one missing_list", "q", "Q?")]))

    assert len(problems) == 1
    assert "missing_list" in problems[0][1]


# -- files that are not a usable workbook ------------------------------------------------
def test_an_empty_file_is_refused() -> None:
    assert problems_of(b"") == [("file", "is empty")]


def test_a_text_file_is_refused() -> None:
    assert problems_of(b"type,name,label\ntext,q1,Hello\n") == [
        ("file", "is not an .xlsx spreadsheet")
    ]


def test_an_old_xls_file_is_refused_with_advice() -> None:
    problems = problems_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)

    assert problems == [("file", "is an old-style .xls workbook: open it and save it as .xlsx")]


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    assert problems_of(buffer.getvalue()) == [
        ("file", "is a zip archive, not an .xlsx spreadsheet")
    ]


def test_a_damaged_workbook_is_refused() -> None:
    data = bytearray(workbook(GOOD_FORM))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    # Scramble the compressed bytes of the survey sheet, keeping the zip directory intact.
    start = sheet.header_offset + 30 + len(sheet.filename)
    data[start : start + sheet.compress_size] = b"\x00" * sheet.compress_size

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


# -- forms shaped like real KoboToolbox and ODK exports ------------------------------------------
Row = dict[str, Any]


def book(
    survey: list[Row],
    choices: list[Row] | None = None,
    settings: Row | None = None,
    **other_sheets: list[Row],
) -> bytes:
    """A workbook whose sheets have exactly the columns their rows use, in first-seen order."""
    sheets = {
        "survey": survey,
        "choices": choices or [],
        "settings": [settings] if settings else [],
        **other_sheets,
    }
    workbook_ = openpyxl.Workbook()
    workbook_.remove(workbook_.active)
    for name, rows in sheets.items():
        if not rows and name != "survey":
            continue
        sheet = workbook_.create_sheet(name)
        header = list(dict.fromkeys(key for values in rows for key in values))
        sheet.append(header)
        for values in rows:
            sheet.append([values.get(column) for column in header])
    buffer = io.BytesIO()
    workbook_.save(buffer)
    return buffer.getvalue()


EN = "label::English (en)"
YES_NO = [
    {"list_name": "yes_no", "name": "yes", EN: "Yes", "$autovalue": "yes"},
    {"list_name": "yes_no", "name": "no", EN: "No", "$autovalue": "no"},
]
PLACES = [
    {"list_name": "places", "name": value, EN: value.title()}
    for value in ("park", "shops", "school", "online")
]
# As KoboToolbox exports a form: translated columns only, its own $ columns, no form_title,
# timestamps first, a version calculation, an integer without a constraint.
KOBO_FORM = [
    {"type": "start", "name": "start", "$kuid": "a1"},
    {"type": "end", "name": "end", "$kuid": "a2"},
    {"type": "today", "name": "today", "$kuid": "a3"},
    {"type": "note", "name": "welcome", EN: "Nobody will know who you are.", "$kuid": "a4"},
    {"type": "integer", "name": "age", EN: "How old are you?", "required": "true", "$kuid": "a5"},
    {
        "type": "select_one yes_no",
        "name": "feel_safe",
        EN: "Do you feel safe in your area?",
        "hint::English (en)": "Think about the last month.",
        "required": "false",
        "appearance": "horizontal-compact",
        "$kuid": "a6",
    },
    {
        "type": "select_multiple places",
        "name": "places",
        EN: "Where do you spend time?",
        "constraint": "count-selected(.) <= 3",
        "constraint_message::English (en)": "Choose up to three",
        "$kuid": "a7",
    },
    {
        "type": "text",
        "name": "why_unsafe",
        EN: "What makes it feel unsafe?",
        "relevant": "${feel_safe} = 'no' and (${age} >= 13 or count-selected(${places}) > 0)",
        "appearance": "multiline",
        "$kuid": "a8",
    },
    {
        "type": "text",
        "name": "young_online",
        EN: "What happens online?",
        "relevant": "selected(${places}, 'online') and not(${age} >= 16)",
        "$kuid": "a9",
    },
    {"type": "calculate", "name": "__version__", "calculation": "'vA5zLS'", "$kuid": "b1"},
]


def test_a_kobo_export_imports_with_a_warning_for_each_thing_left_out() -> None:
    data = book(KOBO_FORM, YES_NO + PLACES)

    converted = convert_xlsform(data, "kobo-export.xlsx")
    survey = load_xlsform(data, "kobo-export.xlsx")

    assert (survey.id, survey.title) == ("kobo-export", "Kobo export")
    assert survey.intro == "Nobody will know who you are."
    assert [p.id for p in survey.pages] == [
        "age",
        "feel_safe",
        "places",
        "why_unsafe",
        "young_online",
    ]
    assert survey.question("age").required is True
    assert survey.question("places").max_choices == 3
    assert converted.definition["pages"][3]["questions"][0]["show_if"] == {
        "all": [
            {"question": "feel_safe", "equals": "no"},
            {
                "any": [
                    {"question": "age", "at_least": 13},
                    {"question": "places", "count_at_least": 1},
                ]
            },
        ]
    }
    assert converted.definition["pages"][4]["questions"][0]["show_if"] == {
        "all": [
            {"question": "places", "equals": "online"},
            {"not": {"question": "age", "at_least": 16}},
        ]
    }
    assert all(w.source == "kobo-export.xlsx" for w in converted.warnings)
    places = {w.where for w in converted.warnings}
    assert {
        "settings",
        "question 'age'",
        "column 'constraint_message::English (en)'",
        "column 'appearance'",
        "question '__version__'",
        "timestamps",
    } <= places
    assert not any("$kuid" in w.where or "$autovalue" in w.where for w in converted.warnings)


def test_timestamps_are_dropped_and_the_warning_says_why() -> None:
    converted = convert_xlsform(book(KOBO_FORM, YES_NO + PLACES), "kobo-export.xlsx")

    ids = [q["id"] for page in converted.definition["pages"] for q in page["questions"]]
    assert not {"start", "end", "today"} & set(ids)
    assert warnings_at(converted, "timestamps") == [
        "the start, end and today rows are left out: they record when the form was filled "
        "in, and Feedback never stores the time of a response"
    ]


def test_a_kobo_relevant_decides_pages_as_the_form_did() -> None:
    survey = load_xlsform(book(KOBO_FORM, YES_NO + PLACES), "kobo-export.xlsx")
    why = survey.question("why_unsafe").show_if

    assert condition_holds(why, {"feel_safe": ["no"], "age": 14}) is True
    assert condition_holds(why, {"feel_safe": ["no"], "age": 12}) is False
    assert condition_holds(why, {"feel_safe": ["no"], "age": 12, "places": ["park"]}) is True
    assert condition_holds(why, {"feel_safe": ["yes"], "age": 14}) is False
    online = {"places": ["online"], "age": 14}
    assert [p.id for p in visible_pages(survey, online)][-1] == "young_online"
    assert [p.id for p in visible_pages(survey, {**online, "age": 16})][-1] == "places"


# An ODK form: groups as ODK Collect shows them. A field-list group is one screen, so one page;
# any other group shows one question per screen, its label above each.
ODK_FORM = [
    {"type": "select_one yes_no", "name": "consent", "label": "Are you happy to answer?"},
    {
        "type": "begin_group",
        "name": "about_you",
        "label": "About you",
        "relevant": "${consent} = 'yes'",
    },
    {
        "type": "integer",
        "name": "age",
        "label": "How old are you?",
        "constraint": ". >= 10 and . <= 25",
    },
    {
        "type": "begin_group",
        "name": "school",
        "label": "School",
        "appearance": "field-list",
        "relevant": "${age} < 19",
    },
    {"type": "select_one yes_no", "name": "at_school", "label": "Are you at school?"},
    {"type": "note", "name": "school_note", "label": "Thank you."},
    {"type": "text", "name": "school_name_free", "label": "Anything about school?"},
    {"type": "end_group"},
    {"type": "end_group"},
    {"type": "select_multiple places", "name": "places", "label": "Where do you go?"},
]
ODK_CHOICES = [
    {"list_name": "yes_no", "name": "yes", "label": "Yes"},
    {"list_name": "yes_no", "name": "no", "label": "No"},
    *({"list_name": "places", "name": r["name"], "label": r[EN]} for r in PLACES),
]


def test_odk_groups_become_pages_as_odk_collect_shows_them() -> None:
    data = book(ODK_FORM, ODK_CHOICES, {"form_title": "Growing up here", "form_id": "growing"})

    converted = convert_xlsform(data, FILENAME)
    survey = load_xlsform(data, FILENAME)

    assert [(p.id, p.title, [q.id for q in p.questions]) for p in survey.pages] == [
        ("consent", "", ["consent"]),
        ("age", "About you", ["age"]),
        ("school", "School", ["at_school", "school_name_free"]),
        ("places", "", ["places"]),
    ]
    pages = converted.definition["pages"]
    assert pages[1]["show_if"] == {"question": "consent", "equals": "yes"}
    assert pages[2]["show_if"] == {
        "all": [{"question": "consent", "equals": "yes"}, {"question": "age", "less_than": 19}]
    }
    assert [w.where for w in converted.warnings] == ["question 'school_note'"]
    assert warnings_at(converted, "question 'school_note'") == [
        "the note 'Thank you.' is left out: only a note before the first question is shown "
        "(as the start page's introduction)"
    ]


def test_a_group_inside_a_field_list_page_adds_its_rule_to_each_question() -> None:
    rows = [
        {"type": "select_one yes_no", "name": "safe", "label": "Safe?"},
        {"type": "begin_group", "name": "page", "label": "More", "appearance": "field-list"},
        {"type": "text", "name": "first", "label": "First?"},
        {"type": "begin_group", "name": "inner", "relevant": "${safe} = 'no'"},
        {"type": "text", "name": "second", "label": "Second?", "relevant": "${safe} != ''"},
        {"type": "end_group"},
        {"type": "end_group"},
    ]
    survey = load_xlsform(book(rows, ODK_CHOICES, SETTINGS), FILENAME)

    assert [q.id for q in survey.page("page").questions] == ["first", "second"]
    assert survey.question("second").show_if == AllOf(
        all=(Condition("safe", equals="no"), Condition("safe", answered=True))
    )


RELEVANT_TARGETS = [
    {"type": "integer", "name": "age", "label": "Age?", "constraint": ". >= 5 and . <= 25"},
    {"type": "select_one yes_no", "name": "safe", "label": "Safe?"},
    {"type": "select_multiple places", "name": "places", "label": "Where?"},
    {"type": "text", "name": "why", "label": "Why?"},
    {"type": "select_one stars", "name": "rating", "label": "Stars?"},
    {"type": "calculate", "name": "total", "calculation": "${age} * 2"},
]
STARS = [{"list_name": "stars", "name": str(n), "label": "*" * n} for n in range(1, 6)]


def converted_relevant(expression: str) -> XLSFormImport:
    rows = [
        *RELEVANT_TARGETS,
        {"type": "text", "name": "later", "label": "Later?", "relevant": expression},
    ]
    return convert_xlsform(book(rows, ODK_CHOICES + STARS, SETTINGS), FILENAME)


@pytest.mark.parametrize(
    ("expression", "rule"),
    [
        ("${age} >= 13", {"question": "age", "at_least": 13}),
        ("${age}>13", {"question": "age", "greater_than": 13}),
        ("${age} <= 12", {"question": "age", "at_most": 12}),
        ("${age} < 13", {"question": "age", "less_than": 13}),
        ("13 <= ${age}", {"question": "age", "at_least": 13}),
        ("'13' > ${age}", {"question": "age", "less_than": 13}),
        (
            "${age} = 13",
            {"all": [{"question": "age", "at_least": 13}, {"question": "age", "at_most": 13}]},
        ),
        (
            "${age} != 13",
            {
                "not": {
                    "all": [{"question": "age", "at_least": 13}, {"question": "age", "at_most": 13}]
                }
            },
        ),
        ("${age} != ''", {"question": "age", "answered": True}),
        ("${safe} = 'no'", {"question": "safe", "equals": "no"}),
        ('${safe} = "no"', {"question": "safe", "equals": "no"}),
        ("${safe} != 'yes'", {"question": "safe", "not_equals": "yes"}),
        ("../safe = 'no'", {"question": "safe", "equals": "no"}),
        ("selected(${places}, 'park')", {"question": "places", "equals": "park"}),
        ("not(selected(${places}, 'park'))", {"not": {"question": "places", "equals": "park"}}),
        (
            "selected(${places}, 'park') or selected(${places}, 'shops')",
            {"question": "places", "any_of": ["park", "shops"]},
        ),
        ("${safe} = 'no' or ${safe} = 'yes'", {"question": "safe", "any_of": ["no", "yes"]}),
        ("count-selected(${places}) > 0", {"question": "places", "count_at_least": 1}),
        ("count-selected(${places}) >= 2", {"question": "places", "count_at_least": 2}),
        ("count-selected(${places}) < 2", {"not": {"question": "places", "count_at_least": 2}}),
        ("count-selected(${places}) = 0", {"not": {"question": "places", "count_at_least": 1}}),
        ("${why} != ''", {"question": "why", "answered": True}),
        ("${why} = ''", {"question": "why", "answered": False}),
        ("string-length(${why}) > 0", {"question": "why", "answered": True}),
        ("${rating} >= 4", {"question": "rating", "at_least": 4}),
        ("${rating} = 5", {"question": "rating", "equals": "5"}),
        (
            "${age} > 12 and ${age} < 18 and ${safe} = 'no'",
            {
                "all": [
                    {"question": "age", "greater_than": 12},
                    {"question": "age", "less_than": 18},
                    {"question": "safe", "equals": "no"},
                ]
            },
        ),
        (
            "(${age} >= 13 and ${age} <= 17) or not(${safe} = 'yes')",
            {
                "any": [
                    {
                        "all": [
                            {"question": "age", "at_least": 13},
                            {"question": "age", "at_most": 17},
                        ]
                    },
                    {"not": {"question": "safe", "equals": "yes"}},
                ]
            },
        ),
        (
            "${safe} = 'no' and (${why} != '' and ${age} >= 13)",
            {
                "all": [
                    {"question": "safe", "equals": "no"},
                    {"question": "why", "answered": True},
                    {"question": "age", "at_least": 13},
                ]
            },
        ),
    ],
)
def test_relevant_expressions_become_show_if_rules(expression: str, rule: Row) -> None:
    converted = converted_relevant(expression)

    assert converted.definition["pages"][-1]["questions"][0]["show_if"] == rule
    parse_survey_from(converted)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("${age} + 1 > 13", "'+'"),
        ("today() > date('2025-01-01')", "today()"),
        ("regex(${why}, 'bus')", "regex()"),
        ("${why} = 'hello'", "a text answer can only be tested for being answered"),
        ("${safe} = ${why}", "compares two answers"),
        ("${safe} = 'no' and", "ends too soon"),
        ("${age} >= 13.5", "whole number"),
        ("${total} > 3", "${total} is a calculate row, which is left out"),
        ("${later} != ''", "${later} is not an earlier question"),
        ("string-length(${why}) > 5", "can only be tested for being answered"),
        ("not(" * 12 + "${safe} = 'no'" + ")" * 12, "nested more than"),
    ],
)
def test_relevant_expressions_that_cannot_be_converted_say_why(
    expression: str, reason: str
) -> None:
    rows = [
        *RELEVANT_TARGETS,
        {"type": "text", "name": "later", "label": "Later?", "relevant": expression},
    ]

    problems = problems_of(book(rows, ODK_CHOICES + STARS, SETTINGS))

    assert [where for where, _ in problems] == ["question 'later'"]
    assert problems[0][1].startswith(f"relevant '{expression}' cannot be converted")
    assert reason in problems[0][1]


def parse_survey_from(converted: XLSFormImport) -> None:
    from surveys.loader import parse_survey

    parse_survey(converted.definition, source=FILENAME)


# -- what is refused, and why ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("qtype", "phrase"),
    [
        ("deviceid", "records which device"),
        ("phonenumber", "records the phone's number"),
        ("phone number", "asks for a phone number"),
        ("simserial", "records the SIM card"),
        ("subscriberid", "records the SIM card"),
        ("username", "records the user name"),
        ("email", "records the e-mail address"),
        ("geopoint", "records where the respondent is"),
        ("geotrace", "records where the respondent is"),
        ("geoshape", "records where the respondent is"),
        ("start-geopoint", "records where the respondent is"),
        ("background-geopoint", "records where the respondent is"),
        ("audio", "records a voice"),
        ("background-audio", "records a voice"),
        ("image", "takes a photo"),
        ("video", "records a video"),
        ("file", "takes a file"),
        ("barcode", "scans a code"),
        ("date", "asks for an exact date"),
        ("datetime", "asks for an exact date"),
        ("time", "asks for an exact time"),
    ],
)
def test_types_that_would_identify_someone_are_refused(qtype: str, phrase: str) -> None:
    rows = [
        {"type": "text", "name": "ok", "label": "Fine?"},
        {"type": qtype, "name": "it", "label": "It?"},
    ]
    if qtype == "background-geopoint":  # recorded when the question it names is answered
        rows[1]["trigger"] = "${ok}"

    problems = problems_of(book(rows, None, SETTINGS))

    assert [where for where, _ in problems] == ["question 'it'"]
    assert phrase in problems[0][1]
    assert "Feedback surveys are anonymous" in problems[0][1]


def test_an_audit_is_refused_though_odk_hides_it_in_the_metadata() -> None:
    rows = [{"type": "text", "name": "ok", "label": "Fine?"}, {"type": "audit", "name": "audit"}]

    problems = problems_of(book(rows, None, SETTINGS))

    assert [where for where, _ in problems] == ["question 'audit'"]
    assert "logs when" in problems[0][1] and "anonymous" in problems[0][1]


@pytest.mark.parametrize(
    ("rows", "where", "phrase"),
    [
        (
            [{"type": "decimal", "name": "it", "label": "How much?"}],
            "question 'it'",
            "a number question on a page takes whole numbers only",
        ),
        (
            [{"type": "rank places", "name": "it", "label": "Order them"}],
            "question 'it'",
            "a page offers no way to put choices in order",
        ),
        (
            [{"type": "select_one_from_file places.csv", "name": "it", "label": "Where?"}],
            "question 'it'",
            "a page's choices are listed in the choices sheet",
        ),
        (
            [{"type": "text", "name": "name_q", "label": "Hello ${ok}, how are you?"}],
            "question 'name_q'",
            "a page's wording is the same for everyone",
        ),
        (
            [
                {"type": "begin_repeat", "name": "it", "label": "Each visit"},
                {"type": "text", "name": "visit", "label": "Where?"},
                {"type": "end_repeat"},
            ],
            "group 'it'",
            "each page asks its questions once",
        ),
    ],
)
def test_shapes_a_page_cannot_take_are_refused(rows: list[Row], where: str, phrase: str) -> None:
    rows = [{"type": "text", "name": "ok", "label": "Fine?"}, *rows]

    problems = problems_of(book(rows, ODK_CHOICES, SETTINGS))

    assert [w for w, _ in problems] == [where]
    assert phrase in problems[0][1]


def test_a_range_is_a_bounded_number() -> None:
    rows = [
        {
            "type": "range",
            "name": "score",
            "label": "How much?",
            "parameters": "start=0 end=20 step=2",
        }
    ]

    converted = convert_xlsform(book(rows, None, SETTINGS), FILENAME)

    question = converted.definition["pages"][0]["questions"][0]
    assert (question["type"], question["min"], question["max"]) == ("number", 0, 20)
    assert warnings_at(converted, "question 'score'") == [
        "range steps of 2 are not kept: any whole number from 0 to 20 is accepted"
    ]


# -- columns and rows that are ignored, each with a warning ---------------------------------------
def test_unknown_columns_are_ignored_with_a_warning_each() -> None:
    rows = [
        {
            "type": "integer",
            "name": "age",
            "label": "How old?",
            "constraint": ". <= 25",
            "buttonText": "Next",
            "bind::oc:itemgroup": "g1",
            "media::image": "age.png",
            "body::accuracyThreshold": "5",
            "required_message": "Please answer",
            "constraint_message": "Too old",
            "guidance_hint": "Ask gently",
            "default": "14",
            "choice_filter": None,
            "label::Français (fr)": "Quel âge ?",
        },
        {
            "type": "select_one yes_no",
            "name": "safe",
            "label": "Safe?",
            "label::Français (fr)": "En sécurité ?",
            "choice_filter": "name != 'x'",
        },
    ]
    choices = [
        {**choice, "media::image": "yes.png", "county": "north"} for choice in ODK_CHOICES[:2]
    ]

    converted = convert_xlsform(book(rows, choices, SETTINGS), FILENAME)
    survey = load_xlsform(book(rows, choices, SETTINGS), FILENAME)

    assert survey.question("age").text == "How old?"
    assert [o.label for o in survey.question("safe").options] == ["Yes", "No"]
    places = [w.where for w in converted.warnings]
    for column in (
        "buttonText",
        "bind::oc:itemgroup",
        "media::image",
        "body::accuracyThreshold",
        "required_message",
        "constraint_message",
        "guidance_hint",
        "default",
        "choice_filter",
    ):
        assert places.count(f"column '{column}'") == 1, column
    assert "choices column 'media::image'" in places
    assert "choices column 'county'" in places
    assert warnings_at(converted, "language 'Français (fr)'") == [
        "its texts are left out: a survey's words are written once, in English, and "
        "translated in the workspace (a .po catalogue per language)"
    ]


def test_an_odd_required_or_constraint_is_ignored_with_a_warning() -> None:
    rows = [
        {"type": "select_one yes_no", "name": "safe", "label": "Safe?"},
        {
            "type": "text",
            "name": "why",
            "label": "Why?",
            "required": "${safe} = 'no'",
            "constraint": "regex(., '^[a-z ]*$')",
        },
    ]

    converted = convert_xlsform(book(rows, ODK_CHOICES, SETTINGS), FILENAME)

    question = converted.definition["pages"][1]["questions"][0]
    assert "required" not in question and "max_length" not in question
    assert warnings_at(converted, "question 'why'") == [
        "required '${safe} = 'no'' depends on other answers, so the question is optional",
        "constraint 'regex(., '^[a-z ]*$')' is left out: answers are checked for their type "
        "and length only",
    ]


@pytest.mark.parametrize("qtype", ["calculate", "hidden", "acknowledge", "trigger"])
def test_rows_that_ask_nothing_are_left_out_with_a_warning(qtype: str) -> None:
    rows = [
        {"type": "text", "name": "ok", "label": "Fine?"},
        {"type": qtype, "name": "extra", "label": "OK?", "calculation": "1"},
    ]

    converted = convert_xlsform(book(rows, None, SETTINGS), FILENAME)

    assert [p["id"] for p in converted.definition["pages"]] == ["ok"]
    assert len(warnings_at(converted, "question 'extra'")) == 1
    assert "left out" in warnings_at(converted, "question 'extra'")[0]


# -- forms from pyxform's own examples (tests/example_xls/*.md, written out as workbooks) ---------
def test_pyxform_text_and_integer() -> None:
    rows = [
        {"type": "text", "name": "your_name", "label:english": "What is your name?"},
        {"type": "integer", "name": "your_age", "label:english": "How many years old are you?"},
    ]

    converted = convert_xlsform(book(rows), "text_and_integer.xlsx")
    survey = load_xlsform(book(rows), "text_and_integer.xlsx")

    assert (survey.id, survey.title) == ("text-and-integer", "Text and integer")
    assert [q.type for q in survey.questions()] == [QuestionType.SHORT_TEXT, QuestionType.NUMBER]
    assert {"settings", "question 'your_age'"} <= {w.where for w in converted.warnings}


def test_pyxform_yes_or_no_question() -> None:
    rows = [
        {
            "type": "select one from yes_or_no",
            "name": "good_day",
            "label:english": "have you had a good day today?",
        }
    ]
    choices = [
        {"list name": "yes_or_no", "name": "yes", "label:english": "yes"},
        {"list name": "yes_or_no", "name": "no", "label:english": "no"},
    ]

    survey = load_xlsform(book(rows, choices), "yes_or_no_question.xlsx")

    assert [o.value for o in survey.question("good_day").options] == ["yes", "no"]


def test_pyxform_specify_other() -> None:
    rows = [
        {
            "type": "select one from sexes or specify other",
            "name": "sex",
            "label:English": "What sex are you?",
        }
    ]
    choices = [
        {"list name": "sexes", "name": "male", "label:English": "Male"},
        {"list name": "sexes", "name": "female", "label:English": "Female"},
    ]

    survey = load_xlsform(book(rows, choices), "specify_other.xlsx")

    assert [o.value for o in survey.question("sex").options] == ["male", "female", "other"]
    assert survey.question("sex_other").show_if == Condition("sex", equals="other")


def test_pyxform_group_is_refused_only_for_the_phone_number() -> None:
    rows = [
        {"type": "text", "name": "family_name", "label:English (en)": "What's your family name?"},
        {"type": "begin group", "name": "father", "label:English (en)": "Father"},
        {
            "type": "phone number",
            "name": "phone_number",
            "label:English (en)": "What's your father's phone number?",
        },
        {"type": "integer", "name": "age", "label:English (en)": "How old is your father?"},
        {"type": "end group"},
    ]

    problems = problems_of(book(rows), filename="group.xlsx")

    assert [where for where, _ in problems] == ["question 'phone_number'"]
    assert "anonymous" in problems[0][1]


def test_pyxform_case_insensitivity_refuses_only_what_a_page_cannot_be() -> None:
    rows = [
        {"TYPE": "select_one c1", "NAME": "q1", "LABEL::EN": "Are you good?"},
        {
            "TYPE": "select_one_external c1",
            "NAME": "q2",
            "LABEL::EN": "Where are you?",
            "CHOICE_FILTER": "YES_NO=${q1}",
        },
        {"TYPE": "osm c1", "NAME": "q3", "LABEL::EN": "Where exactly?"},
    ]
    choices = [
        {"LIST_NAME": "c1", "NAME": "n1-c", "LABEL::EN": "l1-c"},
        {"LIST_NAME": "c1", "NAME": "n2-c", "LABEL::EN": "l2-c"},
    ]
    external = [
        {"LIST_NAME": "c1", "NAME": "n1-e", "LABEL": "l1-e", "YES_NO": "yes"},
        {"LIST_NAME": "c1", "NAME": "n2-e", "LABEL": "l2-e", "YES_NO": "yes"},
    ]
    settings = {"FORM_TITLE": "Yes or no", "FORM_ID": "YesNo", "DEFAULT_LANGUAGE": "EN"}
    data = book(rows, choices, settings, EXTERNAL_CHOICES=external)

    problems = problems_of(data, filename="case_insensitivity.xlsx")

    assert [where for where, _ in problems] == ["question 'q2'", "question 'q3'"]
    assert "a page's choices are listed in the choices sheet" in problems[0][1]
    assert "anonymous" in problems[1][1]


# -- validate and load read .xlsx with one function -----------------------------------------------
def test_load_survey_reads_an_xlsform_as_load_does(tmp_path: Any) -> None:
    path = tmp_path / "kobo-export.xlsx"
    path.write_bytes(book(KOBO_FORM, YES_NO + PLACES))

    read = read_survey_file(path)

    assert load_survey(path) == read.survey == load_xlsform(path.read_bytes(), "kobo-export.xlsx")
    assert read.definition == convert_xlsform(path.read_bytes(), str(path)).definition
    assert read.warnings and all(w.source == str(path) for w in read.warnings)


def test_a_broken_xlsform_names_its_path_through_load_survey(tmp_path: Any) -> None:
    path = tmp_path / "broken.XLSX"
    path.write_bytes(book([{"type": "geopoint", "name": "where", "label": "Where?"}]))

    with pytest.raises(SurveyDefinitionError) as caught:
        load_survey(path)

    assert [(p.source, p.where) for p in caught.value.problems] == [(str(path), "question 'where'")]


def test_a_yaml_file_reads_as_before(tmp_path: Any) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text(
        "id: tiny\ntitle: Tiny\naudience: mixed\nquestions:\n"
        "  - {id: q1, type: short_text, text: Hello}\n",
        encoding="utf-8",
    )

    read = read_survey_file(path)

    assert read.survey == load_survey(path)
    assert read.definition["questions"][0]["id"] == "q1" and read.warnings == ()


def test_feedback_columns_mark_core_questions_exclusive_choices_and_the_stage() -> None:
    # A team that keeps its surveys in XLSForm can say what the survey format says in YAML:
    # which questions are core (asked the same way at every wave), which answers stand alone
    # ("None of these"), the stage and how many people are expected to answer.
    rows = [
        [*row("select_one yes_no", "feel_safe", "Do you feel safe in your area?"), "yes"],
        [*row("select_multiple places", "places", "Where do you spend time?"), ""],
    ]
    choices = [
        ["list_name", "name", "label", "exclusive"],
        ["yes_no", "yes", "Yes", ""],
        ["yes_no", "no", "No", ""],
        ["places", "park", "Park", ""],
        ["places", "none", "None of these", "yes"],
    ]
    settings = {**SETTINGS, "stage": "experience", "expected_population": "300"}
    converted = convert_xlsform(
        workbook(rows, choices, settings, header=[*SURVEY_COLUMNS, "core"]), FILENAME
    )
    assert not [w for w in converted.warnings if "core" in w.where or "exclusive" in w.where]
    survey = load_xlsform(workbook(rows, choices, settings, [*SURVEY_COLUMNS, "core"]), FILENAME)
    assert survey.question("feel_safe").core is True
    assert survey.question("places").core is False
    assert [o.exclusive for o in survey.question("places").options] == [False, True]
    assert (survey.stage, survey.expected_population) == ("experience", 300)


def test_a_feedback_column_with_a_value_it_cannot_take_is_a_problem() -> None:
    rows = [[*row("select_one yes_no", "feel_safe", "Do you feel safe?"), "maybe"]]
    settings = {**SETTINGS, "stage": "later", "expected_population": "lots"}
    problems = problems_of(workbook(rows, None, settings, header=[*SURVEY_COLUMNS, "core"]))
    assert any(where == "question 'feel_safe'" and "core" in message for where, message in problems)
    assert any(where == "settings" and "stage" in message for where, message in problems)
    assert any(
        where == "settings" and "expected_population" in message for where, message in problems
    )
