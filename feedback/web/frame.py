"""The frame of a respondent page, rendered once per language, audience and kiosk mode.

Every respondent page wears the same frame: the head, the exit bar, the header with its
language menu and the footer, dozens of translated strings and links. It depends on the
page's language, who the page speaks to, whether the link is a kiosk's or a test link,
and the link's code; the code is a marker in the kept frame, replaced on each page.

`respondent/frame.html` is `base.html` with markers for the blocks a respondent page fills
(title, head, back, content); `respondent/page.html`, which respondent pages extend, puts
the kept pieces around those blocks. With RESPONDENT_FRAME_CACHE off, respondent pages
extend `base.html` itself: the tests compare both renders byte for byte in every language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from markupsafe import Markup, escape

from feedback.storage.memo import Memo
from feedback.web.locale import current_audience
from feedback.web.templating import HELP_MARK, current_locale, help_url

FRAME = "respondent/frame.html"
PAGE = "respondent/page.html"
BASE = "base.html"
# Neither can occur in a page otherwise: link codes are lower-case letters and digits.
CODE_MARK = "_FRAME_CODE_"
BLOCK_MARK = "\x00frame-block\x00"


@dataclass(frozen=True)
class _MarkedLink:
    """What the frame reads of a link, with the code left as a marker."""

    code: str
    audience: str
    kiosk: bool
    is_test: bool


def respondent_layout() -> str:
    """The template respondent pages extend: the kept frame, or base.html when it is off."""
    return PAGE if current_app.config["RESPONDENT_FRAME_CACHE"] else BASE


def respondent_frame() -> tuple[Markup, ...]:
    """The frame's pieces around the page's blocks (title, head, back, content)."""
    link = g.get("link")
    key = (
        current_app.jinja_env.get_template(FRAME),
        current_locale(),
        current_audience(),
        None if link is None else (link.audience, bool(link.kiosk), bool(link.is_test)),
        bool(g.get("unknown_language")),
    )
    frames: Memo[tuple[object, ...], tuple[str, ...]] = current_app.extensions["respondent_frames"]
    pieces = frames.get(key, _render_marked)
    if link is None:
        return tuple(Markup(piece) for piece in pieces)  # noqa: S704 - rendered autoescaped
    help_href = str(escape(help_url()))
    return tuple(
        Markup(piece.replace(CODE_MARK, link.code).replace(HELP_MARK, help_href))  # noqa: S704
        for piece in pieces
    )


def _render_marked() -> tuple[str, ...]:
    link = g.get("link")
    marked = None
    if link is not None:
        marked = _MarkedLink(CODE_MARK, link.audience, bool(link.kiosk), bool(link.is_test))
    g.link, g.rendering_frame = marked, True
    try:
        html = current_app.jinja_env.get_template(FRAME).render(mark=BLOCK_MARK)
    finally:
        g.link, g.rendering_frame = link, False
    return tuple(html.split(BLOCK_MARK))


def init_app(app: Flask) -> None:
    app.extensions["respondent_frames"] = Memo(size=512)
    app.jinja_env.globals.update(
        respondent_layout=respondent_layout, respondent_frame=respondent_frame
    )
