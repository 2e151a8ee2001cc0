"""The moderators' queue (its filters, its count, the comment that comes next) and a comment's history."""

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from consult.comments.models import Comment, CommentState
from consult.database import casefold
from consult.extensions import db
from consult.moderation.models import Flag, ModerationDecision
from consult.organisations.models import Organisation


def _filtered(
    query: Select,
    round_id: int | None = None,
    state: CommentState | None = CommentState.submitted,
    at_risk: bool | None = None,
    language: str | None = None,
    flagged: bool = False,
    target_type: Any = None,
    stakeholder_type: Any = None,
    in_campaign: bool | None = None,
    search: str | None = None,
) -> Select:
    """A query of comments narrowed by the queue's filters (never drafts)."""
    query = query.where(Comment.state != CommentState.draft)
    if state is not None:
        query = query.where(Comment.state == state)
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    if at_risk is not None:
        query = query.where(Comment.at_risk == at_risk)
    if language:
        query = query.where(Comment.language == language)
    if flagged:
        query = query.where(
            select(Flag.id).where(Flag.comment_id == Comment.id, Flag.resolved_at.is_(None)).exists()
        )
    if target_type is not None:
        query = query.where(Comment.target_type == target_type)
    if stakeholder_type is not None:
        query = query.where(
            Comment.organisation_id.in_(select(Organisation.id).where(Organisation.type == stakeholder_type))
        )
    if in_campaign is not None:
        query = query.where(
            Comment.campaign_id.is_not(None) if in_campaign else Comment.campaign_id.is_(None)
        )
    if search and search.strip():
        # Any case, any script ("%" and "_" are searched as themselves), on SQLite as on PostgreSQL.
        query = query.where(casefold(Comment.body).contains(search.strip().casefold(), autoescape=True))
    return query


def queue(
    before: int | None = None, limit: int = 50, oldest_first: bool = False, **criteria: Any
) -> list[Comment]:
    """Comments to moderate, newest (or oldest) first, `limit` at a time (keyset on id: `before` is the
    last id of the page before); the criteria are those of `_filtered`."""
    query = _filtered(
        select(Comment).options(
            joinedload(Comment.author), joinedload(Comment.organisation), selectinload(Comment.attachments)
        ),
        **criteria,
    )
    if before:  # the keyset position: past it in the order of the page
        query = query.where(Comment.id > before if oldest_first else Comment.id < before)
    return list(
        db.session.scalars(query.order_by(Comment.id if oldest_first else Comment.id.desc()).limit(limit))
    )


def queue_count(**criteria: Any) -> int:
    """How many comments match the queue's filters, on every page."""
    return db.session.scalar(_filtered(select(func.count(Comment.id)), **criteria)) or 0


def next_in_queue(after: int, oldest_first: bool = False, **criteria: Any) -> Comment | None:
    """The comment that follows `after` in the filtered queue's order, else its first one (which is not
    `after` itself): "decide and go to the next"."""
    for position in (after, None):
        found = queue(before=position, limit=2, oldest_first=oldest_first, **criteria)
        found = [comment for comment in found if comment.id != after]
        if found:
            return found[0]
    return None


def queue_languages() -> list[str]:
    """The languages comments were written in, for the queue's language filter."""
    return list(
        db.session.scalars(
            select(Comment.language)
            .where(Comment.state != CommentState.draft)
            .distinct()
            .order_by(Comment.language)
        )
    )


def history(comment: Comment) -> list[ModerationDecision]:
    """The decisions on a comment, first to last (undone ones included, marked)."""
    return list(
        db.session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.comment_id == comment.id)
            .order_by(ModerationDecision.sequence)
        )
    )
