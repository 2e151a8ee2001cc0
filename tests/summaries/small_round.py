"""A closed round with few voices: 1 from an NGO, 5 from individuals, 2 from parliament. Published, its
figures must not show the NGO's 1 or parliament's 2; staff see them, marked as exact."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Assessment, Publication, TargetType
from consult.extensions import db
from consult.organisations.models import OrganisationType
from tests.factories import (
    ClusterFactory,
    CommentFactory,
    MembershipFactory,
    RecommendationFactory,
    RoundFactory,
    approved,
    close_now,
    now,
)
from tests.helpers import Account, make_user
from tests.summaries.fixtures import _organisation, _person

NGO_LABEL = "NGO or civil society organisation"
PARLIAMENT_LABEL = "Parliament"
INDIVIDUALS_LABEL = "Individuals"


@dataclass(frozen=True)
class SmallRound:
    """What the round holds, and the staff who may see its figures exactly."""

    round_id: int
    slug: str
    recommendation_id: int
    coordinator: Account
    moderator: Account
    summariser: Account


def small_round(app: Flask) -> SmallRound:
    """A mid-term round, now closed: 8 published voices, 1 NGO, 5 individuals, 2 parliamentarians."""
    coordinator = make_user(app, roles=(StaffRoleName.coordinator,), name="Amina Haddad")
    moderator_account = make_user(app, roles=(StaffRoleName.moderator,), name="Mona Moderator")
    summariser = make_user(app, two_factor=True, name="Mei Lin")
    with app.app_context():
        ngo = _organisation("Rights Defenders Collective", OrganisationType.ngo)
        parliament = _organisation("Human Rights Committee of Parliament", OrganisationType.parliament)
        cluster = ClusterFactory(code="C7", title={"en": "Conditions of detention"})
        recommendation = RecommendationFactory(cluster=cluster, paragraph="115.1", text="Ratify OPCAT.")
        round_ = RoundFactory(
            slug=f"small-{uuid.uuid4().hex[:6]}",
            cycle=3,
            title={"en": "Mid-term consultation"},
            opens_at=now() - timedelta(days=10),
            closes_at=now() + timedelta(days=1),
            clusters=[cluster],
            summarisers=[db.session.get(User, summariser.id)],
        )

        def voice(organisation, assessment: Assessment, n: int):
            author = _person(f"Contributor {uuid.uuid4().hex[:6]}")
            if organisation is not None:
                MembershipFactory(user=author, organisation=organisation)
            return CommentFactory(
                round=round_,
                author=author,
                body=f"Inspections have not reached the prisons of region {n}.",
                # The public's figures give an organisation's type only where the comment names it.
                publication=Publication.organisation if organisation is not None else Publication.named,
                target_type=TargetType.recommendation,
                target_id=recommendation.id,
                assessment=assessment,
                organisation=organisation,
            )

        voices = [voice(ngo, Assessment.not_started, 0)]
        voices += [voice(None, Assessment.fully, n) for n in range(1, 4)]
        voices += [voice(None, Assessment.dont_know, n) for n in range(4, 6)]
        voices += [voice(parliament, Assessment.partly, n) for n in range(6, 8)]
        approved(db.session.get(User, coordinator.id), *voices)
        close_now(round_)
        db.session.commit()
        return SmallRound(
            round_.id, round_.slug, recommendation.id, coordinator, moderator_account, summariser
        )
