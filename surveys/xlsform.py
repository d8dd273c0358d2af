"""Import an XLSForm spreadsheet (KoboToolbox, ODK) as a survey definition.

The workbook is read by pyxform, the XLSForm reference implementation, never by a parser of our
own. pyxform's JSON form (a tree of "children") is then mapped onto the survey format described
in docs/survey-format.md.

Forms come as people export them, so what Feedback has no use for is left out with a warning
(timestamps, calculations, display settings, translations, extra columns), and only what would
break anonymity (device ids, phone numbers, places, photos, recordings, exact dates) or cannot
be a page (repeats, ranking, choices outside the workbook, answers shown inside questions) is
refused. Problems and warnings each name the file, the question, group or column, and what is
wrong; all are collected rather than just the first.

Before pyxform sees the file it is checked as a container: at most 5 MB, a real zip archive
(an .xlsx is one), at most 1000 entries and at most 10 MB once uncompressed, so a zip bomb is
refused without being expanded.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from pyxform import aliases, constants
from pyxform.errors import PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from surveys.conditions import MAX_RULE_DEPTH
from surveys.loader import OPTION_VALUE, DefinitionProblem, SurveyDefinitionError, parse_survey
from surveys.model import AUDIENCES, RESERVED_VALUES, STAGES, Survey

MAX_FILE_BYTES = 5 * 1024 * 1024
# A large real form expands to a few MB; 49 MB took pyxform 30 s to read.
MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
DEFAULT_AUDIENCE = "mixed"
# The bounds an integer gets when the form gives none: wide, and inside the loader's limits.
DEFAULT_NUMBER_MIN = 0
DEFAULT_NUMBER_MAX = 999_999
ANONYMOUS = "Feedback surveys are anonymous"

# pyxform's JSON type -> our question type (text depends on its appearance).
CHOICE_TYPES = {
    constants.SELECT_ONE: "single_choice",
    constants.SELECT_ALL_THAT_APPLY: "multiple_choice",
}
TEXT_TYPES = {"text", "string"}
# pyxform's names for some types differ from what the author typed; show the author's.
XLSFORM_TYPE_NAMES = {
    "photo": "image",
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one_external",
    "repeat": "begin repeat",
}

# What identifies a respondent, by how pyxform describes the type: the device property it
# reads, the kind of answer it stores, or the kind of file it takes.
DEVICE_PROPERTIES = {
    "deviceid": "records which device the form is filled in on",
    "phonenumber": "records the phone's number",
    "simserial": "records the SIM card",
    "subscriberid": "records the SIM card",
    "username": "records the user name",
    "email": "records the e-mail address",
}
IDENTIFYING_TYPES = {
    "phone number": "asks for a phone number, which identifies someone",
    "barcode": "scans a code, which can carry who someone is (an ID card, a membership number)",
    "background-audio": "records a voice, which can identify someone",
    "audit": "logs when (and can log where) each question was answered",
}
IDENTIFYING_ANSWERS = {
    "geopoint": "records where the respondent is",
    "geotrace": "records where the respondent is",
    "geoshape": "records where the respondent is",
    "date": "asks for an exact date, which can identify someone (a birthday, the day something "
    "happened); ask for an age (integer) or a period (select_one) instead",
    "dateTime": "asks for an exact date, which can identify someone (a birthday, the day "
    "something happened); ask for an age (integer) or a period (select_one) instead",
    "time": "asks for an exact time, which can identify someone (when something happened); ask "
    "for a part of the day (select_one) instead",
}
IDENTIFYING_FILES = {
    "image": "takes a photo, which can show who someone is",
    "audio": "records a voice, which can identify someone",
    "video": "records a video, which can show who someone is",
    "application": "takes a file, which can carry its author's name",
    "osm": "records where the respondent is, on a map",
}
# What a page cannot be, and why.
PAGE_SHAPES = {
    "decimal": "asks for a number with decimals, but a number question on a page takes whole "
    "numbers only: use integer",
    "rank": "asks to put choices in order, but a page offers no way to put choices in order "
    "(pages work without JavaScript): use select_multiple",
    "select one external": "picks its choices from a file as the form is filled in, but a "
    "page's choices are listed in the choices sheet",
}
REPEAT_REASON = "a repeat asks its questions again and again, but each page asks its questions once"
# Rows that ask nothing: left out, each with a warning saying why.
LEFT_OUT_ROWS = {
    "calculate": "Feedback stores answers, not calculations",
    "hidden": "it holds a value nobody answers",
    "acknowledge": "it asks only for OK (the start page says what the survey is about)",
    "trigger": "it asks only for OK (the start page says what the survey is about)",
    "xml-external": "data from outside the form is not used",
    "csv-external": "data from outside the form is not used",
}
TIMESTAMP_PRELOADS = {"timestamp", "date"}

# Columns: those used, those used per question (warned there), and why the rest are ignored.
USED_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "appearance",
    "parameters",
    "calculate",
    "core",
}
USED_CHOICE_COLUMNS = {"list name", "name", "label", "exclusive"}
# Feedback's own columns beside XLSForm's: `core` on a question, `exclusive` on a choice, and
# these settings, so a survey kept in XLSForm can say what the YAML format says.
USED_SETTINGS = {
    constants.TITLE,
    constants.ID_STRING,
    "audience",
    "default_language",
    "version",
    "stage",
    "expected_population",
}
OWN_MESSAGES = "Feedback words its own messages, in every language it offers"
NO_MEDIA = "pictures, sound and video are not shown, so pages stay small for cheap phones"
COLUMN_REASONS = {
    "jr:constraintMsg": OWN_MESSAGES,
    "jr:requiredMsg": OWN_MESSAGES,
    "guidance_hint": "it is for someone filling in a form for another person; respondents "
    "answer for themselves",
    "media": NO_MEDIA,
    "image": NO_MEDIA,
    "big-image": NO_MEDIA,
    "audio": NO_MEDIA,
    "video": NO_MEDIA,
    "default": "questions start empty, so no answer is suggested to anyone",
    "choice_filter": "every choice is offered",
    "readonly": "every question can be answered",
    "control": "ODK display settings do not change Feedback's pages",
    "bind": "ODK settings do not change Feedback's pages",
}
UNUSED = "Feedback has no use for it"
APPEARANCES = {"text": {"multiline"}, constants.GROUP: {"field-list"}}

_REF = r"\$\{\s*(?P<name>[A-Za-z_][\w.-]*)\s*\}|\.\./(?P<up>[A-Za-z_][\w.-]*)"
PIPING = re.compile(r"\$\{\s*([^}]*)\}")
CONSTRAINT_CLAUSE = re.compile(
    r"^\(?\s*(?P<subject>\.|string-length\(\s*\.\s*\)|count-selected\(\s*\.\s*\))"
    r"\s*(?P<op>>=|<=|>|<)\s*(?P<bound>-?\d+)\s*\)?$"
)
REVERSED_CONSTRAINT_CLAUSE = re.compile(
    r"^\(?\s*(?P<bound>-?\d+)\s*(?P<op>>=|<=|>|<)\s*"
    r"(?P<subject>\.|string-length\(\s*\.\s*\)|count-selected\(\s*\.\s*\))\s*\)?$"
)
MIRRORED = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "=": "=", "!=": "!="}
# Which constraint subject gives which field, per question type.
CONSTRAINT_SUBJECTS = {
    "number": ".",
    "short_text": "string-length",
    "long_text": "string-length",
    "multiple_choice": "count-selected",
}
CONSTRAINT_FIELDS = {
    "short_text": "max_length",
    "long_text": "max_length",
    "multiple_choice": "max_choices",
}
NUMBER_HINT = "add a constraint such as `. >= 0 and . <= 120` to choose"


@dataclass(frozen=True)
class XLSFormImport:
    """A converted XLSForm: the definition to validate and store, and what was left out."""

    definition: dict[str, Any]
    warnings: tuple[DefinitionProblem, ...] = ()


def load_xlsform(data: bytes, filename: str, survey_id: str | None = None) -> Survey:
    """Read an XLSForm workbook and validate it as a survey."""
    return parse_survey(xlsform_to_definition(data, filename, survey_id), source=filename)


def xlsform_to_definition(
    data: bytes, filename: str, survey_id: str | None = None
) -> dict[str, Any]:
    """Turn an XLSForm (.xlsx bytes) into a definition for `surveys.loader.parse_survey`.

    Raises `SurveyDefinitionError` listing every problem found; never another exception.
    """
    return convert_xlsform(data, filename, survey_id).definition


def convert_xlsform(data: bytes, filename: str, survey_id: str | None = None) -> XLSFormImport:
    """Like `xlsform_to_definition`, with a warning for each thing left out of the survey.

    `filename` names the file in problems and warnings, and gives the survey its title and id
    when the form has none.
    """
    check_container(data, filename)
    workbook, form = _read_with_pyxform(data, filename)
    converter = _Converter(filename, default_language=form.get("default_language"))
    definition = converter.convert(form, workbook, survey_id)
    if converter.problems:
        raise SurveyDefinitionError(converter.problems)
    return XLSFormImport(definition, tuple(converter.warnings))


# -- reading ------------------------------------------------------------------------------------
def _file_error(filename: str, message: str, where: str = "file") -> SurveyDefinitionError:
    return SurveyDefinitionError([DefinitionProblem(filename, where, message)])


def check_container(data: bytes, filename: str) -> None:
    """Refuse what is not a plausible .xlsx before anything decompresses it."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise _file_error(filename, "is empty")
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(
            filename,
            f"is {len(data) / 1024 / 1024:.1f} MB; an XLSForm can be at "
            f"most {MAX_FILE_BYTES // 1024 // 1024} MB",
        )
    if data.startswith(OLE2_MAGIC):
        raise _file_error(filename, "is an old-style .xls workbook: open it and save it as .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception:  # any failure to read the zip directory means it is not an .xlsx
        raise _file_error(filename, "is not an .xlsx spreadsheet") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _file_error(
            filename,
            f"has {len(entries)} parts inside; an .xlsx spreadsheet has "
            f"far fewer (at most {MAX_ZIP_ENTRIES} are accepted)",
        )
    # Python's zipfile stops at each entry's declared size (and checks its CRC), so the declared
    # sizes bound what reading the workbook can expand to.
    expanded = sum(entry.file_size for entry in entries)
    if expanded > MAX_UNCOMPRESSED_BYTES:
        raise _file_error(
            filename,
            f"would expand to {expanded / 1024 / 1024:.0f} MB; at most "
            f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB is accepted",
        )
    if "[Content_Types].xml" not in {entry.filename for entry in entries}:
        raise _file_error(filename, "is a zip archive, not an .xlsx spreadsheet")


def _read_with_pyxform(data: bytes, filename: str) -> tuple[DefinitionData, dict[str, Any]]:
    try:
        workbook = get_xlsform(io.BytesIO(data), file_type=".xlsx")
    except Exception:  # pyxform wraps what it expects; a damaged file can raise anything
        raise _file_error(
            filename,
            "could not be read as an .xlsx spreadsheet; it may be "
            "damaged, or saved in another format",
        ) from None
    try:
        form = workbook_to_json(workbook_dict=workbook, warnings=[])
    except PyXFormError as exc:
        where, message = _split_row(str(exc))
        raise _file_error(filename, message, where) from None
    except Exception as exc:
        raise _file_error(
            filename, f"pyxform could not convert it ({type(exc).__name__}: {exc})", "XLSForm"
        ) from None
    return workbook, form


def _split_row(message: str) -> tuple[str, str]:
    """pyxform's messages start "[row : 7] ..."; name the row as the place."""
    found = re.match(r"^\[row\s*:\s*(\d+)\]\s*(.*)$", message, re.DOTALL)
    if found:
        return f"row {found[1]}", found[2].strip()
    return "XLSForm", message.strip()


# -- small pure helpers ---------------------------------------------------------------------------
def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def _slug(text: str) -> str:
    """A survey id: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text)).strip("-")[:64].strip("-")


def _identifier(text: str) -> str:
    """A question, page or option id: lower-case letters, digits and underscores."""
    return re.sub(r"[^a-z0-9]+", "_", _ascii(str(text))).strip("_")


def _title_from(filename: str) -> str:
    """ "kobo-export.xlsx" -> "Kobo export": a title for a form that gives none."""
    words = " ".join(re.split(r"[-_\s]+", PurePath(filename).stem)).strip()
    return words[:1].upper() + words[1:] if words else "Survey"


def _is_english(language: str) -> bool:
    lang = language.strip().lower()
    return (
        lang in ("en", "english")
        or lang.startswith(("english", "en-", "en_"))
        or lang.endswith("(en)")
    )


def _localised(value: Any, default_language: str | None) -> tuple[str, set[str]]:
    """The English text of a (possibly translated) label or hint, else the default one, and
    the languages whose texts were passed over."""
    if value is None:
        return "", set()
    if not isinstance(value, Mapping):
        return str(value).strip(), set()
    filled = [str(k) for k in value if str(value.get(k) or "").strip()]
    preferred = [k for k in filled if _is_english(k)]
    preferred += [k for k in ("default", default_language) if k in filled]
    chosen = next(iter(preferred + filled), None)
    if chosen is None:
        return "", set()
    return str(value[chosen]).strip(), set(filled) - {chosen}


def _column_base(header: str) -> str:
    """The column a header is, without its language or attribute: "label::English (en)" ->
    "label", "relevance" -> "relevant", "constraint_message" -> "jr:constraintMsg"."""
    base = re.split(r"::?", header.strip(), maxsplit=1)[0].strip().lower()
    alias = (
        aliases.survey_header.get(base)
        or aliases.list_header.get(base)
        or aliases.settings_header.get(base)
        or base
    )
    return alias[1] if isinstance(alias, tuple) else str(alias)


def _filled_columns(
    header: Sequence[Mapping[str, Any]] | None, rows: Sequence[Mapping[str, Any]] | None
) -> list[str]:
    """The headers of a sheet that hold something in at least one row, in sheet order."""
    names = [str(name) for name in (header or [{}])[0] if name]
    return [name for name in names if any(str(row.get(name) or "").strip() for row in rows or ())]


def _parse_clause(clause: str) -> tuple[str, str, int] | None:
    """`. >= 0` or `0 <= .` -> (".", ">=", 0); None for any other kind of clause."""
    found = CONSTRAINT_CLAUSE.match(clause.strip())
    if found:
        return found["subject"].split("(")[0], found["op"], int(found["bound"])
    found = REVERSED_CONSTRAINT_CLAUSE.match(clause.strip())
    if found:
        return found["subject"].split("(")[0], MIRRORED[found["op"]], int(found["bound"])
    return None


def _parse_constraint(expression: str) -> dict[str, list[int | None]] | None:
    """`. >= 0 and . <= 120` -> {".": [0, 120]}; None when any clause is another kind."""
    bounds: dict[str, list[int | None]] = {}
    for clause in re.split(r"\s+and\s+", expression.strip()):
        parsed = _parse_clause(clause)
        if parsed is None:
            return None
        subject, op, bound = parsed
        low_high = bounds.setdefault(subject, [None, None])
        if op.startswith(">"):
            low_high[0] = bound + (op == ">")
        else:
            low_high[1] = bound - (op == "<")
    return bounds


def _listed(names: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _all_of(rules: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Rules that must all hold, as one show_if rule (flattened; None when there are none)."""
    parts: list[dict[str, Any]] = []
    for rule in rules:
        parts.extend(rule["all"] if set(rule) == {"all"} else [rule])
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"all": parts}


