"""Transparency: what moderation did in a round, in numbers, and every decision for a review."""

from typing import Any

from sqlalchemy import ColumnElement, func, select

from consult import disclosure
from consult.accounts.models import User
from consult.comments.models import Campaign, Comment, CommentState, Publication
from consult.comments.public import campaign_sizes, first_of_campaign, public_conditions, readable_input
from consult.disclosure import Mark
from consult.extensions import db
from consult.moderation.models import ModerationDecision, Reason


def figures(round_id: int, exact: bool = False) -> dict[str, Any]:
    """What moderation did in a round, in numbers: no identity, no text. For the public, only input the
    public may know exists: confidential (and so at-risk) input is counted nowhere, not even as "received",
    and small counts are withheld as consult/disclosure.py says. Exact and complete, for a staff screen."""
    # Confidential input is left out of every public count, else a count and the public list would give it.
    scope = [Comment.round_id == round_id, Comment.state != CommentState.draft]
    if not exact:
        scope = _known_input(round_id)

    def count(*conditions) -> int:
        return db.session.scalar(select(func.count()).select_from(Comment).where(*scope, *conditions))

    latest = (
        select(ModerationDecision.comment_id, func.max(ModerationDecision.sequence).label("sequence"))
        .join(Comment, Comment.id == ModerationDecision.comment_id)
        .where(Comment.round_id == round_id, ModerationDecision.undone_at.is_(None))
        .group_by(ModerationDecision.comment_id)
        .subquery()
    )
    reasons = db.session.execute(
        select(ModerationDecision.reason, func.count())
        .join(
            latest,
            (latest.c.comment_id == ModerationDecision.comment_id)
            & (latest.c.sequence == ModerationDecision.sequence),
        )
        .join(Comment, Comment.id == ModerationDecision.comment_id)
        .where(*scope, Comment.state == CommentState.rejected)
        .group_by(ModerationDecision.reason)
    ).all()
    by_reason = sorted(((reason, n) for reason, n in reasons if reason), key=lambda r: -r[1])
    published = Comment.state == CommentState.published
    if exact:
        found = {
            "received": count(),
            "published": count(published),
            "awaiting": count(Comment.state == CommentState.submitted),
            "rejected": count(Comment.state == CommentState.rejected),
            "withdrawn": count(Comment.state == CommentState.withdrawn),
            "confidential": count(Comment.publication == Publication.confidential),
            "redacted": count(Comment.public_body.is_not(None)),
            "hidden": count(Comment.hidden_at.is_not(None)),
            "campaigns": db.session.scalar(
                select(func.count()).select_from(Campaign).where(Campaign.round_id == round_id)
            ),
            "in_campaigns": count(Comment.campaign_id.is_not(None)),
        }
        return {name: disclosure.exact(n) for name, n in found.items()} | {
            "exact": True,
            "rejected_by_reason": [(reason, disclosure.exact(n)) for reason, n in by_reason],
        }
    # A campaign as the public counts it: two letters or more among the input it may know of.
    campaigns = campaign_sizes(round_id, _known_input)
    found = {
        "received": count(),
        # What the public can read: the summaries' count of comments, so both withhold it alike.
        "published": count(*public_conditions()),
        "hidden": count(published, Comment.hidden_at.is_not(None)),
        "awaiting": count(Comment.state == CommentState.submitted),
        "rejected": count(Comment.state == CommentState.rejected),
        "withdrawn": count(Comment.state == CommentState.withdrawn),
        "redacted": count(Comment.public_body.is_not(None)),
        "campaigns": len(campaigns),
        "in_campaigns": sum(n for _campaign, n in campaigns),
    }
    readable = campaign_sizes(round_id, readable_input)
    voices = count(*public_conditions(), first_of_campaign(round_id, readable_input))
    changes = count(Comment.state == CommentState.changes_requested)
    return _published_figures(found, by_reason, voices, [n for _campaign, n in readable], changes)


def _known_input(round_id: int, entity: Any = Comment) -> list[ColumnElement[bool]]:
    """The input the public's moderation figures count: sent at least once, and not confidential."""
    return [
        entity.round_id == round_id,
        entity.state != CommentState.draft,
        entity.publication != Publication.confidential,
    ]


def _published_figures(
    found: dict[str, int], by_reason: list[tuple[Reason, int]], voices: int, sizes: list[int], changes: int
) -> dict[str, Any]:
    """The moderation figures as published. What was received is published, hidden after reports, awaiting,
    not published, withdrawn or sent back for changes: where a small count would come back from that sum,
    the number received is withheld (it is published nowhere else). The number published is the summaries'
    count of comments, and is withheld as they withhold it."""
    k = disclosure.threshold()
    parts = ("published", "hidden", "awaiting", "rejected", "withdrawn")
    # Changes requested are not shown, but are counted as if they were: a reader may know them some day.
    values = [found[name] for name in parts] + [changes]
    headline, supporters = disclosure.headline(found["published"], voices, sizes, k)
    marks, received = disclosure.protect(
        values,
        found["received"],
        k,
        forced=[0] if headline is Mark.hidden else [],
        prefer_total=True,
    )
    shown = {name: disclosure.count(found[name], mark) for name, mark in zip(parts, marks, strict=False)}
    # Rejections with no reason recorded are not listed either; counted, they keep the reasons' sum honest.
    rejected_values = [n for _reason, n in by_reason] + [found["rejected"] - sum(n for _r, n in by_reason)]
    reason_marks, _total = disclosure.protect(rejected_values, found["rejected"], k, total_mark=marks[3])
    reasons = [
        (reason, disclosure.count(n, mark))
        for (reason, n), mark in zip(by_reason, reason_marks, strict=False)
    ]
    reasons.sort(key=lambda item: (not item[1].shown, -(item[1].value or 0), item[0].value))
    letters = disclosure.count(found["in_campaigns"], k=k)
    if letters.shown and supporters is Mark.hidden:
        # Every letter of the campaigns, whatever became of it: all published, it is the supporters' sum.
        letters = disclosure.count(found["in_campaigns"], Mark.hidden)
    return shown | {
        "exact": False,
        "received": disclosure.count(found["received"], received),
        "redacted": disclosure.count(found["redacted"], k=k),
        "in_campaigns": letters,
        # A campaign is a text, not a person: how many there were is no one's secret.
        "campaigns": disclosure.count(found["campaigns"], Mark.shown),
        "rejected_by_reason": reasons,
    }


def decisions_for_review(round_id: int | None = None):
    """Every moderation decision, oldest first, for an independent review (a streamed export)."""
    query = (
        select(ModerationDecision, Comment.receipt_number, Comment.round_id, User.display_name)
        .join(Comment, Comment.id == ModerationDecision.comment_id)
        .outerjoin(User, User.id == ModerationDecision.moderator_id)
        .order_by(ModerationDecision.id)
    )
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    for decision, receipt, round_, moderator in db.session.execute(query.execution_options(yield_per=500)):
        yield {
            "decided_at": decision.decided_at.isoformat(),
            "receipt": receipt,
            "round_id": round_,
            "decision": decision.decision.value,
            "reason": decision.reason.value if decision.reason else "",
            "note": decision.note or "",
            "moderator": moderator or "",
            "undone_at": decision.undone_at.isoformat() if decision.undone_at else "",
        }
