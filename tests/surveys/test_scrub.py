"""The scrubber removes contact details from free text and leaves ordinary words alone."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from surveys.scrub import REMOVED, scrub

EMAIL = REMOVED["email"]
URL = REMOVED["url"]
PHONE = REMOVED["phone"]
POSTCODE = REMOVED["postcode"]
HANDLE = REMOVED["handle"]


@pytest.mark.parametrize(
    "email",
    [
        "kid@example.com",
        "first.last+tag@school.sch.uk",
        "A_B-c@mail.example.org",
        "sam123@gmail.co.uk",
    ],
)
def test_emails_are_removed(email: str) -> None:
    assert scrub(f"Email me at {email} please") == f"Email me at {EMAIL} please"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "https://example.com/path?x=1&y=2",
        "HTTPS://EXAMPLE.ORG/Page",
        "www.example.net",
        "www.something-else.info/a/b",
        "example.co.uk",
        "my-club.org.uk",
        "instagram.com/some.user",
        "bit.ly/abc123",
        "discord.gg/invite",
        "twitch.tv/streamer",
        "sub.domain.example.com",
    ],
)
def test_web_addresses_are_removed(url: str) -> None:
    assert scrub(f"look at {url} now") == f"look at {URL} now"


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "020 7946 0958",
        "(020) 7946-0958",
        "0207 946 0958",
        "0161 496 0000",
        "01632 960001",
        "0044 7700 900123",
    ],
)
def test_uk_phone_numbers_are_removed(phone: str) -> None:
    assert scrub(f"ring {phone} after school") == f"ring {PHONE} after school"


@pytest.mark.parametrize(
    "postcode",
    [
        "SW1A 1AA",
        "sw1a 1aa",
        "m1 1ae",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "EC1A1BB",
        "W1A 0AX",
        "E1 6AN",
        "ec1a 1bb",
    ],
)
def test_postcodes_are_removed(postcode: str) -> None:
    assert scrub(f"I live near {postcode}, by the park") == (f"I live near {POSTCODE}, by the park")


@pytest.mark.parametrize("handle", ["@some_user", "@Some.User", "@abc", "@user_2010", "@x1"])
def test_social_handles_are_removed(handle: str) -> None:
    assert scrub(f"follow {handle} on insta") == f"follow {HANDLE} on insta"


def test_handle_in_brackets_and_at_start() -> None:
    assert scrub("@coolkid said hi (@other_kid)") == f"{HANDLE} said hi ({HANDLE})"


def test_several_kinds_in_one_answer() -> None:
    text = (
        "I'm Sam, email sam@example.com, text 07700 900123, "
        "I live at SW1A 1AA, snap @sam_2010, blog www.sam.me"
    )
    assert scrub(text) == (
        f"I'm Sam, email {EMAIL}, text {PHONE}, I live at {POSTCODE}, snap {HANDLE}, blog {URL}"
    )


def test_email_is_not_split_into_a_handle_and_a_web_address() -> None:
    # E-mails are matched first, so the "@example" and "example.com" parts don't leak.
    assert scrub("kid@example.com") == EMAIL
    assert "@" not in scrub("write to kid@example.com")


@pytest.mark.parametrize(
    "text",
    [
        "I am 14",
        "I was 13 in 2022",
        "in 2024",
        "3 or 4 times",
        "3 or 4 times a week, 10-15 minutes each",
        "year 10",
        "Year 10 and 11",
        "Y9 2nd set",
        "Y10 1st team",
        "from 2019 to 2024",
        "2023-2024",
        "12/05/2024",
        "12.05.2024",
        "at 5.30pm or 17:45",
        "about 100 people, maybe 1,000",
        "it costs £2.50 or £3.00",
        "the 38 and 173 buses",
        "ages 11-16, 16-18",
        "score 10/10",
        "me@ home",
        "me@home",
        "email@",
        "@ 3pm",
        "e.g. the park, i.e. outside",
        "Mr. Smith and Dr. Who",
        "999",
        "call Childline on 0800 1111",
        "text 116 123",
        "I feel safe. Mostly.",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert scrub(text) == text


def test_phone_needs_nine_digits() -> None:
    assert scrub("12345678") == "12345678"
    assert scrub("1234 5678") == "1234 5678"
    assert scrub("123456789") == PHONE
    assert scrub("123 456 789") == PHONE


def test_surrounding_text_and_newlines_survive() -> None:
    text = "Line one\nmy number is 07700 900123\n\nthanks"
    assert scrub(text) == f"Line one\nmy number is {PHONE}\n\nthanks"


def test_scrubbed_markers_are_stable() -> None:
    once = scrub("mail a@b.com, call +44 7700 900123, SW1A 1AA, @handle, www.x.com")
    assert scrub(once) == once
    for marker in REMOVED.values():
        assert scrub(marker) == marker


@pytest.mark.parametrize("text", ["@abc@xy", "@00@00", "@ab.@xy", "hi @some_user@other now"])
def test_handle_glued_to_another_at_sign_is_removed_whole(text: str) -> None:
    once = scrub(text)
    assert once.count(HANDLE) == 1
    assert "@" not in once
    assert scrub(once) == once


def test_web_address_prefix_must_start_a_word() -> None:
    # "www." inside a word is not the start of an address; matching it there left
    # "0.com" before the marker, which a second pass then removed.
    assert scrub("0.COMWWW.0") == "0.COMWWW.0"
    assert scrub("see www.example.net today") == f"see {URL} today"
    assert scrub("link:https://example.net/x") == f"link:{URL}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("site.uk07700900123", f"{URL}{PHONE}"), ("0.UK000000000", f"{URL}{PHONE}")],
)
def test_detail_exposed_by_removing_another_is_removed_too(text: str, expected: str) -> None:
    assert scrub(text) == expected
    assert scrub(expected) == expected


# -- disguises -------------------------------------------------------------------------------
# Contact details written so that a plain pattern misses them: other separators, letters for
# digits, spelled-out "at" and "dot", full-width forms and other scripts' digits.


@pytest.mark.parametrize(
    "phone",
    [
        "07700/900/123",
        "07700 / 900 / 123",
        "07700\u2013900\u2013123",  # en dash
        "07700\u2014900\u2014123",  # em dash
        "07700.900.123",
        "(07700) 900 123",
        "+44(0)7700-900-123",
        "O77OO 9OO 123",
        "o77oo9oo123",
        "O7700 9l0 123",
        "\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10 \uff11\uff12\uff13",  # full-width
        "07700\u00a0900\u00a0123",
        "07700\u200b900\u200b123",  # zero-width spaces
        "+48 600 700 800",
        "+1 (202) 555-0143",
        "+92 300 1234567",
        "\u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660 \u0661\u0662\u0663",  # Arabic-Indic
        "\u06f0\u06f7\u06f7\u06f0\u06f0\u06f9\u06f0\u06f0\u06f1\u06f2\u06f3",  # Urdu/Persian
        "\u0966\u096d\u096d\u0966\u0966 \u096f\u0966\u0966 \u0967\u0968\u0969",  # Devanagari
        "\u09e6\u09ed\u09ed\u09e6\u09e6 \u09ef\u09e6\u09e6 \u09e7\u09e8\u09e9",  # Bengali
        "\u0ae6\u0aed\u0aed\u0ae6\u0ae6 \u0aef\u0ae6\u0ae6 \u0ae7\u0ae8\u0ae9",  # Gujarati
        "\u0a66\u0a6d\u0a6d\u0a66\u0a66 \u0a6f\u0a66\u0a66 \u0a67\u0a68\u0a69",  # Gurmukhi
    ],
)
def test_disguised_phone_numbers_are_removed(phone: str) -> None:
    assert scrub(f"ring {phone} after school") == f"ring {PHONE} after school"


@pytest.mark.parametrize(
    "email",
    [
        "jo dot bloggs at gmail dot com",
        "jo.bloggs AT gmail DOT com",
        "jo(at)gmail.com",
        "jo (at) gmail (dot) co (dot) uk",
        "jo [at] gmail [dot] com",
        "jo{at}gmail{dot}com",
        "jo[@]gmail[.]com",
        "jo@gmail dot com",
        "jo at gmail.com",
        "jo_bloggs at hotmail.co.uk",
        "jo\uff20gmail.com",  # full-width at sign
        "jo\uff20gmail\uff0ecom",  # and full-width full stop
    ],
)
def test_disguised_emails_are_removed(email: str) -> None:
    assert scrub(f"email me on {email} thanks") == f"email me on {EMAIL} thanks"


@pytest.mark.parametrize(
    "postcode",
    [
        "SW 1A 1AA",
        "SW1A-1AA",
        "SW1A\u20131AA",
        "sw1a1aa",
        "sw 1a 1aa",
        "M1 1AE",
        "B33-8TH",
        "\uff33\uff37\uff11\uff21 \uff11\uff21\uff21",  # full-width
    ],
)
def test_disguised_postcodes_are_removed(postcode: str) -> None:
    assert scrub(f"I live near {postcode}, by the park") == f"I live near {POSTCODE}, by the park"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("snap: jobloggs2011", f"snap: {HANDLE}"),
        ("snap:jobloggs2011", f"snap:{HANDLE}"),
        ("snapchat jobloggs2011", f"snapchat {HANDLE}"),
        ("SNAPCHAT - jobloggs2011", f"SNAPCHAT - {HANDLE}"),
        ("sc: jobloggs", f"sc: {HANDLE}"),
        ("insta jo_bloggs", f"insta {HANDLE}"),
        ("ig: jobloggs", f"ig: {HANDLE}"),
        ("instagram jo.bloggs", f"instagram {HANDLE}"),
        ("tiktok jo_bloggs", f"tiktok {HANDLE}"),
        ("tt: jobloggs", f"tt: {HANDLE}"),
        ("my snap is jobloggs", f"my snap is {HANDLE}"),
        ("my tiktok is jo.bloggs", f"my tiktok is {HANDLE}"),
        ("my tiktok is jo.bloggs.", f"my tiktok is {HANDLE}."),
        ("my insta name is jobloggs", f"my insta name is {HANDLE}"),
        ("add me on insta jobloggs", f"add me on insta {HANDLE}"),
        ("add me on sc jobloggs", f"add me on sc {HANDLE}"),
        ("discord jobloggs#1234", f"discord {HANDLE}"),
        ("discord: jo.bloggs", f"discord: {HANDLE}"),
        ("x/twitter jo_bloggs", f"x/twitter {HANDLE}"),
        ("twitter: jobloggs", f"twitter: {HANDLE}"),
        ("telegram jo_bloggs", f"telegram {HANDLE}"),
        ("snap @jo_b", f"snap {HANDLE}"),
        ("whatsapp me on 07700 900 123", f"whatsapp me on {PHONE}"),
        ("whatsapp me on O77OO-9OO-123 x", f"whatsapp me on {PHONE} x"),
        ("snap: jo_b, insta: jo.b2", f"snap: {HANDLE}, insta: {HANDLE}"),
    ],
)
def test_handles_after_a_platform_word_are_removed(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mój numer to 600 700 800", f"mój numer to {PHONE}"),
        ("mój numer to 6OO-7OO-8OO", f"mój numer to {PHONE}"),
        ("pisz na jan kropka kowalski małpa gmail kropka com", f"pisz na {EMAIL}"),
        ("pisz na jan.kowalski małpa wp kropka pl!", f"pisz na {EMAIL}!"),
        # Urdu: "my number is ... " with Extended Arabic-Indic digits.
        ("میرا نمبر ۰۳۰۰ ۱۲۳۴۵۶۷ ہے", f"میرا نمبر {PHONE} ہے"),
        # Urdu: "I am 14 years old, number ..." - the age keeps its digits as typed.
        ("میری عمر ۱۴ سال ہے، نمبر ۰۷۷۰۰۹۰۰۱۲۳", f"میری عمر ۱۴ سال ہے، نمبر {PHONE}"),
        # Arabic: "my number ... thanks".
        ("رقمي ٠٧٧٠٠ ٩٠٠ ١٢٣ شكرا", f"رقمي {PHONE} شكرا"),
        ("رقمي ٠٧٧٠٠-٩٠٠-١٢٣", f"رقمي {PHONE}"),
        ("بريدي jo＠gmail．com شكرا", f"بريدي {EMAIL} شكرا"),
    ],
)
def test_other_languages(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I like insta because my friends are on it",
        "snap decisions",
        "I am on tiktok a lot",
        "on tiktok a lot and snap all day",
        "my snap is private",
        "add me on snap and I will see",
        "Snapchat: friends, Instagram: memes",
        "tt rockstars at school",
        "on snap 24hrs a day, tiktok 3rd most",
        "I looked at the site",
        "at school",
        "a bus at 8",
        "a bus at 8.30 or at 9",
        "dot to dot",
        "we met at school.Then we left",
        "I'm good at maths dot dot dot",
        "it was 3:30",
        "from 9am to 3.30pm",
        "I was 12 in 2019",
        "2023\u20132024",
        "12/05/2024 \u2013 13/05/2024",
        "12/05/2024 - 13/05/2024",
        "Y9 2nd set",
        "S4 1st team",
        "meet @3pm",
        "meet @ 3pm",
        "the OO gauge train",
        "Oh no, O2 signal",
        "I am 14, nearly 15",
        "call Childline on 0800 1111",
        # Urdu: "I am 14 years old and I go to school."
        "میری عمر ۱۴ سال ہے اور میں اسکول جاتا ہوں۔",
        # Arabic: "I am 14 years old and in year nine; the bus comes at ٨."
        "عمري ١٤ سنة وأنا في الصف التاسع، الحافلة تأتي الساعة ٨",
        # Polish: "I'm 14 and have gone to this school since 2019." / "At 15:30, in class 8."
        "Mam 14 lat i chodzę do tej szkoły od 2019 roku.",
        "Było to o 15:30, w klasie 8.",
        "Czuję się bezpiecznie w parku, ale nie na przystanku.",
    ],
)
def test_ordinary_text_with_near_misses_is_left_alone(text: str) -> None:
    assert scrub(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I looked at bbc.co.uk", f"I looked at {URL}"),
        ("we met at school.Then went to bbc.co.uk", f"we met at school.Then went to {URL}"),
        ("email jo at gmail.com or jo at example.com", f"email {EMAIL} or jo at {URL}"),
    ],
)
def test_spelled_at_needs_an_address_around_it(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "on 12/05/2024 ring 07700/900/123 by 13/05/2024",
            f"on 12/05/2024 ring {PHONE} by 13/05/2024",
        ),
        ("2 07700/900/123 x", f"2 {PHONE} x"),
        ("+44 7700/900/123", PHONE),
        ("07700/900/123 07700/900/124 07700/900/125", f"{PHONE} {PHONE} {PHONE}"),
        ("12/05/2024, " * 30 + "07700/900/123", "12/05/2024, " * 30 + PHONE),
    ],
)
def test_numbers_grouped_with_slashes_are_told_from_dates(text: str, expected: str) -> None:
    assert scrub(text) == expected


def test_an_age_written_in_urdu_digits_keeps_its_digits() -> None:
    # Detection reads normalised text; only the span of the phone number is replaced.
    text = "عمر ۱۴، فون ۰۷۷۰۰۹۰۰۱۲۳، سال ۲۰۲۶"
    assert scrub(text) == f"عمر ۱۴، فون {PHONE}، سال ۲۰۲۶"


def test_only_the_disguised_span_of_the_original_is_replaced() -> None:
    text = "Hi\u00a0 ＯＫ! ring O77OO\u2013900\u2013123 or jo (at) gmail (dot) com\n\tbye ２０２６"
    assert scrub(text) == f"Hi\u00a0 ＯＫ! ring {PHONE} or {EMAIL}\n\tbye ２０２６"


# -- properties ------------------------------------------------------------------------------

# Words the scrubber treats as naming a platform whose usernames it removes.
PLATFORM_WORDS = [
    *["snapchat", "snap", "sc", "instagram", "insta", "ig", "tiktok", "tik tok", "tt"],
    *["discord", "twitter", "telegram", "whatsapp", "facebook", "fb", "kik", "youtube", "yt"],
    *["twitch", "roblox", "xbox", "psn", "bereal"],
]

disguise_words = st.sampled_from(
    [
        *["at", "dot", "(at)", "[dot]", "{at}", "małpa", "kropka", "@", "＠", ".", "．"],
        *["jo", "bloggs", "gmail", "com", "co", "uk", "wp", "pl", "me", "on", "is", "my"],
        *["add", "name", "O", "o", "l", "I", "OO", "7", "0", "07700", "900", "123", "+44"],
        *["٠٧٧٠٠", "۰۹۰۰", "١٢٣", "０７７", "२३", "3pm", "@3pm", "SW", "1A", "1AA", "SW1A-1AA"],
        *["Y9", "2nd", ":", "-", "–", "/", "(", ")", "\n", " "],
        *PLATFORM_WORDS[:8],
        *["[email removed]", "[username removed]"],
    ]
)
disguised = st.lists(disguise_words, max_size=20).map(" ".join) | st.lists(
    disguise_words, max_size=20
).map("".join)
PROPERTY = settings(deadline=None, database=None, max_examples=300)


@PROPERTY
@given(st.text() | disguised)
def test_scrub_never_raises_and_is_idempotent(text: str) -> None:
    once = scrub(text)
    assert scrub(once) == once


_PLATFORM = re.compile(rf"\b(?:{'|'.join(PLATFORM_WORDS)})\b", re.IGNORECASE)
_SPELLED_DOT = re.compile(r"dot|kropka", re.IGNORECASE)


def _has_nothing_to_remove(text: str) -> bool:
    """No digit, at sign, full stop, spelled-out dot or platform word, however written.

    Every e-mail, web address, phone number, postcode and handle needs one of them.
    """
    folded = unicodedata.normalize("NFKC", text)
    return not (
        any(ch.isdigit() or ch.isdecimal() for ch in folded)
        or "@" in folded
        or "." in folded
        or _SPELLED_DOT.search(folded)
        or _PLATFORM.search(folded)
    )


plain_words = st.sampled_from(
    [
        *["I", "at", "is", "me", "on", "my", "O", "o", "l", "OO", "the", "school", "park"],
        *["bus", "(", ")", ":", "-", "/", "jo", "bloggs", "gmail", "com", "małpa", "szkoła"],
        *["مدرسة", "اسکول", "اور", "\n"],
    ]
)


@PROPERTY
@given(
    st.text()
    | st.lists(plain_words, max_size=20).map(" ".join)
    # Letters that stand for digits only when digits are around them.
    | st.lists(st.sampled_from(list("OolI -()\n") + ["OO"]), min_size=9, max_size=30).map("".join)
)
def test_text_with_nothing_to_remove_is_returned_unchanged(text: str) -> None:
    assume(_has_nothing_to_remove(text))
    assert scrub(text) == text
