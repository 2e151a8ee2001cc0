"""What the API reads and the records it answers with, in the reader's language.

Every public record is built from the definitions the public pages use (`public_row`, `recommendation_row`,
`public_content`, `response_row`), so the API cannot show more than the pages do. Each list is loaded with
a fixed number of queries, however many items it holds. The record shapes are declared in `schemas.py`.
"""

from collections import defaultdict
from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.comments.models import Comment, CommentState
from consult.comments.public import comments_in_order, flat_record, public_conditions, public_row
from consult.extensions import db
from consult.i18n import localized
from consult.plan.browsing import RecommendationFilter, detail_options, filtered, get_recommendation
from consult.plan.exports import recommendation_row
from consult.plan.models import Action, ActionRecommendation, Cluster, Indicator, Recommendation
from consult.rounds.models import DocumentParagraph, Round, Stage
from consult.rounds.services import PUBLIC_STATES, effective_state, get_round, public_rounds, scope_of
from consult.summaries.models import Summary, SummaryState, SummaryVersion
from consult.summaries.services import get_version, public_content, published_summaries


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Any) -> str | None:
    """A decimal as text, so that no precision is lost on the way."""
    return None if value is None else format(value.normalize(), "f")


# Rounds


def list_public_rounds(stage: Stage | None, cycle: int | None) -> list[Round]:
    """The rounds the public sees: open first, then upcoming, then past, as the rounds page lists them."""
    groups = public_rounds(stage, cycle)
    return groups["open"] + groups["upcoming"] + groups["past"]


def load_round(slug: str) -> Round | None:
    """A round with its scope, questions and documents (whoever may see it: the caller asks)."""
    return get_round(slug)


def round_record(round_: Round, language: str) -> dict[str, Any]:
    """A round as a list shows it, in the reader's language, its state by the clock."""
    state = effective_state(round_)
    return {
        "id": round_.id,
        "slug": round_.slug,
        "stage": round_.stage.value,
        "stage_label": str(round_.stage.label),
        "cycle": round_.cycle,
        "title": localized(round_.title, language),
        "description": localized(round_.description, language) or None,
        "state": state.value,
        "state_label": str(state.label),
        "opens_at": _moment(round_.opens_at),
        "closes_at": _moment(round_.closes_at),
        "timezone": round_.timezone,
        "eligibility": round_.eligibility.value,
        "moderation_mode": round_.moderation_mode.value,
        "url": url_for("comments.show_round", slug=round_.slug, _external=True),
        "api_url": url_for("api.show_round", slug=round_.slug, _external=True),
    }


def round_detail(round_: Round, language: str) -> dict[str, Any]:
    """A round with what is open for comment, its questions, its documents and where to read more."""
    scope = scope_of(round_)
    paragraphs = dict(
        db.session.execute(
            select(DocumentParagraph.document_id, func.count())
            .where(DocumentParagraph.document_id.in_([d.id for d in round_.documents]))
            .group_by(DocumentParagraph.document_id)
        ).all()
    )
    version = round_.plan_version
    return {
        **round_record(round_, language),
        "scope": {
            "cluster_ids": sorted(c.id for c in round_.clusters),
            "recommendation_ids": sorted(scope["recommendation_ids"]),
            "action_ids": sorted(scope["action_ids"]),
        },
        "questions": [{"id": q.id, "text": localized(q.text, language)} for q in round_.questions],
        "documents": [
            {
                "id": d.id,
                "title": localized(d.title, language),
                "language": d.language,
                "paragraphs": paragraphs.get(d.id, 0),
                "url": url_for("rounds.show_document", slug=round_.slug, document_id=d.id, _external=True),
            }
            for d in sorted(round_.documents, key=lambda d: d.id)
        ],
        "plan_version": {"number": version.number, "label": version.label} if version else None,
        "figures_url": url_for("moderation.show_round_figures", slug=round_.slug, _external=True),
        "comments_url": url_for("api.list_round_comments", slug=round_.slug, _external=True),
        "summaries_url": url_for("api.list_summaries", slug=round_.slug, _external=True),
        "responses_url": url_for("api.list_responses", slug=round_.slug, _external=True),
    }


