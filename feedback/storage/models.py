"""Storage model.

What is deliberately absent: no IP address, user agent, referrer, respondent
identifier or exact time is stored with a response. A response has a random id
(so ids do not reveal the order of submission) and the date it was submitted.
Answers are one row per chosen option (or per text or number), so dashboards
count with GROUP BY in the database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.storage.db import Base


class SurveyRecord(Base):
    """A survey across its versions: the stable id, and whether it takes answers."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_on: Mapped[date] = mapped_column(Date)

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number"
    )


class SurveyVersion(Base):
    """One published, immutable version of a survey definition."""

    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The definition as authored (parsed YAML); re-validated whenever it is read.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_on: Mapped[date] = mapped_column(Date)
    # For each closed question this version rewords, what the team said it is: "same"
    # (a typo fix: answers before and after counted together) or "new" (a different
    # question: shown apart). See surveys.rewording.
    rewordings: Mapped[dict[str, str] | None] = mapped_column(JSON)

    survey: Mapped[SurveyRecord] = relationship(back_populates="versions")


class Link(Base):
    """A shared link: it names a channel (who it was sent to, how), never a person."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(120))
    audience: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(10))
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A shared tablet (youth centre): resets to the start after submit or when idle.
    kiosk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Handed out on cards: each single-use code lets one response through.
    requires_code: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The age band the link was sent to (e.g. "13-15"), a coarse dashboard filter.
    age_band: Mapped[str | None] = mapped_column(String(20))

    survey: Mapped[SurveyRecord] = relationship()


class AccessCode(Base):
    """A single-use code for a link. Only a used flag is kept: no time, no link to a response."""

    __tablename__ = "access_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyResponse(Base):
    """One submitted response. Stored in one transaction with all its answers."""

    __tablename__ = "responses"
    # Without SQLite's hidden rowid, which would number responses in arrival order.
    __table_args__ = (
        Index("ix_responses_survey_submitted", "survey_id", "submitted_on"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE")
    )
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    submitted_on: Mapped[date] = mapped_column(Date)
    # Random, 0-255, given at submit and never changed: the cell key method's record key.
    record_key: Mapped[int] = mapped_column(Integer)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """One chosen option, number or piece of (scrubbed) text within a response."""

    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_survey_item_choice", "survey_id", "item_key", "choice"),
        # No hidden rowid in SQLite: its order would reveal the order of submission.
        {"sqlite_with_rowid": False},
    )

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(130), primary_key=True)
    # The chosen option value; "" for number and text answers.
    choice: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    # Repeated from the response so counts need no join.
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class Tally(Base):
    """Counts kept up to date on submit, so dashboards cost the same at any size.

    One row per (survey, item, choice, week, link, language). An empty item key
    counts responses; an empty choice counts the responses that answered the item.
    Never shown as it is: every figure built from it passes disclosure control.
    """

    __tablename__ = "tallies"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(130), primary_key=True)
    choice: Mapped[str] = mapped_column(String(64), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    link_id: Mapped[int] = mapped_column(
        ForeignKey("links.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # The sum of the counted responses' record keys: the cell key, before the modulo.
    key_sum: Mapped[int] = mapped_column(BigInteger, default=0)


class Wave(Base):
    """A named group of responses to compare, e.g. before and after a change.

    A wave is a run of whole release periods (starts_on is a period's first Monday,
    ends_on the Sunday before a later period ends), and waves never overlap: see
    dashboards.release.wave_groups.
    """

    __tablename__ = "waves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class Release(Base):
    """A protected release: the responses of whole weeks before `covers_before`.

    Every figure staff can see is read from the latest release. A new one is cut
    only once at least the disclosure threshold of responses arrived since the last.
    """

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    covers_before: Mapped[date] = mapped_column(Date)
    cut_on: Mapped[date] = mapped_column(Date)


class ChangeNote(Base):
    """ "You said, we did": what the team changed in response, shown on the start page."""

    __tablename__ = "change_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date] = mapped_column(Date)


class CommentTheme(Base):
    """One of a survey's own comment themes: a name and the words and phrases that find it
    (see dashboards.themes). A survey with none uses the default list."""

    __tablename__ = "comment_themes"
    __table_args__ = (UniqueConstraint("survey_id", "name"),)

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(80))
    terms: Mapped[list[str]] = mapped_column(JSON)


class CommentReview(Base):
    """A reviewer's decision on one free-text answer: shown to the team, or hidden.

    Comments reach anyone but reviewers only once reviewed and not hidden, so a
    trained reviewer reads anything worrying first.
    """

    __tablename__ = "comment_reviews"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(130), primary_key=True)
    hidden: Mapped[bool] = mapped_column(Boolean)
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_on: Mapped[date] = mapped_column(Date)


class Draft(Base):
    """Answers in progress. Deleted on submit, on exit and on expiry (hours, not days).

    The browser holds a random token; only its hash is stored, so someone who
    can read the database cannot take over a respondent's session.
    """

    __tablename__ = "drafts"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE")
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The single-use code this visit was let in with, if its link needs one.
    access_code_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class SurveyTranslation(Base):
    """One survey's text in one language: the .po file as a translator sent it."""

    __tablename__ = "survey_translations"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    po: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    # "shipped" with the question bank, or "uploaded" by a design team (never overwritten
    # by a shipped file).
    origin: Mapped[str] = mapped_column(String(20))
    updated_on: Mapped[date] = mapped_column(Date)


