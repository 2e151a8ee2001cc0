"""A realistic world for the accessibility tests, composed from the factories (tests/factories.py): a round
closed with moderated input, a published summary and the mechanism's answers; an open round with a document,
a guiding question and a published comment with an attachment; a plan with an action, an indicator and a
version; and the people who use them."""

import io
import itertools
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, url_for
from PIL import Image
from sqlalchemy import select

from consult.accounts import guessing
from consult.accounts.models import StaffRoleName, User
from consult.accounts.tokens import fingerprint, make_token
from consult.comments.models import Assessment, Comment, TargetType
from consult.database import utcnow
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.plan import services as plan
from consult.plan.models import Cluster, IndicatorKind, Recommendation
from consult.rounds import services as rounds
from consult.rounds.models import ModerationMode, Round, Stage
from consult.summaries.models import ResponseOutcome
from tests.factories import (
    ActionFactory,
    ApiTokenFactory,
    CommentFactory,
    IndicatorFactory,
    ResponseFactory,
    RoundFactory,
    SectionFactory,
    SummaryFactory,
    now,
    published,
)
from tests.helpers import Account, make_user
from tests.summaries.fixtures import closed_round_with_input

OPEN_SLUG = "open-consultation"


@dataclass(frozen=True)
class World:
    """Who signs in, and the values the URL map's arguments take."""

    accounts: dict[str, Account]
    values: dict[str, object]
    slugs: tuple[str, ...]
    open_slug: str
    closed_slug: str
    reset_token: str
    verify_token: str
    #: The one-time link e-mailed to the owner of an account whose sign-in paused after guessing.
    resume_token: str


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _published_summary(app: Flask, given) -> tuple[int, int]:
    """A summary of the closed round with one point quoting two comments, published and answered."""
    with app.test_request_context():
        coordinator = db.session.get(User, given.coordinator.id)
        round_ = db.session.get(Round, given.round_id)
        summary = SummaryFactory(actor=coordinator, round=round_, introduction="Many voices, one message.")
        section = SectionFactory(
            actor=coordinator,
            summary=summary,
            target_type=TargetType.recommendation,
            target_id=given.recommendation_id,
            heading="Inspections",
            body="Inspections are slow.",
            quoting=[db.session.get(Comment, given.named_id), db.session.get(Comment, given.anonymous_id)],
        )
        version = published(coordinator, summary)
        ResponseFactory(
            actor=coordinator,
            round=round_,
            explanation="Two inspections are planned.",
            responsible_entity="Ombudsman",
            section=section,
        )
        ResponseFactory(
            actor=coordinator,
            round=round_,
            outcome=ResponseOutcome.under_consideration,
            explanation="A budget line in 2027.",
            responsible_entity="Ministry of Finance",
            recommendation=db.session.get(Recommendation, given.other_recommendation_id),
        )
        db.session.commit()
        return summary.id, version.number


def _open_round(app: Flask, given) -> dict[str, int]:
    """An open, post-moderated round on the same cluster, with a document, a guiding question and the
    contributor's published comment carrying a photo."""
    with app.test_request_context():
        round_ = RoundFactory(
            slug=OPEN_SLUG,
            stage=Stage.pre_report,
            title={"en": "Consultation on the next report", "ar": "مشاورة بشأن التقرير المقبل"},
            description={"en": "Tell us what changed.", "ar": "أخبرونا بما تغيّر."},
            opens_at=now() - timedelta(days=2),
            closes_at=now() + timedelta(days=20),
            moderation_mode=ModerationMode.post,
            clusters=[db.session.get(Cluster, given.cluster_id)],
        )
        rounds.add_question(None, round_, {"en": "What has changed since the review?"})
        document = rounds.add_document(
            None, round_, {"en": "Draft report"}, "en", ["The State reports progress.", "Much remains."]
        )
        ngo = db.session.scalar(select(Organisation).where(Organisation.name == "Legal Aid Network"))
        comment = CommentFactory(
            round=round_,
            author=db.session.get(User, given.contributor.id),
            target_type=TargetType.recommendation,
            target_id=given.recommendation_id,
            body="No inspection has happened in the north.",
            assessment=Assessment.partly,
            organisation=ngo,
            files=[(_png(), "photo.png")],
        )
        db.session.commit()
        return {
            "comment_public_id": comment.public_id,
            "attachment_public_id": comment.attachments[0].public_id,
            "document_id": document.id,
            "organisation_id": ngo.id,
        }