# Recommendations and the plan


def recommendations_after(
    criteria: RecommendationFilter, after: int | None, limit: int
) -> list[Recommendation]:
    """Up to limit recommendations matching the filter, in the list's order (newest first), after the one
    whose id is given: keyset pagination, so the last page costs what the first does."""
    query = filtered(criteria).options(*detail_options()).limit(limit)
    if after is not None:
        query = query.where(Recommendation.id < after)
    return list(db.session.scalars(query))


def recommendation_record(recommendation: Recommendation, language: str) -> dict[str, Any]:
    """A recommendation as the exports give it, with its place in the plan and its addresses."""
    return {
        **recommendation_row(recommendation, language),
        "cluster_id": recommendation.cluster_id,
        "url": url_for("summaries.show_recommendation", recommendation_id=recommendation.id, _external=True),
        "api_url": url_for("api.show_recommendation", recommendation_id=recommendation.id, _external=True),
    }


def load_recommendation(recommendation_id: int) -> Recommendation | None:
    """A recommendation with its texts, tags and actions."""
    return get_recommendation(recommendation_id)


def recommendation_detail(recommendation: Recommendation, language: str) -> dict[str, Any]:
    """A recommendation with every translation of its text and the plan's actions that answer it."""
    return {
        **recommendation_record(recommendation, language),
        "texts": [
            {"language": t.language, "text": t.text, "is_original": t.is_original}
            for t in sorted(recommendation.texts, key=lambda t: t.language)
        ],
        "actions": [
            {"id": a.id, "code": a.code, "title": localized(a.title, language)}
            for a in recommendation.actions
        ],
        "comments_url": url_for(
            "api.list_recommendation_comments", recommendation_id=recommendation.id, _external=True
        ),
    }


def _indicator_record(indicator: Indicator, language: str) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "kind": indicator.kind.value,
        "title": localized(indicator.title, language),
        "unit": indicator.unit,
        "baseline": _number(indicator.baseline),
        "baseline_year": indicator.baseline_year,
        "target": _number(indicator.target),
        "target_year": indicator.target_year,
        "source": indicator.source,
        "disaggregation": indicator.disaggregation,
        "values": [
            {"period": v.period.isoformat(), "breakdown": v.breakdown, "value": _number(v.value)}
            for v in indicator.values
        ],
    }


def plan_records(language: str) -> list[dict[str, Any]]:
    """The plan: each cluster with its recommendations' ids and its actions (with the ids of the
    recommendations each answers, and their indicators). Six queries whatever the plan's size."""
    clusters = list(
        db.session.scalars(
            select(Cluster)
            .order_by(Cluster.position, Cluster.code)
            .options(
                selectinload(Cluster.actions).selectinload(Action.indicators).selectinload(Indicator.values)
            )
        )
    )
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for cluster_id, recommendation_id in db.session.execute(
        select(Recommendation.cluster_id, Recommendation.id)
        .where(Recommendation.cluster_id.is_not(None))
        .order_by(Recommendation.id)
    ):
        by_cluster[cluster_id].append(recommendation_id)
    by_action: dict[int, list[int]] = defaultdict(list)
    for action_id, recommendation_id in db.session.execute(
        select(ActionRecommendation.action_id, ActionRecommendation.recommendation_id).order_by(
            ActionRecommendation.recommendation_id
        )
    ):
        by_action[action_id].append(recommendation_id)
    return [
        {
            "id": cluster.id,
            "code": cluster.code,
            "title": localized(cluster.title, language),
            "description": localized(cluster.description, language) or None,
            "recommendation_ids": by_cluster.get(cluster.id, []),
            "actions": [
                {
                    "id": action.id,
                    "code": action.code,
                    "title": localized(action.title, language),
                    "description": localized(action.description, language) or None,
                    "responsible_entity": action.responsible_entity,
                    "partners": action.partners,
                    "start_on": _moment(action.start_on),
                    "due_on": _moment(action.due_on),
                    "status": action.status.value,
                    "recommendation_ids": by_action.get(action.id, []),
                    "indicators": [_indicator_record(i, language) for i in action.indicators],
                }
                for action in cluster.actions
            ],
        }
        for cluster in clusters
    ]