class AuditEvent(Base):
    """Who did what in the workspace, and when. Append-only; nothing about respondents.

    Staff actions carry an exact time (unlike responses): accountability for people
    who can see results is part of protecting those who gave them.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    """A member of a design team. Respondents never have accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # None for someone who signs in only through the organisation's single sign-on.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # None until an admin (or a group at the provider) gives them one: no access before.
    role: Mapped[str | None] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_on: Mapped[date] = mapped_column(Date)
    # The TOTP secret when the person has turned on two-step sign-in, encrypted (Fernet):
    # a copy of the database alone does not let anyone make codes.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    # The time step of the last code accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Sessions carry the version they began under; signing out or a change of password or
    # role moves it on, which ends every session of that person, copied cookies included.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The single sign-on identity this account belongs to: the provider (issuer) and its
    # unchanging id for the person (subject). Never the e-mail, which a provider may let
    # people change or may not have verified.
    oidc_issuer: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    # The provider's access token from the latest sign-in, encrypted like the TOTP secret:
    # access is confirmed with the provider using it. Kept here, not in the session
    # cookie, which a provider's large tokens would push past what browsers keep.
    oidc_access_token: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    # flask-login's interface, kept explicit rather than inherited from a mixin.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class Team(Base):
    """A named group of staff (e.g. "Youth justice design team") that surveys can be limited to."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SurveyAccess(Base):
    """One team or one person a survey is limited to.

    A survey with no rows here is open to everyone in the workspace; with rows,
    only to those teams and people (and admins, who manage access).
    """

    __tablename__ = "survey_access"
    __table_args__ = (
        CheckConstraint("(team_id IS NULL) <> (user_id IS NULL)", name="one_team_or_person"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class JobRun(Base):
    """One run of a scheduled job (draft purge, retention, release cutting) that did its work.

    `feedback jobs` reads the latest run of each job to decide whether it is due, so that
    several machines running it at the same time do each job once; the rows also tell an
    operator when each job last ran and what it did. Nothing about respondents.
    """

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_name_finished_at", "name", "finished_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(Text, default="")


class TranslationReview(Base):
    """A fluent speaker's decision on one translated message: accepted, or corrected.

    Kept per language and message (its gettext context and English, hashed into `message_key`),
    with the English it was made for, so a later change to the English makes it draft again.
    Who reviewed is kept as a role, never a name: a translation is public text, and the
    reviewer of a small language could otherwise be picked out in every catalogue.
    """

    __tablename__ = "translation_reviews"
    __table_args__ = (UniqueConstraint("catalogue", "language", "message_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "messages": the respondent interface (translations/<lang>/LC_MESSAGES/messages.po).
    catalogue: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(10))
    message_key: Mapped[str] = mapped_column(String(64))
    context: Mapped[str] = mapped_column(String(100))
    english: Mapped[str] = mapped_column(Text)
    # The accepted or corrected translation: a JSON list, one string per plural form.
    translation: Mapped[list[str]] = mapped_column(JSON)
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by_role: Mapped[str] = mapped_column(String(20))
    reviewed_on: Mapped[date] = mapped_column(Date)


class LanguageReview(Base):
    """A language's catalogue as a whole: when it was marked reviewed, and by which role.

    `revision` changes (to a new random number) on every correction, so each app process can
    tell cheaply (one primary-key read) that the text it shows respondents must be rebuilt.
    """

    __tablename__ = "language_reviews"

    catalogue: Mapped[str] = mapped_column(String(100), primary_key=True)
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    reviewed_by_role: Mapped[str | None] = mapped_column(String(20))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
