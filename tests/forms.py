"""Read a page's form as a browser would send it, so tests change only what a person would."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.forms: list[tuple[dict[str, str], set[str]]] = []
        self.fields: dict[str, str] = {}
        self.buttons: set[str] = set()
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
            if self.inside:
                self.fields, self.buttons = {}, set()
                self.forms.append((self.fields, self.buttons))
        elif self.inside and tag == "option":
            self._option(found)
        elif self.inside and found.get("name"):
            self._control(tag, found["name"], found)

    def _control(self, tag: str, name: str, found: dict[str, str]) -> None:
        kind = found.get("type", "submit" if tag == "button" else "text")
        if tag == "button" and kind == "submit":
            self.buttons.add(found.get("value", ""))
        elif tag == "input" and kind not in ("checkbox", "radio", "submit"):
            self.fields[name] = found.get("value", "")
        elif tag == "input" and "checked" in found:
            self.fields[name] = found.get("value", "on")
        elif tag == "textarea":
            self._textarea, self.fields[name] = name, ""
        elif tag == "select":
            self._select, self._first_option = name, None

    def _option(self, found: dict[str, str]) -> None:
        if not self._select:
            return
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


def form_fields(page: str, action: str, button: str | None = None) -> dict[str, str]:
    """The fields of the form posting to `action` (the one with a submit button of value
    `button`, if given), with their current values.

    Text inputs, hidden inputs, textareas, the selected option of each select and
    ticked boxes; submit buttons are left out (a test says which one it presses).
    """
    reader = _FormReader(action)
    reader.feed(page)
    fields = next(
        (fields for fields, buttons in reader.forms if button is None or button in buttons), {}
    )
    # A textarea's first newline is not part of its value (HTML parsing rules).
    return {name: value[1:] if value.startswith("\n") else value for name, value in fields.items()}
