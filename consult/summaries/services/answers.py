"""The mechanism's answers to the points it heard and about recommendations."""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult import audit
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import localized
from consult.plan.models import Recommendation
from consult.rounds.models import Round
from consult.rounds.services import scope_of
from consult.summaries.models import (
    Response,
    ResponseOutcome,
    SummarySection,
    SummaryState,
)


def respond(
    actor: Any,
    round_: Round,
    outcome: ResponseOutcome,
    explanation: str,
    language: str,
    responsible_entity: str | None,
    section: SummarySection | None = None,
    recommendation: Recommendation | None = None,
) -> Response:
    """Record (or change) what the mechanism did with a point it heard, or about a recommendation."""
    if (section is None) == (recommendation is None):
        raise DomainError(_("Answer one summary point or one recommendation."))
    if section is not None:
        if section.summary.round_id != round_.id or section.summary.state is not SummaryState.published:
            raise DomainError(_("Only a point of a published summary of this round can be answered."))
    elif recommendation.id not in scope_of(round_)["recommendation_ids"]:
        raise DomainError(_("This recommendation was not open for comment in this round."))
    if not explanation.strip():
        raise DomainError(_("Explain what the mechanism did."), field="explanation")
    query = select(Response).where(Response.round_id == round_.id)
    if section is not None:
        query = query.where(Response.section_id == section.id)
    else:
        query = query.where(Response.recommendation_id == recommendation.id, Response.section_id.is_(None))
    response = db.session.scalar(query)
    before = None
    if response is None:
        response = Response(
            round_id=round_.id,
            section_id=section.id if section else None,
            recommendation_id=recommendation.id if recommendation else None,
            explanation={},
        )
        db.session.add(response)
    else:
        before = {"outcome": response.outcome.value, "explanation": response.explanation}
    response.outcome = outcome
    response.explanation = {**(response.explanation or {}), language: explanation.strip()}
    response.responsible_entity = (responsible_entity or "").strip() or None
    response.responded_by_id = getattr(actor, "id", None)
    audit.record(
        actor,
        "response.record",
        response,
        before=before,
        after={"outcome": outcome.value, "explanation": response.explanation},
    )
    return response


def responses_of(round_id: int) -> list[Response]:
    """Every answer the mechanism gave in a round."""
    return list(
        db.session.scalars(select(Response).where(Response.round_id == round_id).order_by(Response.id))
    )


def response_row(response: Response, language: str) -> dict[str, Any]:
    """An answer as a flat record, its explanation in the reader's language where it has one."""
    return {
        "id": response.id,
        "round_id": response.round_id,
        "section_id": response.section_id,
        "recommendation_id": response.recommendation_id,
        "outcome": response.outcome.value,
        "outcome_label": str(response.outcome.label),
        "explanation": localized(response.explanation, language),
        "responsible_entity": response.responsible_entity,
        "updated_at": (response.updated_at or response.created_at).isoformat(),
    }
