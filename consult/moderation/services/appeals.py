"""Appeals and four eyes: an author contests a rejection once; a different moderator decides."""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from consult import audit, jobs
from consult.comments.models import Comment, CommentState
from consult.comments.services import COMMENT_LIFECYCLE
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.lifecycle import Lifecycle
from consult.moderation.models import Appeal, AppealState, DecisionKind, ModerationDecision
from consult.moderation.services.explained import explain_to_author

APPEAL_LIFECYCLE = Lifecycle({AppealState.pending: {AppealState.granted, AppealState.upheld}})


def appeal(author: Any, comment: Comment, statement: str):
    """The author contests a rejection, once."""
    if comment.author_id != author.id:
        raise DomainError(_("Only the author can contest a decision."))
    if comment.state is not CommentState.rejected:
        raise DomainError(_("Only a rejected comment can be contested."))
    if db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id)) is not None:
        raise DomainError(_("A decision can be contested only once."))
    explanation = explain_to_author(comment)
    if (
        explanation is not None
        and explanation.appeal_until is not None
        and utcnow() > explanation.appeal_until
    ):
        raise DomainError(_("The time to contest this decision has passed."))
    if not statement.strip():
        raise DomainError(_("Say why the decision should change."), field="statement")
    item = Appeal(comment_id=comment.id, statement=statement.strip())
    db.session.add(item)
    audit.record(author, "comment.appeal", comment)
    return item


def decide_appeal(moderator: Any, item, grant: bool, note: str | None) -> None:
    """A different moderator than the one who rejected decides the appeal: reinstate or uphold."""
    target = AppealState.granted if grant else AppealState.upheld
    if not APPEAL_LIFECYCLE.allows(item.state, target):
        raise DomainError(_("This appeal is decided already."))
    rejecting = db.session.scalar(
        select(ModerationDecision)
        .where(
            ModerationDecision.comment_id == item.comment_id,
            ModerationDecision.decision.in_([DecisionKind.reject, DecisionKind.remove]),
            ModerationDecision.undone_at.is_(None),
        )
        .order_by(ModerationDecision.sequence.desc())
        .limit(1)
    )
    if rejecting is not None and rejecting.moderator_id == moderator.id:
        raise DomainError(_("Another moderator must decide: you took the decision that is contested."))
    comment = db.session.get(Comment, item.comment_id)
    # Audited on the comment below, as every step of the comment's moderation is.
    APPEAL_LIFECYCLE.move(item, target)
    item.decided_by_id, item.decided_at, item.note = moderator.id, utcnow(), (note or "").strip() or None
    audit.record(moderator, "comment.appeal_decided", comment, after={"granted": grant})
    if grant:
        sequence = (
            db.session.scalar(
                select(func.max(ModerationDecision.sequence)).where(
                    ModerationDecision.comment_id == comment.id
                )
            )
            or 0
        ) + 1
        db.session.add(
            ModerationDecision(
                comment_id=comment.id,
                sequence=sequence,
                moderator_id=moderator.id,
                decision=DecisionKind.reinstate,
                note=item.note,
            )
        )
        COMMENT_LIFECYCLE.apply(comment, CommentState.published, moderator, "comment.moderate.reinstate")
        comment.published_at = utcnow()


def notify_appeal_outcome(item) -> None:
    """Queue the e-mail that tells the author how their appeal was decided, with the moderator's note."""
    jobs.enqueue("consult.moderation.notifications.send_appeal_outcome", appeal_id=item.id)


def pending_appeals() -> list:
    """Appeals waiting for a second moderator, oldest first."""
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.state == AppealState.pending)
            .options(joinedload(Appeal.comment))  # the queue links to each by its public id
            .order_by(Appeal.created_at)
        )
    )
