"""Design-team pages. Every route needs a signed-in user."""

from __future__ import annotations

import io
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from feedback.storage import audit
from feedback.storage.accounts import authenticate, end_sessions, known_account
from feedback.storage.db import db
from feedback.storage.gettext_catalogues import ui_status
from feedback.storage.models import (
    LanguageReview,
    Link,
    SurveyAccess,
    SurveyRecord,
    SurveyTranslation,
    User,
)
from feedback.storage.survey_access import visible_to
from feedback.storage.survey_translations import survey_catalogue_status
from feedback.storage.survey_versions import latest_version, survey_of
from feedback.storage.translation_reviews import language_state, survey_catalogue_name
from feedback.web.limits import (
    account_key,
    account_sign_in_limit,
    limiter,
    refused,
    sign_in_limit,
)
from feedback.web.link_addresses import public_link_url
from feedback.web.staff_access import (
    STAFF,
    expire_old_sign_ins,
    hold_back_people_without_a_role,
    require_role,
    safe_next,
    session_is_current,
    start_staff_session,
    survey_for_staff,
)
from feedback.workspace.link_labels import status_label as link_status_label

bp = Blueprint("workspace", __name__)
login_manager = LoginManager()
login_manager.login_view = "workspace.sign_in"
login_manager.login_message = _l("Sign in to see this page.")
bp.before_app_request(expire_old_sign_ins)
bp.before_app_request(hold_back_people_without_a_role)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or not session_is_current(user):
        return None
    return user


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=1000)]
    )


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@limiter.limit(account_sign_in_limit, key_func=account_key, methods=["POST"], deduct_when=refused)
def sign_in() -> ResponseReturnValue:
    if not current_app.config["LOCAL_PASSWORDS"]:
        return _single_sign_on_only()
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None and user.totp_secret:
            from feedback.workspace.two_factor import begin_second_step

            return begin_second_step(user)
        if user is not None:
            # A fresh session on sign-in, so nothing from before carries over.
            session.clear()
            login_user(user)
            start_staff_session(user)
            audit.record(db.session, "signed in", actor=user.email)
            return redirect(safe_next(request.args.get("next")) or url_for(".surveys"), 303)
        failed = True
        _record_refusal(form.email.data or "")
    errors = [
        (field.id, field.name, message)
        for field in (form.email, form.password)
        for message in field.errors
    ]
    if failed:
        errors.append(("email", "email", gettext("The email address or password is not right")))
    status = 400 if request.method == "POST" else 200
    return render_template("workspace/sign_in.html", form=form, errors=errors), status


def _single_sign_on_only() -> ResponseReturnValue:
    """Passwords are switched off (LOCAL_PASSWORDS=false): no form, and none accepted."""
    if request.method == "POST":
        audit.record(db.session, "sign-in refused", "passwords are switched off", REFUSED_ACTOR)
        db.session.commit()
        return render_template("workspace/sign_in.html", form=None, passwords_off=True), 403
    return render_template("workspace/sign_in.html", form=None, errors=[])


# Who a refused sign-in is recorded as: nobody signed in, whatever was typed.
REFUSED_ACTOR = "not signed in"


def _record_refusal(typed_email: str) -> None:
    """Record that a sign-in was refused and for which account, if one exists: never the
    text typed, which is anyone's to choose."""
    account = known_account(db.session, typed_email)
    audit.record(db.session, "sign-in refused", account or "no such account", actor=REFUSED_ACTOR)
    # Kept although the response is an error (which otherwise rolls back).
    db.session.commit()


@bp.post("/sign-out")
@login_required  # anyone signed in, with a role or still waiting for one
def sign_out() -> ResponseReturnValue:
    """Sign out here and everywhere: a copy of the cookie stops working too."""
    audit.record(db.session, "signed out")
    end_sessions(current_user)
    current_user.oidc_access_token = None
    logout_user()
    session.clear()
    return redirect(url_for(".sign_in"), 303)


def qr_svg(url: str, title: str) -> str:
    """A QR code of `url` as SVG markup (segno escapes the title)."""
    svg = io.BytesIO()
    import segno  # only for posters and QR codes

    segno.make(url, error="m").save(
        svg, kind="svg", scale=10, border=4, title=title, xmldecl=False, svgns=True
    )
    return svg.getvalue().decode()


@bp.get("/workspace/links/<code>/qr.svg")
@require_role(*STAFF)
def link_qr_code(code: str) -> ResponseReturnValue:
    """A QR code (SVG) of a shared link, to print on posters and leaflets."""
    link = db.session.scalar(select(Link).where(Link.code == code))
    if link is None:
        abort(404)
    survey_for_staff(link.survey.slug)
    response = make_response(qr_svg(public_link_url(link), link.channel))
    response.mimetype = "image/svg+xml"
    response.headers["Content-Disposition"] = f'inline; filename="survey-{code}.svg"'
    return response


@bp.get("/workspace/translations")
@require_role(*STAFF)
def translation_status() -> ResponseReturnValue:
    """Per language: how much is translated, what is stale, and what a fluent speaker reviewed."""
    languages = [code for code in current_app.config["LANGUAGES"] if code != "en"]
    interface = {
        code: {**ui_status(code), "review": language_state(db.session, code)} for code in languages
    }
    # Only catalogues someone has started to review have a review state to work out.
    started = set(db.session.execute(select(LanguageReview.catalogue, LanguageReview.language)))
    surveys = []
    for record in db.session.scalars(
        select(SurveyRecord).where(visible_to(current_user)).order_by(SurveyRecord.title)
    ):
        version = latest_version(db.session, record.id)
        if version is None:
            continue
        survey = survey_of(version)
        reviewed = dict(
            db.session.execute(
                select(SurveyTranslation.language, SurveyTranslation.reviewed).where(
                    SurveyTranslation.survey_id == record.id
                )
            ).all()
        )
        rows = {
            code: {
                **survey_catalogue_status(db.session, record.id, survey, code),
                "reviewed": reviewed.get(code, False),
                "review": language_state(db.session, code, survey_catalogue_name(record.id))
                if (survey_catalogue_name(record.id), code) in started
                else None,
            }
            for code in languages
        }
        surveys.append((record, rows))
    return render_template(
        "workspace/translations.html",
        languages=languages,
        interface=interface,
        surveys=surveys,
    )


@bp.get("/workspace")
@require_role(*STAFF)
def surveys() -> ResponseReturnValue:
    records = db.session.scalars(
        select(SurveyRecord).where(visible_to(current_user)).order_by(SurveyRecord.title)
    ).all()
    links = db.session.scalars(
        select(Link)
        .where(Link.survey_id.in_([r.id for r in records]), Link.is_test.is_(False))
        .order_by(Link.channel)
    ).all()
    limited = set(db.session.scalars(select(SurveyAccess.survey_id).distinct()))
    return render_template(
        "workspace/surveys.html",
        surveys=records,
        links=links,
        user=current_user,
        limited=limited,
        status_of=lambda link: link_status_label(link, date.today()),
    )
