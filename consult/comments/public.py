"""What the public may see of the input: one definition for pages, exports, summaries and the API."""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from consult.comments.models import TARGET_COLUMNS, Campaign, Comment, CommentState, Publication
from consult.database import utc_day
from consult.extensions import db
from consult.filetimes import day_of


def public_conditions(entity: Any = Comment) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a public comment: published, not hidden by flags, not confidential, and, unless
    it is named, published before today (UTC): a reader who watches the pages sees the day's anonymous and
    organisation-only input appear together at midnight, never the minute each was published (as
    `Comment.public_from` says). `entity` is Comment or an alias of it, for a subquery on comments."""
    return [
        entity.state == CommentState.published,
        entity.hidden_at.is_(None),
        entity.publication != Publication.confidential,
        *(
            [or_(entity.publication == Publication.named, entity.published_at < day_of())]
            if current_app.config["UNNAMED_PUBLIC_NEXT_DAY"]
            else []
        ),
    ]


#: What a round's figures count, given the round and Comment or an alias of it.
Scope = Callable[[int, Any], list[ColumnElement[bool]]]


def readable_input(round_id: int, entity: Any = Comment) -> list[ColumnElement[bool]]:
    """What the public's figures count of a round: the comments the public can read, and nothing else, so that
    no public figure tells of confidential, at-risk, hidden or unpublished input (docs/figures.md)."""
    return [entity.round_id == round_id, *public_conditions(entity)]


def moderated_input(round_id: int, entity: Any = Comment) -> list[ColumnElement[bool]]:
    """What staff figures count of a round: every comment a moderator let through, confidential and hidden
    ones included."""
    return [entity.round_id == round_id, entity.state == CommentState.published]


def first_of_campaign(round_id: int, scope: Scope) -> ColumnElement[bool]:
    """A campaign is one voice among the comments counted: a comment in no campaign, or its campaign's first
    letter among those counted (a letter the scope leaves out never stands for the campaign)."""
    letter = aliased(Comment)
    firsts = (
        select(func.min(letter.id))
        .where(*scope(round_id, letter), letter.campaign_id.is_not(None))
        .group_by(letter.campaign_id)
    )
    return or_(Comment.campaign_id.is_(None), Comment.id.in_(firsts))


def campaign_sizes(round_id: int, scope: Scope) -> list[tuple[int, int]]:
    """(campaign id, letters) for each campaign with two letters or more among the comments counted, largest
    first: a campaign whose other letters the scope leaves out is, as counted, one comment like any other."""
    rows = db.session.execute(
        select(Comment.campaign_id, func.count())
        .where(*scope(round_id, Comment), Comment.campaign_id.is_not(None))
        .group_by(Comment.campaign_id)
        .having(func.count() > 1)
    ).all()
    return sorted(((campaign, n) for campaign, n in rows), key=lambda item: (-item[1], item[0]))


def one_voice() -> ColumnElement[bool]:
    """A campaign is one voice: its members are left out but for its representative."""

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
    """A comment as a flat record with the authorship given: no row id, account id, receipt, e-mail or time
    of day (its id is the random public one). Call public_row for anything the public may read."""
    return {
        "id": comment.public_id,
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


def public_order(newest_first: bool = True) -> tuple[ColumnElement, ...]:
    """The order of every public list of comments: by the day of publication, then by public id. Within a
    day the order is random, so that no list shows which comment was published just after which (a named
    one and the anonymous one its author sent a minute later)."""
    day, public_id = utc_day(Comment.published_at), Comment.public_id
    return (day.desc(), public_id.desc()) if newest_first else (day, public_id)


def after_position(
    position: tuple[datetime, str] | None, newest_first: bool = True
) -> ColumnElement[bool] | None:
    """The comments after (published_at, public id) in public_order: keyset pagination, written on the
    publication time's range so that the round's index reads it."""
    if position is None:
        return None
    published_at, public_id = position
    start = day_of(published_at)
    end = start + timedelta(days=1)
    same_day = and_(Comment.published_at >= start, Comment.published_at < end)
    if newest_first:
        return or_(Comment.published_at < start, and_(same_day, Comment.public_id < public_id))
    return or_(Comment.published_at >= end, and_(same_day, Comment.public_id > public_id))


def comments_in_order(
    conditions: list[ColumnElement[bool]],
    after: tuple[datetime, str] | None = None,
    limit: int = 500,
    round_id: int | None = None,
    recommendation_id: int | None = None,
    since: datetime | None = None,
) -> Select:
    """The query of up to limit comments meeting conditions, oldest day first, after the position given
    (keyset pagination), with their authors and organisations: what the API reads page by page."""
    query = (
        select(Comment)
        .where(*conditions, *_narrowed(round_id, recommendation_id, since))
        .options(joinedload(Comment.author), joinedload(Comment.organisation))
        .order_by(*public_order(newest_first=False))
        .limit(limit)
    )
    if (later := after_position(after, newest_first=False)) is not None:
        query = query.where(later)
    return query


def _narrowed(
    round_id: int | None, recommendation_id: int | None, since: datetime | None
) -> list[ColumnElement[bool]]:
    found = []
    if round_id is not None:
        found.append(Comment.round_id == round_id)
    if recommendation_id is not None:
        found.append(Comment.recommendation_id == recommendation_id)
    if since is not None:
        found.append(Comment.published_at >= since)
    return found


def stream_public(
    round_id: int | None = None,
    recommendation_id: int | None = None,
    since: datetime | None = None,
    batch: int = 500,
) -> Iterator[Comment]:
    """Every public comment matching, oldest day first and in public_order, read in batches so that memory
    stays flat however large the round: the order is read once as ids (one sort, small rows), then the
    comments a batch at a time by id (the session's identity map holds its objects weakly)."""
    ids = list(
        db.session.scalars(
            select(Comment.id)
            .where(*public_conditions(), *_narrowed(round_id, recommendation_id, since))
            .order_by(*public_order(newest_first=False))
        )
    )
    for start in range(0, len(ids), batch):
        wanted = ids[start : start + batch]
        found = {
            c.id: c
            for c in db.session.scalars(
                select(Comment)
                .where(Comment.id.in_(wanted), *public_conditions())
                .options(joinedload(Comment.author), joinedload(Comment.organisation))
            )
        }
        yield from (found[ident] for ident in wanted if ident in found)
