"""What every respondent page reads, kept in each process for a few seconds.

Every page of a survey needs the link, its survey's latest version, that version in the
page's language and, on the start page, the "You said, we did" notes and the easy read
link. They change only when staff act, and asking the database for them on each of a
response's sixteen requests was a quarter of the server's work. So each process keeps
them for `RESPONDENT_CACHE_SECONDS` (5 by default):

- in the process that made a change, the cache is emptied as the change commits (any
  session that writes a link, survey, version, note or translation), so staff see their
  action take effect at once;
- other processes (gunicorn's other workers, other machines, `feedback` commands) see it
  within those seconds: a closed link can still be started, or a response submitted
  through it, for up to 5 seconds after it closed; a new version reaches new pages
  within 5 seconds (a draft keeps the version it started on).

Values are kept detached from any database session, so requests on other threads can
read them; they are never written to. Drafts, codes and responses are never cached.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from feedback.storage.memo import Memo
from feedback.storage.models import (
    ChangeNote,
    LanguageReview,
    Link,
    SurveyRecord,
    SurveyTranslation,
    SurveyVersion,
    TranslationReview,
)

# Writing any of these can change what a respondent page shows.
SHOWN_TO_RESPONDENTS = (
    Link,
    SurveyRecord,
    SurveyVersion,
    ChangeNote,
    SurveyTranslation,
    TranslationReview,
    LanguageReview,
)
_SHOWN_TABLES = frozenset(model.__tablename__ for model in SHOWN_TO_RESPONDENTS)
_STALE = "respondent_cache_stale"
# Every cache in this process (one per app; tests build several), all emptied by a
# change committed through any of them: cheaper than knowing which database each holds.
_every_cache: weakref.WeakSet[Memo[Hashable, Any]] = weakref.WeakSet()


def respondent_cache() -> Memo[Hashable, Any]:
    """The current app's cache (each app has its own, as each has its own database)."""
    cache: Memo[Hashable, Any] = current_app.extensions["respondent_cache"]
    return cache


def new_respondent_cache(seconds: float) -> Memo[Hashable, Any]:
    """A cache of `seconds` for respondent pages, emptied with the others by any change."""
    cache: Memo[Hashable, Any] = Memo(size=2048, seconds=seconds)
    _every_cache.add(cache)
    return cache


def init_app(app: Flask) -> None:
    app.extensions["respondent_cache"] = new_respondent_cache(
        app.config["RESPONDENT_CACHE_SECONDS"]
    )


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _flush: UOWTransaction) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(instance, SHOWN_TO_RESPONDENTS) for instance in changed):
        session.info[_STALE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state: ORMExecuteState) -> None:
    # ORM or Core statements alike (`update(Link)`, `delete(Link.__table__)`).
    table = getattr(state.statement, "table", None)
    changes = state.is_update or state.is_delete or state.is_insert
    if changes and getattr(table, "name", None) in _SHOWN_TABLES:
        state.session.info[_STALE] = True


@event.listens_for(Session, "after_commit")
def _empty_when_changed(session: Session) -> None:
    if session.info.pop(_STALE, False):
        for cache in list(_every_cache):
            cache.clear()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_STALE, None)
