"""Turn a survey file (YAML) into a validated, immutable `Survey`.

Every problem found is collected, not just the first, and each names the file,
the page or question, and what is wrong, so an author can fix a file in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveys.conditions import read_rule
from surveys.model import (
    AUDIENCES,
    CLOSED_TYPES,
    DEFAULT_STAGE,
    DONT_KNOW,
    RATHER_NOT_SAY,
    RESERVED_VALUES,
    STAGES,
    Option,
    Page,
    Question,
    QuestionType,
    ShowIf,
    Statement,
    Survey,
    rule_questions,
)
from surveys.organisation import OrganisationOverride, parse_override
from surveys.scales import built_in_options
from surveys.yaml_io import YamlProblem, read_yaml

SURVEY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
OPTION_VALUE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
MAX_TEXT_LIMIT = 5000
DEFAULT_MAX_LENGTH = {QuestionType.SHORT_TEXT: 200, QuestionType.LONG_TEXT: 2000}
XLSFORM_SUFFIXES = (".xlsx", ".xls")

SURVEY_KEYS = {
    "id",
    "title",
    "audience",
    "age_band",
    "minutes",
    "intro",
    "privacy",
    "pages",
    "questions",
    "expected_population",
    "retention_days",
    "stage",
    "easy_read",
    "organisation",
    "easy_read_version",
}
PAGE_KEYS = {"id", "title", "show_if", "questions", "needs_population"}
QUESTION_KEYS = {
    "id",
    "type",
    "text",
    "hint",
    "options",
    "statements",
    "scale",
    "points",
    "required",
    "show_if",
    "min",
    "max",
    "max_length",
    "max_choices",
    "low_label",
    "high_label",
    "dont_know",
    "rather_not_say",
    "core",
}
OPTION_KEYS = {"value", "label", "exclusive"}
MATRIX_SCALES = ("agreement", "faces3", "faces5", "safety")
MAX_POPULATION = 10_000_000


@dataclass(frozen=True)
class DefinitionProblem:
    source: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.where}: {self.message}"


class SurveyDefinitionError(ValueError):
    """A survey file has one or more problems; `problems` lists them all."""

    def __init__(self, problems: list[DefinitionProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class SurveyFile:
    """A survey file read and validated: the survey, the definition to store as its version,
    and, for an XLSForm, a warning for each thing left out of it."""

    survey: Survey
    definition: dict[str, Any]
    warnings: tuple[DefinitionProblem, ...] = ()


def read_survey_file(path: str | Path) -> SurveyFile:
    """Read and validate one survey file: YAML, or an XLSForm (.xlsx) as KoboToolbox and ODK
    export it. Checking a file and publishing it read it the same way, through here."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SurveyDefinitionError(
            [DefinitionProblem(str(path), "file", f"cannot be read ({exc.strerror})")]
        ) from None
    if path.suffix.lower() in XLSFORM_SUFFIXES:
        # Imported here because the XLSForm reader is built on this module.
        from surveys.xlsform import convert_xlsform

        converted = convert_xlsform(data, str(path))
        survey = parse_survey(converted.definition, source=str(path))
        return SurveyFile(survey, converted.definition, converted.warnings)
    document = _yaml_document(data, str(path))
    return SurveyFile(parse_survey(document, source=str(path)), document)


def load_survey(path: str | Path) -> Survey:
    """Read and validate one survey file (YAML or XLSForm)."""
    return read_survey_file(path).survey


def parse_survey_text(data: bytes | str, source: str = "<survey>") -> Survey:
    """Validate survey YAML given as text or bytes (an upload, say)."""
    return parse_survey(_yaml_document(data, source), source=source)


def _yaml_document(data: bytes | str, source: str) -> Any:
    try:
        return read_yaml(data)
    except YamlProblem as exc:
        raise SurveyDefinitionError([DefinitionProblem(source, "file", str(exc))]) from None


def parse_survey(document: Any, source: str = "<survey>") -> Survey:
    """Validate an already-parsed definition (a mapping) and build the `Survey`."""
    builder = _SurveyBuilder(source)
    survey = builder.build(document)
    if builder.problems or survey is None:
        raise SurveyDefinitionError(builder.problems)
    return survey


