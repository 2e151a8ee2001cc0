"""Moderation: decisions with reasons, redactions, readers' flags and appeals."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.comments.models import CommentState
from consult.database import LabelledEnum, enum_column, utcnow
from consult.extensions import db


class Reason(LabelledEnum):
    """The fixed list of reasons for not publishing a comment, or for flagging one."""

    off_topic = "off_topic", _l("Off-topic")
    abusive = "abusive", _l("Abusive or hateful (incitement, article 20 of the ICCPR)")
    personal_data = "personal_data", _l("Personal data of others")
    spam = "spam", _l("Spam")
    duplicate = "duplicate", _l("Duplicate")
    defamatory = "defamatory", _l("Defamatory")
    other = "other", _l("Other")


class DecisionKind(LabelledEnum):
    """What a moderator decided."""

    approve = "approve", _l("Approved")
    reject = "reject", _l("Rejected")
    request_changes = "request_changes", _l("Sent back for changes")
    remove = "remove", _l("Removed after publication")
    reinstate = "reinstate", _l("Reinstated on appeal")


class AppealState(LabelledEnum):
    """An author may contest a rejection once; a different moderator decides."""

    pending = "pending", _l("Awaiting a decision")
    upheld = "upheld", _l("Rejection upheld")
    granted = "granted", _l("Comment reinstated")


class ModerationDecision(db.Model):
    """One decision on one comment, numbered so that two moderators cannot both decide the same turn."""

    __tablename__ = "moderation_decisions"
    __table_args__ = (
        UniqueConstraint("comment_id", "sequence"),
        CheckConstraint(
            "decision IN ('approve', 'reinstate') OR reason IS NOT NULL", name="refusal_has_reason"
        ),
        CheckConstraint("reason != 'other' OR note IS NOT NULL", name="other_has_note"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: 1 for the first decision on a comment, 2 for the next…
    sequence: Mapped[int]
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    decision: Mapped[DecisionKind] = enum_column(DecisionKind)
    reason: Mapped[Reason | None] = enum_column(Reason, nullable=True)
    #: Shown to the author with the reason.
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What the comment was before the decision, so that an undo puts it back exactly.
    previous_state: Mapped[CommentState | None] = enum_column(CommentState, nullable=True)
    previous_published_at: Mapped[datetime | None]
    previous_hidden_at: Mapped[datetime | None]
    #: When the author's e-mail may leave: once the undo window has passed (none: nothing to send).
    notify_after: Mapped[datetime | None] = mapped_column(index=True)
    #: When the e-mail was handed to the jobs queue (or found superseded by a later decision).
    notified_at: Mapped[datetime | None]
    #: An undone decision stays in the history, marked, and tells the author nothing.
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    comment = relationship("Comment", foreign_keys=[comment_id])

    def written_privately(self) -> bool:
        """For the page cache: no public page shows this row (a decision is public only through the comment
        it changes, which the same flush writes)."""
        return True


class Redaction(db.Model):
    """A passage of a comment hidden from the public; the original stays for staff only."""

    __tablename__ = "redactions"
    __table_args__ = (CheckConstraint("end_offset > start_offset", name="passage_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Character offsets of the passage in the comment's body.
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    original: Mapped[str] = mapped_column(Text)
    reason: Mapped[Reason] = enum_column(Reason)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Flag(db.Model):
    """A signed-in reader's report of a published comment; once per reader and comment."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[Reason] = enum_column(Reason)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Appeal(db.Model):
    """An author's one appeal against a rejection."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    statement: Mapped[str] = mapped_column(Text)
    state: Mapped[AppealState] = enum_column(AppealState, default=AppealState.pending)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)

    comment = relationship("Comment", foreign_keys=[comment_id])
