"""Import an XLSForm spreadsheet (KoboToolbox, ODK) as a survey definition.

The workbook is read by pyxform, the XLSForm reference implementation, never by a parser of our
own. pyxform's JSON form (a tree of "children") is then mapped onto the survey format described
in docs/survey-format.md. Everything that cannot be mapped is reported, each problem naming the
file, the question or group and what is wrong, all collected rather than just the first.

Before pyxform sees the file it is checked as a container: at most 5 MB, a real zip archive
(an .xlsx is one), at most 1000 entries and at most 50 MB once uncompressed, so a zip bomb is
refused without being expanded.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from pyxform import aliases, constants
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from surveys.loader import OPTION_VALUE, DefinitionProblem, SurveyDefinitionError, parse_survey
from surveys.model import AUDIENCES, RESERVED_VALUES, Survey

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
DEFAULT_AUDIENCE = "mixed"

# pyxform's JSON type -> our question type (text depends on its appearance).
CHOICE_TYPES = {
    constants.SELECT_ONE: "single_choice",
    constants.SELECT_ALL_THAT_APPLY: "multiple_choice",
}
# Metadata rows KoboToolbox adds to every form; they ask the respondent nothing and identify
# no one, so they are left out.
SKIPPED_TYPES = {"start", "end", "today", "audit"}
IDENTIFYING_TYPES = {
    "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
    "start-geopoint", "background-geopoint", "background-audio",
}
# pyxform's names for some types differ from what the author typed; show the author's.
XLSFORM_TYPE_NAMES = {"photo": "image", "select one": "select_one",
                      "select all that apply": "select_multiple", "repeat": "begin repeat"}
QUESTION_KEYS = {"type", "name", "label", "hint", "bind", "control", "choices", "itemset",
                 "list_name", "parameters", "guidance_hint"}
# Messages shown by ODK Collect when a rule fails; our service words its own messages.
IGNORED_BIND_KEYS = {"jr:constraintMsg", "jr:requiredMsg"}
COLUMN_NAMES = {"calculate": "calculation", "readonly": "read_only", "media": "media::image",
                "jr:preload": "preload", "jr:noAppErrorString": "no_app_error_string"}

_REF = r"(?:\$\{\s*(?P<name>[A-Za-z_][\w.-]*)\s*\}|\.\./(?P<up>[A-Za-z_][\w.-]*))"
_VALUE = r"(?:'(?P<sq>[^']*)'|\"(?P<dq>[^\"]*)\"|(?P<num>-?\d+))"
RELEVANT_FORMS = (
    (re.compile(rf"^{_REF} ?= ?{_VALUE}$"), "equals"),
    (re.compile(rf"^selected\( ?{_REF} ?, ?{_VALUE} ?\)$"), "equals"),
    (re.compile(rf"^{_REF} ?!= ?(?:''|\"\")$"), "answered"),
)
PIPING = re.compile(r"\$\{\s*([^}]*)\}")
CONSTRAINT_CLAUSE = re.compile(
    r"^\(?\s*(?P<subject>\.|string-length\(\s*\.\s*\)|count-selected\(\s*\.\s*\))"
    r"\s*(?P<op>>=|<=|>|<)\s*(?P<bound>-?\d+)\s*\)?$"
)
# Which constraint subject gives which field, per question type.
CONSTRAINT_SUBJECTS = {"number": ".", "short_text": "string-length",
                       "long_text": "string-length", "multiple_choice": "count-selected"}
CONSTRAINT_FIELDS = {"short_text": "max_length", "long_text": "max_length",
                     "multiple_choice": "max_choices"}
NUMBER_HINT = "add a constraint such as `. >= 0 and . <= 120`"


def load_xlsform(data: bytes, filename: str, survey_id: str | None = None) -> Survey:
    """Read an XLSForm workbook and validate it as a survey."""
    return parse_survey(xlsform_to_definition(data, filename, survey_id), source=filename)


def xlsform_to_definition(data: bytes, filename: str, survey_id: str | None = None
                          ) -> dict[str, Any]:
    """Turn an XLSForm (.xlsx bytes) into a definition for `surveys.loader.parse_survey`.

    Raises `SurveyDefinitionError` listing every problem found; never another exception.
    """
    _check_container(data, filename)
    workbook, form = _read_with_pyxform(data, filename)
    settings = dict((workbook.settings or [{}])[0])
    converter = _Converter(filename, default_language=form.get("default_language"))
    definition = converter.convert(form, settings, survey_id)
    if converter.problems:
        raise SurveyDefinitionError(converter.problems)
    return definition


# -- reading ------------------------------------------------------------------------------------
def _file_error(filename: str, message: str, where: str = "file") -> SurveyDefinitionError:
    return SurveyDefinitionError([DefinitionProblem(filename, where, message)])


def _check_container(data: bytes, filename: str) -> None:
    """Refuse what is not a plausible .xlsx before anything decompresses it."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise _file_error(filename, "is empty")
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(filename, f"is {len(data) / 1024 / 1024:.1f} MB; an XLSForm can be at "
                                    f"most {MAX_FILE_BYTES // 1024 // 1024} MB")
    if data.startswith(OLE2_MAGIC):
        raise _file_error(filename, "is an old-style .xls workbook: open it and save it as .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception:  # any failure to read the zip directory means it is not an .xlsx
        raise _file_error(filename, "is not an .xlsx spreadsheet") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _file_error(filename, f"has {len(entries)} parts inside; an .xlsx spreadsheet has "
                                    f"far fewer (at most {MAX_ZIP_ENTRIES} are accepted)")
    # Python's zipfile stops at each entry's declared size (and checks its CRC), so the declared
    # sizes bound what reading the workbook can expand to.
    expanded = sum(entry.file_size for entry in entries)
    if expanded > MAX_UNCOMPRESSED_BYTES:
        raise _file_error(filename, f"would expand to {expanded / 1024 / 1024:.0f} MB; at most "
                                    f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB is accepted")
    if "[Content_Types].xml" not in {entry.filename for entry in entries}:
        raise _file_error(filename, "is a zip archive, not an .xlsx spreadsheet")


def _read_with_pyxform(data: bytes, filename: str) -> tuple[DefinitionData, dict[str, Any]]:
    try:
        workbook = get_xlsform(io.BytesIO(data), file_type=".xlsx")
    except Exception:  # pyxform wraps what it expects; a damaged file can raise anything
        raise _file_error(filename, "could not be read as an .xlsx spreadsheet; it may be "
                                    "damaged, or saved in another format") from None
    try:
        form = workbook_to_json(workbook_dict=workbook, warnings=[])
    except PyXFormError as exc:
        where, message = _split_row(str(exc))
        raise _file_error(filename, message, where) from None
    except Exception as exc:
        raise _file_error(filename, f"pyxform could not convert it ({type(exc).__name__}: "
                                    f"{exc})", "XLSForm") from None
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


def _is_english(language: str) -> bool:
    lang = language.strip().lower()
    return (lang in ("en", "english") or lang.startswith(("english", "en-", "en_"))
            or lang.endswith("(en)"))


def _localised(value: Any, default_language: str | None) -> str:
    """The English text of a (possibly translated) label or hint, else the default one."""
    if value is None:
        return ""
    if not isinstance(value, Mapping):
        return str(value).strip()
    keys = [k for k in value if _is_english(str(k))]
    keys += [k for k in ("default", default_language) if k in value]
    keys += list(value)
    return next((str(value[k]).strip() for k in keys if str(value.get(k) or "").strip()), "")


def _parse_constraint(expression: str) -> dict[str, list[int | None]] | None:
    """`. >= 0 and . <= 120` -> {".": [0, 120]}; None when any clause is another kind."""
    bounds: dict[str, list[int | None]] = {}
    for clause in re.split(r"\s+and\s+", expression.strip()):
        found = CONSTRAINT_CLAUSE.match(clause.strip())
        if not found:
            return None
        subject = found["subject"].split("(")[0]
        low_high = bounds.setdefault(subject, [None, None])
        bound, op = int(found["bound"]), found["op"]
        if op.startswith(">"):
            low_high[0] = bound + (op == ">")
        else:
            low_high[1] = bound - (op == "<")
    return bounds


# -- mapping --------------------------------------------------------------------------------------
class _Converter:
    """Walks pyxform's JSON form once, building a definition and collecting problems."""

    def __init__(self, source: str, default_language: str | None):
        self.source = source
        self.default_language = default_language
        self.problems: list[DefinitionProblem] = []
        self.question_ids: dict[str, str] = {}  # our id -> the XLSForm name it came from
        self.page_ids: dict[str, str] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(DefinitionProblem(self.source, where, message))

    # -- survey -----------------------------------------------------------------------------------
    def convert(self, form: Mapping[str, Any], settings: Mapping[str, Any],
                survey_id: str | None) -> dict[str, Any]:
        definition = self.survey_fields(form, settings, survey_id)
        pages: list[dict[str, Any]] = []
        first = True
        for element in form.get("children") or []:
            etype = element.get("type")
            if etype in SKIPPED_TYPES or self.is_metadata_group(element):
                continue
            if etype == "note":
                if first:
                    definition["intro"] = self.text(element.get("label"), "intro")
            elif etype in (constants.GROUP, constants.REPEAT):
                pages.extend(self.group_page(element))
            elif question := self.question(element):
                pages.append({"id": question["id"], "questions": [question]})
            first = False
        definition["pages"] = pages
        return definition

    def survey_fields(self, form: Mapping[str, Any], settings: Mapping[str, Any],
                      survey_id: str | None) -> dict[str, Any]:
        title_keys = {constants.TITLE} | {
            k for k, v in aliases.settings_header.items() if v == constants.TITLE}
        id_keys = {constants.ID_STRING} | {
            k for k, v in aliases.settings_header.items() if v == constants.ID_STRING}
        if not any(str(settings.get(k) or "").strip() for k in title_keys):
            self.problem("settings", "form_title is missing: add a settings sheet with a "
                                     "form_title column (the title respondents see)")
        if survey_id:
            raw_id = survey_id
        elif any(settings.get(k) for k in id_keys):
            raw_id = str(form.get(constants.ID_STRING))
        else:
            raw_id = PurePath(self.source).stem
        definition: dict[str, Any] = {
            "id": _slug(raw_id),
            "title": str(form.get(constants.TITLE) or "").strip(),
            "audience": self.audience(form.get("audience")),
        }
        return definition

    def audience(self, raw: Any) -> str:
        if raw is None or not str(raw).strip():
            return DEFAULT_AUDIENCE
        audience = re.sub(r"[\s-]+", "_", str(raw).strip().lower())
        if audience not in AUDIENCES:
            self.problem("settings", f"audience '{raw}' must be one of {', '.join(AUDIENCES)}")
            return DEFAULT_AUDIENCE
        return audience

    @staticmethod
    def is_metadata_group(element: Mapping[str, Any]) -> bool:
        """pyxform adds a bodyless `meta` group (instanceID, audit) nobody answers."""
        control = element.get("control") or {}
        return element.get("type") == constants.GROUP and bool(control.get("bodyless"))

    # -- pages ------------------------------------------------------------------------------------
    def group_page(self, group: Mapping[str, Any]) -> list[dict[str, Any]]:
        name = str(group.get("name"))
        where = f"group '{name}'"
        if group.get("type") == constants.REPEAT:
            self.problem(where, "repeats (begin repeat) are not supported: a survey asks each "
                                "question once")
            return []
        questions = []
        for child in group.get("children") or []:
            ctype = child.get("type")
            if ctype in (constants.GROUP, constants.REPEAT):
                self.problem(where, f"contains the {XLSFORM_TYPE_NAMES.get(ctype, ctype)} "
                                    f"'{child.get('name')}'; groups inside groups are not "
                                    "supported (each group becomes one page)")
            elif question := self.question(child):
                questions.append(question)
        if not questions:  # only notes or skipped rows: nothing to ask
            return []
        page: dict[str, Any] = {"id": self.register(self.page_ids, name, where),
                                "questions": questions}
        if title := self.text(group.get("label"), where):
            page["title"] = title
        if show_if := self.condition((group.get("bind") or {}).get("relevant"), where):
            page["show_if"] = show_if
        return [page]

    def register(self, seen: dict[str, str], name: str, where: str) -> str:
        new_id = _identifier(name)
        if seen.get(new_id, name) != name:
            self.problem(where, f"the names '{seen[new_id]}' and '{name}' both become "
                                f"'{new_id}'; rename one")
        seen[new_id] = name
        return new_id

    # -- questions --------------------------------------------------------------------------------
    def question(self, element: Mapping[str, Any]) -> dict[str, Any] | None:
        name = str(element.get("name"))
        where = f"question '{name}'"
        qtype = self.question_type(element, where)
        if qtype is None:
            return None
        self.check_columns(element, where)
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
        question.update(self.constraint(bind.get("constraint"), qtype, where))
        if show_if := self.condition(bind.get("relevant"), where):
            question["show_if"] = show_if
        return question

    def question_type(self, element: Mapping[str, Any], where: str) -> str | None:
        etype = str(element.get("type"))
        if etype in SKIPPED_TYPES or etype == "note":
            return None
        if etype in CHOICE_TYPES:
            return CHOICE_TYPES[etype]
        if etype == "text":
            appearance = str((element.get("control") or {}).get("appearance") or "")
            return "long_text" if "multiline" in appearance.split() else "short_text"
        if etype == "integer":
            return "number"
        shown = XLSFORM_TYPE_NAMES.get(etype, etype)
        if etype in IDENTIFYING_TYPES:
            self.problem(where, f"type '{shown}' records who or where the respondent is; "
                                "Feedback surveys are anonymous, so remove this row")
        else:
            self.problem(where, f"type '{shown}' is not supported (supported: select_one, "
                                "select_multiple, text, integer, note, begin group/end group)")
        return None

    def check_columns(self, element: Mapping[str, Any], where: str) -> None:
        """Columns that change how a question behaves must not be dropped silently."""
        for key in sorted(set(element) - QUESTION_KEYS):
            self.problem(where, f"the '{COLUMN_NAMES.get(key, key)}' column is not supported")
        if element.get("parameters"):
            self.problem(where, "the 'parameters' column is not supported")
        bind = element.get("bind") or {}
        handled = {"required", "relevant", "constraint"} | IGNORED_BIND_KEYS
        for key in sorted(set(bind) - handled):
            if key == "readonly" and aliases.yes_no.get(str(bind[key])) is False:
                continue
            self.problem(where, f"the '{COLUMN_NAMES.get(key, key)}' column is not supported")

    def text(self, value: Any, where: str) -> str:
        text = _localised(value, self.default_language)
        for reference in PIPING.findall(text):
            self.problem(where, f"the text '{text}' shows the answer ${{{reference}}}; answers "
                                "cannot be shown inside questions")
        return text

    def required(self, value: Any, where: str) -> bool:
        if value is None or not str(value).strip():
            return False
        flag = aliases.yes_no.get(str(value).strip())
        if flag is None:
            self.problem(where, f"required '{value}' must be yes or no; conditions are not "
                                "supported")
            return False
        return flag

    # -- options ----------------------------------------------------------------------------------
    def options(self, element: Mapping[str, Any], where: str) -> dict[str, Any]:
        choices = element.get("choices")
        if not choices:
            self.problem(where, f"its choices come from '{element.get('itemset')}', not the "
                                "choices sheet; choices from files are not supported")
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
                self.problem(where, f"choice '{raw}' cannot become an option value (lower-case "
                                    "letters, digits and _)")
            elif seen.setdefault(value, raw) != raw:
                self.problem(where, f"choices '{seen[value]}' and '{raw}' both become "
                                    f"'{value}'; rename one")
            else:
                if "media" in choice:
                    self.problem(where, f"choice '{raw}' has an image or other media, which "
                                        "is not supported")
                options.append({"value": value, "label": self.text(choice.get("label"), where)})
        fields["options"] = options
        return fields

    # -- constraint -------------------------------------------------------------------------------
    def constraint(self, expression: Any, qtype: str, where: str) -> dict[str, Any]:
        if not expression or not str(expression).strip():
            if qtype == "number":
                self.problem(where, "an integer question needs a smallest and largest answer: "
                                    f"{NUMBER_HINT}")
            return {}
        expression = str(expression).strip()
        bounds = _parse_constraint(expression)
        subject = CONSTRAINT_SUBJECTS.get(qtype)
        if bounds is None or subject is None or set(bounds) != {subject}:
            self.problem(where, f"constraint '{expression}' cannot be converted; supported "
                                "are bounds like `. >= 0 and . <= 120` on integers, "
                                "`string-length(.) <= 200` on text and `count-selected(.) <= 3`"
                                " on select_multiple")
            return {}
        low, high = bounds[subject]
        if qtype == "number":
            if low is None or high is None:
                self.problem(where, f"constraint '{expression}' needs both a smallest and a "
                                    f"largest answer: {NUMBER_HINT}")
                return {}
            return {"min": low, "max": high}
        if low is not None or high is None:
            self.problem(where, f"constraint '{expression}': only an upper limit is supported")
            return {}
        return {CONSTRAINT_FIELDS[qtype]: high}

    # -- relevant -> show_if ----------------------------------------------------------------------
    def condition(self, expression: Any, where: str) -> dict[str, Any] | None:
        if not expression or not str(expression).strip():
            return None
        expression = " ".join(str(expression).split())
        for pattern, test in RELEVANT_FORMS:
            found = pattern.match(expression)
            if found:
                target = _identifier(found["name"] or found["up"])
                if test == "answered":
                    return {"question": target, "answered": True}
                value = next(v for v in (found["sq"], found["dq"], found["num"]) if v is not None)
                return {"question": target, "equals": _identifier(value)}
        self.problem(where, f"relevant '{expression}' cannot be converted; supported are "
                            "${q} = 'value', selected(${q}, 'value') and ${q} != ''")
        return None

