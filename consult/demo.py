"""Load the demo deployment: a fictional State's plan, one round at each stage, an account per role."""

from datetime import date, timedelta
from decimal import Decimal

import pyotp
from sqlalchemy import select

from consult import audit, demo_data
from consult.accounts import services as accounts
from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Assessment, Comment, CommentState, Publication, TargetType
from consult.database import utcnow
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import Organisation, OrganisationType
from consult.plan.models import (
    Action,
    ActionStatus,
    Cluster,
    ImplementationStatus,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Mechanism,
    PlanVersion,
    PlanVersionState,
    Position,
    Recommendation,
    RecommendationTag,
    RecommendationText,
    RecommendingState,
    Tag,
    TagVocabulary,
)
from consult.rounds.models import (
    Eligibility,
    GuidingQuestion,
    ModerationMode,
    Round,
    RoundInvitation,
    RoundState,
    RoundSummariser,
    Stage,
)

#: Published in the README: the demo is for trying the product, never for real input.
DEMO_PASSWORD = "demo-password"  # noqa: S105
#: Fixed second-factor keys of the demo staff, so that anyone trying the demo can add them to an app.
DEMO_TOTP_SECRETS = {
    "coordinator@example.org": "CONSULTDEMOCOORDINATORKEY234567A",
    "moderator@example.org": "CONSULTDEMOMODERATORKEY234567ABC",
    "summariser@example.org": "CONSULTDEMOSUMMARISERKEY234567AB",
}

DEMO_ACCOUNTS = [
    # e-mail, name, roles, organisation (by acronym), language
    ("coordinator@example.org", "Amina Haddad", (StaffRoleName.coordinator,), "NMRF", "en"),
    ("moderator@example.org", "Luis Ortega", (StaffRoleName.moderator,), "NMRF", "es"),
    ("summariser@example.org", "Mei Lin", (), "NHRI", "zh"),
    ("contributor@example.org", "Olga Petrova", (), "NGO", "ru"),
    ("individual@example.org", "Karim Mansour", (), None, "ar"),
]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _organisation_for(kind: str, created: list[Organisation]) -> Organisation | None:
    """The demo organisation that stands for an account's kind of affiliation."""
    wanted = {"NMRF": OrganisationType.government, "NHRI": OrganisationType.nhri, "NGO": OrganisationType.ngo}
    return next((o for o in created if o.type is wanted[kind]), None)


def _tags(vocabulary: TagVocabulary, codes: list[str], cache: dict) -> list[Tag]:
    tags = []
    for code in codes:
        key = (vocabulary, code)
        if key not in cache:
            cache[key] = Tag(vocabulary=vocabulary, code=code, label={"en": code})
            db.session.add(cache[key])
        tags.append(cache[key])
    return tags


def _load_plan() -> tuple[dict[str, Cluster], dict[str, Recommendation]]:
    clusters = {}
    for position, item in enumerate(demo_data.CLUSTERS):
        clusters[item["code"]] = Cluster(
            code=item["code"], title=item["title"], description=item["description"], position=position
        )
    db.session.add_all(clusters.values())

    tag_cache: dict = {}
    recommendations = {}
    for item in demo_data.RECOMMENDATIONS:
        recommendation = Recommendation(
            source_key=f"demo:{item['key']}",
            state_under_review=demo_data.STATE_NAME["en"],
            mechanism=Mechanism(item["mechanism"]),
            body=item["body"],
            symbol=item["symbol"],
            paragraph=item["paragraph"],
            cycle=item["cycle"],
            session=item["session"],
            issued_on=_day(item["issued_on"]),
            position=Position(item["position"]) if item["position"] else None,
            position_source=item["position_source"],
            status=ImplementationStatus(item["status"]),
            cluster=clusters[item["cluster"]],
        )
        recommendation.texts = [
            RecommendationText(language=language, text=text, is_original=language == "en")
            for language, text in item["text"].items()
        ]
        recommendation.recommending_states = [RecommendingState(state=s) for s in item["recommending_states"]]
        recommendation.tags = [
            RecommendationTag(tag=tag)
            for vocabulary, field in (
                (TagVocabulary.theme, "themes"),
                (TagVocabulary.affected_group, "affected_groups"),
                (TagVocabulary.sdg, "sdgs"),
            )
            for tag in _tags(vocabulary, item[field], tag_cache)
        ]
        recommendations[item["key"]] = recommendation
    db.session.add_all(recommendations.values())

    actions = {}
    for item in demo_data.ACTIONS:
        actions[item["code"]] = Action(
            code=item["code"],
            cluster=clusters[item["cluster"]],
            title=item["title"],
            description=item["description"],
            responsible_entity=item["responsible_entity"],
            partners=item["partners"],
            start_on=_day(item["start_on"]),
            due_on=_day(item["due_on"]),
            status=ActionStatus(item["status"]),
            recommendations=[recommendations[key] for key in item["recommendations"]],
        )
    db.session.add_all(actions.values())

    for item in demo_data.INDICATORS:
        indicator = Indicator(
            action=actions[item["action"]],
            kind=IndicatorKind(item["kind"]),
            title=item["title"],
            unit=item["unit"],
            baseline=_decimal(item["baseline"]),
            baseline_year=item["baseline_year"],
            target=_decimal(item["target"]),
            target_year=item["target_year"],
            source=item["source"],
            disaggregation=item["disaggregation"],
        )
        indicator.values = [
            IndicatorValue(period=_day(v["period"]), breakdown=v["breakdown"], value=Decimal(v["value"]))
            for v in item["values"]
        ]
        db.session.add(indicator)
    return clusters, recommendations


