"""Staff pages built by the first staff request a worker serves, not by every worker.

Nearly every request a server answers is a respondent's. The workspace and dashboards
(their routes, forms, the dashboards package, the survey editor and the upload readers)
are about a fifth of what the whole app costs to import, so the app
gunicorn serves (`feedback.wsgi`) is built with respondent pages only. The first request
under a staff path builds the whole app, once per process, and every staff request goes
to it from then on. Both apps read the same settings, so they share the database, the
session cookie and CSRF tokens. See docs/adr/0018.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Every staff page is under one of these; tests check the app's routes against them.
STAFF_PATHS = ("/workspace", "/dashboards", "/sign-in", "/sign-out")

# Staff endpoints that pages outside the staff paths link to (the home page's sign-in
# link): the respondent app knows their addresses without their views.
LINKED_FROM_RESPONDENT_PAGES = {"workspace.sign_in": "/sign-in"}


def is_staff_path(path: str) -> bool:
    # Werkzeug's routing ignores extra leading slashes ("//workspace"), so this does too.
    path = "/" + path.lstrip("/")
    return any(path == prefix or path.startswith(prefix + "/") for prefix in STAFF_PATHS)


class StaffPagesOnDemand:
    """WSGI middleware: staff paths to the whole app, built on first use; the rest to
    the respondent app it wraps."""

    def __init__(self, respondent: WSGIApplication, build_staff_app: Callable[[], Any]) -> None:
        self._respondent = respondent
        self._build_staff_app = build_staff_app
        self._staff: WSGIApplication | None = None
        self._building = threading.Lock()

    @property
    def built_staff_app(self) -> Any:
        """The whole app, once a staff request has built it."""
        return self._staff

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if is_staff_path(environ.get("PATH_INFO", "")):
            return self._staff_app()(environ, start_response)
        return self._respondent(environ, start_response)

    def _staff_app(self) -> WSGIApplication:
        if self._staff is None:
            with self._building:  # threaded workers: one build, the others wait for it
                if self._staff is None:
                    self._staff = self._build_staff_app()
        return self._staff
