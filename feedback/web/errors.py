"""Every error a person can meet is a page in plain words: never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from feedback.storage.db import db
from surveys.scales import N_

# The 403 description that makes the error page explain per-survey limits to staff.
SURVEY_LIMITED = "survey-limited"


@dataclass(frozen=True)
class ErrorPage:
    """What one error page says: its heading (also the page title) and its paragraphs,
    English message ids that the template says in the page's language and audience's voice."""

    title: str
    paragraphs: tuple[str, ...]
    help_link: bool = False  # "If you are worried or not safe, you can get help now."


ERROR_PAGES = {
    "bad_request": ErrorPage(
        N_("Something was wrong with that request"),
        (N_("Go back and try again. Your answers so far are kept for a while."),),
    ),
    "expired_form": ErrorPage(
        N_("This page was open too long"),
        (
            N_(
                "For your privacy, pages stop working after a while. Go back, reload the page "
                "and try again."
            ),
        ),
    ),
    "forbidden": ErrorPage(
        N_("You cannot do that here"),
        (N_("Your account does not allow this. Ask your team's administrator if you need it."),),
    ),
    "not_found": ErrorPage(
        N_("Page not found"),
        (
            N_(
                "If you typed the web address, check it is correct. If you used a link from a "
                "poster or message, check it is complete."
            ),
        ),
        help_link=True,
    ),
    "server_error": ErrorPage(
        N_("Sorry, there is a problem with the service"),
        (N_("Try again later. Your answers so far are kept for a while."),),
        help_link=True,
    ),
    "too_large": ErrorPage(
        N_("That was too much to send"),
        (
            N_(
                "Your answer was too long for us to receive. Go back, shorten it and try "
                "again. Your earlier answers are kept."
            ),
        ),
    ),
    "too_many": ErrorPage(
        N_("Too many tries"),
        (
            N_(
                "There have been too many tries from here in a short time. Wait a minute, "
                "then go back and try again. Your answers so far are kept."
            ),
        ),
    ),
    "unreadable": ErrorPage(
        N_("Some characters could not be read"),
        (N_("Go back and type your answer again. Your earlier answers are kept."),),
    ),
    # The database could not store the change: the form, if any, is sent again from the page.
    "try_again": ErrorPage(
        N_("Please try again"),
        (
            N_(
                "We could not save that just now. Nothing was lost: go back and press the "
                "button again in a minute."
            ),
        ),
    ),
    "try_again_resend": ErrorPage(
        N_("Please try again"),
        (
            N_(
                "We could not save that just now. Your answers are kept on this page: wait a "
                "minute, then press the button to send them again."
            ),
        ),
    ),
}


def error_html(kind: str, **context: Any) -> str:
    """The one error page, saying what ERROR_PAGES has for `kind`."""
    return render_template("errors/error.html", page=ERROR_PAGES[kind], **context)


def _page(kind: str, status: int) -> ResponseReturnValue:
    return error_html(kind), status


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    if isinstance(error, SecurityError):
        # A Host header not in TRUSTED_HOSTS: no address on a page may be built from it,
        # and the usual error page builds several, so this answer is plain text.
        return "This address is not served here.", 400, {"Content-Type": "text/plain"}
    status = error.code or 500
    original = getattr(error, "original_exception", None)
    if status >= 500 and original is not None:
        current_app.logger.error("unexpected error", exc_info=original)
    if status == 404:
        return _page("not_found", 404)
    if status == 413:
        return _page("too_large", 413)
    if status == 403:
        if error.description == SURVEY_LIMITED:
            return render_template("workspace/survey_limited.html"), 403
        return _page("forbidden", 403)
    if status in (405, 400, 414, 431):
        return _page("bad_request", status)
    return _page("server_error", status if status >= 500 else 400)


def handle_csrf_error(_error: CSRFError) -> ResponseReturnValue:
    if (
        request.blueprint == "respondent"
        and "draft" not in session
        and request.view_args
        and "code" in request.view_args
    ):
        # No visit any more (sent, exited or expired): say that, not "page open too long".
        page = render_template("respondent/session_ended.html", code=request.view_args["code"])
        return page, 410
    return _page("expired_form", 400)


def try_again_page() -> ResponseReturnValue:
    """The database could not be reached or refused the change: nothing was stored.

    A form that was being sent is kept in the page (in hidden fields, never in the
    address), so "Try again" sends exactly the same answers once the service is back.
    """
    resend = list(request.form.items(multi=True)) if request.method == "POST" else []
    action = request.full_path.rstrip("?")
    kind = "try_again_resend" if resend else "try_again"
    return error_html(kind, resend=resend, action=action), 503


def handle_database_down(error: Exception) -> ResponseReturnValue:
    # For operators: the kind of failure only (its message could quote what was sent).
    current_app.logger.warning(
        "database unavailable, nothing stored, asked to try again (%s)", type(error).__name__
    )
    db.rollback_if_open()
    return try_again_page()


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    # Logged for operators (the page the person sees says nothing technical).
    current_app.logger.error("unexpected error", exc_info=error)
    db.rollback_if_open()
    return _page("server_error", 500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(DBAPIError, handle_database_down)
    if not app.config.get("PROPAGATE_EXCEPTIONS"):
        app.register_error_handler(Exception, handle_unexpected)