class _SurveyBuilder:
    """Walks a definition once, collecting problems as it goes."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[DefinitionProblem] = []
        self.seen_questions: dict[str, Question] = {}
        self.earlier_pages_questions: set[str] = set()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(DefinitionProblem(self.source, where, message))

    # -- survey ---------------------------------------------------------------
    def build(self, doc: Any) -> Survey | None:
        if not isinstance(doc, Mapping):
            self.problem("survey", "the file must be a mapping of fields (id, title, pages, ...)")
            return None
        self._unknown_keys("survey", doc, SURVEY_KEYS)
        survey_id = self._text(doc, "id", "survey")
        if survey_id and not SURVEY_ID.match(survey_id):
            self.problem(
                "survey", f"id '{survey_id}' must be 2 to 64 lower-case letters, digits and dashes"
            )
        title = self._text(doc, "title", "survey")
        audience = doc.get("audience")
        if audience not in AUDIENCES:
            self.problem("survey", f"audience must be one of {', '.join(AUDIENCES)}")
        pages = self._pages(doc)
        if not self.seen_questions and not self.problems:
            self.problem("survey", "has no questions")
        stage = self._stage(doc)
        expected = self._int(doc, "expected_population", "survey", 1, MAX_POPULATION)
        if stage == "experience" and "expected_population" not in doc:
            self.problem(
                "survey",
                "expected_population is missing: an experience survey must "
                "say how many people could answer it, so that a group too "
                "small to stay anonymous is noticed before it is asked",
            )
        shown, withheld = self._split_by_population(pages, expected)
        return Survey(
            id=survey_id or "",
            title=title or "",
            audience=str(audience),
            pages=tuple(shown),
            intro=self._text(doc, "intro", "survey", required=False),
            privacy=self._text(doc, "privacy", "survey", required=False),
            age_band=str(doc.get("age_band") or ""),
            minutes=self._int(doc, "minutes", "survey", 1, 120),
            expected_population=expected,
            retention_days=self._int(doc, "retention_days", "survey", 1, 3650) or 365,
            stage=stage,
            easy_read=self._flag(doc, "easy_read", "survey"),
            easy_read_version=self._easy_read_version(doc, survey_id),
            withheld_pages=tuple(withheld),
            organisation=self._organisation(doc),
            source=self.source,
        )

    def _organisation(self, doc: Mapping[str, Any]) -> OrganisationOverride | None:
        """Who runs the survey, where it is not the deployment's organisation."""
        override, problems = parse_override(doc.get("organisation"))
        for message in problems:
            self.problem("survey", message)
        return override

    def _easy_read_version(self, doc: Mapping[str, Any], survey_id: Any) -> str:
        raw = doc.get("easy_read_version")
        if raw is None:
            return ""
        if not isinstance(raw, str) or not SURVEY_ID.match(raw) or raw == survey_id:
            self.problem(
                "survey",
                "easy_read_version must be the id of another survey (lower-case letters, "
                "digits and -), the same survey written in easy read",
            )
            return ""
        if doc.get("easy_read") is True:
            self.problem("survey", "an easy read survey cannot have an easy_read_version")
            return ""
        return raw

    def _stage(self, doc: Mapping[str, Any]) -> str:
        stage = doc.get("stage", DEFAULT_STAGE)
        if stage not in STAGES:
            self.problem("survey", f"stage must be {' or '.join(STAGES)}")
            return DEFAULT_STAGE
        return str(stage)

    def _split_by_population(
        self, pages: list[Page], expected: int | None
    ) -> tuple[list[Page], list[Page]]:
        """The pages to ask, and those left out because fewer people are expected than they
        need (an unknown audience counts as too small: its groups might be tiny)."""
        self._check_large_audience_pages(pages)
        withheld = [
            p
            for p in pages
            if p.needs_population is not None
            and (expected is None or expected < p.needs_population)
        ]
        shown = [p for p in pages if p not in withheld]
        if pages and all(p.needs_population is not None for p in pages):
            self.problem(
                "survey",
                "every page has needs_population: a survey needs at least "
                "one page asked of everyone",
            )
        return shown, withheld

    def _check_large_audience_pages(self, pages: list[Page]) -> None:
        """Pages for large audiences come last, the largest last of all, and nothing depends
        on their answers: so the pages left out are always the last ones, and leaving them
        out changes nothing that comes before them."""
        gated = {q.id for p in pages if p.needs_population is not None for q in p.questions}
        for page, after in zip(pages, pages[1:], strict=False):
            if page.needs_population is None:
                continue
            if after.needs_population is None:
                self.problem(
                    f"page '{page.id}'",
                    "a page with needs_population must come "
                    "after every page without needs_population",
                )
            elif after.needs_population < page.needs_population:
                self.problem(
                    f"page '{after.id}'",
                    "needs_population must be at least that of "
                    f"the page before it ({page.needs_population})",
                )
        for page in pages:
            for where, rule in self._rules_on(page):
                for target in sorted(rule_questions(rule) & gated):
                    self.problem(
                        where,
                        f"show_if refers to '{target}', which is on a page "
                        "asked only of large audiences (needs_population), "
                        "so it may not be asked at all",
                    )

    @staticmethod
    def _rules_on(page: Page) -> list[tuple[str, ShowIf]]:
        rules = [(f"page '{page.id}'", page.show_if)] + [
            (f"question '{q.id}'", q.show_if) for q in page.questions
        ]
        return [(where, rule) for where, rule in rules if rule is not None]

    def _pages(self, doc: Mapping[str, Any]) -> list[Page]:
        if "pages" in doc and "questions" in doc:
            self.problem("survey", "give either pages or questions, not both")
            return []
        if "questions" in doc:
            # Shorthand: one question per page, the GOV.UK default.
            raw_questions = self._list(doc, "questions", "survey")
            raw_pages: list[Any] = [
                {"id": q.get("id"), "questions": [q]} if isinstance(q, Mapping) else q
                for q in raw_questions
            ]
        else:
            raw_pages = self._list(doc, "pages", "survey")
        pages, page_ids = [], set()
        for index, raw in enumerate(raw_pages, start=1):
            page = self._page(raw, index)
            if page is None:
                continue
            if page.id in page_ids:
                self.problem(f"page '{page.id}'", "duplicate page id")
            page_ids.add(page.id)
            pages.append(page)
            self.earlier_pages_questions.update(q.id for q in page.questions)
        return pages

    # -- pages ----------------------------------------------------------------
    def _page(self, raw: Any, index: int) -> Page | None:
        if not isinstance(raw, Mapping):
            self.problem(f"page {index}", "must be a mapping with id and questions")
            return None
        page_id = raw.get("id")
        where = f"page '{page_id}'" if isinstance(page_id, str) else f"page {index}"
        self._unknown_keys(where, raw, PAGE_KEYS)
        if not isinstance(page_id, str) or not ITEM_ID.match(page_id):
            self.problem(where, "id must start with a letter and use only a-z, 0-9 and _")
            page_id = f"page_{index}"
        questions = [
            q
            for i, r in enumerate(self._list(raw, "questions", where), 1)
            if (q := self._question(r, where, i)) is not None
        ]
        if not questions:
            self.problem(where, "has no questions")
        needs = self._int(raw, "needs_population", where, 1, MAX_POPULATION)
        if needs is not None:
            for question in questions:
                if question.core:
                    self.problem(
                        f"question '{question.id}'",
                        "a core question is asked of "
                        "everyone: it cannot be on a page with needs_population",
                    )
        return Page(
            id=page_id,
            questions=tuple(questions),
            title=self._text(raw, "title", where, required=False),
            show_if=self._condition(raw.get("show_if"), where),
            needs_population=needs,
        )

    # -- questions ------------------------------------------------------------
    def _question(self, raw: Any, page_where: str, index: int) -> Question | None:
        if not isinstance(raw, Mapping):
            self.problem(f"{page_where}, question {index}", "must be a mapping with id, type, text")
            return None
        qid = raw.get("id")
        where = f"question '{qid}'" if isinstance(qid, str) else f"{page_where}, question {index}"
        if not isinstance(qid, str) or not ITEM_ID.match(qid):
            self.problem(where, "id must start with a letter and use only a-z, 0-9 and _")
            return None
        if qid in self.seen_questions:
            self.problem(where, "duplicate question id")
            return None
        self._unknown_keys(where, raw, QUESTION_KEYS)
        try:
            qtype = QuestionType(raw.get("type", ""))  # missing: "", an unknown type
        except ValueError:
            known = ", ".join(t.value for t in QuestionType)
            self.problem(where, f"unknown type '{raw.get('type')}' (known types: {known})")
            return None
        required = raw.get("required", False)
        if not isinstance(required, bool):
            self.problem(where, "required must be true or false")
        question = Question(
            id=qid,
            type=qtype,
            text=self._text(raw, "text", where),
            hint=self._text(raw, "hint", where, required=False),
            options=self._options_for(qtype, raw, where),
            statements=self._statements(raw, where) if qtype is QuestionType.MATRIX else (),
            required=required is True,
            show_if=self._condition(raw.get("show_if"), where),
            minimum=self._int(raw, "min", where, -1_000_000, 1_000_000),
            maximum=self._int(raw, "max", where, -1_000_000, 1_000_000),
            max_length=self._max_length(qtype, raw, where),
            max_choices=self._int(raw, "max_choices", where, 1, 100),
            low_label=self._text(raw, "low_label", where, required=False),
            high_label=self._text(raw, "high_label", where, required=False),
            core=self._flag(raw, "core", where),
        )
        self._check_type_rules(question, raw, where)
        self._check_core(question, where)
        self.seen_questions[qid] = question
        return question

    def _options_for(
        self, qtype: QuestionType, raw: Mapping[str, Any], where: str
    ) -> tuple[Option, ...]:
        if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
            options = self._authored_options(raw.get("options"), where)
        elif qtype is QuestionType.AGREEMENT:
            options = built_in_options("agreement")
        elif qtype is QuestionType.FACES:
            points = raw.get("points", 5)
            if not isinstance(points, int) or points not in (3, 5):
                self.problem(where, "a faces scale has 3 or 5 points")
                points = 5
            options = built_in_options(f"faces{points}")
        elif qtype is QuestionType.MATRIX:
            options = self._matrix_scale(raw.get("scale", "agreement"), where)
        elif qtype is QuestionType.SCALE_0_10:
            options = built_in_options("scale_0_10")
        else:
            return ()
        return options + self._extra_options(raw, where)

    def _authored_options(self, raw: Any, where: str) -> tuple[Option, ...]:
        if not isinstance(raw, list) or len(raw) < 2:
            self.problem(where, "a choice question needs a list of at least 2 options")
            return ()
        options, values = [], set()
        for i, item in enumerate(raw, start=1):
            if not isinstance(item, Mapping) or set(item) - OPTION_KEYS:
                self.problem(
                    where,
                    f"option {i} must have exactly a value and a label (and may be exclusive)",
                )
                continue
            value, label = item.get("value"), item.get("label")
            if not isinstance(value, str) or not OPTION_VALUE.match(value):
                self.problem(where, f"option {i} value must be lower-case letters, digits and _")
                continue
            if value in RESERVED_VALUES:
                self.problem(where, f"option value '{value}' is reserved: use {value}: true")
            if value in values:
                self.problem(where, f"duplicate option value '{value}'")
            if not isinstance(label, str) or not label.strip():
                self.problem(where, f"option '{value}' needs a label")
                continue
            values.add(value)
            exclusive = self._flag(item, "exclusive", where, f"option '{value}': exclusive")
            options.append(Option(value=value, label=label.strip(), exclusive=exclusive))
        return tuple(options)

    def _extra_options(self, raw: Mapping[str, Any], where: str) -> tuple[Option, ...]:
        extras: list[Option] = []
        for key, value in ((DONT_KNOW, DONT_KNOW), (RATHER_NOT_SAY, RATHER_NOT_SAY)):
            flag = raw.get(key, False)
            if not isinstance(flag, bool):
                self.problem(where, f"{key} must be true or false")
            elif flag:
                extras.extend(o for o in built_in_options("extras") if o.value == value)
        return tuple(extras)

    def _matrix_scale(self, scale: Any, where: str) -> tuple[Option, ...]:
        if isinstance(scale, str) and scale in MATRIX_SCALES:
            return built_in_options(scale)
        if isinstance(scale, list):
            return self._authored_options(scale, where)
        self.problem(where, f"matrix scale must be {', '.join(MATRIX_SCALES)} or a list of options")
        return ()

    def _statements(self, raw: Mapping[str, Any], where: str) -> tuple[Statement, ...]:
        items = raw.get("statements")
        if not isinstance(items, list) or not items:
            self.problem(where, "a matrix needs a list of statements, each with id and text")
            return ()
        statements, ids = [], set()
        for i, item in enumerate(items, start=1):
            sid = item.get("id") if isinstance(item, Mapping) else None
            text = item.get("text") if isinstance(item, Mapping) else None
            if not isinstance(sid, str) or not ITEM_ID.match(sid) or not isinstance(text, str):
                self.problem(where, f"statement {i} needs an id (a-z, 0-9, _) and text")
                continue
            if sid in ids:
                self.problem(where, f"duplicate statement id '{sid}'")
            ids.add(sid)
            statements.append(Statement(id=sid, text=text.strip()))
        return tuple(statements)

    def _max_length(self, qtype: QuestionType, raw: Mapping[str, Any], where: str) -> int | None:
        if qtype not in DEFAULT_MAX_LENGTH:
            return self._int(raw, "max_length", where, 1, MAX_TEXT_LIMIT)
        return self._int(raw, "max_length", where, 1, MAX_TEXT_LIMIT) or DEFAULT_MAX_LENGTH[qtype]

    def _check_type_rules(self, q: Question, raw: Mapping[str, Any], where: str) -> None:
        if q.type is QuestionType.NUMBER:
            if q.minimum is None or q.maximum is None:
                self.problem(where, "a number question needs both min and max")
            elif q.minimum >= q.maximum:
                self.problem(where, "min must be smaller than max")
        elif "min" in raw or "max" in raw:
            self.problem(where, "min and max apply only to number questions")
        self._check_fields_fit_type(q, raw, where)

    def _check_fields_fit_type(self, q: Question, raw: Mapping[str, Any], where: str) -> None:
        """Fields that belong to other question types are mistakes worth naming."""
        if "max_choices" in raw and q.type is not QuestionType.MULTIPLE_CHOICE:
            self.problem(where, "max_choices applies only to multiple_choice questions")
        if q.max_choices and q.max_choices > len(q.options):
            self.problem(where, "max_choices is more than the number of options")
        if "max_length" in raw and not q.is_text:
            self.problem(where, "max_length applies only to text questions")
        if "options" in raw and q.type not in (
            QuestionType.SINGLE_CHOICE,
            QuestionType.MULTIPLE_CHOICE,
        ):
            self.problem(where, f"a {q.type.value} question has built-in options; remove options")
        if "points" in raw and q.type is not QuestionType.FACES:
            self.problem(where, "points applies only to faces questions")
        if ("statements" in raw or "scale" in raw) and q.type is not QuestionType.MATRIX:
            self.problem(where, "statements and scale apply only to matrix questions")
        if (q.is_text or q.type is QuestionType.NUMBER) and (
            raw.get(DONT_KNOW) or raw.get(RATHER_NOT_SAY)
        ):
            self.problem(where, "dont_know and rather_not_say apply only to questions with options")

    def _check_core(self, question: Question, where: str) -> None:
        """A core question is compared across surveys and waves: it must have answers to
        count, and be shown on the same rule everywhere, which only core questions give."""
        if not question.core:
            return
        if question.type not in CLOSED_TYPES:
            self.problem(
                where,
                "core applies only to questions with answers to choose, "
                "which can be counted and compared",
            )
        if question.show_if is None:
            return
        for target in sorted(rule_questions(question.show_if)):
            found = self.seen_questions.get(target)
            if found is not None and not found.core:
                self.problem(
                    where,
                    f"show_if depends on '{target}', which is not a core "
                    "question: a core question is shown on the same rule in "
                    "every survey",
                )

    # -- show_if --------------------------------------------------------------------------
    def _condition(self, raw: Any, where: str) -> ShowIf | None:
        if raw is None:
            return None
        return read_rule(
            raw,
            self.seen_questions,
            self.earlier_pages_questions,
            report=lambda message: self.problem(where, message),
        )

    # -- small readers ----------------------------------------------------------
    def _unknown_keys(self, where: str, raw: Mapping[str, Any], allowed: Iterable[str]) -> None:
        for key in sorted(set(map(str, raw)) - set(allowed)):
            self.problem(where, f"unknown field '{key}'")

    def _text(self, raw: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = raw.get(key)
        if value is None:
            if required:
                self.problem(where, f"{key} is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(where, f"{key} must be text")
            return ""
        return value.strip()

    def _flag(self, raw: Mapping[str, Any], key: str, where: str, name: str = "") -> bool:
        """An optional true/false field (false when absent)."""
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self.problem(where, f"{name or key} must be true or false")
            return False
        return value

    def _int(self, raw: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(where, f"{key} must be a whole number from {low} to {high}")
            return None
        return value

    def _list(self, raw: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = raw.get(key)
        if not isinstance(value, list):
            self.problem(where, f"{key} must be a list")
            return []
        return value
