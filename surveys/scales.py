"""Built-in answer scales: agreement, faces, safety and 0-10, plus the two escape options.

Labels are English source text. They are marked with `N_` so Babel extracts them
into the UI catalogue; the web app translates them when it renders a page.
"""

from __future__ import annotations

from surveys.model import DONT_KNOW, RATHER_NOT_SAY, Option


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "mark, don't translate"
    """Mark a string for extraction without translating it here (no Flask in this package)."""
    return text


_SCALES: dict[str, tuple[Option, ...]] = {
    "agreement": (
        Option("strongly_agree", N_("Strongly agree")),
        Option("agree", N_("Agree")),
        Option("neither", N_("Neither agree nor disagree")),
        Option("disagree", N_("Disagree")),
        Option("strongly_disagree", N_("Strongly disagree")),
    ),
    # Faces run from negative to positive, the order young people's scales use;
    # each face always has a text label so colour and picture are never the only cue.
    "faces3": (
        Option("1", N_("Not good")),
        Option("2", N_("Okay")),
        Option("3", N_("Good")),
    ),
    "faces5": (
        Option("1", N_("Very unhappy")),
        Option("2", N_("Unhappy")),
        Option("3", N_("Okay")),
        Option("4", N_("Happy")),
        Option("5", N_("Very happy")),
    ),
    # How safe someone feels, in the words of the Crime Survey for England and Wales.
    # "I don't go out then" and the like are a question's own options, kept off the scale.
    "safety": (
        Option("very_safe", N_("Very safe")),
        Option("fairly_safe", N_("Fairly safe")),
        Option("a_bit_unsafe", N_("A bit unsafe")),
        Option("very_unsafe", N_("Very unsafe")),
    ),
    "scale_0_10": tuple(Option(str(n), str(n)) for n in range(11)),
    "extras": (
        Option(DONT_KNOW, N_("I don't know"), exclusive=True),
        Option(RATHER_NOT_SAY, N_("I'd rather not say"), exclusive=True),
    ),
}

# Which face goes with each value of each faces scale: the name of a drawing the web app
# draws itself (an emoji would look different on every phone, or be missing).
FACE_DRAWINGS = {
    "faces3": {"1": "unhappy", "2": "neutral", "3": "happy"},
    "faces5": {
        "1": "very_unhappy",
        "2": "unhappy",
        "3": "neutral",
        "4": "happy",
        "5": "very_happy",
    },
}


def built_in_options(scale: str) -> tuple[Option, ...]:
    """The options of a named built-in scale."""
    return _SCALES[scale]


def face_drawing(points: int, value: str) -> str:
    """The face drawn beside a face option's text label ('' for escape options)."""
    return FACE_DRAWINGS[f"faces{points}"].get(value, "")
