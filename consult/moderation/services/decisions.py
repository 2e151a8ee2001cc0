"""Moderators' decisions on comments, with the reason the author is told.

Two moderators deciding the same comment at the same moment: the comment's version counter (SQLAlchemy's
version_id_col) and the unique (comment, sequence) of decisions let exactly one win; the other is told.

A decision can be undone for a short time (MODERATION_UNDO_MINUTES): the author's e-mail leaves only once
that time has passed (`claim_due_outcomes`, run by `flask consult tick`, after each decision and at most once
a minute from requests), so an undone decision is never e-mailed and needs no correction. The author's receipt
shows the decision meanwhile and says until when it may still change; the author may contest it only once
that time has passed, and nothing acted on (an appeal, a later decision) can be undone.
"""

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from consult import audit, jobs
from consult.comments.models import Comment, CommentState
from consult.comments.services import COMMENT_LIFECYCLE
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.models import Appeal, DecisionKind, Flag, ModerationDecision, Reason
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


#: The decisions whose outcome the author is e-mailed.
TOLD = (DecisionKind.approve, DecisionKind.reject, DecisionKind.request_changes, DecisionKind.remove)


class DecidedMeanwhile(DomainError):
    """Another moderator decided the same comment first."""


def undo_window() -> timedelta:
    """How long a decision may be undone, and so how long its e-mail waits."""
    return timedelta(minutes=current_app.config["MODERATION_UNDO_MINUTES"])


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
    now = utcnow()
    record = ModerationDecision(
        comment_id=comment.id,
        sequence=sequence,
        moderator_id=moderator.id,
        decision=decision,
        reason=reason,
        note=(note or "").strip() or None,
        decided_at=now,
        previous_state=comment.state,
        previous_published_at=comment.published_at,
        previous_hidden_at=comment.hidden_at,
        notify_after=now + undo_window() if decision in TOLD else None,
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


def latest_decision(comment: Comment) -> ModerationDecision | None:
    """The decision that stands on a comment: the last one not undone."""
    return db.session.scalar(
        select(ModerationDecision)
        .where(ModerationDecision.comment_id == comment.id, ModerationDecision.undone_at.is_(None))
        .order_by(ModerationDecision.sequence.desc())
        .limit(1)
    )


def undo_deadline(decision: ModerationDecision) -> datetime:
    """Until when a decision may be undone."""
    return decision.decided_at + undo_window()


def acted_on(decision: ModerationDecision) -> bool:
    """Whether anything built on this decision: a later decision that stands, or the author's appeal."""
    later = select(ModerationDecision.id).where(
        ModerationDecision.comment_id == decision.comment_id,
        ModerationDecision.sequence > decision.sequence,
        ModerationDecision.undone_at.is_(None),
    )
    appealed = select(Appeal.id).where(Appeal.comment_id == decision.comment_id)
    return bool(db.session.scalar(select(later.exists() | appealed.exists())))


def undoable(moderator: Any, decision: ModerationDecision | None, now: datetime | None = None) -> bool:
    """Whether this moderator may still undo this decision: theirs, recorded with what it changed, its
    e-mail not yet sent, within the window, and nothing acted on it yet."""
    return (
        decision is not None
        and decision.undone_at is None
        and decision.notified_at is None
        and decision.previous_state is not None
        and decision.moderator_id == getattr(moderator, "id", None)
        and (now or utcnow()) < undo_deadline(decision)
        and not acted_on(decision)
    )


def undo(moderator: Any, comment: Comment, now: datetime | None = None) -> ModerationDecision:
    """Put a comment back exactly as it was before its latest decision (state, publication time, hidden
    time, readers' reports it answered), audited; the decision stays in the history, marked undone, and
    its author is never e-mailed about it. Not a transition of the lifecycle: it restores a recorded one."""
    now = now or utcnow()
    decision = latest_decision(comment)
    if decision is not None and decision.undone_at is None and acted_on(decision):
        raise DomainError(
            _("This decision was contested or decided again since: it can no longer be undone.")
        )
    if not undoable(moderator, decision, now):
        raise DomainError(_("This decision can no longer be undone."))
    if comment.state is not OUTCOMES[decision.decision].get(decision.previous_state):
        raise DomainError(_("The comment has changed since this decision: it cannot be undone."))
    claimed = db.session.execute(
        update(ModerationDecision)
        .where(
            ModerationDecision.id == decision.id,
            ModerationDecision.undone_at.is_(None),
            ModerationDecision.notified_at.is_(None),
        )
        .values(undone_at=now, undone_by_id=moderator.id),
        execution_options={"synchronize_session": False},
    )
    if claimed.rowcount != 1:
        raise DomainError(_("This decision can no longer be undone."))
    db.session.refresh(decision)
    before = comment.state
    comment.state = decision.previous_state
    comment.published_at, comment.hidden_at = decision.previous_published_at, decision.previous_hidden_at
    for item in db.session.scalars(
        select(Flag).where(
            Flag.comment_id == comment.id,
            Flag.resolved_by_id == decision.moderator_id,
            Flag.resolved_at >= decision.decided_at,
        )
    ):
        item.resolved_at, item.resolved_by_id = None, None
    audit.record(
        moderator,
        "comment.moderate.undo",
        comment,
        before={"state": before.value},
        after={"state": comment.state.value, "decision": decision.decision.value},
    )
    db.session.flush()
    return decision


def claim_due_outcomes(now: datetime | None = None, limit: int = 500) -> list[int]:
    """The decisions whose e-mail may leave now (the undo window passed, not undone, not sent), each
    claimed once whatever the number of servers; a decision a later one superseded is claimed and not
    sent (the author hears of the decision that stands). Returns the ids to send; the caller commits first."""
    now = now or utcnow()
    due = db.session.execute(
        select(ModerationDecision.id, ModerationDecision.comment_id, ModerationDecision.sequence)
        .where(
            ModerationDecision.notify_after <= now,
            ModerationDecision.notified_at.is_(None),
            ModerationDecision.undone_at.is_(None),
        )
        .order_by(ModerationDecision.id)
        .limit(limit)
    ).all()
    if not due:
        return []
    standing = dict(
        db.session.execute(
            select(ModerationDecision.comment_id, func.max(ModerationDecision.sequence))
            .where(
                ModerationDecision.comment_id.in_({row.comment_id for row in due}),
                ModerationDecision.undone_at.is_(None),
            )
            .group_by(ModerationDecision.comment_id)
        ).all()
    )
    to_send = []
    for row in due:
        claimed = db.session.execute(
            update(ModerationDecision)
            .where(
                ModerationDecision.id == row.id,
                ModerationDecision.notified_at.is_(None),
                ModerationDecision.undone_at.is_(None),
            )
            .values(notified_at=now),
            execution_options={"synchronize_session": False},
        )
        if claimed.rowcount == 1 and standing.get(row.comment_id) == row.sequence:
            to_send.append(row.id)
    return to_send


def send_outcomes(decision_ids: list[int]) -> None:
    """Queue the e-mails that tell the authors the outcomes claimed (after the claim is committed)."""
    for decision_id in decision_ids:
        jobs.enqueue("consult.moderation.notifications.send_outcome", decision_id=decision_id)


def last_undoable(moderator: Any, now: datetime | None = None) -> ModerationDecision | None:
    """The moderator's latest decision if it may still be undone (the queue and each comment's page offer
    it), with its comment loaded."""
    now = now or utcnow()
    decision = db.session.scalar(
        select(ModerationDecision)
        .where(
            ModerationDecision.moderator_id == moderator.id,
            ModerationDecision.decided_at > now - undo_window(),
            ModerationDecision.undone_at.is_(None),
            ModerationDecision.notified_at.is_(None),
            ModerationDecision.previous_state.is_not(None),
        )
        .options(joinedload(ModerationDecision.comment))
        .order_by(ModerationDecision.decided_at.desc(), ModerationDecision.id.desc())
        .limit(1)
    )
    if decision is None or not undoable(moderator, decision, now):
        return None
    return decision