def _plan_snapshot(clusters: dict[str, Cluster]) -> dict:
    """The plan as it stands, for the frozen version the demo rounds consult."""
    return {
        "clusters": [
            {
                "code": cluster.code,
                "actions": [
                    {
                        "code": a.code,
                        "status": a.status.value,
                        "due_on": a.due_on.isoformat() if a.due_on else None,
                    }
                    for a in cluster.actions
                ],
            }
            for cluster in clusters.values()
        ]
    }


def _load_rounds(
    clusters: dict[str, Cluster], organisation_by_name: dict[str, Organisation], summariser: User
) -> None:
    version = PlanVersion(
        number=1,
        label="2023–2027",
        state=PlanVersionState.frozen,
        frozen_at=utcnow(),
        snapshot=_plan_snapshot(clusters),
    )
    db.session.add(version)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    nhri = next(o for o in organisation_by_name.values() if o.type is OrganisationType.nhri)
    for item in demo_data.ROUNDS:
        round_ = Round(
            slug=item["slug"],
            stage=Stage(item["stage"]),
            cycle=item["cycle"],
            title=item["title"],
            description=item["description"],
            plan_version=version,
            eligibility=Eligibility(item["eligibility"]),
            moderation_mode=ModerationMode(item["moderation_mode"]),
            summariser_organisation_id=nhri.id,
            opens_at=now + timedelta(days=item["opens_in_days"]),
            closes_at=now + timedelta(days=item["closes_in_days"]),
            timezone=item["timezone"],
            state=RoundState(item["state"]),
            clusters=[clusters[code] for code in item["clusters"]],
        )
        round_.questions = [
            GuidingQuestion(position=position, text=text)
            for position, text in enumerate(demo_data.GUIDING_QUESTIONS.get(item["slug"], []))
        ]
        db.session.add(round_)
        db.session.flush()
        db.session.add(RoundSummariser(round_id=round_.id, user_id=summariser.id))
        for name in item["invited"]:
            db.session.add(RoundInvitation(round_id=round_.id, organisation_id=organisation_by_name[name].id))
        audit.record(None, "round.create", round_, after={"state": round_.state.value})


