"""What the public may see of the input: one definition for pages, exports, summaries and the API."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import joinedload

from consult.comments.models import TARGET_COLUMNS, Comment, CommentState, Publication
from consult.extensions import db


def public_conditions() -> list[ColumnElement[bool]]:
    """The WHERE clauses of a public comment: published, not hidden by flags, not confidential."""
    return [
        Comment.state == CommentState.published,
        Comment.hidden_at.is_(None),
        Comment.publication != Publication.confidential,
    ]


def one_voice() -> ColumnElement[bool]:
    """A campaign is one voice: its members are left out but for its representative."""
    from consult.moderation.models import Campaign

    return or_(Comment.campaign_id.is_(None), Comment.id.in_(select(Campaign.representative_id)))


def shown_author(comment: Comment) -> dict[str, str | None]:
    """Who the public is told wrote a comment, as its publication choice allows; nothing else leaves."""
    if comment.publication is Publication.named:
        return {"name": comment.author_name, "organisation": comment.organisation_name}
    if comment.publication is Publication.organisation:
        return {"name": None, "organisation": comment.organisation_name}
    return {"name": None, "organisation": None}


def target_id(comment: Comment) -> int | None:
    """The id of what the comment is about (none for the round as a whole)."""
    column = TARGET_COLUMNS.get(comment.target_type)
    return getattr(comment, column) if column else None


def flat_record(
    comment: Comment, round_slug: str | None, author: str | None, organisation: str | None
) -> dict[str, Any]:
    """A comment as a flat record with the authorship given: no account id, receipt, e-mail or time of
    day. Call public_row for anything the public may read."""
    return {
        "id": comment.id,
        "round": round_slug,
        "target_type": comment.target_type.value,
        "target_id": target_id(comment),
        "language": comment.language,
        "text": comment.public_text,
        "assessment": comment.assessment.value if comment.assessment else None,
        "publication": comment.publication.value,
        "author": author,
        "organisation": organisation,
        "campaign": comment.campaign_id is not None,
    }


def public_row(comment: Comment, round_slug: str | None = None) -> dict[str, Any]:
    """A public comment as a flat record: the same fields on every surface that leaves the mechanism, the
    author only as the publication choice allows, so that an anonymous comment cannot be traced."""
    if not comment.is_public:
        raise ValueError("only a public comment has a public row")
    shown = shown_author(comment)
    return flat_record(comment, round_slug, shown["name"], shown["organisation"])


def comments_by_id(
    conditions: list[ColumnElement[bool]],
    after: int = 0,
    limit: int = 500,
    round_id: int | None = None,
    recommendation_id: int | None = None,
    since: datetime | None = None,
) -> Select:
    """The query of up to limit comments meeting conditions, by id after the one given (keyset
    pagination), with their authors and organisations: what exports and the API read page by page."""
    query = (
        select(Comment)
        .where(*conditions, Comment.id > after)
        .options(joinedload(Comment.author), joinedload(Comment.organisation))
        .order_by(Comment.id)
        .limit(limit)
    )
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    if recommendation_id is not None:
        query = query.where(Comment.recommendation_id == recommendation_id)
    if since is not None:
        query = query.where(Comment.published_at >= since)
    return query


def stream_public(
    round_id: int | None = None,
    recommendation_id: int | None = None,
    since: datetime | None = None,
    batch: int = 500,
) -> Iterator[Comment]:
    """Every public comment matching, oldest first, read in batches by id so that memory stays flat
    however large the round (the session's identity map holds its objects weakly)."""
    last = 0
    while True:
        query = comments_by_id(public_conditions(), last, batch, round_id, recommendation_id, since)
        comments = list(db.session.scalars(query))
        yield from comments
        if len(comments) < batch:
            return
        last = comments[-1].id
