"""The audit trail: one function records every state change and every view of confidential material."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from consult.database import utcnow
from consult.extensions import db


class AuditEvent(db.Model):
    """Who did what to which object, when, with the state before and after. No IP address is kept."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: A dotted verb such as "round.open" or "comment.view_confidential".
    action: Mapped[str] = mapped_column(String(80), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor = relationship("User")

    def written_privately(self) -> bool:
        """For the page cache: no public page shows this row (the audit trail is for coordinators)."""
        return True


def subject_of(obj: Any) -> tuple[str, str]:
    """The (type, id) under which an object is recorded; a (type, id) pair names something with no row."""
    if isinstance(obj, tuple):
        return obj[0], str(obj[1])[:40]
    return obj.__tablename__, str(obj.id)


def record(actor: Any, action: str, subject: Any, before: Any = None, after: Any = None) -> AuditEvent:
    """Add an audit event to the current transaction; flushes first so that a new subject has its id."""
    if not isinstance(subject, tuple) and getattr(subject, "id", None) is None:
        db.session.flush()
    subject_type, subject_id = subject_of(subject)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


def list_events(
    action: str, subject_type: str, subject_id: str, before: int | None, limit: int
) -> list[AuditEvent]:
    """A page of events, newest first, from before the event id given (keyset pagination)."""
    query = select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if subject_type:
        query = query.where(AuditEvent.subject_type == subject_type)
    if subject_id:
        query = query.where(AuditEvent.subject_id == subject_id)
    if before:
        query = query.where(AuditEvent.id < before)
    return list(db.session.scalars(query.limit(limit)))
