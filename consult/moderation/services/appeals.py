"""Appeals and four eyes: an author contests a rejection once; a different moderator decides.

An appeal is open while the rejection it contests stands; should that rejection ever go (an appeal made
before its undo window passed, in older data), the appeal is closed: nobody can decide it, and the author is
told so rather than "awaiting a decision"."""

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
from consult.i18n import format_moment
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
    if explanation is None or explanation.appeal_until is None:
        raise DomainError(_("Only a rejected comment can be contested."))
    if utcnow() < explanation.final_from:
        raise DomainError(
            _(
                "This decision can be contested from %(time)s, once the moderator can no longer change it.",
                time=format_moment(explanation.final_from, explanation.timezone),
            )
        )
    if utcnow() > explanation.appeal_until:
        raise DomainError(_("The time to contest this decision has passed."))
    if not statement.strip():
        raise DomainError(_("Say why the decision should change."), field="statement")
    item = Appeal(comment_id=comment.id, statement=statement.strip())
    db.session.add(item)
    audit.record(author, "comment.appeal", comment)
    return item


def _standing_kind():
    """The kind of the decision that stands on the appeal's comment (its last one not undone)."""
    return (
        select(ModerationDecision.decision)
        .where(ModerationDecision.comment_id == Appeal.comment_id, ModerationDecision.undone_at.is_(None))
        .order_by(ModerationDecision.sequence.desc())
        .limit(1)
        .scalar_subquery()
    )


def _open_appeals():
    """Pending appeals whose rejection still stands: the comment is rejected by a rejection or a removal."""
    return (
        select(Appeal)
        .join(Comment, Comment.id == Appeal.comment_id)
        .where(
            Appeal.state == AppealState.pending,
            Comment.state == CommentState.rejected,
            _standing_kind().in_([DecisionKind.reject, DecisionKind.remove]),
        )
    )


def appeal_is_open(item: Appeal | None) -> bool:
    """Whether an appeal waits for a decision: pending, and the rejection it contests still stands."""
    return item is not None and db.session.scalar(_open_appeals().where(Appeal.id == item.id)) is not None


def appeal_is_closed(item: Appeal | None) -> bool:
    """Whether an appeal can never be decided: pending, but the rejection it contests is gone."""
    return item is not None and item.state is AppealState.pending and not appeal_is_open(item)


def decide_appeal(moderator: Any, item, grant: bool, note: str | None) -> None:
    """A different moderator than the one who rejected decides the appeal: reinstate or uphold."""
    target = AppealState.granted if grant else AppealState.upheld
    if not APPEAL_LIFECYCLE.allows(item.state, target):
        raise DomainError(_("This appeal is decided already."))
    if not appeal_is_open(item):
        raise DomainError(_("This appeal is closed: the decision it contested no longer stands."))
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
            _open_appeals()
            .options(joinedload(Appeal.comment))  # the queue links to each by its public id
            .order_by(Appeal.created_at)
        )
    )
