"""Test data as factories: one factory per kind of thing a test needs, and the small worlds the suites share,
composed from them.

Factories go through the product's services where one exists (accounts, organisations and memberships, the
plan, comments, moderation, summaries and answers), so that lifecycles, receipts and audit events are what
the product leaves. Rows without a service are written directly and say so: a round's state (the clock opens
and closes rounds), a recommendation (only importers make them, from files), and people who never sign in
(a password hash is slow). Every factory flushes into flask_sqlalchemy's `db.session`; the caller, inside an
app context, commits, as a view would.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import factory
import pyotp
from factory.alchemy import SQLAlchemyModelFactory
from flask import Flask, current_app
from sqlalchemy import select

from consult.accounts import services as accounts
from consult.accounts.models import StaffRoleName, User
from consult.api import services as api
from consult.api.models import ApiToken
from consult.comments import services as comments
from consult.comments.models import Comment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, ModerationDecision
from consult.organisations import services as organisations
from consult.organisations.models import Membership, MembershipState, Organisation, OrganisationType
from consult.plan import services as plan
from consult.plan.importers.records import ClusterRecord, ReadResult, RecommendationRecord
from consult.plan.importing import import_records
from consult.plan.models import (
    Action,
    Cluster,
    Indicator,
    IndicatorKind,
    Mechanism,
    Position,
    Recommendation,
    RecommendationText,
)
from consult.rounds import services as rounds
from consult.rounds.models import Eligibility, ModerationMode, Round, RoundState, Stage
from consult.summaries import services as summaries
from consult.summaries.models import Response, ResponseOutcome, Summary, SummarySection, SummaryVersion
from consult.uploads import attachments

#: Everyone's password in the tests.
PASSWORD = "correct horse battery"


def now() -> datetime:
    """The present moment, in UTC."""
    return datetime.now(UTC)


def _hex(length: int = 6) -> str:
    return uuid.uuid4().hex[:length]


class _Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the session of the app context in use
        sqlalchemy_session_persistence = "flush"


# --- People and organisations ------------------------------------------------------------------------------


class UserFactory(_Factory):
    """A person with a confirmed address. Given a password (staff always need one), made by
    accounts.create_user with their roles, and staff get a second factor unless two_factor=False; without a
    password, a bare row: someone who never signs in in the test."""

    class Meta:
        model = User

    display_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    email_verified_at = factory.LazyFunction(now)

    @classmethod
    def _create(cls, model_class, *args, password=None, roles=(), two_factor=None, **values):
        if password is None and not roles:
            user = super()._create(model_class, *args, **values)
        else:
            user = accounts.create_user(values["email"], values["display_name"], password or PASSWORD, roles)
            user.email_verified_at = values.get("email_verified_at")
        if two_factor or (two_factor is None and roles):
            user.totp_secret = pyotp.random_base32()
        db.session.flush()
        return user


class OrganisationFactory(_Factory):
    """An organisation, verified unless verified=False, added by organisations.create_organisation."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.ngo
    acronym = None
    website = None
    verified = True

    @classmethod
    def _create(cls, model_class, *args, name, type, acronym, website, verified, actor=None):
        organisation = organisations.create_organisation(
            actor, name, type, acronym, website, verified=verified
        )
        db.session.flush()
        return organisation


