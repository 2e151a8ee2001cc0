"""What we heard, what we did: a round's outcome, a recommendation across the cycle, the follow-up view."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from consult.comments.models import Comment, CommentState
from consult.comments.public import public_conditions, public_order
from consult.extensions import db
from consult.plan.browsing import detail_options
from consult.plan.models import Recommendation
from consult.rounds.models import Round
from consult.rounds.services import PUBLIC_STATES
from consult.summaries.models import (
    Response,
    Summary,
    SummarySection,
    SummaryState,
)
from consult.summaries.services.answers import responses_of
from consult.summaries.services.public import public_content, published_summaries


def outcome_of(round_id: int) -> dict[str, Any]:
    """A round's published summaries (latest versions, as the public reads them) and the mechanism's
    answers, by the point or recommendation they answer."""
    summaries = published_summaries(round_id)
    responses = responses_of(round_id)
    return {
        "summaries": [(s, s.versions[-1], public_content(s.versions[-1])) for s in summaries if s.versions],
        "by_section": {r.section_id: r for r in responses if r.section_id},
        "by_recommendation": {r.recommendation_id: r for r in responses if r.section_id is None},
    }


def heard_about(recommendation_id: int, comments_per_round: int = 5) -> list[dict[str, Any]]:
    """Across the cycle, for each public round that heard about a recommendation: how many public comments
    it received, the latest of them, the summaries' points about it and the mechanism's answers."""
    counts = dict(
        db.session.execute(
            select(Comment.round_id, func.count())
            .where(Comment.recommendation_id == recommendation_id, *public_conditions())
            .group_by(Comment.round_id)
        ).all()
    )
    points = db.session.execute(
        select(SummarySection.id, Summary)
        .join(Summary, Summary.id == SummarySection.summary_id)
        .where(SummarySection.recommendation_id == recommendation_id, Summary.state == SummaryState.published)
        .options(selectinload(Summary.versions))
    ).all()
    responses = list(
        db.session.scalars(
            select(Response).where(
                (Response.recommendation_id == recommendation_id)
                | Response.section_id.in_([section_id for section_id, _summary in points])
            )
        )
    )
    round_ids = set(counts) | {s.round_id for _id, s in points} | {r.round_id for r in responses}
    rounds = list(
        db.session.scalars(
            select(Round)
            .where(Round.id.in_(round_ids), Round.state.in_(PUBLIC_STATES))
            .order_by(Round.opens_at)
        )
    )
    found = []
    for round_ in rounds:
        latest = list(
            db.session.scalars(
                select(Comment)
                .where(
                    Comment.round_id == round_.id,
                    Comment.recommendation_id == recommendation_id,
                    *public_conditions(),
                )
                .options(joinedload(Comment.author), joinedload(Comment.organisation))
                .order_by(*public_order())
                .limit(comments_per_round)
            )
        )
        round_points = []
        for section_id, summary in points:
            if summary.round_id != round_.id or not summary.versions:
                continue
            content = public_content(summary.versions[-1])
            section = next((s for s in content["sections"] if s["id"] == section_id), None)
            if section is not None:
                round_points.append({"summary": summary, "section": section})
        found.append(
            {
                "round": round_,
                "count": counts.get(round_.id, 0),
                "comments": latest,
                "points": round_points,
                "responses": [r for r in responses if r.round_id == round_.id],
            }
        )
    return found


def follow_up(since: datetime, limit: int = 200) -> list[tuple[Recommendation, int, datetime]]:
    """Recommendations with public input published since a moment, most new input first: what the
    coordinator should look at."""
    rows = db.session.execute(
        select(Comment.recommendation_id, func.count(), func.max(Comment.published_at))
        .where(
            Comment.recommendation_id.is_not(None),
            Comment.published_at >= since,
            Comment.state == CommentState.published,
            Comment.hidden_at.is_(None),
        )
        .group_by(Comment.recommendation_id)
        .order_by(func.count().desc(), Comment.recommendation_id)
        .limit(limit)
    ).all()
    recommendations = {
        r.id: r
        for r in db.session.scalars(
            select(Recommendation)
            .where(Recommendation.id.in_([row[0] for row in rows]))
            .options(*detail_options())
        )
    }
    return [(recommendations[ident], n, latest) for ident, n, latest in rows if ident in recommendations]
