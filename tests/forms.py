"""Read a page's form as a browser would send it, so tests change only what a person would."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
            return
        if not self.inside:
            return
        name = found.get("name")
        if tag == "input" and name and found.get("type") not in ("checkbox", "radio", "submit"):
            self.fields[name] = found.get("value", "")
        elif tag == "input" and name and "checked" in found:
            self.fields[name] = found.get("value", "on")
        elif tag == "textarea" and name:
            self._textarea, self.fields[name] = name, ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = found.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in found:
                self.fields[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(page: str, action: str) -> dict[str, str]:
    """The fields of the form posting to `action`, with their current values.

    Text inputs, hidden inputs, textareas, the selected option of each select and
    ticked boxes; submit buttons are left out (a test says which one it presses).
    """
    reader = _FormReader(action)
    reader.feed(page)
    # A textarea's first newline is not part of its value (HTML parsing rules).
    return {name: value[1:] if value.startswith("\n") else value
            for name, value in reader.fields.items()}