def _any_of(rules: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Rules of which one must hold; answers to one question are merged into one any_of."""
    parts: list[dict[str, Any]] = []
    for rule in rules:
        parts.extend(rule["any"] if set(rule) == {"any"} else [rule])
    values = [rule.get("equals", rule.get("any_of")) for rule in parts]
    questions = {rule.get("question") for rule in parts}
    one_question = len(questions) == 1 and all(
        set(rule) in ({"question", "equals"}, {"question", "any_of"}) for rule in parts
    )
    if len(parts) > 1 and one_question:
        flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
        return {"question": parts[0]["question"], "any_of": list(dict.fromkeys(flat))}
    return parts[0] if len(parts) == 1 else {"any": parts}


# -- relevant -> show_if ------------------------------------------------------------------------
class _Unconvertible(Exception):
    """A relevant expression that no show_if rule can stand for; the message says why."""


@dataclass(frozen=True)
class _Known:
    """A question converted so far, as a relevant expression can test it."""

    id: str
    type: str


_TOKEN = re.compile(
    rf"\s*(?:(?P<ref>{_REF})|(?P<string>'[^']*'|\"[^\"]*\")|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<op>>=|<=|!=|=|>|<)|(?P<punct>[(),])|(?P<word>[A-Za-z_][\w:.-]*)|(?P<other>\S))"
)
NUMBER_TESTS = {">=": "at_least", "<=": "at_most", ">": "greater_than", "<": "less_than"}
# string-length(${q}) against 0 or 1 only says whether a text was given.
LENGTH_ANSWERED = {
    (">", 0): True,
    (">=", 1): True,
    ("!=", 0): True,
    ("=", 0): False,
    ("<", 1): False,
    ("<=", 0): False,
}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokens(expression: str) -> list[_Token]:
    tokens = []
    for found in _TOKEN.finditer(expression):
        kind = found.lastgroup or "other"
        if kind in ("name", "up"):  # the parts of a reference: take the whole of it
            kind = "ref"
        text = (found["name"] or found["up"]) if kind == "ref" else found[kind]
        tokens.append(_Token(kind, text))
    return tokens


class _RelevantParser:
    """Reads the part of XPath that relevant columns use, building show_if rules.

    expression := all ("or" all)*;  all := one ("and" one)*
    one := not(expression) | (expression) | selected(ref, value) | operand op operand
    operand := ${q} | 'text' | number | count-selected(${q}) | string-length(${q})
    """

    def __init__(self, expression: str, known: Callable[[str], _Known]):
        self.tokens = _tokens(expression)
        self.position = 0
        self.known = known

    def parse(self) -> dict[str, Any]:
        rule = self.any_of(1)
        if self.position < len(self.tokens):
            raise _Unconvertible(f"'{self.tokens[self.position].text}' is not understood there")
        return rule

    # -- tokens -----------------------------------------------------------------------------------
    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise _Unconvertible("it ends too soon")
        self.position += 1
        return token

    def accept(self, kind: str, text: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == kind and token.text == text:
            self.position += 1
            return True
        return False

    def expect(self, kind: str, text: str) -> None:
        token = self.take()
        if token.kind != kind or token.text != text:
            raise _Unconvertible(f"'{token.text}' is not understood there (expected '{text}')")

    # -- grammar ----------------------------------------------------------------------------------
    def any_of(self, depth: int) -> dict[str, Any]:
        parts = [self.all_of(depth)]
        while self.accept("word", "or"):
            parts.append(self.all_of(depth))
        return _any_of(parts)

    def all_of(self, depth: int) -> dict[str, Any]:
        parts = [self.one(depth)]
        while self.accept("word", "and"):
            parts.append(self.one(depth))
        rule = _all_of(parts)
        assert rule is not None  # there is always at least one part
        return rule

    def one(self, depth: int) -> dict[str, Any]:
        if depth > MAX_RULE_DEPTH:
            raise _Unconvertible(f"it is nested more than {MAX_RULE_DEPTH} levels deep")
        if self.accept("word", "not"):
            return {"not": self.bracketed(depth)}
        if self.peek() == _Token("punct", "("):
            return self.bracketed(depth)
        if self.accept("word", "selected"):
            return self.selected()
        left = self.operand()
        op = self.take()
        if op.kind != "op":
            raise _Unconvertible(f"'{op.text}' is not understood there")
        return self.comparison(left, op.text, self.operand())

    def bracketed(self, depth: int) -> dict[str, Any]:
        self.expect("punct", "(")
        rule = self.any_of(depth + 1)
        self.expect("punct", ")")
        return rule

    def selected(self) -> dict[str, Any]:
        self.expect("punct", "(")
        reference = self.take()
        self.expect("punct", ",")
        value = self.take()
        self.expect("punct", ")")
        if reference.kind != "ref" or value.kind not in ("string", "number"):
            raise _Unconvertible("selected() takes a question and one of its choices")
        target = self.choice_question(reference.text, "selected()")
        return {"question": target.id, "equals": _identifier(value.text.strip("'\""))}

    def operand(self) -> _Token:
        token = self.take()
        if token.kind == "word" and self.peek() == _Token("punct", "("):
            if token.text not in ("count-selected", "string-length"):
                raise _Unconvertible(f"{token.text}() is not one of the tests a page can use")
            self.expect("punct", "(")
            reference = self.take()
            self.expect("punct", ")")
            if reference.kind != "ref":
                raise _Unconvertible(f"{token.text}() takes a question")
            return _Token(token.text, reference.text)
        if token.kind not in ("ref", "string", "number"):
            raise _Unconvertible(f"'{token.text}' is not understood there")
        return token

    # -- building rules ---------------------------------------------------------------------------
    def comparison(self, left: _Token, op: str, right: _Token) -> dict[str, Any]:
        if left.kind in ("string", "number"):  # 13 <= ${age} reads as ${age} >= 13
            left, right, op = right, left, MIRRORED[op]
        if left.kind in ("string", "number"):
            raise _Unconvertible("it compares two fixed values")
        if right.kind not in ("string", "number"):
            raise _Unconvertible(
                "it compares two answers; a page can compare an answer only with a fixed value"
            )
        value = right.text.strip("'\"") if right.kind == "string" else right.text
        if left.kind == "count-selected":
            return self.count(self.choice_question(left.text, "count-selected()"), op, value)
        target = self.known(left.text)
        if left.kind == "string-length":
            return self.length(target, op, value)
        if right.kind == "string" and value == "" and op in ("=", "!="):
            return {"question": target.id, "answered": op == "!="}
        if target.type in ("short_text", "long_text"):
            raise _Unconvertible("a text answer can only be tested for being answered (${q} != '')")
        if target.type == "number":
            return _number_rule(target.id, op, _whole(value))
        if op in ("=", "!="):
            test = "equals" if op == "=" else "not_equals"
            return {"question": target.id, test: _identifier(value)}
        return {"question": target.id, NUMBER_TESTS[op]: _whole(value)}

    def choice_question(self, name: str, function: str) -> _Known:
        target = self.known(name)
        if target.type not in CHOICE_TYPES.values():
            raise _Unconvertible(f"{function} works on select_one and select_multiple questions")
        return target

    @staticmethod
    def count(target: _Known, op: str, value: str) -> dict[str, Any]:
        wanted = _whole(value)

        def at_least(count: int) -> dict[str, Any]:
            if count < 1:
                raise _Unconvertible(f"count-selected() {op} {wanted} always holds")
            return {"question": target.id, "count_at_least": count}

        if op in (">=", ">"):
            return at_least(wanted + (op == ">"))
        if op in ("<", "<="):
            return {"not": at_least(wanted + (op == "<="))}
        exactly = (
            {"not": at_least(1)}
            if wanted == 0
            else {"all": [at_least(wanted), {"not": at_least(wanted + 1)}]}
        )
        return exactly if op == "=" else {"not": exactly}

    @staticmethod
    def length(target: _Known, op: str, value: str) -> dict[str, Any]:
        answered = LENGTH_ANSWERED.get((op, _whole(value)))
        if answered is None:
            raise _Unconvertible(
                "string-length() can only be tested for being answered (string-length(${q}) > 0)"
            )
        return {"question": target.id, "answered": answered}


def _whole(value: str) -> int:
    if not re.fullmatch(r"-?\d+", value.strip()):
        raise _Unconvertible(f"{value} is not a whole number")
    return int(value)


def _number_rule(question_id: str, op: str, value: int) -> dict[str, Any]:
    if op in NUMBER_TESTS:
        return {"question": question_id, NUMBER_TESTS[op]: value}
    exactly = {
        "all": [
            {"question": question_id, "at_least": value},
            {"question": question_id, "at_most": value},
        ]
    }
    return exactly if op == "=" else {"not": exactly}


# -- mapping --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    """What the groups around an element give each page made from it."""

    title: str = ""
    rules: tuple[dict[str, Any], ...] = ()

    def inside(self, title: str, rule: dict[str, Any] | None) -> _Context:
        return _Context(title or self.title, (*self.rules, rule) if rule else self.rules)


@dataclass
class _Notes:
    """What the conversion passed over, gathered for one warning each at the end."""

    timestamps: list[str] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)
    appearances: set[str] = field(default_factory=set)
    parameters: list[str] = field(default_factory=list)


class _Converter:
    """Walks pyxform's JSON form once, building a definition and collecting problems."""

    def __init__(self, source: str, default_language: str | None):
        self.source = source
        self.default_language = default_language
        self.problems: list[DefinitionProblem] = []
        self.warnings: list[DefinitionProblem] = []
        self.question_ids: dict[str, str] = {}  # our id -> the XLSForm name it came from
        self.page_ids: dict[str, str] = {}
        self.known: dict[str, _Known] = {}  # XLSForm name -> the question it became
        self.left_out: dict[str, str] = {}  # XLSForm name -> the type of the row left out
        self.pages: list[dict[str, Any]] = []
        self.intro = ""
        self.notes = _Notes()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(DefinitionProblem(self.source, where, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(DefinitionProblem(self.source, where, message))

    # -- survey -----------------------------------------------------------------------------------
    def convert(
        self, form: Mapping[str, Any], workbook: DefinitionData, survey_id: str | None
    ) -> dict[str, Any]:
        settings = {str(k).strip().lower(): v for k, v in (workbook.settings or [{}])[0].items()}
        definition = self.survey_fields(form, settings, survey_id)
        for element in form.get("children") or []:
            self.element(element, _Context())
        if self.intro:
            definition["intro"] = self.intro
        definition["pages"] = self.pages
        self.column_warnings(workbook)
        self.gathered_warnings()
        return definition

    def survey_fields(
        self, form: Mapping[str, Any], settings: Mapping[str, Any], survey_id: str | None
    ) -> dict[str, Any]:
        given = {_column_base(key): str(value or "").strip() for key, value in settings.items()}
        title = given.get(constants.TITLE) or ""
        if not title:
            title = _title_from(self.source)
            self.warn(
                "settings",
                f"form_title is missing, so the survey is called '{title}' "
                "after the file; add a settings sheet with a form_title column "
                "to choose the title respondents see",
            )
        if survey_id:
            raw_id = survey_id
        elif given.get(constants.ID_STRING):
            raw_id = str(form.get(constants.ID_STRING))
        else:
            raw_id = PurePath(self.source).stem
        fields = {
            "id": _slug(raw_id),
            "title": title,
            "audience": self.audience(settings.get("audience")),
        }
        return fields | self.stage_fields(settings)

    def stage_fields(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The survey's stage and expected number of respondents, where the settings give them."""
        fields: dict[str, Any] = {}
        stage = str(settings.get("stage") or "").strip().lower()
        if stage in STAGES:
            fields["stage"] = stage
        elif stage:
            self.problem("settings", f"stage '{stage}' must be one of {', '.join(STAGES)}")
        expected = str(settings.get("expected_population") or "").strip()
        if expected.isdigit():
            fields["expected_population"] = int(expected)
        elif expected:
            self.problem(
                "settings",
                f"expected_population '{expected}' must be a whole number of people, like 300",
            )
        return fields

    def audience(self, raw: Any) -> str:
        if raw is None or not str(raw).strip():
            return DEFAULT_AUDIENCE
        audience = re.sub(r"[\s-]+", "_", str(raw).strip().lower())
        if audience not in AUDIENCES:
            self.problem("settings", f"audience '{raw}' must be one of {', '.join(AUDIENCES)}")
            return DEFAULT_AUDIENCE
        return audience

    # -- elements and pages -----------------------------------------------------------------------
    def element(self, element: Mapping[str, Any], context: _Context) -> None:
        """One row or group of the form: pages for what it asks, warnings for what it does not."""
        etype = element.get("type")
        if etype == constants.GROUP and (element.get("control") or {}).get("bodyless"):
            self.metadata(element)
        elif etype == constants.REPEAT:
            self.problem(f"group '{element.get('name')}'", REPEAT_REASON)
        elif etype == constants.GROUP:
            self.group(element, context)
        elif etype == "note":
            self.note(element)
        elif question := self.question(element):
            page: dict[str, Any] = {"id": question["id"], "questions": [question]}
            self.add_page(page, context)

    def add_page(self, page: dict[str, Any], context: _Context) -> None:
        if context.title:
            page["title"] = context.title
        if rule := _all_of(context.rules):
            page["show_if"] = rule
        self.pages.append(page)

    def metadata(self, group: Mapping[str, Any]) -> None:
        """pyxform's bodyless `meta` group: its own instanceID, and an author's audit row."""
        for child in group.get("children") or []:
            if child.get("type") != "calculate":
                self.question_type(child, f"question '{child.get('name')}'")

    def group(self, group: Mapping[str, Any], context: _Context) -> None:
        """A field-list group is one screen in ODK Collect, so one page; any other group shows
        one question per screen, with the group's label above each, so its rows become pages."""
        where = f"group '{group.get('name')}'"
        rule = self.condition((group.get("bind") or {}).get("relevant"), where)
        inside = context.inside(self.text(group.get("label"), where), rule)
        appearance = self.appearance(group)
        if "field-list" not in appearance:
            for child in group.get("children") or []:
                self.element(child, inside)
            return
        questions = self.page_questions(group.get("children") or [], ())
        if questions:
            page_id = self.register(self.page_ids, str(group.get("name")), where)
            self.add_page({"id": page_id, "questions": questions}, inside)

    def page_questions(
        self, children: Iterable[Mapping[str, Any]], rules: tuple[dict[str, Any], ...]
    ) -> list[dict[str, Any]]:
        """The questions of one page; a group inside it adds its relevant to each of its own."""
        questions: list[dict[str, Any]] = []
        for child in children:
            ctype = child.get("type")
            if ctype == constants.REPEAT:
                self.problem(f"group '{child.get('name')}'", REPEAT_REASON)
            elif ctype == constants.GROUP:
                where = f"group '{child.get('name')}'"
                rule = self.condition((child.get("bind") or {}).get("relevant"), where)
                self.appearance(child)
                inner = (*rules, rule) if rule else rules
                questions.extend(self.page_questions(child.get("children") or [], inner))
            elif ctype == "note":
                self.note(child)
            elif question := self.question(child):
                own = [question["show_if"]] if "show_if" in question else []
                if rule := _all_of([*rules, *own]):
                    question["show_if"] = rule
                questions.append(question)
        return questions

    def note(self, element: Mapping[str, Any]) -> None:
        where = f"question '{element.get('name')}'"
        text = self.text(element.get("label"), where)
        if not self.known and not self.intro:
            self.intro = text
        elif text:
            self.warn(
                where,
                f"the note '{text}' is left out: only a note before the first "
                "question is shown (as the start page's introduction)",
            )

    def register(self, seen: dict[str, str], name: str, where: str) -> str:
        new_id = _identifier(name)
        if seen.get(new_id, name) != name:
            self.problem(
                where, f"the names '{seen[new_id]}' and '{name}' both become '{new_id}'; rename one"
            )
        seen[new_id] = name
        return new_id

    # -- questions --------------------------------------------------------------------------------
    def question(self, element: Mapping[str, Any]) -> dict[str, Any] | None:
        name = str(element.get("name"))
        where = f"question '{name}'"
        qtype = self.question_type(element, where)
        if qtype is None:
            return None
        bind = element.get("bind") or {}
        question: dict[str, Any] = {
            "id": self.register(self.question_ids, name, where),
            "type": qtype,
            "text": self.text(element.get("label"), where),
        }
        if hint := self.text(element.get("hint"), where):
            question["hint"] = hint
        if self.required(bind.get("required"), where):
            question["required"] = True
        if qtype in CHOICE_TYPES.values():
            question.update(self.options(element, where))
        if self.flag(element.get("core"), "core", where):
            question["core"] = True
        question.update(self.limits(element, qtype, where))
        if show_if := self.condition(bind.get("relevant"), where):
            question["show_if"] = show_if
        self.appearance(element)
        self.known[name] = _Known(question["id"], qtype)
        return question

    def question_type(self, element: Mapping[str, Any], where: str) -> str | None:
        """Our type for a row, or None (with a problem or warning) for a row we do not ask."""
        etype = str(element.get("type"))
        facts = QUESTION_TYPE_DICT.get(etype, {})
        bind = facts.get("bind") or {}
        shown = XLSFORM_TYPE_NAMES.get(etype, etype)
        if identifying := _identifying(etype, facts):
            self.problem(where, f"type '{shown}' {identifying}; {ANONYMOUS}, so remove this row")
        elif bind.get("jr:preload") in TIMESTAMP_PRELOADS:
            self.notes.timestamps.append(str(element.get("name")))
            self.left_out[str(element.get("name"))] = shown
        elif etype in LEFT_OUT_ROWS:
            self.warn(where, f"the {shown} row is left out: {LEFT_OUT_ROWS[etype]}")
            self.left_out[str(element.get("name"))] = shown
        elif etype in PAGE_SHAPES:
            self.problem(where, f"type '{shown}' {PAGE_SHAPES[etype]}")
        else:
            return self.asked_type(element, etype, bind, where)
        return None

    def asked_type(
        self, element: Mapping[str, Any], etype: str, bind: Mapping[str, Any], where: str
    ) -> str | None:
        if etype in CHOICE_TYPES:
            return CHOICE_TYPES[etype]
        if etype in TEXT_TYPES:
            return "long_text" if "multiline" in self.appearance(element) else "short_text"
        if bind.get("type") == "int":
            return "number"
        self.problem(
            where,
            f"type '{XLSFORM_TYPE_NAMES.get(etype, etype)}' is not a question "
            "Feedback can ask on a page (select_one, select_multiple, text, "
            "integer, range, note, begin group/end group)",
        )
        return None

    def appearance(self, element: Mapping[str, Any]) -> set[str]:
        """The appearances of an element; those that change nothing are noted for a warning."""
        raw = str((element.get("control") or {}).get("appearance") or "")
        used = APPEARANCES.get(str(element.get("type")), set())
        values = set(raw.split())
        self.notes.appearances.update(values - used)
        return values & used

    def text(self, value: Any, where: str) -> str:
        text, passed_over = _localised(value, self.default_language)
        self.notes.languages.update(passed_over)
        for reference in PIPING.findall(text):
            self.problem(
                where,
                f"the text '{text}' shows the answer ${{{reference}}}, but a "
                "page's wording is the same for everyone (so it is translated "
                "once): reword it without the answer",
            )
        return text

    def flag(self, value: Any, column: str, where: str) -> bool:
        """A yes/no column of Feedback's own (`core`, `exclusive`): empty means no."""
        if value is None or not str(value).strip():
            return False
        flag: bool | None = aliases.yes_no.get(str(value).strip())
        if flag is None:
            self.problem(where, f"{column} '{value}' must be yes or no")
            return False
        return flag

    def required(self, value: Any, where: str) -> bool:
        if value is None or not str(value).strip():
            return False
        flag: bool | None = aliases.yes_no.get(str(value).strip())
        if flag is None:
            self.warn(
                where, f"required '{value}' depends on other answers, so the question is optional"
            )
            return False
        return flag

    # -- options ----------------------------------------------------------------------------------
    def options(self, element: Mapping[str, Any], where: str) -> dict[str, Any]:
        choices = element.get("choices")
        if not choices:
            self.problem(
                where,
                f"its choices come from '{element.get('itemset')}', outside the "
                "workbook, but a page's choices are listed in the choices sheet",
            )
            return {}
        fields: dict[str, Any] = {}
        options: list[dict[str, str]] = []
        seen: dict[str, str] = {}
        for choice in choices:
            raw = str(choice.get("name", ""))
            value = _identifier(raw)
            if value in RESERVED_VALUES:  # the service's own "I don't know" etc.
                fields[value] = True
            elif not OPTION_VALUE.match(value):
                self.problem(
                    where,
                    f"choice '{raw}' cannot become an option value (lower-case "
                    "letters, digits and _)",
                )
            elif seen.setdefault(value, raw) != raw:
                self.problem(
                    where, f"choices '{seen[value]}' and '{raw}' both become '{value}'; rename one"
                )
            else:
                option: dict[str, Any] = {
                    "value": value,
                    "label": self.text(choice.get("label"), where),
                }
                if self.flag(choice.get("exclusive"), "exclusive", f"{where}, choice '{raw}'"):
                    option["exclusive"] = True
                options.append(option)
        fields["options"] = options
        return fields

    # -- constraint and range ---------------------------------------------------------------------
    def limits(self, element: Mapping[str, Any], qtype: str, where: str) -> dict[str, Any]:
        parameters = element.get("parameters") or {}
        if element.get("type") == "range":
            return self.range(parameters, where)
        if parameters:
            self.notes.parameters.append(str(element.get("name")))
        facts = QUESTION_TYPE_DICT.get(str(element.get("type")), {}).get("bind") or {}
        expression = str(
            (element.get("bind") or {}).get("constraint") or facts.get("constraint") or ""
        ).strip()
        if qtype == "number":
            return self.number_bounds(expression, where)
        return self.constraint(expression, qtype, where) if expression else {}

    def constraint(self, expression: str, qtype: str, where: str) -> dict[str, Any]:
        bounds = _parse_constraint(expression)
        subject = CONSTRAINT_SUBJECTS.get(qtype)
        low, high = (bounds or {}).get(subject or "", [None, None])
        if bounds is None or set(bounds) != {subject} or low is not None or high is None:
            self.warn(
                where,
                f"constraint '{expression}' is left out: answers are checked for "
                "their type and length only",
            )
            return {}
        return {CONSTRAINT_FIELDS[qtype]: high}

    def number_bounds(self, expression: str, where: str) -> dict[str, Any]:
        bounds = _parse_constraint(expression) if expression else {".": [None, None]}
        if bounds is None or set(bounds) != {"."}:
            self.warn(
                where,
                f"constraint '{expression}' is left out: only a smallest and a "
                "largest answer are used",
            )
            bounds = {".": [None, None]}
        low, high = bounds["."]
        if low is not None and high is not None:
            return {"min": low, "max": high}
        missing = (
            "smallest or largest"
            if low is None and high is None
            else "smallest"
            if low is None
            else "largest"
        )
        if low is None:  # below the largest answer, however small that is
            low = (
                DEFAULT_NUMBER_MIN
                if high is None or high > DEFAULT_NUMBER_MIN
                else (-DEFAULT_NUMBER_MAX)
            )
        high = DEFAULT_NUMBER_MAX if high is None else high
        self.warn(
            where,
            f"an integer question has no {missing} answer, so answers from {low} "
            f"to {high} are accepted; {NUMBER_HINT}",
        )
        return {"min": low, "max": high}

    def range(self, parameters: Mapping[str, Any], where: str) -> dict[str, Any]:
        given = {
            key: str(parameters.get(key, default)).strip()
            for key, default in (("start", "1"), ("end", "10"), ("step", "1"))
        }
        if not all(re.fullmatch(r"-?\d+", value) for value in given.values()):
            self.problem(
                where,
                "type 'range' has a start, end or step that is not a whole "
                "number, but a number question on a page takes whole numbers "
                "only",
            )
            return {}
        start, end, step = (int(given[key]) for key in ("start", "end", "step"))
        low, high = min(start, end), max(start, end)
        if abs(step) != 1:
            self.warn(
                where,
                f"range steps of {abs(step)} are not kept: any whole number from "
                f"{low} to {high} is accepted",
            )
        return {"min": low, "max": high}

    # -- relevant -> show_if ----------------------------------------------------------------------
    def condition(self, expression: Any, where: str) -> dict[str, Any] | None:
        if not expression or not str(expression).strip():
            return None
        expression = " ".join(str(expression).split())
        try:
            return _RelevantParser(expression, self.earlier_question).parse()
        except _Unconvertible as reason:
            self.problem(
                where,
                f"relevant '{expression}' cannot be converted: {reason}. Pages "
                "are shown or skipped from earlier answers only, with and, or, "
                "not(), =, !=, <, <=, >, >=, selected() and count-selected()",
            )
            return None

    def earlier_question(self, name: str) -> _Known:
        if name in self.known:
            return self.known[name]
        if name in self.left_out:
            raise _Unconvertible(f"${{{name}}} is a {self.left_out[name]} row, which is left out")
        raise _Unconvertible(f"${{{name}}} is not an earlier question")

    # -- warnings gathered over the whole form ----------------------------------------------------
    def column_warnings(self, workbook: DefinitionData) -> None:
        """Each column Feedback has no use for, once, with the reason."""
        for header in _filled_columns(workbook.survey_header, workbook.survey):
            base = _column_base(header)
            if not header.startswith("$") and base not in USED_COLUMNS:
                self.warn(f"column '{header}'", f"is ignored: {COLUMN_REASONS.get(base, UNUSED)}")
        for header in _filled_columns(workbook.choices_header, workbook.choices):
            base = _column_base(header)
            if not header.startswith("$") and base not in USED_CHOICE_COLUMNS:
                reason = COLUMN_REASONS.get(base, "every choice is offered as it is")
                self.warn(f"choices column '{header}'", f"is ignored: {reason}")
        for header in _filled_columns(workbook.settings_header, workbook.settings):
            if _column_base(header) not in USED_SETTINGS:
                self.warn(f"settings column '{header}'", f"is ignored: {UNUSED}")

    def gathered_warnings(self) -> None:
        if self.notes.timestamps:
            self.warn(
                "timestamps",
                f"the {_listed(self.notes.timestamps)} rows are left out: "
                "they record when the form was filled in, and Feedback "
                "never stores the time of a response",
            )
        for language in sorted(self.notes.languages):
            self.warn(
                f"language '{language}'",
                "its texts are left out: a survey's words are "
                "written once, in English, and translated in the "
                "workspace (a .po catalogue per language)",
            )
        if self.notes.appearances:
            ignored = ", ".join(sorted(self.notes.appearances))
            self.warn(
                "column 'appearance'",
                f"only multiline (a long answer box) and field-list "
                f"(a group on one page) are used; {ignored} "
                "changes nothing",
            )
        if self.notes.parameters:
            self.warn(
                "column 'parameters'",
                "is used only for range (start, end, step); it is "
                f"ignored on {_listed(self.notes.parameters)}",
            )


def _identifying(etype: str, facts: Mapping[str, Any]) -> str | None:
    """Why a type would identify the respondent, or None when it would not."""
    bind = facts.get("bind") or {}
    control = facts.get("control") or {}
    if bind.get("jr:preload") == "property":
        return DEVICE_PROPERTIES.get(str(bind.get("jr:preloadParams")).removeprefix("uri:"))
    if etype in IDENTIFYING_TYPES:
        return IDENTIFYING_TYPES[etype]
    if bind.get("jr:preload") in TIMESTAMP_PRELOADS:
        return None  # start, end and today: left out, never stored
    if bind.get("type") in IDENTIFYING_ANSWERS:
        return IDENTIFYING_ANSWERS[str(bind["type"])]
    mediatype = str(control.get("mediatype") or "").split("/")[0]
    return IDENTIFYING_FILES.get(mediatype)