def _plan(app: Flask, cluster_id: int, recommendation_id: int) -> dict[str, int]:
    """An action for the cluster with an indicator, a frozen version of the plan, and an API token."""
    with app.test_request_context():
        action = ActionFactory(
            cluster=db.session.get(Cluster, cluster_id),
            recommendations=[db.session.get(Recommendation, recommendation_id)],
            code="A1",
            title={"en": "Set up the preventive mechanism", "ar": "إنشاء الآلية الوقائية"},
            responsible_entity="Ministry of Justice",
        )
        indicator = IndicatorFactory(action=action, kind=IndicatorKind.process, title={"en": "Visits made"})
        version = plan.freeze_version(None, "First")
        db.session.flush()
        ApiTokenFactory()
        db.session.commit()
        return {"action_id": action.id, "indicator_id": indicator.id, "version_id": version.id}


def build_world(app: Flask) -> World:
    """Everyone, and something on every page for them to see."""
    given = closed_round_with_input(app)
    moderator = make_user(app, roles=(StaffRoleName.moderator,), name="Rafael Ortiz")
    newcomer = make_user(app, verified=False, name="Newcomer")
    guessed = make_user(app, name="Guessed at")
    summary_id, number = _published_summary(app, given)
    values: dict[str, object] = {
        "user_id": given.contributor.id,
        "recommendation_id": given.recommendation_id,
        "cluster_id": given.cluster_id,
        "round_id": given.round_id,
        "summary_id": summary_id,
        "number": number,
        "path": "nothing-here",
        **_open_round(app, given),
        **_plan(app, given.cluster_id, given.recommendation_id),
    }
    with app.app_context():
        person = db.session.get(User, newcomer.id)
        verify_token = make_token("verify", {"uid": person.id, "email": person.email})
        contributor = db.session.get(User, given.contributor.id)
        reset_token = make_token(
            "reset", {"uid": contributor.id, "pw": fingerprint(contributor.password_hash)}
        )
        paused = db.session.get(User, guessed.id)
        paused.sign_in_paused_until = utcnow() + timedelta(days=1)
        db.session.commit()
        resume_token = guessing.resume_token(paused)
    return World(
        accounts={
            "contributor": given.contributor,
            "summariser": given.summariser,
            "moderator": moderator,
            "coordinator": given.coordinator,
        },
        values=values,
        slugs=(OPEN_SLUG, given.slug),
        open_slug=OPEN_SLUG,
        closed_slug=given.slug,
        reset_token=reset_token,
        verify_token=verify_token,
        resume_token=resume_token,
    )


def _argument_sets(rule, world: World) -> list[dict]:
    """Every combination of the values a rule's arguments take: both rounds for a slug, every choice of an
    <any(…)> argument, the world's object for an id."""
    choices = {}
    for name in sorted(rule.arguments - set(rule.defaults or {})):
        converter = rule._converters[name]
        if name == "slug":
            choices[name] = world.slugs
        elif name == "token":
            tokens = {"reset": world.reset_token, "resume": world.resume_token}
            choices[name] = (next((t for k, t in tokens.items() if k in rule.rule), world.verify_token),)
        elif hasattr(converter, "items"):
            choices[name] = sorted(converter.items)
        else:
            choices[name] = (world.values[name],)
    return [
        dict(zip(choices, combination, strict=True)) for combination in itertools.product(*choices.values())
    ]


def _urls(app: Flask, world: World) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET route of the app with the world's arguments."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or "GET" not in rule.methods:
                continue
            for arguments in _argument_sets(rule, world):
                found.append((rule.endpoint, url_for(rule.endpoint, **arguments)))
    return sorted(set(found))
