"""Reading a survey file someone uploaded: bounded in size, in shape and in time.

A survey file is small, but a hostile one can be made to cost minutes of CPU or
gigabytes of memory: a 180 KB workbook that expands to 49 MB, a 41 KB one whose header
row is thousands of columns wide (the reader visits every column of every row), YAML
with 60,000 unknown fields (each a problem to list, on a page of megabytes). So:

- before anything expands it, an .xlsx is checked as a zip (surveys.xlsform: entries
  and declared expanded size), then its XML is streamed, counting rows, columns and
  cells, and refused past MAX_ROWS, MAX_COLUMNS or MAX_CELLS;
- YAML's values are counted by libyaml (fast, in C) and refused past MAX_YAML_NODES,
  before the careful reader (pure Python, about 100 KB a second) sees it;
- reading (pyxform, or YAML) and validating run in a separate process with limits on
  CPU time and memory, and it is killed after TIME_LIMIT_SECONDS;
- at most MAX_PROBLEMS problems are listed, then how many more there are.

Whatever the file, the answer is a `SurveyFile` or a `SurveyDefinitionError` that says
what is wrong, within seconds.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import resource
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any
from xml.parsers import expat

from surveys.loader import (
    XLSFORM_SUFFIXES,
    DefinitionProblem,
    SurveyDefinitionError,
    SurveyFile,
    parse_survey,
)

MAX_ROWS = 10_000
# pyxform reads every row as wide as the header row: rows x columns is what it costs.
MAX_COLUMNS = 250
MAX_CELLS = 250_000
# The largest shipped survey has under 2,000 values (keys, texts, lists, mappings).
MAX_YAML_NODES = 20_000
MAX_PROBLEMS = 50
TIME_LIMIT_SECONDS = 10
# Memory the reading process may use beyond what it starts with.
MEMORY_LIMIT_BYTES = 768 * 1024 * 1024
_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass(frozen=True)
class Limits:
    """What one upload may cost (tests use smaller ones)."""

    seconds: float = TIME_LIMIT_SECONDS
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    yaml_nodes: int = MAX_YAML_NODES
    problems: int = MAX_PROBLEMS


def read_uploaded_survey(data: bytes, filename: str, limits: Limits | None = None) -> SurveyFile:
    """Read and validate an uploaded survey file (YAML, or an XLSForm by its name) in a
    separate, limited process. Raises SurveyDefinitionError with at most
    `limits.problems` problems (and a last one counting the rest)."""
    limits = limits or Limits()
    context = multiprocessing.get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    reader = context.Process(
        target=_read_in_child, args=(sender, data, filename, limits), daemon=True
    )
    reader.start()
    sender.close()
    try:
        outcome = receiver.recv() if receiver.poll(limits.seconds) else None
    except EOFError:  # the process died: over its memory or CPU limit
        outcome = None
    finally:
        receiver.close()
        reader.kill()
        reader.join()
    if outcome is None:
        raise _refusal(
            filename,
            f"could not be read within {limits.seconds:g} seconds "
            "and the memory allowed; a survey file is far smaller and "
            "simpler than this one",
        )
    if isinstance(outcome, SurveyFile):
        return outcome
    raise SurveyDefinitionError(outcome)


def _refusal(filename: str, message: str) -> SurveyDefinitionError:
    return SurveyDefinitionError([DefinitionProblem(filename, "file", message)])


def _read_in_child(sender: Connection, data: bytes, filename: str, limits: Limits) -> None:
    _limit_resources(limits)
    try:
        outcome: SurveyFile | list[DefinitionProblem] = read_survey_bytes(data, filename, limits)
    except SurveyDefinitionError as error:
        outcome = first_problems(error.problems, limits.problems, filename)
    except MemoryError:
        outcome = _refusal(filename, "needs more memory to read than a survey file can").problems
    sender.send(outcome)
    sender.close()


def _limit_resources(limits: Limits) -> None:
    """CPU seconds and memory for this process: past them it is stopped by the kernel."""
    seconds = max(1, int(limits.seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    in_use = _address_space_in_use()
    if in_use is not None:
        ceiling = in_use + MEMORY_LIMIT_BYTES
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _address_space_in_use() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None  # not Linux: the time limit still holds


def first_problems(
    problems: list[DefinitionProblem], most: int, filename: str
) -> list[DefinitionProblem]:
    """At most `most` problems, then one that says how many more there are."""
    if len(problems) <= most:
        return problems
    rest = len(problems) - most
    return [
        *problems[:most],
        DefinitionProblem(filename, "file", f"and {rest} more problems; correct these first"),
    ]


def read_survey_bytes(data: bytes, filename: str, limits: Limits | None = None) -> SurveyFile:
    """Read and validate survey bytes in this process, after the shape checks (what the
    separate process runs; call `read_uploaded_survey` for files from anyone else)."""
    limits = limits or Limits()
    if filename.lower().endswith(XLSFORM_SUFFIXES):
        # Imported here: pyxform is slow to import and only workbooks need it.
        from surveys.xlsform import check_container, convert_xlsform

        check_container(data, filename)
        check_workbook_shape(data, filename, limits)
        converted = convert_xlsform(data, filename)
        return SurveyFile(
            parse_survey(converted.definition, source=filename),
            converted.definition,
            converted.warnings,
        )
    from surveys.yaml_io import YamlProblem, read_yaml

    check_yaml_size(data, filename, limits)
    try:
        document = read_yaml(data)
    except YamlProblem as problem:
        raise _refusal(filename, str(problem)) from None
    return SurveyFile(parse_survey(document, source=filename), document)


def check_yaml_size(data: bytes, filename: str, limits: Limits | None = None) -> None:
    """Refuse YAML with more than `limits.yaml_nodes` values, counted as libyaml parses
    it. What libyaml cannot parse is left for the reader, which says where and why."""
    import yaml

    limits = limits or Limits()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    counted = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    nodes = 0
    try:
        for event in yaml.parse(data, Loader=loader):
            nodes += isinstance(event, counted)
            if nodes > limits.yaml_nodes:
                raise _refusal(
                    filename, f"has more than {limits.yaml_nodes} values; a survey has far fewer"
                )
    except yaml.YAMLError:
        return


@dataclass
class _Shape:
    rows: int = 0
    cells: int = 0
    widest: int = 0  # the widest row, in columns
    in_row: int = 0  # cells so far in the current row


def check_workbook_shape(data: bytes, filename: str, limits: Limits | None = None) -> None:
    """Count the rows, columns and cells of every XML part of the workbook as it streams
    out of the zip, and refuse it as soon as one is past its limit."""
    limits = limits or Limits()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.infolist():
            if entry.filename.lower().endswith(".xml"):
                with archive.open(entry) as part:
                    _check_part(part, entry.filename, filename, limits)


def _check_part(part: Any, name: str, filename: str, limits: Limits) -> None:
    shape = _Shape()
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_doctype(*_args: Any) -> None:
        raise _refusal(filename, f"{name} declares a DOCTYPE, which no spreadsheet has")

    def count(tag: str, attributes: dict[str, str]) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local == "row":
            shape.rows += 1
            shape.in_row = 0
        elif local == "c":
            shape.cells += 1
            shape.in_row += 1
            # A cell without a reference is the next one along, as readers place it.
            found = _CELL_REFERENCE.fullmatch(attributes.get("r", ""))
            column = _column_number(found.group(1)) if found else shape.in_row
            shape.widest = max(shape.widest, column)
        _check_shape(shape, name, filename, limits)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartElementHandler = count
    try:
        while chunk := part.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _refusal(
            filename,
            f"{name} inside it is not well-formed XML: the file "
            "is damaged, or not an .xlsx spreadsheet",
        ) from None


def _check_shape(shape: _Shape, name: str, filename: str, limits: Limits) -> None:
    sheet = name.rsplit("/", 1)[-1]
    if shape.rows > limits.rows:
        raise _refusal(
            filename,
            f"has more than {limits.rows} rows in {sheet}; a survey "
            "has far fewer (delete empty or unused rows)",
        )
    if shape.widest > limits.columns:
        raise _refusal(
            filename,
            f"uses more than {limits.columns} columns in {sheet}; delete the unused columns",
        )
    if shape.cells > limits.cells or shape.rows * shape.widest > limits.cells:
        raise _refusal(
            filename,
            f"has more than {limits.cells} cells in {sheet}; a "
            "survey has far fewer (delete unused rows and columns)",
        )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def preload() -> None:
    """Start the reading processes' server with the readers already imported, so each
    upload forks a ready process instead of importing pyxform again."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(
        ["surveys.uploads", "surveys.xlsform", "surveys.loader", "surveys.yaml_loader"]
    )
