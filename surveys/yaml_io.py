"""A safe, predictable YAML reader for survey files.

Two changes from PyYAML's safe loader, both to protect authors and the server:
- only ``true``/``false`` are booleans, so an option written ``value: no`` stays
  the text "no" instead of silently becoming ``False`` (YAML 1.1's surprise);
- aliases (``*name``) are refused, which rules out "billion laughs" documents.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_FILE_BYTES = 1_000_000
# Survey files nest a handful of levels; far deeper means a hostile or broken file
# (and PyYAML's recursive composer would otherwise hit Python's recursion limit).
MAX_DEPTH = 50


class YamlProblem(ValueError):
    """The text is not YAML we accept; the message is for the author."""


class _SurveyYamlLoader(yaml.SafeLoader):
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise YamlProblem(
                f"line {self._next_line()}: aliases (*name) are not allowed in survey files"
            )
        if self._depth >= MAX_DEPTH:
            raise YamlProblem(f"line {self._next_line()}: nested more than {MAX_DEPTH} levels deep")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _next_line(self) -> int:
        """The line (from 1) where the next event starts."""
        # types-PyYAML leaves Parser.peek_event unannotated; it returns the next yaml.Event.
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        assert event.start_mark is not None  # the parser marks every event it makes
        return event.start_mark.line + 1


# Replace the YAML 1.1 boolean resolver with one that knows only true and false.
_SurveyYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SurveyYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(data: bytes | str) -> Any:
    """Parse one YAML document, raising YamlProblem with a readable message."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise YamlProblem(f"the file is larger than {MAX_FILE_BYTES // 1000} KB")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlProblem(f"the file is not UTF-8 text (byte {exc.start})") from None
    elif len(data) > MAX_FILE_BYTES:
        raise YamlProblem(f"the file is larger than {MAX_FILE_BYTES // 1000} KB")
    try:
        return yaml.load(data, Loader=_SurveyYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise YamlProblem(f"{where}{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"not valid YAML ({exc})") from None
    except YamlProblem:
        raise
    except (ValueError, TypeError, AttributeError, LookupError, ArithmeticError) as exc:
        # PyYAML's constructors raise these for values such as `2024-13-45`, `!!int abc` or
        # an empty `!!bool`.
        raise YamlProblem(f"a value cannot be read ({exc})") from None
