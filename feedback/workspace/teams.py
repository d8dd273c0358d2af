"""Teams, and limiting a survey to named teams or people."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from feedback.storage import audit
from feedback.storage.db import db
from feedback.storage.models import Team, TeamMember, User
from feedback.storage.survey_access import Access, set_access, teams_with_members, would_see
from feedback.web.arguments import parse_id
from feedback.web.staff_access import ADMIN, EDITORS, require_role, survey_for_staff
from feedback.workspace.routes import bp
from feedback.workspace.surveys import survey_page

MAX_TEAM_NAME = 80


@bp.route("/workspace/teams", methods=["GET", "POST"])
@require_role(*ADMIN)
def teams() -> ResponseReturnValue:
    errors = []
    if request.method == "POST":
        name = " ".join(request.form.get("name", "").split())
        if not name or len(name) > MAX_TEAM_NAME:
            errors.append(("name", "name", gettext("Enter a team name of up to 80 characters")))
        elif db.session.scalar(
            select(func.count()).select_from(Team).where(func.lower(Team.name) == name.lower())
        ):
            errors.append(("name", "name", gettext("There is already a team with that name")))
        else:
            db.session.add(Team(name=name))
            audit.record(db.session, "team created", name)
            return redirect(url_for(".teams"), 303)
    return _teams_page(errors)


def _teams_page(errors: list[tuple[str, str, str]]) -> ResponseReturnValue:
    people = db.session.scalars(select(User).where(User.is_active).order_by(User.email)).all()
    return render_template(
        "workspace/teams.html", teams=teams_with_members(db.session), people=people, errors=errors
    ), 400 if errors else 200


@bp.post("/workspace/teams/<int:team_id>/members")
@require_role(*ADMIN)
def change_team_member(team_id: int) -> ResponseReturnValue:
    team = db.session.get(Team, team_id)
    user_id = parse_id(request.form.get("user_id"))
    user = db.session.get(User, user_id) if user_id is not None else None
    if team is None:
        abort(404)
    if user is None:
        return _teams_page([(f"add-{team_id}", "user_id", gettext("Choose a person to add"))])
    member = db.session.get(TeamMember, (team.id, user.id))
    if request.form.get("action") == "remove":
        if member is not None:
            db.session.delete(member)
            audit.record(db.session, "team member removed", f"{team.name}: {user.email}")
    elif member is None:
        db.session.add(TeamMember(team_id=team.id, user_id=user.id))
        audit.record(db.session, "team member added", f"{team.name}: {user.email}")
    return redirect(url_for(".teams"), 303)


@bp.post("/workspace/surveys/<slug>/access")
@require_role(*EDITORS)
def survey_access(slug: str) -> ResponseReturnValue:
    """Limit a survey to the ticked teams and people, or open it to the whole workspace."""
    record, _survey = survey_for_staff(slug)
    known_teams = set(db.session.scalars(select(Team.id)))
    known_people = set(db.session.scalars(select(User.id)))
    chosen = Access(frozenset(_ids("team")) & known_teams, frozenset(_ids("person")) & known_people)
    if request.form.get("limit") != "yes":
        chosen = Access(frozenset(), frozenset())
    elif not chosen.limited:
        return _access_problem(
            slug, gettext("Tick at least one team or person, or choose everyone in the workspace")
        )
    if not would_see(db.session, current_user, chosen):
        return _access_problem(
            slug, gettext("You would no longer see this survey: tick yourself or a team you are in")
        )
    set_access(db.session, record.id, chosen.team_ids, chosen.user_ids)
    audit.record(db.session, "survey access changed", f"{slug}: {_describe(chosen)}")
    return redirect(url_for(".survey_detail", slug=slug, _anchor="access"), 303)


def _ids(field: str) -> list[int]:
    return [i for i in map(parse_id, request.form.getlist(field)) if i is not None]


def _access_problem(slug: str, message: str) -> ResponseReturnValue:
    return survey_page(slug, errors=[("limit-yes", "limit", message)]), 400


def _describe(access: Access) -> str:
    if not access.limited:
        return "everyone in the workspace"
    teams = db.session.scalars(
        select(Team.name).where(Team.id.in_(access.team_ids)).order_by(Team.name)
    )
    people = db.session.scalars(
        select(User.email).where(User.id.in_(access.user_ids)).order_by(User.email)
    )
    return "limited to " + ", ".join([*teams, *people])
