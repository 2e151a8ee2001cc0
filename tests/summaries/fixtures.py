"""A closed round with moderated input of every kind, built through the real services: what summaries,
answers, reports, exports and the API are tested on."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask

from consult.accounts.models import StaffRoleName, User
from consult.comments import services as comments
from consult.comments.models import Assessment, Comment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind
from consult.organisations.models import (
    Membership,
    MembershipState,
    Organisation,
    OrganisationState,
    OrganisationType,
)
from consult.plan.models import Cluster, Mechanism, Position, Recommendation, RecommendationText
from consult.rounds.models import ModerationMode, Round, RoundState, RoundSummariser, Stage
from tests.helpers import Account, make_user

CAMPAIGN_LETTER = "Ratify the Optional Protocol now and fund the national preventive mechanism properly."


@dataclass(frozen=True)
class RoundWithInput:
    """Ids of what the round holds; the comments are named by their publication choice."""

    round_id: int
    slug: str
    cluster_id: int
    recommendation_id: int
    other_recommendation_id: int
    named_id: int
    anonymous_id: int
    organisation_only_id: int
    confidential_id: int
    campaign_ids: tuple[int, ...]
    coordinator: Account
    summariser: Account
    contributor: Account


def _organisation(name: str, kind: OrganisationType) -> Organisation:
    organisation = Organisation(
        name=name, type=kind, state=OrganisationState.verified, verified_at=datetime.now(UTC)
    )
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _person(name: str) -> User:
    user = User(
        display_name=name, email=f"{uuid.uuid4().hex[:12]}@example.org", email_verified_at=datetime.now(UTC)
    )
    db.session.add(user)
    db.session.flush()
    return user


def _member(account: Account, organisation: Organisation) -> User:
    user = db.session.get(User, account.id)
    db.session.add(
        Membership(user_id=user.id, organisation_id=organisation.id, state=MembershipState.confirmed)
    )
    db.session.flush()
    db.session.refresh(user)
    return user


def closed_round_with_input(app: Flask, campaign_size: int = 3) -> RoundWithInput:
    """A mid-term round on two recommendations of one cluster, now closed, holding a named, an anonymous, an
    organisation-only and a confidential comment, and a campaign of identical letters; all approved."""
    coordinator = make_user(app, roles=(StaffRoleName.coordinator,), name="Amina Haddad")
    summariser = make_user(app, two_factor=True, name="Mei Lin")
    contributor = make_user(app, name="Olga Petrova")
    with app.app_context():
        # People who never sign in in these tests: accounts without a password, which is slow to hash.
        anonymous_author = _person("Hidden Person")
        letter_writers = [_person(f"Letter writer {n}") for n in range(campaign_size)]
        ngo = _organisation("Legal Aid Network", OrganisationType.ngo)
        nhri = _organisation("Human Rights Ombudsman", OrganisationType.nhri)
        cluster = Cluster(code="C1", title={"en": "Prevention of torture", "fr": "Prévention de la torture"})
        db.session.add(cluster)
        db.session.flush()
        recommendations = []
        for paragraph, text in (
            ("115.1", "Ratify OPCAT."),
            ("115.2", "Establish a national preventive mechanism."),
        ):
            recommendation = Recommendation(
                source_key=f"test:{uuid.uuid4().hex}",
                mechanism=Mechanism.upr,
                body="UPR",
                symbol="A/HRC/40/8",
                paragraph=paragraph,
                cycle=3,
                position=Position.supported,
                cluster_id=cluster.id,
            )
            recommendation.texts.append(RecommendationText(language="en", text=text))
            db.session.add(recommendation)
            recommendations.append(recommendation)
        db.session.flush()
        now = datetime.now(UTC)
        round_ = Round(
            slug=f"mid-term-{uuid.uuid4().hex[:6]}",
            stage=Stage.mid_term,
            cycle=3,
            title={"en": "Mid-term consultation", "zh": "中期协商", "ar": "مشاورة منتصف المدة"},
            state=RoundState.open,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=1),
            moderation_mode=ModerationMode.pre,
            summariser_organisation_id=nhri.id,
        )
        round_.clusters.append(cluster)
        db.session.add(round_)
        db.session.flush()
        db.session.add(RoundSummariser(round_id=round_.id, user_id=summariser.id))
        _member(summariser, nhri)
        named_author = _member(contributor, ngo)
        first, second = recommendations

        def submit(author: User, body: str, publication: Publication, **extra) -> Comment:
            extra.setdefault("target_type", TargetType.recommendation)
            extra.setdefault("target_id", first.id)
            draft = comments.Draft(body=body, publication=publication, **extra)
            comment, _created = comments.submit(author, round_, uuid.uuid4().hex, draft)
            return comment

        named = submit(
            named_author,
            "Inspections of police stations have not started.",
            Publication.named,
            language="en",
            assessment=Assessment.not_started,
            organisation_id=ngo.id,
        )
        anonymous = submit(
            anonymous_author,
            "Detainees fear speaking to inspectors.",
            Publication.anonymous,
            language="en",
            assessment=Assessment.partly,
        )
        organisation_only = submit(
            named_author,
            "Le mécanisme national manque de moyens.",
            Publication.organisation,
            language="fr",
            target_id=second.id,
            organisation_id=ngo.id,
        )
        confidential = submit(
            anonymous_author,
            "A guard threatened me after my visit. Secret witness account.",
            Publication.confidential,
            language="en",
            target_type=TargetType.round,
            target_id=None,
        )
        letters = [
            submit(writer, CAMPAIGN_LETTER, Publication.named, language="en") for writer in letter_writers
        ]
        moderator = db.session.get(User, coordinator.id)
        for comment in (named, anonymous, organisation_only, confidential, *letters):
            moderation.decide(moderator, comment, DecisionKind.approve)
        moderation.detect_campaigns(moderator, round_.id)
        round_.closes_at = datetime.now(UTC) - timedelta(seconds=1)
        round_.opens_at = round_.closes_at - timedelta(days=10)
        round_.state = RoundState.closed
        db.session.commit()
        return RoundWithInput(
            round_id=round_.id,
            slug=round_.slug,
            cluster_id=cluster.id,
            recommendation_id=first.id,
            other_recommendation_id=second.id,
            named_id=named.id,
            anonymous_id=anonymous.id,
            organisation_only_id=organisation_only.id,
            confidential_id=confidential.id,
            campaign_ids=tuple(letter.id for letter in letters),
            coordinator=coordinator,
            summariser=summariser,
            contributor=contributor,
        )
