"""Load the demo deployment: a fictional State's plan, one round at each stage, an account per role.

The content lives in consult/demo_files/ and goes in through the product's own doors: the
recommendations through the template importer (recommendations.csv, as a coordinator would upload it),
the rest through the services of the plan, rounds, moderation and summaries (plan.toml, rounds.toml,
outcome.toml), so that loading the demo also proves them.
"""

import tomllib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyotp
from sqlalchemy import select

from consult.accounts import services as accounts
from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Assessment, Comment, CommentState, Publication, TargetType
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.services import detect_campaigns
from consult.organisations import services as organisations
from consult.organisations.models import Organisation, OrganisationType, confirmed_organisations
from consult.plan import services as plan
from consult.plan.importers import reader_for
from consult.plan.importing import ImportReport, read_and_import
from consult.plan.models import (
    Action,
    ActionStatus,
    Cluster,
    ImplementationStatus,
    IndicatorKind,
    PlanVersion,
    Recommendation,
)
from consult.rounds import services as rounds
from consult.rounds.models import Eligibility, ModerationMode, Round, RoundState, Stage
from consult.summaries import services as summaries
from consult.summaries.models import ResponseOutcome

#: The demo's content: the recommendations in the import template, the rest in small TOML files.
DEMO_FILES = Path(__file__).with_name("demo_files")
RECOMMENDATIONS_FILE = DEMO_FILES / "recommendations.csv"
#: What the template importer makes of a row's id: the demo's recommendations are known by it.
SOURCE_KEY = "template:{}"

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

#: The way a round goes from draft to published, and the audit action of each step (as the services
#: and the clock write them): the demo walks its rounds along it to the state rounds.toml gives.
ROUND_STEPS = (
    (RoundState.scheduled, "round.schedule"),
    (RoundState.open, "round.open"),
    (RoundState.closed, "round.close"),
    (RoundState.summarising, "round.start_summarising"),
    (RoundState.published, "round.publish"),
)


class DemoDataError(Exception):
    """The demo's files do not load: a bug in them, or in the importer or service they go through."""


def read_demo_file(name: str) -> dict[str, Any]:
    """One of the demo's TOML files."""
    with (DEMO_FILES / name).open("rb") as file:
        return tomllib.load(file)


def import_recommendations(dry_run: bool = False) -> ImportReport:
    """Import recommendations.csv through the template importer, as an upload or `consult import` does."""
    report = read_and_import(reader_for("template"), [RECOMMENDATIONS_FILE], dry_run=dry_run)
    if report.refused:
        raise DemoDataError("; ".join(str(problem) for problem in report.problems))
    return report


def _organisation_for(kind: str, created: list[Organisation]) -> Organisation | None:
    """The demo organisation that stands for an account's kind of affiliation."""
    wanted = {"NMRF": OrganisationType.government, "NHRI": OrganisationType.nhri, "NGO": OrganisationType.ngo}
    return next((o for o in created if o.type is wanted[kind]), None)


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _recommendations_by_key() -> dict[str, Recommendation]:
    """The imported demo recommendations by their id in recommendations.csv."""
    prefix = SOURCE_KEY.format("")
    found = db.session.scalars(select(Recommendation).where(Recommendation.source_key.startswith(prefix)))
    return {r.source_key.removeprefix(prefix): r for r in found}


def _load_plan(data: dict[str, Any]) -> tuple[dict[str, Cluster], dict[str, Recommendation]]:
    """Clusters, recommendations (imported), their statuses, actions and indicators."""
    clusters = {
        item["code"]: plan.save_cluster(
            None,
            None,
            code=item["code"],
            title=item["title"],
            description=item.get("description"),
            position=position,
        )
        for position, item in enumerate(data["clusters"])
    }
    db.session.flush()
    import_recommendations()
    recommendations = _recommendations_by_key()
    # The template has no column for the implementation status: plan.toml gives it.
    for key, status in data["statuses"].items():
        plan.set_status(None, recommendations[key], ImplementationStatus(status))
    actions = {item["code"]: _save_action(item, clusters, recommendations) for item in data["actions"]}
    db.session.flush()
    for item in data["indicators"]:
        _save_indicator(item, actions)
    return clusters, recommendations


def _save_action(item: dict, clusters: dict[str, Cluster], recommendations: dict) -> Action:
    return plan.save_action(
        None,
        None,
        [recommendations[key].id for key in item["recommendations"]],
        code=item["code"],
        cluster=clusters[item["cluster"]],
        title=item["title"],
        description=item.get("description"),
        responsible_entity=item.get("responsible_entity"),
        partners=item.get("partners"),
        start_on=item.get("start_on"),
        due_on=item.get("due_on"),
        status=ActionStatus(item["status"]),
    )


def _save_indicator(item: dict, actions: dict[str, Action]) -> None:
    indicator = plan.save_indicator(
        None,
        None,
        action_id=actions[item["action"]].id,
        kind=IndicatorKind(item["kind"]),
        title=item["title"],
        unit=item.get("unit"),
        baseline=_decimal(item.get("baseline")),
        baseline_year=item.get("baseline_year"),
        target=_decimal(item.get("target")),
        target_year=item.get("target_year"),
        source=item.get("source"),
        disaggregation=item.get("disaggregation"),
    )
    for value in item["values"]:
        plan.report_indicator_value(
            None, indicator, value["period"], Decimal(value["value"]), value.get("breakdown", "")
        )


def _walk_to(round_: Round, state: RoundState) -> None:
    """Move a new (draft) round along its lifecycle to the state the demo shows it in."""
    for step, action in ROUND_STEPS:
        if round_.state is state:
            return
        rounds.ROUND_LIFECYCLE.apply(round_, step, None, action)
    if round_.state is not state:
        raise DemoDataError(f"round {round_.slug}: no way to {state.value}")


