"""Decisions explained to their authors: why a comment is not published or must change (the reason, the
moderator's note), and from and until when the author may contest it or change it.

A rejection may be contested only once its moderator can no longer undo it: an appeal never meets a decision
that then disappears."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from consult.comments.models import Comment, CommentState
from consult.database import utcnow
from consult.extensions import db
from consult.moderation.models import DecisionKind, ModerationDecision, Reason
from consult.moderation.services.decisions import undo_deadline
from consult.rounds.models import Round

#: The states an author is told the why of, and the decisions that put a comment there.
EXPLAINED = {
    CommentState.rejected: (DecisionKind.reject, DecisionKind.remove),
    CommentState.changes_requested: (DecisionKind.request_changes,),
}


def appeal_window() -> timedelta:
    """How long after a rejection its author may contest it."""
    return timedelta(days=current_app.config["MODERATION_APPEAL_DAYS"])


@dataclass(frozen=True)
class Explanation:
    """What the author of a comment not published (or sent back) is told."""

    decision: DecisionKind
    reason: Reason | None
    note: str | None
    decided_at: datetime
    #: Until when the author may contest a rejection (None for a request for changes).
    appeal_until: datetime | None
    #: Until when the moderator may still undo the decision, and so from when it may be contested.
    final_from: datetime
    #: Until when the author may change a comment sent back: the round's close (None for a rejection).
    change_until: datetime | None
    #: The round's time zone, in which the author reads these times.
    timezone: str | None = None
    #: Whether the decision may be contested now: it can no longer be undone and the time has not passed.
    may_appeal: bool = False
    #: Whether the moderator may still undo it (the author is told so, and may contest it only afterwards).
    provisional: bool = False


def explain_to_authors(comments: Iterable[Comment]) -> dict[int, Explanation]:
    """The explanation of each comment (by id) that is rejected or sent back for changes, from the decision
    that stands on it: three queries however many comments there are."""
    wanted = [c for c in comments if c.state in EXPLAINED]
    if not wanted:
        return {}
    standing = (
        select(ModerationDecision.comment_id, func.max(ModerationDecision.sequence).label("sequence"))
        .where(
            ModerationDecision.comment_id.in_([c.id for c in wanted]), ModerationDecision.undone_at.is_(None)
        )
        .group_by(ModerationDecision.comment_id)
        .subquery()
    )
    decisions = {
        d.comment_id: d
        for d in db.session.scalars(
            select(ModerationDecision).join(
                standing,
                (standing.c.comment_id == ModerationDecision.comment_id)
                & (standing.c.sequence == ModerationDecision.sequence),
            )
        )
    }
    rounds = {
        r.id: r for r in db.session.scalars(select(Round).where(Round.id.in_({c.round_id for c in wanted})))
    }
    found, now = {}, utcnow()
    for comment in wanted:
        decision = decisions.get(comment.id)
        if decision is None or decision.decision not in EXPLAINED[comment.state]:
            continue
        round_ = rounds.get(comment.round_id)
        refused = comment.state is CommentState.rejected
        appeal_until = decision.decided_at + appeal_window() if refused else None
        final_from = undo_deadline(decision)
        found[comment.id] = Explanation(
            decision=decision.decision,
            reason=decision.reason,
            note=decision.note,
            decided_at=decision.decided_at,
            appeal_until=appeal_until,
            final_from=final_from,
            change_until=round_.closes_at if round_ is not None and not refused else None,
            timezone=round_.timezone if round_ is not None else None,
            may_appeal=appeal_until is not None and final_from <= now <= appeal_until,
            provisional=now < final_from,
        )
    return found


def explain_to_author(comment: Comment) -> Explanation | None:
    """The explanation of one comment, if it is rejected or sent back."""
    return explain_to_authors([comment]).get(comment.id)
