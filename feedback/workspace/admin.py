"""Administration: the team's accounts and the audit trail (admins only)."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from feedback.storage import audit
from feedback.storage.accounts import (
    AccountError,
    Role,
    create_user,
    end_sessions,
    generate_password,
)
from feedback.storage.db import db
from feedback.storage.models import AuditEvent, User
from feedback.web.arguments import page_number
from feedback.web.staff_access import ADMIN, require_role
from feedback.workspace.routes import bp

AUDIT_PAGE = 100
NO_ROLE = "none"


# Plain fields checked against fixed values: the <select> elements are drawn in the template.
class NewUserForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address")), Length(max=254)],
    )
    role = StringField(_l("Role"), validators=[AnyOf(list(Role), _l("Choose a role"))])


class ChangeUserForm(FlaskForm):
    # "none": no role, so no access (as a single sign-on account has at first).
    role = StringField(_l("Role"), validators=[AnyOf((*Role, NO_ROLE), _l("Choose a role"))])
    active = StringField(_l("Account"), validators=[AnyOf(("yes", "no"))])


@bp.route("/workspace/users", methods=["GET", "POST"])
@require_role(*ADMIN)
def users() -> ResponseReturnValue:
    form = NewUserForm()
    errors, new_password = [], None
    if request.method == "POST" and not current_app.config["LOCAL_PASSWORDS"]:
        # Passwords are switched off: accounts come from the provider at first sign-in.
        abort(403)
    if form.validate_on_submit():
        new_password = generate_password()
        try:
            user = create_user(
                db.session,
                form.email.data or "",
                new_password,
                form.role.data or "viewer",
                date.today(),
            )
        except AccountError as problem:
            errors, new_password = [("email", "email", str(problem))], None
        else:
            audit.record(db.session, "user created", f"{user.email} as {user.role}")
    elif request.method == "POST":
        errors = [(f.id, f.name, m) for f in (form.email, form.role) for m in f.errors]
    people = db.session.scalars(select(User).order_by(User.email)).all()
    status = 400 if errors else 200
    return render_template(
        "workspace/users.html",
        form=form,
        people=people,
        roles=list(Role),
        errors=errors,
        new_password=new_password,
        created=form.email.data if new_password else None,
    ), status


@bp.post("/workspace/users/<int:user_id>")
@require_role(*ADMIN)
def change_user(user_id: int) -> ResponseReturnValue:
    form = ChangeUserForm()
    user = db.session.get(User, user_id)
    if user is None or not form.validate_on_submit():
        return render_template("workspace/users_problem.html"), 400
    if user.id == current_user.id and (form.active.data == "no" or form.role.data != "admin"):
        # An admin cannot lock themselves (and perhaps everyone) out.
        return render_template("workspace/users_problem.html", own=True), 400
    role = None if form.role.data == NO_ROLE else form.role.data
    active = form.active.data == "yes"
    if (role, active) != (user.role, user.is_active):
        # What they may do changed: sessions begun under the old role end now.
        end_sessions(user)
    user.role, user.is_active = role, active
    audit.record(
        db.session,
        "user changed",
        f"{user.email}: {user.role or 'no role'}, {'active' if user.is_active else 'switched off'}",
    )
    return redirect(url_for(".users"), 303)


@bp.get("/workspace/audit")
@require_role(*ADMIN)
def audit_log() -> ResponseReturnValue:
    page = page_number()
    events = db.session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.id.desc())
        .limit(AUDIT_PAGE)
        .offset((page - 1) * AUDIT_PAGE)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return render_template(
        "workspace/audit.html", events=events, page=page, more=page * AUDIT_PAGE < total
    )
