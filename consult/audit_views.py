"""The audit trail, for coordinators: newest first, filtered by action or subject."""

from flask import Blueprint, render_template, request

from consult.accounts.permissions import can_view_audit
from consult.audit import list_events
from consult.web import query_int, requires

bp = Blueprint("audit", __name__, url_prefix="/audit")

EVENTS_PER_PAGE = 100


@bp.route("/")
@requires(can_view_audit)
def list_audit_events():
    """Who did what, when."""
    action = request.args.get("action", "").strip()[:80]
    subject_type = request.args.get("subject_type", "").strip()[:40]
    subject_id = request.args.get("subject_id", "").strip()[:40]
    before = request.args.get("before", type=query_int)
    events = list_events(action, subject_type, subject_id, before, EVENTS_PER_PAGE + 1)
    has_more = len(events) > EVENTS_PER_PAGE
    events = events[:EVENTS_PER_PAGE]
    return render_template(
        "audit/list.html",
        events=events,
        next_before=events[-1].id if has_more else None,
        filters={"action": action, "subject_type": subject_type, "subject_id": subject_id},
    )
