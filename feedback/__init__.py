"""How we collect: the Flask app that serves surveys, the workspace and dashboards."""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask, make_response, request
from flask_compress import Compress
from flask_wtf import CSRFProtect
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from feedback.config import load_config
from feedback.respondent import cache as respondent_cache
from feedback.storage.db import db, read_only_transactions
from feedback.web import (
    arguments,
    errors,
    frame,
    limits,
    locale,
    logs,
    request_checks,
    security,
    sessions,
    staff_on_demand,
    templating,
)
from feedback.web.static_files import FeedbackFlask

csrf = CSRFProtect()
compress = Compress()

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_app(config: dict[str, Any] | None = None, *, staff_pages: bool = True) -> Flask:
    """Build the app. `config` overrides settings (tests pass their database here).

    With `staff_pages=False` it serves respondent pages only (see `serving_app`)."""
    app = FeedbackFlask(__name__)
    app.config.update(load_config(config))
    logs.init_app(app)
    sessions.init_app(app)
    _trust_proxies(app)
    arguments.init_app(app)
    db.init_app(app)
    # Before CSRF: it must see the raw body before anything parses the form.
    request_checks.init_app(app)
    csrf.init_app(app)
    limits.init_app(app)
    compress.init_app(app)
    locale.init_app(app)
    templating.init_app(app)
    frame.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    _register_blueprints(app, staff_pages)
    respondent_cache.init_app(app)
    _transaction_per_request(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For and -Proto from the TRUSTED_PROXIES nearest hops only.

    Each proxy appends the address it saw, so the entries a client wrote itself come
    first and are ignored; with none trusted, the headers are ignored altogether.
    """
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def serving_app(config: dict[str, Any] | None = None, *, freeze: bool = False) -> Flask:
    """The app gunicorn serves: respondent pages at once, staff pages built by the first
    staff request each worker serves (feedback.web.staff_on_demand).

    With `freeze`, what each build made is left out of the garbage collector's full passes
    (for a worker, whose start-up objects live as long as it does)."""
    app = create_app(config, staff_pages=False)

    def build_staff_app() -> Flask:
        staff_app = create_app(config)
        if freeze:
            _freeze_what_exists()
        return staff_app

    app.wsgi_app = staff_on_demand.StaffPagesOnDemand(  # type: ignore[method-assign]
        app.wsgi_app, build_staff_app
    )
    if freeze:
        _freeze_what_exists()
    return app


def _freeze_what_exists() -> None:
    # Modules, mapped classes, settings and templates live as long as the worker, and each
    # full collection walked all of them: about 70 ms every few hundred requests. Collect
    # first, so that garbage made while building is freed rather than kept for good.
    gc.collect()
    gc.freeze()


def _register_blueprints(app: Flask, staff_pages: bool) -> None:
    from feedback import respondent
    from feedback.web import status

    app.register_blueprint(respondent.bp)
    app.register_blueprint(status.bp)
    csrf.exempt(status.bp)
    if not staff_pages:
        for endpoint, path in staff_on_demand.LINKED_FROM_RESPONDENT_PAGES.items():
            app.add_url_rule(path, endpoint=endpoint, build_only=True)
        return
    from feedback import dashboard_views, workspace
    from feedback.web import single_sign_on

    app.register_blueprint(workspace.bp)
    workspace.login_manager.init_app(app)
    app.register_blueprint(dashboard_views.bp)
    app.register_blueprint(dashboard_views.assets_bp)
    single_sign_on.init_app(app)


def _transaction_per_request(app: Flask) -> None:
    """Commit once per request, before the response goes out; roll back on errors."""

    @app.before_request
    def choose_transaction_kind() -> None:
        # A respondent's GET reads a link (mostly cached) and a draft: no transaction.
        reading = request.method in _READ_METHODS
        read_only_transactions(reading, each_statement_alone=request.blueprint == "respondent")

    @app.after_request
    def commit(response: Response) -> Response:
        if response.status_code >= 400:
            db.rollback_if_open()
            return response
        try:
            db.commit_if_open()
        except SQLAlchemyError:
            # Nothing was stored, so the person must not be told it was.
            db.rollback_if_open()
            return make_response(errors.try_again_page())
        return response
