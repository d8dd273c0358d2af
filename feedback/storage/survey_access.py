"""Which surveys a member of staff may see: all of them, unless a survey is limited.

A survey limited to named teams or people is seen only by them and by admins
(who manage access and would otherwise have no way to repair a mistake). A
survey with no limits is open to everyone in the workspace, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, or_, select, true
from sqlalchemy.orm import Session

from feedback.storage.accounts import Role
from feedback.storage.models import (
    SurveyAccess,
    SurveyRecord,
    SurveyResponse,
    Team,
    TeamMember,
    User,
)


def visible_to(user: User) -> ColumnElement[bool]:
    """A condition on SurveyRecord: the surveys `user` may see."""
    if user.role == Role.ADMIN:
        return true()
    limited = exists().where(SurveyAccess.survey_id == SurveyRecord.id)
    named = exists().where(
        SurveyAccess.survey_id == SurveyRecord.id,
        or_(
            SurveyAccess.user_id == user.id,
            SurveyAccess.team_id.in_(
                select(TeamMember.team_id).where(TeamMember.user_id == user.id)
            ),
        ),
    )
    return or_(~limited, named)


def may_see(db: Session, user: User, record: SurveyRecord) -> bool:
    return bool(db.scalar(select(exists().where(SurveyRecord.id == record.id, visible_to(user)))))


def response_in_survey(db: Session, survey_id: int, response_id: int) -> bool:
    """Whether `response_id` is a response to the survey `survey_id` (ids arrive in URLs,
    and a survey's address must never reach another survey's responses)."""
    return bool(
        db.scalar(
            select(
                exists().where(
                    SurveyResponse.id == response_id, SurveyResponse.survey_id == survey_id
                )
            )
        )
    )


@dataclass(frozen=True)
class Access:
    """Who a survey is limited to; both empty means everyone in the workspace."""

    team_ids: frozenset[int]
    user_ids: frozenset[int]

    @property
    def limited(self) -> bool:
        return bool(self.team_ids or self.user_ids)


def access_of(db: Session, survey_id: int) -> Access:
    rows = db.execute(
        select(SurveyAccess.team_id, SurveyAccess.user_id).where(
            SurveyAccess.survey_id == survey_id
        )
    ).all()
    return Access(
        frozenset(t for t, _ in rows if t is not None),
        frozenset(u for _, u in rows if u is not None),
    )


def set_access(
    db: Session, survey_id: int, team_ids: Iterable[int], user_ids: Iterable[int]
) -> None:
    """Replace who the survey is limited to (nothing: open to the whole workspace)."""
    db.execute(delete(SurveyAccess).where(SurveyAccess.survey_id == survey_id))
    db.add_all([SurveyAccess(survey_id=survey_id, team_id=t) for t in sorted(set(team_ids))])
    db.add_all([SurveyAccess(survey_id=survey_id, user_id=u) for u in sorted(set(user_ids))])
    db.flush()


def would_see(db: Session, user: User, access: Access) -> bool:
    """Whether `user` would still see a survey limited as `access` describes."""
    if user.role == Role.ADMIN or not access.limited or user.id in access.user_ids:
        return True
    teams = set(db.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user.id)))
    return bool(teams & access.team_ids)


def teams_with_members(db: Session) -> list[tuple[Team, list[User]]]:
    teams = db.scalars(select(Team).order_by(Team.name)).all()
    members: dict[int, list[User]] = {team.id: [] for team in teams}
    for team_id, user in db.execute(
        select(TeamMember.team_id, User)
        .join(User, User.id == TeamMember.user_id)
        .order_by(User.email)
    ):
        members[team_id].append(user)
    return [(team, members[team.id]) for team in teams]