def _load_rounds(
    data: dict[str, Any],
    clusters: dict[str, Cluster],
    version: PlanVersion,
    organisation_by_name: dict[str, Organisation],
    summariser: User,
) -> None:
    """The rounds of rounds.toml, their questions, invitations and summariser, each in its state."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    nhri = next(o for o in organisation_by_name.values() if o.type is OrganisationType.nhri)
    for item in data["rounds"]:
        round_ = rounds.save_round(
            None,
            None,
            {"clusters": [clusters[code].id for code in item["clusters"]]},
            slug=item["slug"],
            stage=Stage(item["stage"]),
            cycle=item["cycle"],
            title=item["title"],
            description=item.get("description"),
            plan_version=version,
            eligibility=Eligibility(item["eligibility"]),
            moderation_mode=ModerationMode(item["moderation_mode"]),
            summariser_organisation_id=nhri.id,
            opens_at=now + timedelta(days=item["opens_in_days"]),
            closes_at=now + timedelta(days=item["closes_in_days"]),
            timezone=item["timezone"],
        )
        for text in item.get("questions", []):
            rounds.add_question(None, round_, text)
        db.session.flush()
        rounds.name_summariser(None, round_, summariser.email)
        invited = [organisation_by_name[name].id for name in item.get("invited", [])]
        rounds.set_invitations(None, round_, invited)
        _walk_to(round_, RoundState(item["state"]))


def _outcome_authors(data: dict[str, Any], organisation_by_name: dict, users: dict) -> dict[str, User]:
    """The demo accounts and the people of outcome.toml who wrote the past round's input. These people
    only write: they have no password, so no service makes their accounts and the demo adds them."""
    authors = {"contributor": users["contributor@example.org"], "individual": users["individual@example.org"]}
    for key, person in data["people"].items():
        user = User(display_name=person["name"], email=f"{key}@example.org", email_verified_at=utcnow())
        db.session.add(user)
        db.session.flush()
        membership = organisations.request_membership(user, organisation_by_name[person["organisation"]])
        organisations.confirm_membership(None, membership)
        authors[key] = user
    return authors


def _outcome_comments(
    data: dict[str, Any], round_: Round, recommendations: dict, authors: dict[str, User]
) -> dict[str, Comment]:
    """The past round's input, already published. No service takes input for a round long closed, nor
    publishes it on its old date, so the demo writes the comments as the moderators left them."""
    published_at = round_.closes_at - timedelta(days=3)
    comments = {}
    for index, item in enumerate(data["comments"]):
        person = authors[item["author"]]
        organisation = next(iter(confirmed_organisations(person)), None)
        key = item.get("recommendation")
        comment = Comment(
            round_id=round_.id,
            author_id=person.id,
            organisation_id=organisation.id if organisation and item["publication"] != "anonymous" else None,
            target_type=TargetType.recommendation if key else TargetType.round,
            recommendation_id=recommendations[key].id if key else None,
            body=item["text"],
            language=item["language"],
            assessment=Assessment(item["assessment"]) if item.get("assessment") else None,
            publication=Publication(item["publication"]),
            state=CommentState.published,
            receipt_number=item["receipt"],
            idempotency_key=f"demo-outcome-{index}",
            submitted_at=published_at - timedelta(days=1),
            published_at=published_at,
        )
        db.session.add(comment)
        comments[item["receipt"]] = comment
    db.session.flush()
    return comments


def _load_outcome(
    data: dict[str, Any], recommendations: dict[str, Recommendation], organisation_by_name: dict, users: dict
) -> None:
    """The past round's input, moderated, summarised by the NHRI and answered by the mechanism: what
    "What we heard, what we did" looks like once a round is over."""
    round_ = db.session.scalar(select(Round).where(Round.slug == data["round"]))
    authors = _outcome_authors(data, organisation_by_name, users)
    comments = _outcome_comments(data, round_, recommendations, authors)
    detect_campaigns(None, round_.id)
    summariser = users["summariser@example.org"]
    coordinator = users["coordinator@example.org"]
    nhri = next(o for o in organisation_by_name.values() if o.type is OrganisationType.nhri)
    text = data["summary"]
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
        for receipt in point["quotes"]:
            summaries.cite(summariser, section, db.session.get(Comment, comments[receipt].id), None)
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


def _load_people(data: dict[str, Any]) -> tuple[list[Organisation], dict[str, User]]:
    """The organisations of plan.toml and the demo accounts, members of theirs."""
    created = [
        organisations.create_organisation(
            None, o["name"], OrganisationType(o["type"]), o.get("acronym"), o.get("website"), verified=True
        )
        for o in data["organisations"]
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
    return created, users


def load_demo() -> bool:
    """Create the demo content unless it is there already; True if it was created now."""
    if db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][0])) is not None:
        return False
    plan_data, round_data, outcome_data = (read_demo_file(f"{n}.toml") for n in ("plan", "rounds", "outcome"))
    try:
        created, users = _load_people(plan_data)
        by_name = {o.name: o for o in created}
        clusters, recommendations = _load_plan(plan_data)
        db.session.flush()
        version = plan.freeze_version(None, plan_data["plan_version"]["label"])
        _load_rounds(round_data, clusters, version, by_name, users["summariser@example.org"])
        _load_outcome(outcome_data, recommendations, by_name, users)
    except (DomainError, KeyError) as error:
        raise DemoDataError(f"the demo files do not load: {error!r}") from error
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
