"""Simple themes in free text: which comments mention which topic, by words and phrases.

A term matches whole words: "bus" finds "bus" and "Bus!", never "abuse" or "business". A
term ending in * matches the start of a word ("activit*" finds "activities"). A phrase
matches its words in order, whatever spaces or line breaks are between them. A term
starting with "not " takes a phrase out before the theme looks ("not after school" keeps
"after school" clubs out of School). This is the one matcher: the comments page counts
with it, for the survey's own theme list or for these defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dashboards.disclosure import NOTHING, Tallied

Themes = Mapping[str, tuple[str, ...]]

THEMES: Themes = {
    "Lighting and layout": ("light*", "dark*", "lamp*", "hidden", "corner*"),
    "Youth workers and activities": (
        "youth worker*",
        "youth club*",
        "activit*",
        "club*",
        "after school",
        "somewhere to go",
    ),
    "Police and security": ("police", "security", "cctv", "camera*"),
    "Listening and trust": ("listen*", "trust*", "judg*", "respect*", "honest*"),
    "Transport": ("bus", "buses", "train*", "station*", "transport"),
    "Online": ("online", "social media", "snapchat", "instagram", "tiktok", "phone*"),
    "School": ("school*", "teacher*", "college*", "not after school"),
    "Feeling blamed": ("blame*", "fault*"),
}
EXCLUDE = "not "
MAX_THEMES = 40
MAX_TERMS = 60
MAX_NAME = 80
MAX_TERM = 80


def _term_pattern(term: str) -> str:
    """A term as a regular expression: whole words, or a word start for a trailing *."""
    prefix = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(word) for word in words)
    return rf"\b{body}" if prefix else rf"\b{body}\b"


@dataclass(frozen=True)
class _Matcher:
    find: re.Pattern[str] | None
    leave_out: re.Pattern[str] | None

    @classmethod
    def of(cls, terms: Iterable[str]) -> _Matcher:
        wanted = [t for t in terms if not t.lower().startswith(EXCLUDE)]
        unwanted = [t[len(EXCLUDE) :].strip() for t in terms if t.lower().startswith(EXCLUDE)]
        return cls(_compiled(wanted), _compiled(unwanted))

    def matches(self, text: str) -> bool:
        if self.find is None:
            return False
        if self.leave_out is not None:
            text = self.leave_out.sub(" ", text)
        return self.find.search(text) is not None


def _compiled(terms: list[str]) -> re.Pattern[str] | None:
    usable = [t for t in terms if t.rstrip("*").strip()]
    if not usable:
        return None
    return re.compile("|".join(_term_pattern(t) for t in usable), re.IGNORECASE)


def _matchers(themes: Themes) -> dict[str, _Matcher]:
    return {name: _Matcher.of(terms) for name, terms in themes.items()}


def theme_counts(comments: Iterable[str], themes: Themes = THEMES) -> dict[str, int]:
    """How many comments mention each theme (a comment can mention several)."""
    matchers = _matchers(themes)
    counts = dict.fromkeys(themes, 0)
    for text in comments:
        for theme, matcher in matchers.items():
            if matcher.matches(text):
                counts[theme] += 1
    return counts


def theme_tallies(
    comments: Iterable[tuple[str, int]], themes: Themes = THEMES
) -> dict[str, Tallied]:
    """Per theme, the comments that mention it and the sum of their record keys."""
    matchers = _matchers(themes)
    tallies = dict.fromkeys(themes, NOTHING)
    for text, record_key in comments:
        for theme, matcher in matchers.items():
            if matcher.matches(text):
                tallies[theme] = tallies[theme] + Tallied(1, record_key)
    return tallies


# -- the list as a team writes it ------------------------------------------------------------


class ThemeProblem(ValueError):
    """A theme list that cannot be used; `problems` says why, line by line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def themes_to_text(themes: Themes) -> str:
    """One theme a line: its name, a colon, then its words and phrases separated by commas."""
    return "\n".join(f"{name}: {', '.join(terms)}" for name, terms in themes.items())


def themes_from_text(text: str) -> dict[str, tuple[str, ...]]:
    """The theme list a team wrote (see `themes_to_text`), or every problem with it."""
    themes: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, rest = line.partition(":")
        name = " ".join(name.split())
        terms = tuple(dict.fromkeys(" ".join(t.split()).lower() for t in rest.split(",")))
        terms = tuple(t for t in terms if t)
        problem = _line_problem(number, name, colon, terms, themes)
        if problem:
            problems.append(problem)
            continue
        themes[name] = terms
    if not themes and not problems:
        problems.append("Write at least one theme: a name, a colon, then words or phrases")
    if len(themes) > MAX_THEMES:
        problems.append(f"Keep to {MAX_THEMES} themes at most")
    if problems:
        raise ThemeProblem(problems)
    return themes


def _line_problem(
    number: int, name: str, colon: str, terms: tuple[str, ...], themes: Mapping[str, object]
) -> str:
    where = f"Line {number}"
    if not colon or not name:
        return (
            f"{where}: write the theme's name, a colon, then its words, "
            "like “Transport: bus, train”"
        )
    if len(name) > MAX_NAME:
        return f"{where}: “{name[:30]}…” is too long a name ({MAX_NAME} characters at most)"
    if name in themes:
        return f"{where}: there is already a theme called “{name}”"
    if not [t for t in terms if not t.startswith(EXCLUDE) and t.rstrip("*").strip()]:
        return (
            f"{where}: the theme “{name}” has no words or phrases to look for: add some "
            "after the colon, separated by commas, or delete the line"
        )
    if len(terms) > MAX_TERMS or any(len(t) > MAX_TERM for t in terms):
        return (
            f"{where}: “{name}” has too many or too long terms "
            f"({MAX_TERMS} of {MAX_TERM} characters at most)"
        )
    return ""