class MembershipFactory(_Factory):
    """A person's membership of an organisation: asked for by the person, confirmed unless state says not."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    state = MembershipState.confirmed
    position = None

    @classmethod
    def _create(cls, model_class, *args, user, organisation, state, position):
        membership = organisations.request_membership(user, organisation, position)
        if state is MembershipState.confirmed:
            organisations.confirm_membership(None, membership)
        db.session.flush()
        return membership


# --- The plan ----------------------------------------------------------------------------------------------


class ClusterFactory(_Factory):
    """A cluster of the plan, saved by plan.save_cluster."""

    class Meta:
        model = Cluster

    code = factory.Sequence(lambda n: f"C{n + 1}")
    title = factory.LazyAttribute(lambda o: {"en": f"Cluster {o.code}"})
    position = 0

    @classmethod
    def _create(cls, model_class, *args, **values):
        cluster = plan.save_cluster(None, None, **values)
        db.session.flush()
        return cluster


class RecommendationFactory(_Factory):
    """A recommendation with its text in one language. Only importers make recommendations, from files
    (see `imported`), so this writes the row as an importer leaves it."""

    class Meta:
        model = Recommendation

    source_key = factory.LazyFunction(lambda: f"test:{uuid.uuid4().hex}")
    mechanism = Mechanism.upr
    body = "UPR"
    symbol = "A/HRC/40/8"
    paragraph = factory.Sequence(lambda n: f"115.{n + 1}")
    cycle = 3
    position = Position.supported
    cluster = None

    @classmethod
    def _create(cls, model_class, *args, text="Ratify OPCAT.", language="en", is_original=False, **values):
        recommendation = model_class(**values)
        recommendation.texts.append(RecommendationText(language=language, text=text, is_original=is_original))
        db.session.add(recommendation)
        db.session.flush()
        return recommendation

    @factory.post_generation
    def tags(recommendation, create, tags, **kwargs):
        """tags=[(vocabulary, code), …], added by plan.add_tag."""
        for vocabulary, code in tags or ():
            plan.add_tag(None, recommendation, vocabulary, code)


def recommendation_record(
    key: str, text: str = "Ratify the Optional Protocol.", language: str = "en", **values
) -> RecommendationRecord:
    """A record as a reader would give it."""
    values.setdefault("recommending_states", ["Chile", "France"])
    values.setdefault("themes", ["Torture"])
    values.setdefault("position", Position.supported)
    return RecommendationRecord(
        source_key=key,
        mechanism=Mechanism.upr,
        body="UPR",
        texts={language: text},
        original_language=language,
        file="f.csv",
        row=2,
        **values,
    )


def imported(records: Iterable[RecommendationRecord]):
    """Records imported the way every importer does (consult.plan.importing); returns the report."""
    report = import_records(ReadResult(records=list(records)))
    db.session.flush()
    return report


class ActionFactory(_Factory):
    """An action of the plan answering recommendations, saved by plan.save_action."""

    class Meta:
        model = Action

    cluster = factory.SubFactory(ClusterFactory)
    code = factory.Sequence(lambda n: f"A{n + 1}")
    title = factory.LazyAttribute(lambda o: {"en": f"Action {o.code}"})
    responsible_entity = "Ministry of Justice"
    recommendations = ()

    @classmethod
    def _create(cls, model_class, *args, cluster, recommendations, **values):
        action = plan.save_action(
            None, None, [r.id for r in recommendations], cluster_id=cluster.id if cluster else None, **values
        )
        db.session.flush()
        return action


class IndicatorFactory(_Factory):
    """An indicator of an action, saved by plan.save_indicator."""

    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    kind = IndicatorKind.process
    title = factory.LazyFunction(lambda: {"en": "Visits made"})

    @classmethod
    def _create(cls, model_class, *args, action, **values):
        indicator = plan.save_indicator(None, None, action_id=action.id, **values)
        db.session.flush()
        return indicator


# --- Rounds ------------------------------------------------------------------------------------------------


class RoundFactory(_Factory):
    """A consultation round, open by default (opened a day ago, closing in five days). The clock opens and
    closes rounds, so the state is written as the clock would have left it; `closed=True` gives a round whose
    deadline passed a second ago. summarisers=[user, …] are named by rounds.name_summariser and
    invitations=[organisation, …] set by rounds.set_invitations."""

    class Meta:
        model = Round

    class Params:
        closed = factory.Trait(
            state=RoundState.closed,
            closes_at=factory.LazyFunction(lambda: now() - timedelta(seconds=1)),
            opens_at=factory.LazyAttribute(lambda o: o.closes_at - timedelta(days=10)),
        )

    slug = factory.LazyFunction(lambda: f"r-{_hex()}")
    stage = Stage.mid_term
    cycle = 4
    title = factory.LazyFunction(lambda: {"en": "Mid-term"})
    state = RoundState.open
    opens_at = factory.LazyFunction(lambda: now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: now() + timedelta(days=5))
    moderation_mode = ModerationMode.pre

    @factory.post_generation
    def summarisers(round_, create, users, **kwargs):
        """Summarisers named on the round."""
        for user in users or ():
            rounds.name_summariser(None, round_, user.email)

    @factory.post_generation
    def invitations(round_, create, invited, **kwargs):
        """Organisations invited to take part."""
        if invited:
            rounds.set_invitations(None, round_, [organisation.id for organisation in invited])


def close_now(round_: Round) -> Round:
    """A round that took input ends: its deadline a second ago, ten days after it opened, as the clock
    leaves it."""
    round_.closes_at = now() - timedelta(seconds=1)
    round_.opens_at = round_.closes_at - timedelta(days=10)
    round_.state = RoundState.closed
    db.session.flush()
    return round_


# --- Comments and moderation -------------------------------------------------------------------------------


class CommentFactory(_Factory):
    """A comment submitted by comments.submit (with its receipt; published at once in a post-moderated
    round). files=[(bytes, name), …] are checked and stored as its attachments; approved_by=moderator
    approves it through moderation.decide; draft=True only saves it."""

    class Meta:
        model = Comment

    round = factory.SubFactory(RoundFactory)
    author = factory.SubFactory(UserFactory)
    key = factory.LazyFunction(lambda: uuid.uuid4().hex)
    target_type = TargetType.round
    target_id = None
    body = "Inspections did not start."
    language = "en"
    publication = Publication.named
    assessment = None
    organisation = None
    at_risk = False

    @classmethod
    def _create(
        cls, model_class, *args, round, author, key, organisation, draft=False, approved_by=None, **values
    ):
        values["organisation_id"] = organisation.id if organisation is not None else None
        written = comments.Draft(**values)
        if draft:
            comment = comments.save_draft(author, round, key, written)
        else:
            comment, _created = comments.submit(author, round, key, written)
        if approved_by is not None:
            moderation.decide(approved_by, comment, DecisionKind.approve)
        db.session.flush()
        return comment

    @factory.post_generation
    def files(comment, create, files, **kwargs):
        """Attachments, stored in the app's upload folder as an upload would be."""
        if files:
            folder = Path(current_app.config["UPLOAD_FOLDER"])
            comments.attach(
                comment.author, comment, [attachments.store(data, name, folder) for data, name in files]
            )
            db.session.flush()


