"""Simple themes in free text: which comments mention which topic, by keyword.

Keywords match at the start of a word ("activit" finds "activities"; "bus" never
finds "abuse"), and phrases match whole. This is the one matcher: the comments
page counts with it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from dashboards.disclosure import NOTHING, Tallied

THEMES: Mapping[str, tuple[str, ...]] = {
    "Lighting and layout": ("light", "dark", "lamp", "hidden", "corner"),
    "Youth workers and activities": (
        "youth worker",
        "youth club",
        "activit",
        "club",
        "somewhere to go",
    ),
    "Police and security": ("police", "security", "cctv", "camera"),
    "Listening and trust": ("listen", "trust", "judge", "respect", "honest"),
    "Transport": ("bus", "train", "station", "transport"),
    "Online": ("online", "social media", "snapchat", "instagram", "tiktok", "phone"),
    "School": ("school", "teacher", "college"),
    "Feeling blamed": ("blame", "fault"),
}


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b{re.escape(w)}" for w in words), re.IGNORECASE)


_PATTERNS = {theme: _pattern(words) for theme, words in THEMES.items()}


def theme_counts(comments: Iterable[str]) -> dict[str, int]:
    """How many comments mention each theme (a comment can mention several)."""
    counts = dict.fromkeys(THEMES, 0)
    for text in comments:
        for theme, pattern in _PATTERNS.items():
            if pattern.search(text):
                counts[theme] += 1
    return counts


def theme_tallies(comments: Iterable[tuple[str, int]]) -> dict[str, Tallied]:
    """Per theme, the comments that mention it and the sum of their record keys."""
    tallies = dict.fromkeys(THEMES, NOTHING)
    for text, record_key in comments:
        for theme, pattern in _PATTERNS.items():
            if pattern.search(text):
                tallies[theme] = tallies[theme] + Tallied(1, record_key)
    return tallies
