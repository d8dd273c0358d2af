"""The PyYAML loader behind `surveys.yaml_io.read_yaml`, in its own module so that PyYAML
is imported by the first survey file read, not by every process that imports `surveys`."""

from __future__ import annotations

import re
from typing import Any

import yaml

from surveys.yaml_io import MAX_DEPTH, YamlProblem


class SurveyYamlLoader(yaml.SafeLoader):
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
SurveyYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SurveyYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
