"""What the API is tested on: the closed round of the summaries' tests, with a published summary that quotes
its comments, an answer of the mechanism, and tokens."""

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from consult.accounts.models import User
from consult.api import services as api
from consult.comments.models import Comment, TargetType
from consult.extensions import db
from consult.rounds.models import Round
from consult.summaries import services as summaries
from tests.factories import ResponseFactory, SectionFactory, SummaryFactory, published
from tests.summaries.fixtures import RoundWithInput, closed_round_with_input


@dataclass(frozen=True)
class Published:
    """The round with input, its published summary (two versions) and an answer."""

    input: RoundWithInput
    summary_id: int
    section_id: int
    response_id: int


def published_round(app: Flask, campaign_size: int = 3) -> Published:
    """The closed round with input, summarised (a correction makes a second version) and answered."""
    data = closed_round_with_input(app, campaign_size=campaign_size)
    with app.app_context():
        coordinator = db.session.get(User, data.coordinator.id)
        round_ = db.session.get(Round, data.round_id)
        summary = SummaryFactory(actor=coordinator, round=round_)
        section = SectionFactory(
            actor=coordinator,
            summary=summary,
            target_type=TargetType.recommendation,
            target_id=data.recommendation_id,
            heading="Inspections",
            body="Slow.",
            quoting=[db.session.get(Comment, data.named_id), db.session.get(Comment, data.anonymous_id)],
        )
        published(coordinator, summary)
        summaries.update_summary(coordinator, summary, "What we heard", "A corrected introduction.")
        published(coordinator, summary, "The introduction was added.")
        response = ResponseFactory(actor=coordinator, round=round_, section=section)
        response.explanation = {**response.explanation, "fr": "Les inspections commencent l'an prochain."}
        db.session.commit()
        return Published(data, summary.id, section.id, response.id)


def issue(app: Flask, confidential: bool = False, name: str = "Tracking database") -> tuple[int, str]:
    """A token's id and secret, issued by nobody in particular."""
    with app.app_context():
        token, secret = api.issue_token(None, name, confidential)
        db.session.commit()
        return token.id, secret


def bearer(secret: str) -> dict[str, str]:
    """The header that carries a token."""
    return {"Authorization": f"Bearer {secret}"}


def by_row_id(app: Flask, rows: list[dict]) -> dict[int, dict]:
    """The API's comment records keyed by their comment's row id: the API names comments by public id only."""
    with app.app_context():
        ids = dict(
            db.session.execute(
                select(Comment.public_id, Comment.id).where(Comment.public_id.in_([r["id"] for r in rows]))
            ).all()
        )
    return {ids[row["id"]]: row for row in rows}
