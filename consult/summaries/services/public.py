"""What the public reads: published summaries and their versions, as they may be read today."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.comments.models import Comment
from consult.comments.public import public_conditions
from consult.extensions import db
from consult.summaries.models import (
    Summary,
    SummaryState,
    SummaryVersion,
)


def published_summaries(round_id: int) -> list[Summary]:
    """A round's published summaries, with their versions, oldest first."""
    return list(
        db.session.scalars(
            select(Summary)
            .where(Summary.round_id == round_id, Summary.state == SummaryState.published)
            .options(selectinload(Summary.versions))
            .order_by(Summary.id)
        )
    )


def _still_quotable(quote: str | None, public_text: str) -> str:
    """The quotation if it is still a passage of the comment as published; the whole published text if a
    moderator has since redacted part of what was quoted."""
    return quote if quote and quote in public_text else public_text


def public_content(version: SummaryVersion) -> dict[str, Any]:
    """A version's content as the public may read it today (one query): a quotation whose comment has since
    been hidden or removed by a moderator is left out, and one whose passage was redacted since shows the
    comment as published now. A quotation names its comment by the comment's public id, never its row id
    (which versions keep, for staff)."""
    content = version.content
    cited = {c["comment_id"] for s in content["sections"] for c in s["citations"]}
    if not cited:
        return content
    found = {
        ident: (public_id, public_body if public_body is not None else body)
        for ident, public_id, body, public_body in db.session.execute(
            select(Comment.id, Comment.public_id, Comment.body, Comment.public_body).where(
                Comment.id.in_(cited), *public_conditions()
            )
        )
    }
    sections = [
        {
            **s,
            "citations": [
                {
                    **c,
                    "comment_id": found[c["comment_id"]][0],
                    "quote": _still_quotable(c["quote"], found[c["comment_id"]][1]),
                }
                for c in s["citations"]
                if c["comment_id"] in found
            ],
        }
        for s in content["sections"]
    ]
    return {**content, "sections": sections}


def get_version(summary: Summary, number: int | None = None) -> SummaryVersion | None:
    """A published version by number, or the latest."""
    if not summary.versions:
        return None
    if number is None:
        return summary.versions[-1]
    return next((v for v in summary.versions if v.number == number), None)