class ModerationDecisionFactory(_Factory):
    """A moderator's decision on a comment, taken by moderation.decide."""

    class Meta:
        model = ModerationDecision

    moderator = factory.SubFactory(UserFactory, roles=(StaffRoleName.moderator,))
    comment = factory.SubFactory(CommentFactory)
    decision = DecisionKind.approve
    reason = None
    note = None

    @classmethod
    def _create(cls, model_class, *args, moderator, comment, decision, reason, note):
        return moderation.decide(moderator, comment, decision, reason, note)


def made_final(comment: Comment) -> Comment:
    """The decision that stands on the comment, taken as if its undo window had passed: it can no longer be
    undone, the author may contest it, and its e-mail is due."""
    decision = moderation.latest_decision(comment)
    decision.decided_at -= moderation.undo_window() + timedelta(seconds=1)
    db.session.flush()
    return comment


def approved(moderator: User, *published: Comment) -> None:
    """Each comment approved by the moderator."""
    for comment in published:
        ModerationDecisionFactory(moderator=moderator, comment=comment)


def campaign(round_: Round, moderator: User, letter: str, size: int, **values) -> list[Comment]:
    """A campaign: `size` people (who never sign in) send the same letter, the moderator approves each, and
    moderation.detect_campaigns finds them one voice with its supporters."""
    letters = [
        CommentFactory(
            round=round_,
            author=UserFactory(display_name=f"Letter writer {n}", email=f"{_hex(12)}@example.org"),
            body=letter,
            **values,
        )
        for n in range(size)
    ]
    approved(moderator, *letters)
    moderation.detect_campaigns(moderator, round_.id)
    return letters


