"""The moderators' queue and a comment's history of decisions."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation.models import Flag, ModerationDecision
from consult.organisations.models import Organisation


def queue(
    round_id: int | None = None,
    state: CommentState | None = CommentState.submitted,
    at_risk: bool | None = None,
    language: str | None = None,
    before: int | None = None,
    limit: int = 50,
    flagged: bool = False,
    target_type: Any = None,
    stakeholder_type: Any = None,
    in_campaign: bool | None = None,
    oldest_first: bool = False,
) -> list[Comment]:
    """Comments to moderate, newest first, 50 at a time (keyset on id); flagged: only those reported."""
    query = (
        select(Comment)
        .where(Comment.state != CommentState.draft)
        .options(
            joinedload(Comment.author), joinedload(Comment.organisation), selectinload(Comment.attachments)
        )
        .order_by(Comment.id if oldest_first else Comment.id.desc())
        .limit(limit)
    )
    if state is not None:
        query = query.where(Comment.state == state)
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    if at_risk is not None:
        query = query.where(Comment.at_risk == at_risk)
    if language:
        query = query.where(Comment.language == language)
    if before:  # the keyset position: past it in the order of the page
        query = query.where(Comment.id > before if oldest_first else Comment.id < before)
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
    return list(db.session.scalars(query))


def history(comment: Comment) -> list[ModerationDecision]:
    """The decisions on a comment, first to last."""
    return list(
        db.session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.comment_id == comment.id)
            .order_by(ModerationDecision.sequence)
        )
    )
