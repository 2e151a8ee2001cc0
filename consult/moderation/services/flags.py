"""Readers' flags: reports that may hide a comment until a moderator looks."""

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from consult import audit
from consult.accounts.models import User
from consult.comments.models import Comment, CommentState
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.models import Flag, Reason
from consult.organisations.models import Membership, confirmed_organisations

# Reports cannot silence: a report hides a comment only when it comes from an account that counts (staff; a
# confirmed member of a verified organisation; or an address confirmed FLAG_COUNTING_DAYS before the report),
# so that a mob of fresh accounts reaches the moderators without hiding anything. Once a moderator has
# looked at a comment's reports and kept it, reports no longer hide it: several old accounts of one person
# can take a comment down once, until a moderator looks (hidden comments top the queue), never again.


def report_counts(reader: User | None, reported_at: datetime, counting_age: timedelta) -> bool:
    """Whether a report made by reader at reported_at may hide a comment."""
    if reader is None or reader.erased_at is not None or not reader.is_active:
        return False
    if reader.roles:
        return True
    if any(organisation.is_verified for organisation in confirmed_organisations(reader)):
        return True
    verified = reader.email_verified_at
    return verified is not None and verified <= reported_at - counting_age


def report_tally(comment_ids: list[int], counting_age: timedelta) -> dict[int, tuple[int, int]]:
    """For each comment, its open reports and how many of them count: (open, counting), in two queries."""
    tally: dict[int, tuple[int, int]] = {}
    if not comment_ids:
        return tally
    found = db.session.execute(
        select(Flag, User)
        .outerjoin(User, User.id == Flag.user_id)
        .where(Flag.comment_id.in_(comment_ids), Flag.resolved_at.is_(None))
        .options(selectinload(User.memberships).joinedload(Membership.organisation))
    ).all()
    for item, reader in found:
        open_, counting = tally.get(item.comment_id, (0, 0))
        tally[item.comment_id] = (
            open_ + 1,
            counting + report_counts(reader, item.created_at, counting_age),
        )
    return tally


def counting_flag_ids(flags: list, counting_age: timedelta) -> set[int]:
    """Which of a comment's reports count, for the moderator's page (the readers are loaded in one query)."""
    readers = {
        user.id: user
        for user in db.session.scalars(
            select(User)
            .where(User.id.in_({f.user_id for f in flags if f.user_id is not None}))
            .options(selectinload(User.memberships).joinedload(Membership.organisation))
        )
    }
    return {f.id for f in flags if report_counts(readers.get(f.user_id), f.created_at, counting_age)}


def flag(
    reader: Any, comment: Comment, reason: Reason, note: str | None, hide_at: int, counting_age: timedelta
) -> bool:
    """A signed-in reader reports a published comment, once. At `hide_at` open reports from accounts that
    count, the comment is hidden from the public until a moderator looks, unless a moderator already kept
    it after earlier reports. Returns whether this report hid it."""
    if comment.author_id == reader.id:
        raise DomainError(_("You cannot report your own comment."))
    if db.session.scalar(select(Flag).where(Flag.comment_id == comment.id, Flag.user_id == reader.id)):
        raise DomainError(_("You have reported this comment already. Thank you."))
    if not comment.is_public:
        raise DomainError(_("Only published comments can be reported."))
    now = utcnow()
    counts = report_counts(reader, now, counting_age)
    db.session.add(
        Flag(
            comment_id=comment.id,
            user_id=reader.id,
            reason=reason,
            note=(note or "").strip() or None,
            created_at=now,
        )
    )
    audit.record(reader, "comment.flag", comment, after={"reason": reason.value, "counts": counts})
    db.session.flush()
    open_, counting = report_tally([comment.id], counting_age).get(comment.id, (0, 0))
    if counts and counting >= hide_at and comment.hidden_at is None and not _kept_after_reports(comment):
        comment.hidden_at = utcnow()
        audit.record(
            None, "comment.hide_pending_review", comment, after={"flags": open_, "counting": counting}
        )
        return True
    return False


def _kept_after_reports(comment: Comment) -> bool:
    """Whether a moderator already dealt with reports on this comment and left it published."""
    return (
        db.session.scalar(
            select(Flag.id).where(Flag.comment_id == comment.id, Flag.resolved_at.is_not(None)).limit(1)
        )
        is not None
    )


def open_flags(comment: Comment) -> int:
    """How many readers' flags on the comment no moderator has looked at yet."""
    return db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(Flag.comment_id == comment.id, Flag.resolved_at.is_(None))
    )


def hidden_by_reports(round_id: int | None = None, limit: int = 50) -> list[Comment]:
    """Comments that readers' reports hid, longest hidden first: they top the moderators' queue, since
    each hour hidden is an hour a reported voice is silent."""
    query = (
        select(Comment)
        .where(Comment.state == CommentState.published, Comment.hidden_at.is_not(None))
        .options(
            joinedload(Comment.author), joinedload(Comment.organisation), selectinload(Comment.attachments)
        )
        .order_by(Comment.hidden_at, Comment.id)
        .limit(limit)
    )
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    return list(db.session.scalars(query))


def resolve_flags(moderator: Any, comment: Comment) -> None:
    """A decision on a flagged comment answers its flags."""
    for item in db.session.scalars(
        select(Flag).where(Flag.comment_id == comment.id, Flag.resolved_at.is_(None))
    ):
        item.resolved_at, item.resolved_by_id = utcnow(), moderator.id