# --- Summaries and answers ---------------------------------------------------------------------------------


class SummaryFactory(_Factory):
    """A draft summary of a closed round by its author, started by summaries.create_summary (and given an
    introduction by summaries.update_summary)."""

    class Meta:
        model = Summary

    actor = None
    round = factory.SubFactory(RoundFactory, closed=True)
    title = "What we heard"
    language = "en"
    organisation = None
    introduction = None

    @classmethod
    def _create(cls, model_class, *args, actor, round, title, language, organisation, introduction):
        summary = summaries.create_summary(
            actor, round, title, language, organisation.id if organisation is not None else None
        )
        db.session.flush()
        if introduction is not None:
            summaries.update_summary(actor, summary, title, introduction)
        return summary


class SectionFactory(_Factory):
    """A point of a summary, added by summaries.add_section; quoting=[comment, …] are cited by the same
    author, each as its publication choice allows."""

    class Meta:
        model = SummarySection

    actor = None
    summary = factory.SubFactory(SummaryFactory)
    target_type = TargetType.round
    target_id = None
    heading = "Overall"
    body = "Much was said."

    @classmethod
    def _create(cls, model_class, *args, actor, summary, quoting=(), **values):
        section = summaries.add_section(actor, summary, **values)
        db.session.flush()
        for comment in quoting:
            summaries.cite(actor, section, comment, None)
        db.session.flush()
        return section


def published(actor, summary: Summary, change_note: str | None = None) -> SummaryVersion:
    """The summary's next version, published by summaries.publish_summary."""
    version = summaries.publish_summary(actor, summary, change_note)
    db.session.flush()
    return version


class ResponseFactory(_Factory):
    """The mechanism's answer to a point of a summary or to a recommendation, given by summaries.respond."""

    class Meta:
        model = Response

    actor = None
    round = None
    outcome = ResponseOutcome.partly
    explanation = "Inspections start next year."
    language = "en"
    responsible_entity = "Ministry of Justice"
    section = None
    recommendation = None

    @classmethod
    def _create(
        cls, model_class, *args, actor, round, outcome, explanation, language, responsible_entity, **target
    ):
        response = summaries.respond(
            actor, round, outcome, explanation, language, responsible_entity, **target
        )
        db.session.flush()
        return response


class ApiTokenFactory(_Factory):
    """A token of one of the mechanism's systems, issued by api.issue_token; its secret is `.secret`."""

    class Meta:
        model = ApiToken

    name = "Tracking database"
    confidential = False

    @classmethod
    def _create(cls, model_class, *args, name, confidential):
        token, secret = api.issue_token(None, name, confidential)
        db.session.flush()
        token.secret = secret
        return token


# --- The worlds the suites share, composed from the factories ---------------------------------------------


@dataclass(frozen=True)
class Account:
    """What a test needs to act as a person: how to sign in."""

    id: int
    email: str
    password: str
    totp_secret: str | None


def make_user(
    app: Flask,
    roles: tuple[StaffRoleName, ...] = (),
    two_factor: bool | None = None,
    verified: bool = True,
    name: str | None = None,
    email: str | None = None,
) -> Account:
    """An account that signs in with PASSWORD, committed; staff get a second factor unless two_factor=False
    says not."""
    values = {"display_name": name} if name else {}
    if email:
        values["email"] = email
    with app.app_context():
        user = UserFactory(
            password=PASSWORD,
            roles=roles,
            two_factor=two_factor,
            email_verified_at=now() if verified else None,
            **values,
        )
        db.session.commit()
        return Account(user.id, user.email, PASSWORD, user.totp_secret)


