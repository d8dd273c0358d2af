"""Who to contact for help. An anonymous survey cannot follow up, so every page points here."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext


@dataclass(frozen=True)
class Contact:
    label: str
    value: str
    href: str


@dataclass(frozen=True)
class Helpline:
    name: str
    description: str
    contacts: tuple[Contact, ...] = field(default_factory=tuple)


def _phone(label: str, number: str) -> Contact:
    return Contact(label, number, "tel:" + number.replace(" ", ""))


def helplines() -> list[Helpline]:
    """National helplines, then the deployment's own (config LOCAL_HELPLINES)."""
    lines = [
        Helpline("Childline", gettext(
            "Free and confidential, for anyone under 19. Talk about anything, by phone or online."),
            (_phone(gettext("Phone"), "0800 1111"),
             Contact(gettext("Online"), "childline.org.uk", "https://www.childline.org.uk"))),
        Helpline("NSPCC", gettext("For adults who are worried about a child."),
                 (_phone(gettext("Phone"), "0808 800 5000"),)),
        Helpline("Meic", gettext("For young people in Wales, in Welsh or English."),
                 (_phone(gettext("Phone"), "080880 23456"),
                  Contact(gettext("Text"), "84001", "sms:84001"))),
    ]
    for local in current_app.config.get("LOCAL_HELPLINES", []):
        lines.append(Helpline(local["name"], local.get("description", ""),
                              (_phone(gettext("Phone"), local["phone"]),)))
    return lines
