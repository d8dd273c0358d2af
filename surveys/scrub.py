"""Remove contact details and identifiers from free text before it is stored.

Respondents are asked not to write names, schools or addresses; some will
anyway. The scrubber catches what a pattern can: e-mail addresses, web
addresses, phone numbers, UK postcodes and social media handles.

People disguise contact details ("O77OO/9OO/123", "jo dot bloggs at gmail dot com",
full-width "＠", Arabic-Indic digits), so detection reads a *normalised* copy of the text:
NFKC, every script's digits as ASCII digits, invisible format characters dropped, the
letter O read as 0 inside a run of digits (l and I as 1 between digits), and a spelled-out
"at"/"dot" (also bracketed, also Polish "małpa"/"kropka") read as @ and . where they join
the parts of an address. Each normalised character remembers the span of the original it
came from, and only those original spans are replaced: the rest of the answer stays exactly
as typed (an Urdu age keeps its Urdu digits).

Limits, chosen on purpose:
- A phone number needs 9 or more digits, so ages, years, times, counts and the
  short helpline numbers ("0800 1111", "116 123") survive.
- A username after a platform word ("snap", "insta", "tiktok", ...) is removed when it
  looks like one (a digit, "_" or ".") or is announced ("snap: jo", "my snap is jo",
  "add me on snap jo", "snap name jo") and is not a common word; "snap decisions" and
  "on tiktok a lot" are left alone, and so is a plain-word username written without such
  an announcement ("insta jobloggs").
- "@3pm" and "@12:30" are times, not handles, and are left alone.
- "jo at example.com" (a plain "at" and a real dot) is only read as an e-mail address at a
  well-known mail provider, so "I looked at bbc.co.uk" keeps "I looked at".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Both start only where a run of address characters starts: trying every position inside
# a long run ("a.a.a.a...") made them quadratic, and a match found from inside a run is
# found from its start too.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|co\.uk|org\.uk|uk|io|me|app|ly|gg|tv|info)\b(?:/\S*)?",
    re.IGNORECASE,
)
# A run of digits with the separators people type; checked for length below. Other
# checks (tests among them) use it to find what looks like a phone number.
PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
_DASHES = "\u2010-\u2015\u2212"  # hyphens, figure dash, en and em dashes, bar, minus
_PHONE_RUN = re.compile(rf"\+?\(?\d[\d\s().\-{_DASHES}]{{6,}}\d")
# Digit groups joined by slashes or tildes, perhaps after a prefix ("+44 7700/900/123").
_GROUP = rf"\(?\d[\d().\-{_DASHES}]*"
_SLASHED_NUMBER = re.compile(
    rf"(?P<prefix>\+?\(?\d+\)?[^\S\n])?{_GROUP}(?:[^\S\n]*[/~\u30fc][^\S\n]*{_GROUP})+"
)
_LONGEST_SLASHED_NUMBER = 40  # "+44 (0) 7700 / 900 / 123" is 24
_DATE = re.compile(
    r"(?<!\d)(?:\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}([/.-])\d{1,2}\2\d{1,2})(?!\d)"
)
_MIN_PHONE_DIGITS = 9

# Postcode areas are a closed list; using it keeps two-letter words ("is 9 2nd") out.
_POSTCODE_AREAS = (
    "AB|AL|B|BA|BB|BD|BF|BH|BL|BN|BR|BS|BT|BX|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|"
    "DH|DL|DN|DT|DY|E|EC|EH|EN|EX|FK|FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|"
    "KA|KT|KW|KY|L|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|"
    "PO|PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|"
    "UB|W|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE"
)
POSTCODE = re.compile(
    rf"\b(?=[A-Z]{{1,2}}[^\S\n]?\d)(?:{_POSTCODE_AREAS})"
    rf"[^\S\n]?\d[A-Z\d]?\s*(?:[-{_DASHES}]\s*)?\d[ABD-HJLNP-UW-Z]{{2}}\b",
    re.IGNORECASE,
)
# "S4 1st team", "ME 2 2nd": a school year or a count followed by an ordinal.
_YEAR_AND_ORDINAL = re.compile(r"[A-Za-z]{1,2}\s?\d\s*(?:1st|2nd|3rd|[04-9]th)")

# "@name@more" is removed whole: leaving "@more" would make it look like a handle next time.
# "@3pm" and "@12:30" are times.
HANDLE = re.compile(
    r"(?<![\w.@])@(?!(?:\d{1,2}(?:[:.]\d{2})?\s?(?i:am|pm)|\d{1,2}[:.]\d{2})\b)"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})(?:@[A-Za-z0-9_.]*)*"
)

REMOVED = {
    "email": "[email removed]",
    "url": "[web address removed]",
    "phone": "[phone number removed]",
    "postcode": "[postcode removed]",
    "handle": "[username removed]",
}


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# -- normalising for detection ---------------------------------------------------------------

# Zero-width and direction marks: invisible, so they can hide inside a number.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]+"
)
_OTHER_DIGITS = re.compile(r"(?:(?![0-9])\d)+")
# A run of digits and look-alike letters standing apart from other letters ("O77OO").
_DIGITS_AND_LOOKALIKES = re.compile(r"(?<![^\W\d_])(?=[OolI]*[0-9])[0-9OolI]++(?![^\W\d_])")

_AT_WORDS = r"at|ma[łl]pa"
_DOT_WORDS = r"dot|kropka"
_AT = rf"\s*[(\[{{<]\s*(?:at|@)\s*[)\]}}>]\s*|\s+(?:{_AT_WORDS})\s+|\s*@\s*"
_DOT = rf"\s*[(\[{{<]\s*(?:dot|\.)\s*[)\]}}>]\s*|\s+(?:{_DOT_WORDS})\s+|\."
_NOT_A_SEPARATOR_WORD = rf"(?!(?:{_AT_WORDS}|{_DOT_WORDS})\b)"
_LOCAL = rf"{_NOT_A_SEPARATOR_WORD}[\w+-]+"
_LABEL = rf"{_NOT_A_SEPARATOR_WORD}[\w-]+"
# An address must end in a real top-level domain, so "me at jo dot bloggs" is not one.
_TLD = (
    "com|net|org|edu|gov|info|biz|io|me|co|uk|ie|pl|pk|in|de|fr|es|it|nl|eu|us|ca|au|nz|"
    "ae|sa|eg|qa|bd|lk|ng|gh|ke|za|tr|ro|lt|lv|ua|ru|cz|sk|hu|pt|br|ir|af|iq|sy|jo|lb|ma|"
    "dz|tn|so|ye|om|xyz|app|dev|online"
)
# Bounded repetition keeps a long "a dot a dot a ..." from costing time squared.
_SPELLED_ADDRESS = re.compile(
    rf"(?<![\w.+-]){_LOCAL}(?:(?:{_DOT}){_LOCAL}){{0,4}}(?:{_AT})"
    rf"{_LABEL}(?:(?:{_DOT}){_LABEL}){{0,3}}(?:{_DOT})(?:{_TLD})(?![\w-])",
    re.IGNORECASE,
)
_ADDRESS_SEPARATOR = re.compile(rf"(?P<at>{_AT})|(?P<dot>{_DOT})", re.IGNORECASE)
# Brackets, a spelled-out dot or "małpa" only ever join an address; a plain " at " joins
# ordinary words too, so with it only well-known mail providers count.
_UNAMBIGUOUS_SEPARATOR = re.compile(rf"[(\[{{<]|\b(?:{_DOT_WORDS}|ma[łl]pa)\b", re.IGNORECASE)
_MAIL_PROVIDERS = _word_set(
    "gmail googlemail hotmail outlook live msn yahoo ymail icloud me mac aol btinternet sky "
    "virginmedia talktalk protonmail proton pm gmx mail wp onet o2 interia yandex"
)


@dataclass(frozen=True)
class _Normalised:
    """Text for detection, with the span of the original each character came from."""

    text: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


_Edit = tuple[int, int, str]


def _apply(normalised: _Normalised, edits: Iterable[_Edit]) -> _Normalised:
    """Replace spans of the normalised text, keeping each character's original span."""
    text, starts, ends = normalised.text, normalised.starts, normalised.ends
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    done = 0
    for start, end, replacement in edits:
        pieces.append(text[done:start])
        new_starts += starts[done:start]
        new_ends += ends[done:start]
        if len(replacement) == end - start:
            new_starts += starts[start:end]
            new_ends += ends[start:end]
        else:
            new_starts += [starts[start]] * len(replacement)
            new_ends += [ends[end - 1]] * len(replacement)
        pieces.append(replacement)
        done = end
    if not pieces:
        return normalised
    pieces.append(text[done:])
    return _Normalised("".join(pieces), new_starts + starts[done:], new_ends + ends[done:])


