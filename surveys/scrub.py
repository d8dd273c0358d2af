"""Remove contact details and identifiers from free text before it is stored.

Respondents are asked not to write names, schools or addresses; some will
anyway. The scrubber catches what a pattern can: e-mail addresses, web
addresses, phone numbers, UK postcodes and social media handles.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|co\.uk|org\.uk|uk|io|me|app|ly|gg|tv|info)\b(?:/\S*)?",
    re.IGNORECASE,
)
# A run of digits with the separators people type; checked for length below.
PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
# Only B, E, G, L, M, N, S and W are postcode areas on their own; other single letters
# are school years and the like ("Y9 2nd set").
POSTCODE = re.compile(r"\b(?:[BEGLMNSW]|[A-Z]{2})\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
# "@name@more" is removed whole: leaving "@more" would make it look like a handle next time.
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})(?:@[A-Za-z0-9_.]*)*")

REMOVED = {
    "email": "[email removed]",
    "url": "[web address removed]",
    "phone": "[phone number removed]",
    "postcode": "[postcode removed]",
    "handle": "[username removed]",
}


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group())
    # 9+ digits is a phone number; shorter runs are ages, years, counts.
    return REMOVED["phone"] if digits >= 9 else match.group()


def _scrub_once(text: str) -> str:
    text = EMAIL.sub(REMOVED["email"], text)
    text = URL.sub(REMOVED["url"], text)
    text = PHONE_LIKE.sub(_phone, text)
    text = POSTCODE.sub(REMOVED["postcode"], text)
    return HANDLE.sub(REMOVED["handle"], text)


def scrub(text: str) -> str:
    """Return the text with e-mails, URLs, phone numbers, postcodes and handles replaced."""
    # Removing one detail can expose another glued to it ("site.uk07700900123" leaves
    # "site.uk" at a word boundary), so repeat until nothing changes; stored text is then
    # the same when a respondent sends it back unchanged.
    for _ in range(5):
        scrubbed = _scrub_once(text)
        if scrubbed == text:
            break
        text = scrubbed
    return text
