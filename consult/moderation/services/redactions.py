"""Redaction instead of deletion: the public reads the mark, staff the original."""

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult import audit
from consult.comments.models import Attachment, Comment
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.models import (
    Reason,
    Redaction,
)

#: Shown to the public in place of a redacted passage.
REDACTION_MARK = "█████"


def public_text(body: str, redactions: list[Redaction]) -> str:
    """The text with every redacted passage replaced by the mark."""
    pieces, position = [], 0
    for redaction in sorted(redactions, key=lambda r: r.start_offset):
        if redaction.start_offset < position:
            continue
        pieces += [body[position : redaction.start_offset], REDACTION_MARK]
        position = redaction.end_offset
    pieces.append(body[position:])
    return "".join(pieces)


def redact(moderator: Any, comment: Comment, passage: str, reason: Reason) -> int:
    """Hide every occurrence of a passage (a name, a phone number) from the public; the original stays for
    staff. Returns how many places were redacted."""
    passage = passage.strip()
    if not passage:
        raise DomainError(_("Copy the passage to redact from the text."), field="passage")
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(passage), comment.body)]
    if not spans:
        raise DomainError(_("This passage is not in the comment's text."), field="passage")
    existing = list(db.session.scalars(select(Redaction).where(Redaction.comment_id == comment.id)))
    for start, end in spans:
        redaction = Redaction(
            comment_id=comment.id,
            moderator_id=moderator.id,
            start_offset=start,
            end_offset=end,
            original=comment.body[start:end],
            reason=reason,
        )
        db.session.add(redaction)
        existing.append(redaction)
    comment.public_body = public_text(comment.body, existing)
    audit.record(moderator, "comment.redact", comment, after={"places": len(spans), "reason": reason.value})
    return len(spans)


def withhold_attachment(moderator: Any, attachment: Attachment, reason: Reason) -> None:
    """Keep a file from the public; staff still see it."""
    attachment.withheld_at, attachment.withheld_by_id, attachment.withheld_reason = (
        utcnow(),
        moderator.id,
        reason.value,
    )
    audit.record(moderator, "attachment.withhold", attachment, after={"reason": reason.value})
