"""Everything the platform holds about a person, as one JSON document they download.

It holds what the person wrote and what was recorded about them and their input. It leaves out what would
expose someone else: who reported their comments (only the reason and the day), the notes readers wrote with
those reports, and which moderator took a decision (the decision, reason and note, as the author is told
them). Secrets are left out too: the password hash, the second factor's key, recovery codes and session
tokens (their number and times are given).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import PendingNotice, User, UserSession
from consult.api.models import ApiToken
from consult.audit import AuditEvent
from consult.comments.models import Comment
from consult.comments.public import target_id
from consult.extensions import db
from consult.moderation.models import Appeal, Flag, ModerationDecision, Redaction
from consult.organisations.models import Membership
from consult.rounds.models import Round

#: The version of this document's shape, for whoever reads it with a program.
FORMAT = 1


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def account_data(person: User) -> dict[str, Any]:
    """The whole document: the account, memberships, comments with their history, reports, appeals,
    notices, audit events and sessions."""
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.author_id == person.id)
            .options(
                selectinload(Comment.revisions),
                selectinload(Comment.attachments),
                joinedload(Comment.organisation),
            )
            .order_by(Comment.id)
        )
    )
    comment_ids = [c.id for c in comments]
    return {
        "format": FORMAT,
        "account": _account(person),
        "memberships": _memberships(person),
        "comments": _comments(comments),
        "reports_made": _reports_made(person),
        "notices_waiting": [
            {"subject": n.subject, "body": n.body, "created_at": _time(n.created_at)}
            for n in db.session.scalars(
                select(PendingNotice).where(PendingNotice.user_id == person.id).order_by(PendingNotice.id)
            )
        ],
        "sessions": [
            {
                "started_at": _time(s.created_at),
                "last_seen_at": _time(s.last_seen_at),
                "ended_at": _time(s.ended_at),
            }
            for s in db.session.scalars(
                select(UserSession).where(UserSession.user_id == person.id).order_by(UserSession.id)
            )
        ],
        "api_tokens_issued": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "may_read_confidential": t.may_read_confidential,
                "created_at": _time(t.created_at),
                "last_used_at": _time(t.last_used_at),
                "revoked_at": _time(t.revoked_at),
            }
            for t in db.session.scalars(
                select(ApiToken).where(ApiToken.created_by_id == person.id).order_by(ApiToken.id)
            )
        ],
        "audit_events": _audit_events(person, comment_ids),
    }


def _account(person: User) -> dict[str, Any]:
    return {
        "id": person.id,
        "email": person.email,
        "display_name": person.display_name,
        "locale": person.locale,
        "timezone": person.timezone,
        "created_at": _time(person.created_at),
        "email_verified_at": _time(person.email_verified_at),
        "last_sign_in_at": _time(person.last_sign_in_at),
        "notification_digest": person.notification_digest,
        "two_factor": person.has_two_factor,
        "recovery_codes_left": sum(1 for code in person.recovery_codes if code.used_at is None),
        "staff_roles": [
            {"role": role.name.value, "granted_at": _time(role.granted_at)} for role in person.staff_roles
        ],
        "summariser_of_rounds": sorted(
            db.session.scalars(
                select(Round.slug).where(Round.id.in_([named.round_id for named in person.summariser_of]))
            )
        ),
    }


def _memberships(person: User) -> list[dict[str, Any]]:
    found = db.session.scalars(
        select(Membership)
        .where(Membership.user_id == person.id)
        .options(joinedload(Membership.organisation))
        .order_by(Membership.created_at)
    )
    return [
        {
            "organisation": m.organisation.name,
            "organisation_type": m.organisation.type.value,
            "state": m.state.value,
            "since": _time(m.created_at),
        }
        for m in found
    ]


def _comments(comments: list[Comment]) -> list[dict[str, Any]]:
    ids = [c.id for c in comments]
    slugs = dict(
        db.session.execute(
            select(Round.id, Round.slug).where(Round.id.in_({c.round_id for c in comments}))
        ).all()
    )
    decisions = _by_comment(
        select(ModerationDecision)
        .where(ModerationDecision.comment_id.in_(ids))
        .order_by(ModerationDecision.sequence)
    )
    redactions = _by_comment(select(Redaction).where(Redaction.comment_id.in_(ids)).order_by(Redaction.id))
    reports = _by_comment(select(Flag).where(Flag.comment_id.in_(ids)).order_by(Flag.id))
    appeals = _by_comment(select(Appeal).where(Appeal.comment_id.in_(ids)))
    return [
        {
            "receipt_number": c.receipt_number,
            "public_id": c.public_id,
            "round": slugs.get(c.round_id),
            "target_type": c.target_type.value,
            "target_id": target_id(c),
            "state": c.state.value,
            "publication": c.publication.value,
            "at_risk": c.at_risk,
            "organisation": c.organisation_name,
            "language": c.language,
            "assessment": c.assessment.value if c.assessment else None,
            "text": c.body,
            "public_text": c.public_body,
            "created_at": _time(c.created_at),
            "submitted_at": _time(c.submitted_at),
            "published_at": _time(c.published_at),
            "hidden_after_reports_at": _time(c.hidden_at),
            "revisions": [
                {
                    "number": r.number,
                    "text": r.body,
                    "language": r.language,
                    "assessment": r.assessment.value if r.assessment else None,
                    "publication": r.publication.value,
                    "created_at": _time(r.created_at),
                }
                for r in c.revisions
            ],
            "attachments": [
                {
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size_bytes": a.size_bytes,
                    "sha256": a.sha256,
                    "created_at": _time(a.created_at),
                    "withheld_from_the_public": a.withheld_at is not None,
                    "withheld_reason": a.withheld_reason,
                }
                for a in c.attachments
            ],
            "moderation_decisions": [
                {
                    "decision": d.decision.value,
                    "reason": d.reason.value if d.reason else None,
                    "note": d.note,
                    "decided_at": _time(d.decided_at),
                }
                for d in decisions.get(c.id, [])
            ],
            "redactions": [
                {"passage": r.original, "reason": r.reason.value, "created_at": _time(r.created_at)}
                for r in redactions.get(c.id, [])
            ],
            "reports_about_it": [
                {
                    "reason": f.reason.value,
                    "day": f.created_at.date().isoformat(),
                    "dealt_with": f.resolved_at is not None,
                }
                for f in reports.get(c.id, [])
            ],
            "appeals": [
                {
                    "statement": a.statement,
                    "state": a.state.value,
                    "created_at": _time(a.created_at),
                    "decided_at": _time(a.decided_at),
                    "note": a.note,
                }
                for a in appeals.get(c.id, [])
            ],
        }
        for c in comments
    ]


def _by_comment(query) -> dict[int, list]:
    found: dict[int, list] = {}
    for item in db.session.scalars(query):
        found.setdefault(item.comment_id, []).append(item)
    return found


def _reports_made(person: User) -> list[dict[str, Any]]:
    """The person's reports of other people's comments: the comment by its public id, never its author."""
    found = db.session.execute(
        select(Flag, Comment.public_id)
        .join(Comment, Comment.id == Flag.comment_id)
        .where(Flag.user_id == person.id)
        .order_by(Flag.id)
    ).all()
    return [
        {
            "comment": public_id,
            "reason": f.reason.value,
            "note": f.note,
            "created_at": _time(f.created_at),
            "dealt_with": f.resolved_at is not None,
        }
        for f, public_id in found
    ]


def _audit_events(person: User, comment_ids: list[int]) -> list[dict[str, Any]]:
    """What the audit trail holds about the person: what they did, and what was done to their account and
    their comments; another person's acts say only that they were not the person's own."""
    conditions = [
        AuditEvent.actor_id == person.id,
        (AuditEvent.subject_type == User.__tablename__) & (AuditEvent.subject_id == str(person.id)),
    ]
    if comment_ids:
        conditions.append(
            (AuditEvent.subject_type == Comment.__tablename__)
            & AuditEvent.subject_id.in_([str(i) for i in comment_ids])
        )
    found = db.session.scalars(select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.id))
    public_ids = dict(
        db.session.execute(select(Comment.id, Comment.public_id).where(Comment.id.in_(comment_ids))).all()
    )
    return [
        {
            "action": e.action,
            "subject": _subject(e, public_ids),
            "by_you": e.actor_id == person.id,
            "before": e.before if e.actor_id == person.id else _states(e.before),
            "after": e.after if e.actor_id == person.id else _states(e.after),
            # Another person's act (a reader's report, a decision) is dated to the day, as the reports
            # about a comment are: its time could point at who did it.
            "at": _time(e.created_at) if e.actor_id == person.id else e.created_at.date().isoformat(),
        }
        for e in found
    ]


def _subject(event: AuditEvent, public_ids: dict[int, str]) -> str:
    """What an event was about, a comment named by its public id as everywhere outside the mechanism."""
    if event.subject_type == Comment.__tablename__ and event.subject_id.isdecimal():
        return f"comments/{public_ids.get(int(event.subject_id), '')}"
    return f"{event.subject_type}/{event.subject_id}"


def _states(details: Any) -> Any:
    """What another person's act recorded, but for anything that could name someone."""
    if not isinstance(details, dict):
        return details
    return {key: value for key, value in details.items() if key in ("state", "reason", "version")} or None
