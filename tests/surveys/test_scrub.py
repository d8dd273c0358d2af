"""The scrubber removes contact details from free text and leaves ordinary words alone."""

from __future__ import annotations

import pytest

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