def _substitute(
    normalised: _Normalised, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> _Normalised:
    edits = ((m.start(), m.end(), replace(m)) for m in pattern.finditer(normalised.text))
    return _apply(
        normalised, (edit for edit in edits if edit[2] != normalised.text[edit[0] : edit[1]])
    )


def _nfkc(text: str) -> _Normalised:
    positions = list(range(len(text) + 1))
    if unicodedata.is_normalized("NFKC", text):
        return _Normalised(text, positions[:-1], positions[1:])
    # Normalise a character together with the combining marks after it, so an accented
    # letter typed as two code points becomes one letter, as in a word.
    edits: list[_Edit] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        edits.append((start, end, unicodedata.normalize("NFKC", text[start:end])))
        start = end
    identity = _Normalised(text, positions[:-1], positions[1:])
    return _apply(identity, (edit for edit in edits if edit[2] != text[edit[0] : edit[1]]))


def _ascii_digits(match: re.Match[str]) -> str:
    return "".join(str(unicodedata.decimal(ch)) for ch in match.group())


def _lookalikes_as_digits(match: re.Match[str]) -> str:
    chars = ["0" if ch in "Oo" else ch for ch in match.group()]
    for i in range(1, len(chars) - 1):
        if chars[i] in "lI" and chars[i - 1].isdigit() and chars[i + 1].isdigit():
            chars[i] = "1"
    return "".join(chars)


def _address_edits(match: re.Match[str]) -> list[_Edit]:
    """Separators of a spelled-out address as @ and ., or none if it is not an address."""
    separators = list(_ADDRESS_SEPARATOR.finditer(match.group()))
    if not any(_UNAMBIGUOUS_SEPARATOR.search(s.group()) for s in separators):
        at = next((s for s in separators if s.group("at")), None)
        provider = re.match(r"[\w-]+", match.group()[at.end() :]) if at else None
        if provider is None or provider.group().lower() not in _MAIL_PROVIDERS:
            return []
    offset = match.start()
    return [
        (offset + s.start(), offset + s.end(), "@" if s.group("at") else ".")
        for s in separators
        if s.group() not in ("@", ".")
    ]


def _spelled_addresses(normalised: _Normalised) -> _Normalised:
    edits = [e for m in _SPELLED_ADDRESS.finditer(normalised.text) for e in _address_edits(m)]
    return _apply(normalised, edits)


def _normalise(text: str) -> _Normalised:
    normalised = _nfkc(text)
    normalised = _substitute(normalised, _INVISIBLE, lambda m: "")
    normalised = _substitute(normalised, _OTHER_DIGITS, _ascii_digits)
    normalised = _substitute(normalised, _DIGITS_AND_LOOKALIKES, _lookalikes_as_digits)
    return _spelled_addresses(normalised)


# -- detection on the normalised text --------------------------------------------------------

_Span = tuple[int, int]


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _emails(text: str) -> list[_Span]:
    return [m.span() for m in EMAIL.finditer(text)]


def _urls(text: str) -> list[_Span]:
    return [m.span() for m in URL.finditer(text)]


def _phones(text: str) -> list[_Span]:
    if _digit_count(text) < _MIN_PHONE_DIGITS:
        return []
    runs = _PHONE_RUN.finditer(text)
    found = [m.span() for m in runs if _digit_count(m.group()) >= _MIN_PHONE_DIGITS]
    return found + _slashed_phones(text)


def _slashed_phones(text: str) -> list[_Span]:
    """Numbers grouped with slashes or tildes ("07700/900/123"), which the library finds.

    Every other long run is found by its length above. The library reads only these
    short candidates, with dates blanked out: it is slow on long text, and in a long run
    it judges the whole and misses a number among dates.
    """
    undated = _DATE.sub(lambda m: "#" * len(m.group()), text)
    return [
        span
        for candidate in _SLASHED_NUMBER.finditer(undated)
        for span in _library_on(undated, candidate)
    ]


def _library_on(text: str, candidate: re.Match[str]) -> list[_Span]:
    # A prefix is a country or area code, or just a number before this one ("2 07700/...").
    starts = [candidate.start()]
    if candidate.group("prefix"):
        starts.append(candidate.end("prefix"))
    for start in starts:
        number = text[start : candidate.end()]
        if len(number) > _LONGEST_SLASHED_NUMBER or _digit_count(number) < _MIN_PHONE_DIGITS:
            continue
        if spans := _library(number):
            return [(start + a, start + b) for a, b in spans]
    return []


def _library(text: str) -> list[_Span]:
    # POSSIBLE, not VALID: a made-up or foreign number is still a way to reach someone.
    import phonenumbers  # 60 MB of metadata: loaded with the first free-text answer

    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    return [(m.start, m.end) for m in matcher if _digit_count(m.raw_string) >= _MIN_PHONE_DIGITS]


def _postcodes(text: str) -> list[_Span]:
    return [m.span() for m in POSTCODE.finditer(text) if not _YEAR_AND_ORDINAL.fullmatch(m.group())]


def _at_handles(text: str) -> list[_Span]:
    return [m.span() for m in HANDLE.finditer(text)]


# -- usernames after a platform word ---------------------------------------------------------

_PLATFORMS = (
    r"snapchat|snap|sc|instagram|insta|ig|tik ?tok|tt|discord|x\s*/\s*twitter|twitter\s*/\s*x|"
    r"twitter|telegram|whatsapp|facebook|fb|kik|youtube|yt|twitch|roblox|xbox|psn|bereal"
)
_PLATFORM_HANDLE = re.compile(
    r"(?P<owner>\b(?:my|his|her|their|our|me\s+(?:on|at|via))\s+)?"
    rf"\b(?:{_PLATFORMS})\b"
    r"(?P<label>\s+(?:user\s?name|name|handle|id|acc(?:ount)?))?"
    rf"(?P<sep>\s*[:=]\s*|\s+(?:is|as)\s+|\s*[-{_DASHES}]\s*|\s+)"
    r"(?P<token>[\w@.#-]+)",
    re.IGNORECASE,
)
_HANDLE_SHAPE = re.compile(r"@?[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:#\d{4})?")
# "snap 24hrs", "tiktok 3rd": a number with a unit, not a username.
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|h|hrs?|hours?|mins?|m|s|x|k|yrs?|years?|days?|weeks?|times?)",
    re.IGNORECASE,
)
# Words that follow "snap:", "my insta is" or "add me on tiktok" in ordinary answers.
_COMMON_WORDS = _word_set(
    """
    a about addictive after again all also always an and annoying any anyway are as at
    bad banned because been before being best better blocked boring both but by can cant
    chat chats chatting cool could dead deleted did didnt dms do does doesnt done down
    each even ever every family few fine for free friends from full fun funny games
    gaming gone good got great hacked had has have he her here him his horrible how i if
    in into is it its just kind later less like likes loads lol lot lots made main many
    me mean memes messages messaging mine more most mostly much music my nasty never new
    news next nice no none nor not nothing now of off often ok okay old on once one only
    or other our out over people photos pictures please pls posts private public quite
    really rubbish safe same scary school scrolling see she should so some sometimes
    stories story streaks stuff such talking terrible than thanks that the their them
    then there these they thing things this those though through to today too toxic
    under unsafe until up us used useful useless very videos was we were what when where
    which while who why will with without worst would yes yet you your
    """
)


