"""The audit trail, for coordinators: newest first, filtered by action or subject."""

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.audit import AuditEvent
from consult.extensions import db
from consult.permissions import can_view_audit
from consult.web import requires

bp = Blueprint("audit", __name__, url_prefix="/audit")

EVENTS_PER_PAGE = 100


def list_events(action: str, subject_type: str, subject_id: str, before: int | None) -> list[AuditEvent]:
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
    return list(db.session.scalars(query.limit(EVENTS_PER_PAGE + 1)))


@bp.route("/")
@requires(can_view_audit)
def list_audit_events():
    """Who did what, when."""
    action = request.args.get("action", "").strip()[:80]
    subject_type = request.args.get("subject_type", "").strip()[:40]
    subject_id = request.args.get("subject_id", "").strip()[:40]
    before = request.args.get("before", type=int)
    events = list_events(action, subject_type, subject_id, before)
    has_more = len(events) > EVENTS_PER_PAGE
    events = events[:EVENTS_PER_PAGE]
    return render_template(
        "audit/list.html",
        events=events,
        next_before=events[-1].id if has_more else None,
        filters={"action": action, "subject_type": subject_type, "subject_id": subject_id},
    )