def person(app: Flask, name: str = "Ana Ruiz", organisation: str | None = None) -> Account:
    """A contributor who may sign in, a confirmed member of the named NGO (made verified if it is new)."""
    account = make_user(app, name=name)
    if organisation:
        with app.app_context():
            found = organisations.find_by_name(organisation) or OrganisationFactory(name=organisation)
            MembershipFactory(user=db.session.get(User, account.id), organisation=found)
            db.session.commit()
    return account


def open_round(mode: ModerationMode = ModerationMode.pre) -> Round:
    """An open mid-term round of cycle 4 with nothing in scope, pre-moderated by default."""
    return RoundFactory(moderation_mode=mode)


def submitted(round_: Round, author: User, body: str = "Inspections did not start.") -> Comment:
    """A named comment on the round as a whole."""
    return CommentFactory(round=round_, author=author, body=body)


def make_open_round(
    mode: ModerationMode = ModerationMode.post,
    eligibility: Eligibility = Eligibility.public,
    closes_in: timedelta = timedelta(days=5),
) -> Round:
    """The round "open-round" on cluster C1 (Justice) with the imported recommendation r:1, committed."""
    imported([recommendation_record("r:1", cluster=ClusterRecord("C1", "Justice"))])
    round_ = RoundFactory(
        slug="open-round",
        moderation_mode=mode,
        eligibility=eligibility,
        closes_at=now() + closes_in,
        clusters=list(db.session.scalars(select(Cluster))),
    )
    db.session.commit()
    return round_


def mid_term_round(app: Flask) -> None:
    """What a contributor's journey starts from: the open post-moderated round "mid-term" on an imported
    recommendation about torture, and a verified women's rights NGO to speak for."""
    with app.app_context():
        imported(
            [
                recommendation_record(
                    "j:1",
                    "Ratify the Optional Protocol to the Convention against Torture.",
                    cluster=ClusterRecord("C1", "Torture prevention"),
                )
            ]
        )
        OrganisationFactory(name="Women's Rights Network")
        RoundFactory(
            slug="mid-term",
            title={"en": "Mid-term consultation"},
            closes_at=now() + timedelta(days=9),
            moderation_mode=ModerationMode.post,
            clusters=list(db.session.scalars(select(Cluster))),
        )
        db.session.commit()


def invited_round(
    app, opens_in: timedelta, closes_in: timedelta, state=RoundState.scheduled
) -> tuple[int, str]:
    """A pre-report round in Paris time for invited organisations only, with one invited NGO of one member
    (member@example.org) and one person outside it; returns the round's id and the member's address."""
    member = make_user(app, email="member@example.org")
    make_user(app, email="outsider@example.org")
    with app.app_context():
        ngo = OrganisationFactory(name="Invited NGO")
        MembershipFactory(user=db.session.get(User, member.id), organisation=ngo)
        round_ = RoundFactory(
            slug="invited",
            stage=Stage.pre_report,
            title={"en": "Pre-report", "fr": "Avant"},
            state=state,
            eligibility=Eligibility.invited,
            opens_at=now() + opens_in,
            closes_at=now() + closes_in,
            timezone="Europe/Paris",
            invitations=[ngo],
        )
        db.session.commit()
        return round_.id, member.email


def comment_form(target: str = "recommendation:1", **values) -> dict:
    """The comment form as a browser sends it: a named comment in English, submitted."""
    return {
        "target": target,
        "idempotency_key": uuid.uuid4().hex,
        "body": "Detention conditions improved.",
        "language": "en",
        "publication": "named",
        "organisation": "0",
        "action": "submit",
        **values,
    }
