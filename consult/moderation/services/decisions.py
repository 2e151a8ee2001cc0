"""Moderators' decisions on comments, with the reason the author is told.

Two moderators deciding the same comment at the same moment: the comment's version counter (SQLAlchemy's
version_id_col) and the unique (comment, sequence) of decisions let exactly one win; the other is told.
"""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from consult import jobs
from consult.comments.models import Comment, CommentState
from consult.comments.services import COMMENT_LIFECYCLE
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.models import DecisionKind, ModerationDecision, Reason
from consult.moderation.services.flags import resolve_flags

#: What each decision does to a comment, from the states it may be taken in.
OUTCOMES = {
    DecisionKind.approve: {
        CommentState.submitted: CommentState.published,
        CommentState.changes_requested: CommentState.published,
        CommentState.published: CommentState.published,
    },
    DecisionKind.reject: {
        CommentState.submitted: CommentState.rejected,
        CommentState.changes_requested: CommentState.rejected,
    },
    DecisionKind.request_changes: {
        CommentState.submitted: CommentState.changes_requested,
        CommentState.published: CommentState.changes_requested,
    },
    DecisionKind.remove: {CommentState.published: CommentState.rejected},
}


class DecidedMeanwhile(DomainError):
    """Another moderator decided the same comment first."""


def _check_reason(decision: DecisionKind, reason: Reason | None, note: str | None) -> None:
    if (
        decision in (DecisionKind.reject, DecisionKind.request_changes, DecisionKind.remove)
        and reason is None
    ):
        raise DomainError(_("Give the reason: the author is told it."), field="reason")
    if reason is Reason.other and not (note or "").strip():
        raise DomainError(_("Explain the reason in the note."), field="note")


def decide(
    moderator: Any,
    comment: Comment,
    decision: DecisionKind,
    reason: Reason | None = None,
    note: str | None = None,
    seen_version: int | None = None,
) -> ModerationDecision:
    """Approve, reject, send back or remove a comment, recording who, when and why; flushes, so that a
    decision taken meanwhile by another moderator raises DecidedMeanwhile here."""
    _check_reason(decision, reason, note)
    if seen_version is not None and comment.version != seen_version:
        raise DecidedMeanwhile(
            _("Another moderator changed this comment while you were reading it. Look at it again.")
        )
    target = OUTCOMES[decision].get(comment.state)
    if target is None:
        raise DomainError(
            _("This decision cannot be taken on a comment that is %(state)s.", state=str(comment.state.label))
        )
    sequence = (
        db.session.scalar(
            select(func.max(ModerationDecision.sequence)).where(ModerationDecision.comment_id == comment.id)
        )
        or 0
    ) + 1
    record = ModerationDecision(
        comment_id=comment.id,
        sequence=sequence,
        moderator_id=moderator.id,
        decision=decision,
        reason=reason,
        note=(note or "").strip() or None,
    )
    db.session.add(record)
    COMMENT_LIFECYCLE.apply(
        comment,
        target,
        moderator,
        f"comment.moderate.{decision.value}",
        reason=reason.value if reason else None,
    )
    if target is CommentState.published:
        comment.published_at = comment.published_at or utcnow()
        comment.hidden_at = None
    elif comment.published_at is not None:
        comment.published_at = None
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise DecidedMeanwhile(
            _("Another moderator decided this comment at the same moment. Look at it again.")
        ) from error
    resolve_flags(moderator, comment)  # after the flush: its query must not flush a lost race unguarded
    return record


def decide_many(
    moderator: Any,
    comment_ids: list[int],
    decision: DecisionKind,
    reason: Reason | None = None,
    note: str | None = None,
) -> tuple[list[ModerationDecision], list[int]]:
    """One decision on a selection: the decisions taken, and the ids of comments it does not apply to."""
    _check_reason(decision, reason, note)
    taken, skipped = [], []
    for comment in db.session.scalars(
        select(Comment).where(Comment.id.in_(comment_ids)).order_by(Comment.id)
    ):
        if OUTCOMES[decision].get(comment.state) is None:
            skipped.append(comment.id)
            continue
        taken.append(decide(moderator, comment, decision, reason, note))
    return taken, skipped


def notify_author(decision: ModerationDecision) -> None:
    """Queue the e-mail that tells the author the outcome and, if any, the reason."""
    if decision.decision in (
        DecisionKind.approve,
        DecisionKind.reject,
        DecisionKind.request_changes,
        DecisionKind.remove,
    ):
        jobs.enqueue("consult.moderation.notifications.send_outcome", decision_id=decision.id)
