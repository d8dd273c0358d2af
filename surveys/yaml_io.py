"""A safe, predictable YAML reader for survey files.

Two changes from PyYAML's safe loader, both to protect authors and the server:
- only ``true``/``false`` are booleans, so an option written ``value: no`` stays
  the text "no" instead of silently becoming ``False`` (YAML 1.1's surprise);
- aliases (``*name``) are refused, which rules out "billion laughs" documents.
"""

from __future__ import annotations

from typing import Any

MAX_FILE_BYTES = 1_000_000
# Survey files nest a handful of levels; far deeper means a hostile or broken file
# (and PyYAML's recursive composer would otherwise hit Python's recursion limit).
MAX_DEPTH = 50


class YamlProblem(ValueError):
    """The text is not YAML we accept; the message is for the author."""


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
    # Here, not at the top: the app reads stored surveys as JSON, and only files need PyYAML.
    import yaml

    from surveys.yaml_loader import SurveyYamlLoader

    try:
        return yaml.load(data, Loader=SurveyYamlLoader)  # noqa: S506 - a SafeLoader subclass
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
