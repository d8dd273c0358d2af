"""The one list of place types every survey asks about, with the same codes for everyone.

Young people and parents are asked about the same types of place, coded the same way, so
that what young people say about parks can be set beside what parents say about parks, and
one wave beside the next. The types follow the contexts of harm outside the home named in
*Working Together to Safeguard Children 2023* (school, community and public spaces such as
parks, estates, shopping centres, takeaways and transport, peer groups' homes, and online),
and are types, never named places.

The bank and the question library write the list out in full in each question that uses it
(YAML aliases are refused, and a question must read on its own); `tests/surveys/test_bank.py`
checks every copy against this one.
"""

from __future__ import annotations

from surveys.model import Condition, Option, Question

PLACE_TYPES: tuple[Option, ...] = (
    Option("school", "School or college"),
    Option("parks", "Parks or open spaces"),
    Option("streets", "Streets or estates near where I live"),
    Option("shops", "Shops, takeaways or cafés"),
    Option("transport", "Buses, trains or stations"),
    Option("clubs", "Sports clubs or youth clubs"),
    Option("friends_homes", "Friends' homes"),
    Option("online", "Online (games or social media)"),
)
# May follow the list where a question asks where someone goes; it has no follow-up.
SOMEWHERE_ELSE = Option("somewhere_else", "Somewhere else")
PLACE_CODES = frozenset(o.value for o in PLACE_TYPES)


def asks_about_places(question: Question) -> bool:
    """Whether a question's answers are place types (it offers two or more of the codes)."""
    return len({o.value for o in question.options} & PLACE_CODES) >= 2


def uses_shared_places(question: Question) -> bool:
    """Whether a place question offers exactly the shared list, in order, with the shared
    labels; only "Somewhere else", exclusive answers ("No places worry me") and the escape
    options may follow it."""
    ordinary = tuple(o for o in question.options if not o.exclusive and o != SOMEWHERE_ELSE)
    return ordinary == PLACE_TYPES


def place_asked_about(question: Question) -> str | None:
    """The place type a question is about, when it is shown only to people who chose that
    place (`show_if: {question: places_spend_time, equals: parks}`), else None."""
    rule = question.show_if
    if isinstance(rule, Condition) and rule.equals in PLACE_CODES:
        return rule.equals
    return None
