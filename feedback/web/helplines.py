"""Who to contact for help. An anonymous survey cannot follow up, so every page points here."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from feedback.web.locale import say
from feedback.web.organisation import current_organisation


@dataclass(frozen=True)
class Contact:
    label: str
    value: str
    href: str


@dataclass(frozen=True)
class Helpline:
    """A helpline. Names are English proper names; a description is in the page's language
    unless `description_lang` says otherwise (the deployment's own lines are configured in
    English, so a translated page marks them as English, left to right)."""

    name: str
    description: str
    contacts: tuple[Contact, ...] = field(default_factory=tuple)
    description_lang: str | None = None


def _phone(label: str, number: str) -> Contact:
    return Contact(label, number, "tel:" + number.replace(" ", ""))


def helplines() -> list[Helpline]:
    """National helplines, then the deployment's own (config LOCAL_HELPLINES)."""
    lines = [
        Helpline(
            "Childline",
            say(
                "Free and confidential, for anyone under 19. Talk about anything, by phone or "
                "online."
            ),
            (
                _phone(say("Phone"), "0800 1111"),
                Contact(say("Online"), "childline.org.uk", "https://www.childline.org.uk"),
            ),
        ),
        Helpline(
            "NSPCC",
            say("For adults who are worried about a child."),
            (_phone(say("Phone"), "0808 800 5000"),),
        ),
        Helpline(
            "Meic",
            say("For young people in Wales, in Welsh or English."),
            (_phone(say("Phone"), "080880 23456"), Contact(say("Text"), "84001", "sms:84001")),
        ),
    ]
    # A survey run with a partner elsewhere can say the deployment's own lines do not apply.
    local_lines = current_app.config.get("LOCAL_HELPLINES", [])
    for local in local_lines if current_organisation().local_helplines else []:
        lines.append(
            Helpline(
                local["name"],
                local.get("description", ""),
                (_phone(say("Phone"), local["phone"]),),
                description_lang="en",
            )
        )
    return lines
