"""What the home page shows: the rounds open now and coming, and the plan in figures."""

from dataclasses import dataclass

from sqlalchemy import func, select

from consult.extensions import db
from consult.plan.models import Action, Cluster, Recommendation
from consult.rounds.models import Round
from consult.rounds.services import public_rounds


@dataclass(frozen=True)
class PlanFigures:
    """How large the plan is."""

    recommendations: int
    clusters: int
    actions: int


def home_rounds() -> list[Round]:
    """Rounds open now, then those announced, then the three most recent past ones."""
    groups = public_rounds()
    return groups["open"] + groups["upcoming"] + groups["past"][:3]


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
