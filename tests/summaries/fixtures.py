"""A closed round with moderated input of every kind, composed from the factories (tests/factories.py): what
summaries, answers, reports, exports and the API are tested on."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Assessment, Comment, Publication, TargetType
from consult.extensions import db
from consult.organisations.models import (
    Organisation,
    OrganisationType,
)
from tests.factories import (
    ClusterFactory,
    CommentFactory,
    MembershipFactory,
    OrganisationFactory,
    RecommendationFactory,
    RoundFactory,
    UserFactory,
    approved,
    campaign,
    close_now,
    now,
)
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
    """A verified organisation of that kind."""
    return OrganisationFactory(name=name, type=kind)


def _person(name: str) -> User:
    """Someone who never signs in in these tests: an account without a password, which is slow to hash."""
    return UserFactory(display_name=name, email=f"{uuid.uuid4().hex[:12]}@example.org")


def closed_round_with_input(app: Flask, campaign_size: int = 3) -> RoundWithInput:
    """A mid-term round on two recommendations of one cluster, now closed, holding a named, an anonymous, an
    organisation-only and a confidential comment, and a campaign of identical letters; all approved."""
    coordinator = make_user(app, roles=(StaffRoleName.coordinator,), name="Amina Haddad")
    summariser = make_user(app, two_factor=True, name="Mei Lin")
    contributor = make_user(app, name="Olga Petrova")
    with app.app_context():
        anonymous_author = _person("Hidden Person")
        ngo = _organisation("Legal Aid Network", OrganisationType.ngo)
        nhri = _organisation("Human Rights Ombudsman", OrganisationType.nhri)
        cluster = ClusterFactory(
            code="C1", title={"en": "Prevention of torture", "fr": "Prévention de la torture"}
        )
        first = RecommendationFactory(cluster=cluster, paragraph="115.1", text="Ratify OPCAT.")
        second = RecommendationFactory(
            cluster=cluster, paragraph="115.2", text="Establish a national preventive mechanism."
        )
        summarising = db.session.get(User, summariser.id)
        round_ = RoundFactory(
            slug=f"mid-term-{uuid.uuid4().hex[:6]}",
            cycle=3,
            title={"en": "Mid-term consultation", "zh": "中期协商", "ar": "مشاورة منتصف المدة"},
            opens_at=now() - timedelta(days=10),
            closes_at=now() + timedelta(days=1),
            summariser_organisation_id=nhri.id,
            clusters=[cluster],
            summarisers=[summarising],
        )
        MembershipFactory(user=summarising, organisation=nhri)
        named_author = db.session.get(User, contributor.id)
        MembershipFactory(user=named_author, organisation=ngo)
        on_first = {"target_type": TargetType.recommendation, "target_id": first.id}
        named = CommentFactory(
            round=round_,
            **on_first,
            author=named_author,
            body="Inspections of police stations have not started.",
            assessment=Assessment.not_started,
            organisation=ngo,
        )
        anonymous = CommentFactory(
            round=round_,
            **on_first,
            author=anonymous_author,
            body="Detainees fear speaking to inspectors.",
            publication=Publication.anonymous,
            assessment=Assessment.partly,
        )
        organisation_only = CommentFactory(
            round=round_,
            **{**on_first, "target_id": second.id},
            author=named_author,
            body="Le mécanisme national manque de moyens.",
            publication=Publication.organisation,
            language="fr",
            organisation=ngo,
        )
        confidential = CommentFactory(
            round=round_,
            author=anonymous_author,
            body="A guard threatened me after my visit. Secret witness account.",
            publication=Publication.confidential,
        )
        moderator = db.session.get(User, coordinator.id)
        approved(moderator, named, anonymous, organisation_only, confidential)
        letters = campaign(round_, moderator, CAMPAIGN_LETTER, campaign_size, **on_first)
        close_now(round_)
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


def public_id_of(app: Flask, comment_id: int) -> str:
    """A comment's public id: what every summariser's page and form names it by, never its row id."""
    with app.app_context():
        return db.session.get(Comment, comment_id).public_id