def _load_outcome(
    recommendations: dict[str, Recommendation], organisation_by_name: dict[str, Organisation], users: dict
) -> None:
    """The past round's input, moderated, summarised by the NHRI and answered by the mechanism: what
    "What we heard, what we did" looks like once a round is over."""
    from consult.moderation.services import detect_campaigns
    from consult.summaries import services as summaries
    from consult.summaries.models import ResponseOutcome

    round_ = db.session.scalar(select(Round).where(Round.slug == "cycle3-mid-term"))
    authors = {"contributor": users["contributor@example.org"], "individual": users["individual@example.org"]}
    for key, (name, organisation) in demo_data.OUTCOME_PEOPLE.items():
        person = User(display_name=name, email=f"{key}@example.org", email_verified_at=utcnow())
        db.session.add(person)
        db.session.flush()
        membership = organisations.request_membership(person, organisation_by_name[organisation])
        organisations.confirm_membership(None, membership)
        authors[key] = person
    published_at = round_.closes_at - timedelta(days=3)
    comments = []
    for index, (key, author, publication, language, assessment, text) in enumerate(
        demo_data.OUTCOME_COMMENTS
    ):
        person = authors[author]
        organisation = person.confirmed_organisations[0] if person.confirmed_organisations else None
        comment = Comment(
            round_id=round_.id,
            author_id=person.id,
            organisation_id=organisation.id if organisation and publication != "anonymous" else None,
            target_type=TargetType.recommendation if key else TargetType.round,
            recommendation_id=recommendations[key].id if key else None,
            body=text,
            language=language,
            assessment=Assessment(assessment) if assessment else None,
            publication=Publication(publication),
            state=CommentState.published,
            receipt_number=f"DEMO-{index + 1:04d}",
            idempotency_key=f"demo-outcome-{index}",
            submitted_at=published_at - timedelta(days=1),
            published_at=published_at,
        )
        db.session.add(comment)
        comments.append(comment)
    db.session.flush()
    detect_campaigns(None, round_.id)
    summariser = users["summariser@example.org"]
    coordinator = users["coordinator@example.org"]
    nhri = next(o for o in organisation_by_name.values() if o.type is OrganisationType.nhri)
    text = demo_data.OUTCOME_SUMMARY
    summary = summaries.create_summary(summariser, round_, text["title"], "en", nhri.id)
    summaries.update_summary(summariser, summary, text["title"], text["introduction"])
    db.session.flush()
    points = []
    for point in text["points"]:
        section = summaries.add_section(
            summariser,
            summary,
            TargetType.recommendation,
            recommendations[point["recommendation"]].id,
            point["heading"],
            point["body"],
        )
        db.session.flush()
        for quoted in point["quotes"]:
            summaries.cite(summariser, section, db.session.get(Comment, comments[quoted].id), None)
        points.append((section, point))
    summaries.publish_summary(summariser, summary, None)
    for section, point in points:
        summaries.respond(
            coordinator,
            round_,
            ResponseOutcome(point["outcome"]),
            point["explanation"],
            "en",
            point["entity"],
            section=section,
        )


def load_demo() -> bool:
    """Create the demo content unless it is there already; True if it was created now."""
    if db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][0])) is not None:
        return False
    created = [
        organisations.create_organisation(
            None, o["name"], OrganisationType(o["type"]), o["acronym"], o["website"], verified=True
        )
        for o in demo_data.ORGANISATIONS
    ]
    db.session.flush()
    users = {}
    for email, name, roles, kind, language in DEMO_ACCOUNTS:
        user = accounts.create_user(email, name, DEMO_PASSWORD, roles, language)
        user.totp_secret = DEMO_TOTP_SECRETS.get(email)
        if kind:
            membership = organisations.request_membership(user, _organisation_for(kind, created))
            organisations.confirm_membership(None, membership)
        users[email] = user
    db.session.flush()
    clusters, recommendations = _load_plan()
    db.session.flush()
    _load_rounds(clusters, {o.name: o for o in created}, users["summariser@example.org"])
    _load_outcome(recommendations, {o.name: o for o in created}, users)
    return True


def describe_accounts() -> str:
    """How to sign in to the demo, for the console."""
    lines = ["", f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for email, name, roles, _kind, _language in DEMO_ACCOUNTS:
        role = ", ".join(r.value for r in roles) or ("summariser" if "summariser" in email else "contributor")
        lines.append(f"  {email:<28} {name:<16} {role}")
        if email in DEMO_TOTP_SECRETS:
            secret = DEMO_TOTP_SECRETS[email]
            lines.append(
                f"      second factor key {secret}; code now: {pyotp.TOTP(secret).now()}"
                f" (or: .venv/bin/flask --app wsgi consult demo-code {email})"
            )
    return "\n".join(lines)


def demo_code(email: str) -> str | None:
    """The current second-factor code of a demo staff account (their keys are public anyway)."""
    secret = DEMO_TOTP_SECRETS.get(email)
    return pyotp.TOTP(secret).now() if secret else None


def clear_everything() -> None:
    """Empty every table (development only)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
