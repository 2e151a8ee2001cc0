"""What the home page shows: the rounds open now and coming, and the plan in figures."""

from dataclasses import dataclass

from sqlalchemy import case, func, select

from consult.extensions import db
from consult.plan.models import Action, Cluster, Recommendation
from consult.rounds.models import Round, RoundState

HOME_STATES = (
    RoundState.open,
    RoundState.scheduled,
    RoundState.closed,
    RoundState.summarising,
    RoundState.published,
)


@dataclass(frozen=True)
class PlanFigures:
    """How large the plan is."""

    recommendations: int
    clusters: int
    actions: int


def home_rounds() -> list[Round]:
    """Rounds the public may see: open first, then upcoming, then past, most recent first."""
    order = case(
        (Round.state == RoundState.open, 0),
        (Round.state == RoundState.scheduled, 1),
        else_=2,
    )
    query = select(Round).where(Round.state.in_(HOME_STATES)).order_by(order, Round.closes_at.desc())
    return list(db.session.scalars(query.limit(20)))


def plan_figures() -> PlanFigures:
    """Counts of recommendations, clusters and actions, in one query."""
    row = db.session.execute(
        select(
            select(func.count()).select_from(Recommendation).scalar_subquery(),
            select(func.count()).select_from(Cluster).scalar_subquery(),
            select(func.count()).select_from(Action).scalar_subquery(),
        )
    ).one()
    return PlanFigures(*row)