# Comments


def comment_position(public_id: str, include_confidential: bool = False) -> tuple[datetime, str] | None:
    """Where a comment the reader may see stands in the public order, to start a page after it; None for no
    such comment, and for one the reader may not see (confidential, hidden, or not public yet)."""
    if len(public_id) != 22:
        return None
    seen = [Comment.state == CommentState.published] if include_confidential else public_conditions()
    published_at = db.session.scalar(
        select(Comment.published_at).where(Comment.public_id == public_id, *seen)
    )
    return (published_at, public_id) if published_at is not None else None


def comments_after(
    *,
    round_id: int | None = None,
    recommendation_id: int | None = None,
    after: tuple[datetime, str] | None,
    limit: int,
    include_confidential: bool = False,
) -> list[tuple[Comment, str]]:
    """Up to limit published comments, oldest day first (public_order), after the position given, each with
    its round's address. Only the public ones, unless include_confidential (then confidential and hidden
    ones too). A comment of a round the public cannot see (a draft, a cancelled round) is never listed."""
    conditions = [Comment.state == CommentState.published] if include_confidential else public_conditions()
    query = (
        comments_in_order(
            [*conditions, Round.state.in_(PUBLIC_STATES)], after, limit, round_id, recommendation_id
        )
        .add_columns(Round.slug)
        .join(Round, Round.id == Comment.round_id)
    )
    return [(comment, slug) for comment, slug in db.session.execute(query)]


def confidential_row(comment: Comment, round_slug: str) -> dict[str, Any]:
    """A comment the public may not see, for the mechanism's own systems only: who wrote it, as staff see
    it. Never on a public surface; each read of it is audited by the caller."""
    record = flat_record(comment, round_slug, comment.author_name, comment.organisation_name)
    return {**record, "confidential": True}


def comment_record(comment: Comment, round_slug: str) -> dict[str, Any]:
    """A comment as the public sees it, or (when the public may not) as the mechanism's systems do."""
    if comment.is_public:
        return {**public_row(comment, round_slug), "confidential": False}
    return confidential_row(comment, round_slug)


# Summaries and answers


def summary_record(summary: Summary, round_slug: str) -> dict[str, Any]:
    """A published summary: its versions, and the public content of the latest."""
    latest = get_version(summary)
    return {
        "id": summary.id,
        "round": round_slug,
        "latest_version": latest.number,
        "versions": [
            {"number": v.number, "published_at": _moment(v.published_at), "change_note": v.change_note}
            for v in summary.versions
        ],
        "public_content": public_content(latest),
        "api_url": url_for(
            "api.show_summary_version", summary_id=summary.id, number=latest.number, _external=True
        ),
    }


def summaries_of(round_id: int) -> list[Summary]:
    """A round's published summaries that have a version to read."""
    return [s for s in published_summaries(round_id) if s.versions]


def load_published_summary(summary_id: int) -> tuple[Summary, Round] | None:
    """A published summary with its versions, and its round; None if there is no such summary."""
    row = db.session.execute(
        select(Summary, Round)
        .join(Round, Round.id == Summary.round_id)
        .where(Summary.id == summary_id, Summary.state == SummaryState.published)
        .options(selectinload(Summary.versions))
    ).first()
    return (row[0], row[1]) if row else None


def version_record(summary: Summary, version: SummaryVersion, round_slug: str) -> dict[str, Any]:
    """One published version of a summary, as the public may read it today."""
    return {
        "summary_id": summary.id,
        "round": round_slug,
        "number": version.number,
        "latest_version": summary.versions[-1].number,
        "published_at": _moment(version.published_at),
        "change_note": version.change_note,
        "content": public_content(version),
    }