def _looks_like_handle(handle: str) -> bool:
    return handle.startswith("@") or any(ch.isdigit() or ch in "_.#" for ch in handle)


def _is_announced(match: re.Match[str]) -> bool:
    """The words around the platform say a username comes next ("snap: ", "my snap is")."""
    sep = match.group("sep").strip().lower()
    owner = (match.group("owner") or "").lower()
    return (
        sep in (":", "=")
        or bool(match.group("label"))
        or owner.startswith("me")
        or (sep in ("is", "as") and bool(owner))
    )


def _platform_handle(match: re.Match[str]) -> _Span | None:
    handle = match.group("token").rstrip(".-")
    if (
        not _HANDLE_SHAPE.fullmatch(handle)
        or not any(ch.isalpha() for ch in handle)
        or _NUMBER_WITH_UNIT.fullmatch(handle)
    ):
        return None
    if _looks_like_handle(handle) or (_is_announced(match) and handle.lower() not in _COMMON_WORDS):
        return match.start("token"), match.start("token") + len(handle)
    return None


def _platform_handles(text: str) -> list[_Span]:
    spans: list[_Span] = []
    position = 0
    while match := _PLATFORM_HANDLE.search(text, position):
        span = _platform_handle(match)
        if span is not None:
            spans.append(span)
            position = span[1]
        else:
            # The word after this platform might itself be a platform ("snap insta jo_b").
            position = match.end("sep")
    return spans


# -- replacing ---------------------------------------------------------------------------

# In order of precedence: where two overlap, the earlier kind names the removed whole.
_DETECTORS: tuple[tuple[str, Callable[[str], list[_Span]]], ...] = (
    ("email", _emails),
    ("url", _urls),
    ("phone", _phones),
    ("postcode", _postcodes),
    ("handle", _at_handles),
    ("handle", _platform_handles),
)


def _found(text: str) -> list[tuple[int, int, str]]:
    """Spans of the original text to remove, merged where they overlap."""
    normalised = _normalise(text)
    spans = [
        (*normalised.original_span(start, end), kind)
        for kind, detect in _DETECTORS
        for start, end in detect(normalised.text)
    ]
    spans.sort(key=lambda span: span[0])  # stable: ties keep the order of precedence
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if merged and start < merged[-1][1]:
            first_start, first_end, first_kind = merged[-1]
            merged[-1] = (first_start, max(first_end, end), first_kind)
        else:
            merged.append((start, end, kind))
    return merged


def _scrub_once(text: str) -> str:
    pieces: list[str] = []
    done = 0
    for start, end, kind in _found(text):
        pieces += [text[done:start], REMOVED[kind]]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


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
