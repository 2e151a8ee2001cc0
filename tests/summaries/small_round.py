"""A closed round with few voices: 1 from an NGO, 5 from individuals, 2 from parliament. Published, its
figures must not show the NGO's 1 or parliament's 2; staff see them, marked as exact."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask

from consult.accounts.models import StaffRoleName, User
from consult.comments import services as comments
from consult.comments.models import Assessment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind
from consult.organisations.models import Membership, MembershipState, OrganisationType
from consult.plan.models import Cluster, Mechanism, Position, Recommendation, RecommendationText
from consult.rounds.models import ModerationMode, Round, RoundState, RoundSummariser, Stage
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
        cluster = Cluster(code="C7", title={"en": "Conditions of detention"})
        db.session.add(cluster)
        db.session.flush()
        recommendation = Recommendation(
            source_key=f"test:{uuid.uuid4().hex}",
            mechanism=Mechanism.upr,
            body="UPR",
            symbol="A/HRC/40/8",
            paragraph="115.1",
            cycle=3,
            position=Position.supported,
            cluster_id=cluster.id,
        )
        recommendation.texts.append(RecommendationText(language="en", text="Ratify OPCAT."))
        db.session.add(recommendation)
        now = datetime.now(UTC)
        round_ = Round(
            slug=f"small-{uuid.uuid4().hex[:6]}",
            stage=Stage.mid_term,
            cycle=3,
            title={"en": "Mid-term consultation"},
            state=RoundState.open,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=1),
            moderation_mode=ModerationMode.pre,
        )
        round_.clusters.append(cluster)
        db.session.add(round_)
        db.session.flush()
        db.session.add(RoundSummariser(round_id=round_.id, user_id=summariser.id))

        def voice(organisation, assessment: Assessment, n: int):
            author = _person(f"Contributor {uuid.uuid4().hex[:6]}")
            if organisation is not None:
                db.session.add(
                    Membership(
                        user_id=author.id, organisation_id=organisation.id, state=MembershipState.confirmed
                    )
                )
                db.session.flush()
                db.session.refresh(author)
            draft = comments.Draft(
                body=f"Inspections have not reached the prisons of region {n}.",
                # The public's figures give an organisation's type only where the comment names it.
                publication=Publication.organisation if organisation is not None else Publication.named,
                language="en",
                target_type=TargetType.recommendation,
                target_id=recommendation.id,
                assessment=assessment,
                organisation_id=organisation.id if organisation is not None else None,
            )
            comment, _created = comments.submit(author, round_, uuid.uuid4().hex, draft)
            return comment

        voices = [voice(ngo, Assessment.not_started, 0)]
        voices += [voice(None, Assessment.fully, n) for n in range(1, 4)]
        voices += [voice(None, Assessment.dont_know, n) for n in range(4, 6)]
        voices += [voice(parliament, Assessment.partly, n) for n in range(6, 8)]
        staff = db.session.get(User, coordinator.id)
        for comment in voices:
            moderation.decide(staff, comment, DecisionKind.approve)
        round_.closes_at = datetime.now(UTC) - timedelta(seconds=1)
        round_.opens_at = round_.closes_at - timedelta(days=10)
        round_.state = RoundState.closed
        db.session.commit()
        return SmallRound(
            round_.id, round_.slug, recommendation.id, coordinator, moderator_account, summariser
        )
