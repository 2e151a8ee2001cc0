"""The route × role table (every route, what each role gets from it) and the world its routes are tried on;
shared by the route walk (test_route_roles), the privacy walk and the security baseline."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app

from consult.accounts.models import StaffRoleName, User
from consult.accounts.tokens import fingerprint, make_token
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.comments.services import attach
from consult.database import utcnow
from consult.extensions import db
from consult.moderation.models import Appeal
from consult.organisations.models import MembershipState
from consult.plan import services as plan
from consult.plan.models import IndicatorKind, TagVocabulary
from consult.rounds import services as rounds_services
from consult.rounds.models import RoundState
from consult.summaries.models import (
    Citation,
    Response,
    ResponseOutcome,
    Summary,
    SummarySection,
    SummaryState,
    SummaryVersion,
)
from consult.uploads import attachments
from tests.factories import (
    ActionFactory,
    ApiTokenFactory,
    ClusterFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    RecommendationFactory,
    RoundFactory,
    UserFactory,
)
from tests.files import png_with_gps
from tests.helpers import make_user, sign_in

ROLES = ("anonymous", "contributor", "moderator", "coordinator")


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, anonymous="login"):
    return {"anonymous": anonymous, "contributor": outcome, "moderator": outcome, "coordinator": outcome}


def coordinators_only(outcome=200):
    return {"anonymous": "login", "contributor": 403, "moderator": 403, "coordinator": outcome}


def moderators_only(outcome=200):
    return {"anonymous": "login", "contributor": 403, "moderator": outcome, "coordinator": outcome}


#: (endpoint, method) → outcome per role. A new route must be added here, or test_route_roles fails.
EXPECTED = {
    ("main.index", "GET"): everyone(200),
    ("main.set_language", "POST"): everyone("allowed"),
    ("main.switch_language", "GET"): everyone("away"),
    ("accounts.register", "GET"): signed_in("away", anonymous=200),
    ("accounts.register", "POST"): everyone("allowed"),
    ("accounts.check_inbox", "GET"): everyone(200),
    ("accounts.verify_email", "GET"): everyone(200),
    ("accounts.verify_email", "POST"): everyone("allowed"),
    ("accounts.resend_verification", "GET"): everyone(200),
    ("accounts.resend_verification", "POST"): everyone("allowed"),
    ("accounts.sign_in", "GET"): signed_in("away", anonymous=200),
    ("accounts.sign_in", "POST"): everyone("allowed"),
    ("accounts.second_factor", "GET"): everyone("away"),
    ("accounts.second_factor", "POST"): everyone("allowed"),
    ("accounts.enrol_second_factor", "GET"): {
        "anonymous": "away",
        "contributor": 200,
        "moderator": "away",
        "coordinator": "away",
    },
    ("accounts.enrol_second_factor", "POST"): everyone("allowed"),
    ("accounts.sign_out", "POST"): everyone("allowed"),
    ("accounts.sign_out_everywhere", "GET"): signed_in(200),
    ("accounts.sign_out_everywhere", "POST"): signed_in("allowed"),
    # Tried with a token made for another purpose: every role is sent back to the sign-in page.
    ("accounts.resume_sign_in", "GET"): everyone("away"),
    ("accounts.resume_sign_in", "POST"): everyone("allowed"),
    ("accounts.request_reset", "GET"): everyone(200),
    ("accounts.request_reset", "POST"): everyone("allowed"),
    ("accounts.reset_password", "GET"): everyone(200),
    ("accounts.reset_password", "POST"): everyone("allowed"),
    ("accounts.change_password", "GET"): signed_in(200),
    ("accounts.change_password", "POST"): signed_in("allowed"),
    ("accounts.settings", "GET"): signed_in(200),
    ("accounts.settings", "POST"): signed_in("allowed"),
    ("accounts.two_factor", "GET"): signed_in(200),
    ("accounts.new_recovery_codes", "POST"): signed_in("allowed"),
    ("accounts.disable_second_factor", "POST"): signed_in("allowed"),
    ("accounts.list_users", "GET"): coordinators_only(),
    ("accounts.show_user", "GET"): coordinators_only(),
    ("accounts.change_role", "POST"): coordinators_only("allowed"),
    ("accounts.change_active", "POST"): coordinators_only("allowed"),
    ("organisations.list_organisations", "GET"): coordinators_only(),
    ("organisations.my_organisations", "GET"): signed_in(200),
    ("organisations.join", "POST"): signed_in("allowed"),
    ("organisations.propose", "POST"): signed_in("allowed"),
    ("organisations.show_organisation", "GET"): everyone(200),
    ("organisations.decide_organisation", "POST"): coordinators_only("allowed"),
    ("organisations.decide_membership", "POST"): coordinators_only("allowed"),
    ("audit.list_audit_events", "GET"): coordinators_only(),
    ("plan.show_plan", "GET"): everyone(200),
    ("plan.export_plan", "GET"): everyone(200),
    ("plan.list_recommendations", "GET"): everyone(200),
    ("plan.export_recommendations", "GET"): everyone(200),
    ("summaries.show_recommendation", "GET"): everyone(200),
    ("plan.show_cluster", "GET"): everyone(200),
    ("plan.show_action", "GET"): everyone(200),
    ("plan.list_versions", "GET"): everyone(200),
    ("plan.show_version", "GET"): everyone(200),
    ("plan.freeze_version", "POST"): coordinators_only("allowed"),
    ("plan.import_recommendations", "GET"): coordinators_only(),
    ("plan.import_recommendations", "POST"): coordinators_only("allowed"),
    ("plan.edit_cluster", "GET"): coordinators_only(),
    ("plan.edit_cluster", "POST"): coordinators_only("allowed"),
    ("plan.edit_action", "GET"): coordinators_only(),
    ("plan.edit_action", "POST"): coordinators_only("allowed"),
    ("plan.edit_indicator", "GET"): coordinators_only(),
    ("plan.edit_indicator", "POST"): coordinators_only("allowed"),
    ("plan.report_value", "POST"): coordinators_only("allowed"),
    ("plan.edit_recommendation", "GET"): coordinators_only(),
    ("plan.edit_recommendation", "POST"): coordinators_only("allowed"),
    ("plan.add_tag", "POST"): coordinators_only("allowed"),
    ("plan.edit_texts", "POST"): coordinators_only("allowed"),
    ("plan.remove_tag", "POST"): coordinators_only("allowed"),
    ("rounds.list_rounds", "GET"): everyone(200),
    ("comments.show_round", "GET"): everyone(200),
    ("rounds.show_document", "GET"): everyone(200),
    ("rounds.edit_round", "GET"): coordinators_only(),
    ("rounds.edit_round", "POST"): coordinators_only("allowed"),
    ("rounds.change_state", "POST"): coordinators_only("allowed"),
    ("rounds.manage_round", "GET"): coordinators_only(),
    ("rounds.extend_round", "POST"): coordinators_only("allowed"),
    ("rounds.save_question", "POST"): coordinators_only("allowed"),
    ("rounds.edit_question", "GET"): coordinators_only(),
    ("rounds.move_question", "POST"): coordinators_only("allowed"),
    ("rounds.check_round", "GET"): coordinators_only(),
    ("rounds.check_round", "POST"): coordinators_only("allowed"),
    ("rounds.cancel_round", "GET"): coordinators_only(),
    ("rounds.cancel_round", "POST"): coordinators_only("allowed"),
    ("rounds.replace_document", "GET"): coordinators_only(),
    ("rounds.replace_document", "POST"): coordinators_only("allowed"),
    ("rounds.show_changes", "GET"): everyone(200),
    ("rounds.add_document", "POST"): coordinators_only("allowed"),
    ("comments.feed", "GET"): everyone(200),
    ("reports.report_pdf", "GET"): everyone(200),
    ("reports.report_docx", "GET"): everyone(200),
    ("reports.export_comments", "GET"): everyone(200),
    ("reports.export_figures", "GET"): everyone(200),
    ("comments.write_comment", "GET"): signed_in(200),
    ("comments.write_comment", "POST"): signed_in("allowed", anonymous=401),
    ("moderation.show_receipt", "GET"): {
        "anonymous": "login",
        "contributor": 403,
        "moderator": 200,
        "coordinator": 200,
    },
    ("comments.edit_comment", "GET"): {
        "anonymous": "login",
        "contributor": 403,
        "moderator": 403,
        "coordinator": 403,
    },
    ("comments.edit_comment", "POST"): {
        "anonymous": "login",
        "contributor": 403,
        "moderator": 403,
        "coordinator": 403,
    },
    ("comments.confirm_withdrawal", "GET"): {
        "anonymous": "login",
        "contributor": 403,
        "moderator": 403,
        "coordinator": 403,
    },
    ("comments.withdraw_comment", "POST"): {
        "anonymous": "login",
        "contributor": 403,
        "moderator": 403,
        "coordinator": 403,
    },
    ("comments.my_comments", "GET"): signed_in(200),
    ("moderation.show_queue", "GET"): moderators_only(),
    ("moderation.show_comment", "GET"): moderators_only(),
    ("moderation.decide", "POST"): moderators_only("allowed"),
    ("moderation.decide_many", "POST"): moderators_only("allowed"),
    ("moderation.undo_decision", "POST"): moderators_only("allowed"),
    ("moderation.redact", "POST"): moderators_only("allowed"),
    ("moderation.withhold", "POST"): moderators_only("allowed"),
    ("moderation.decide_appeal", "POST"): moderators_only("allowed"),
    ("moderation.show_campaigns", "GET"): moderators_only(),
    ("moderation.export_decisions", "GET"): coordinators_only(),
    ("moderation.show_round_figures", "GET"): everyone(200),
    ("moderation.detect_campaigns", "POST"): moderators_only("allowed"),
    ("moderation.flag_comment", "GET"): everyone(404),  # the world's comment is not published
    ("moderation.flag_comment", "POST"): everyone(404),
    ("moderation.appeal_decision", "POST"): {
        "anonymous": "login",
        "contributor": 403,
        "moderator": 403,
        "coordinator": 403,
    },
    ("comments.download", "GET"): {
        "anonymous": "login",
        "contributor": 403,
        "moderator": 200,
        "coordinator": 200,
    },
    ("rounds.name_summariser", "POST"): coordinators_only("allowed"),
    ("rounds.remove_summariser", "POST"): coordinators_only("allowed"),
    ("summaries.list_summaries", "GET"): everyone(200),
    ("summaries.list_summaries", "POST"): coordinators_only("allowed"),
    ("summaries.edit_summary", "GET"): coordinators_only(),
    ("summaries.edit_summary", "POST"): coordinators_only("allowed"),
    ("summaries.read_input", "GET"): coordinators_only(),
    ("summaries.tag_comments", "POST"): coordinators_only("allowed"),
    ("summaries.my_summaries", "GET"): coordinators_only(),
    ("summaries.preview_summary", "GET"): coordinators_only(),
    ("summaries.show_summary", "GET"): everyone(200),
    ("summaries.show_outcome", "GET"): everyone(200),
    ("summaries.chart", "GET"): everyone(200),
    ("summaries.respond", "GET"): coordinators_only(),
    ("summaries.respond", "POST"): coordinators_only("allowed"),
    ("summaries.follow_up", "GET"): moderators_only(),
    ("api.openapi", "GET"): everyone(200),
    ("api.list_rounds", "GET"): everyone(200),
    ("api.show_round", "GET"): everyone(200),
    ("api.list_recommendations", "GET"): everyone(200),
    ("api.show_recommendation", "GET"): everyone(200),
    ("api.show_plan", "GET"): everyone(200),
    ("api.list_round_comments", "GET"): everyone(200),
    ("api.list_recommendation_comments", "GET"): everyone(200),
    ("api.list_summaries", "GET"): everyone(200),
    ("api.show_summary_version", "GET"): everyone(200),
    ("api.list_responses", "GET"): everyone(200),
    **{("api.unknown", method): everyone(404) for method in ("GET", "POST", "PUT", "PATCH", "DELETE")},
    ("api_tokens.list_tokens", "GET"): coordinators_only(),
    ("api_tokens.list_tokens", "POST"): coordinators_only("allowed"),
    ("api_tokens.revoke_token", "POST"): coordinators_only("allowed"),
    ("privacy.show_privacy", "GET"): signed_in(200),
    ("privacy.download_data", "GET"): signed_in(200),
    ("privacy.erase_account", "GET"): signed_in(200),
    ("privacy.erase_account", "POST"): signed_in("allowed"),  # without the password: the form's errors
    ("privacy.erase_user", "GET"): coordinators_only(),
    ("privacy.erase_user", "POST"): coordinators_only("allowed"),  # without a reference: the form's errors
    ("privacy.check_receipt", "GET"): everyone(200),
}


#: The same routes on objects that are not everyone's: an organisation awaiting verification, a draft round
#: (whose address answers 404 to those who may not see it).
EXPECTED_PRIVATE = {
    ("organisations.show_organisation", "GET"): {
        "anonymous": 404,
        "contributor": 404,
        "moderator": 404,
        "coordinator": 200,
    },
    ("comments.show_round", "GET"): {
        "anonymous": 404,
        "contributor": 404,
        "moderator": 404,
        "coordinator": 200,
    },
    ("rounds.show_document", "GET"): {
        "anonymous": 404,
        "contributor": 404,
        "moderator": 404,
        "coordinator": 200,
    },
    ("rounds.show_changes", "GET"): {
        "anonymous": 404,
        "contributor": 404,
        "moderator": 404,
        "coordinator": 200,
    },
    ("comments.feed", "GET"): {"anonymous": 404, "contributor": 404, "moderator": 404, "coordinator": 200},
    ("moderation.show_round_figures", "GET"): {
        "anonymous": 404,
        "contributor": 404,
        "moderator": 404,
        "coordinator": 200,
    },
    ("comments.write_comment", "GET"): everyone(404),  # nobody writes to a draft round
    ("summaries.list_summaries", "GET"): {
        "anonymous": 404,
        "contributor": 404,
        "moderator": 404,
        "coordinator": 200,
    },
    ("summaries.show_outcome", "GET"): {
        "anonymous": 404,
        "contributor": 404,
        "moderator": 404,
        "coordinator": 200,
    },
    ("summaries.chart", "GET"): {"anonymous": 404, "contributor": 404, "moderator": 404, "coordinator": 200},
    **{
        (endpoint, "GET"): {"anonymous": 404, "contributor": 404, "moderator": 404, "coordinator": 200}
        for endpoint in (
            "reports.report_pdf",
            "reports.report_docx",
            "reports.export_comments",
            "reports.export_figures",
        )
    },
}


@dataclass
class World:
    """The objects the routes are tried on."""

    other_user_id: int
    organisation_id: int
    pending_organisation_id: int
    member_id: int
    verify_token: str
    reset_token: str
    plan: dict
    #: A link of a paused account's owner (tests/security's world pauses one); else the verify token is tried.
    resume_token: str = ""


def route_world(app) -> World:
    """Two people (one unconfirmed, one a member), a verified and a pending organisation, and the plan's,
    rounds' and summaries' objects every route is tried on."""
    other = make_user(app, verified=False, email="other@example.org")
    member = make_user(app, email="member@example.org")
    with app.app_context():
        verified = OrganisationFactory(name="Verified NGO")
        pending = OrganisationFactory(name="Pending NGO", verified=False)
        MembershipFactory(
            user=db.session.get(User, member.id), organisation=verified, state=MembershipState.pending
        )
        db.session.commit()
        other_user = db.session.get(User, other.id)
        objects = _plan_objects()
        db.session.commit()
        return World(
            other_user_id=other.id,
            organisation_id=verified.id,
            pending_organisation_id=pending.id,
            member_id=member.id,
            verify_token=make_token("verify", {"uid": other.id, "email": other_user.email}),
            reset_token=make_token("reset", {"uid": other.id, "pw": fingerprint(other_user.password_hash)}),
            plan=objects,
        )


def _appeal(comment_id: int) -> int:
    """An appeal waiting for a decision, so that its route can be tried."""
    item = Appeal(comment_id=comment_id, statement="Please look again.")
    db.session.add(item)
    db.session.flush()
    return item.id


def _plan_objects() -> dict:
    """A cluster, a recommendation with a tag, an action with an indicator, and a frozen plan version."""
    cluster = ClusterFactory(code="C1", title={"en": "Justice"}, position=0)
    recommendation = RecommendationFactory(
        source_key="test:1",
        cluster=cluster,
        symbol=None,
        paragraph=None,
        cycle=None,
        position=None,
        text="Ratify OP-CAT.",
        is_original=True,
        tags=[(TagVocabulary.theme, "Torture")],
    )
    action = ActionFactory(
        cluster=cluster,
        recommendations=[recommendation],
        code="A1",
        title={"en": "Ratify"},
        responsible_entity="Ministry of Justice",
    )
    indicator = IndicatorFactory(action=action, kind=IndicatorKind.structural, title={"en": "Ratified"})
    version = plan.freeze_version(None, "First")
    db.session.flush()
    tag_id = recommendation.tags[0].tag_id
    rounds, round_ids = {}, []
    for slug, state in (("public-round", RoundState.scheduled), ("draft-round", RoundState.draft)):
        now = utcnow()
        round_ = RoundFactory(
            slug=slug,
            title={"en": slug},
            state=state,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=9),
            clusters=[cluster],
        )
        document = rounds_services.add_document(None, round_, {"en": "Draft"}, "en", ["One.", "Two."])
        db.session.flush()
        rounds[slug] = (slug, document.id)
        round_ids.append(round_.id)
    author = UserFactory(display_name="An author", email="author@example.org", email_verified_at=now)
    # Submitted in a round that is still a draft, which the product never allows: written as a row, so that
    # the routes of a comment can be tried where nobody may see it.
    comment = Comment(
        round_id=round_.id,
        author_id=author.id,
        idempotency_key="k" * 32,
        target_type=TargetType.round,
        body="A comment.",
        language="en",
        publication=Publication.named,
        receipt_number="R-1",
        state=CommentState.submitted,
    )
    db.session.add(comment)
    db.session.flush()
    attach(
        author,
        comment,
        [attachments.store(png_with_gps(), "photo.jpg", Path(current_app.config["UPLOAD_FOLDER"]))],
    )
    db.session.flush()
    return {
        **_summary_objects(round_ids[0], comment.id),
        "comment_public_id": comment.public_id,
        "appeal_id": _appeal(comment.id),
        "attachment_public_id": comment.attachments[0].public_id,
        "rounds": rounds,
        "round_id": round_ids[0],
        "cluster_id": cluster.id,
        "recommendation_id": recommendation.id,
        "action_id": action.id,
        "indicator_id": indicator.id,
        "version_id": version.id,
        "tag_id": tag_id,
        "fmt": "csv",
        "token_id": ApiTokenFactory().id,
    }


def _summary_objects(round_id: int, comment_id: int) -> dict:
    """A published summary of the public round with one point, answered (so that it cannot be removed), and
    one quotation."""
    summary = Summary(round_id=round_id, title="What we heard", language="en", state=SummaryState.published)
    section = SummarySection(target_type=TargetType.round, heading="Overall", body="Much was said.")
    section.citations.append(Citation(comment_id=comment_id, quote="A comment."))
    summary.sections.append(section)
    summary.versions.append(SummaryVersion(number=1, content={"title": "What we heard", "sections": []}))
    db.session.add(summary)
    db.session.flush()
    db.session.add(
        Response(
            round_id=round_id,
            section_id=section.id,
            outcome=ResponseOutcome.under_consideration,
            explanation={"en": "We are looking at it."},
        )
    )
    db.session.flush()
    return {
        "summary_id": summary.id,
        "section_id": section.id,
        "citation_id": section.citations[0].id,
        "number": 1,
        "name": "stakeholders",
    }


def _argument_sets(rule, world: World, private: bool) -> list[dict]:
    """The URL arguments to try a rule with: one set, or one per verb of an <any(…):verb> rule."""
    values = {
        "user_id": world.member_id if "members" in rule.rule else world.other_user_id,
        "organisation_id": world.pending_organisation_id if private else world.organisation_id,
        "token": world.reset_token
        if "reset" in rule.rule
        else world.resume_token or world.verify_token
        if "resume" in rule.rule
        else world.verify_token,
    }
    values.update(world.plan)
    values["slug"], values["document_id"] = world.plan["rounds"]["draft-round" if private else "public-round"]
    arguments = {name: values[name] for name in rule.arguments if name in values}
    if "verb" not in rule.arguments:
        return [arguments]
    return [{**arguments, "verb": verb} for verb in sorted(rule._converters["verb"].items)]


def _outcome(response, method: str):
    if response.status_code == 302 and "/accounts/sign-in?next=" in response.location:
        return "login"
    if response.status_code in (401, 403, 404):
        return response.status_code
    if method == "POST" and response.status_code not in (403, 500):
        return "allowed"
    return "away" if response.status_code == 302 else response.status_code


def _client_for(app, role: str):
    client = app.test_client()
    if role != "anonymous":
        roles = {
            "contributor": (),
            "moderator": (StaffRoleName.moderator,),
            "coordinator": (StaffRoleName.coordinator,),
        }[role]
        sign_in(client, app, make_user(app, roles))
    return client


def _routes(app):
    """Every (rule, method), the GETs first and the round's lifecycle last: a POST may change (or cancel)
    the objects later routes are tried on."""
    pairs = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    return sorted(pairs, key=lambda pair: (pair[1] != "GET", pair[0].endpoint == "rounds.change_state"))
