"""Access control object by object: every route whose address names something that belongs to someone (a
comment, a file, an appeal, an organisation, an account, a token, a summary, a round's summarising) is tried
on objects of user A by other people: another user of A's role first, and the other roles.

tests/test_route_roles.py asks whether a role may use a route at all; this module asks whether a person may
use it on someone else's object. The objects are built once per module through the services; the people
sign in through the real forms. A route whose arguments name an owned object and that the table below
lacks makes the test fail, as does an argument that is neither owned nor public.

Outcomes, as in tests/test_route_roles.py: 200, "login", 403, 404, "allowed" (a POST past the permission
check), and "hidden": the page is public (200) but shows none of the object's secrets.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from PIL import Image

from consult.accounts.models import StaffRoleName, User
from consult.api import services as api_services
from consult.comments.models import Comment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.organisations.models import MembershipState, Organisation
from consult.plan.models import Cluster
from consult.rounds import services as rounds
from consult.rounds.models import Round
from consult.summaries.models import Citation, Summary, SummarySection
from tests.factories import (
    CommentFactory,
    MembershipFactory,
    ModerationDecisionFactory,
    OrganisationFactory,
    RoundFactory,
    approved,
    made_final,
    now,
)
from tests.helpers import Account, make_user, sign_in
from tests.reports.readable import readable
from tests.routes import _outcome, _plan_objects
from tests.security.support import _dump, form_token

# --- The world: two of every kind of person, and what belongs to the first of each ------------------------

PEOPLE = (
    "contributor_a",
    "contributor_b",
    "summariser_a",
    "summariser_b",
    "moderator_a",
    "moderator_b",
    "coordinator_a",
    "coordinator_b",
)

#: URL arguments that name something belonging to someone: the objects below are built for them.
OWNED_ARGUMENTS = frozenset(
    {
        "comment_public_id",
        "attachment_public_id",
        "appeal_id",
        "organisation_id",
        "user_id",
        "token_id",
        "summary_id",
        "number",
        "section_id",
        "citation_id",
        "slug",
        "round_id",
        "document_id",
    }
)
#: URL arguments that name what is everyone's (the plan, a format, a verb) or that are a capability rather
#: than an object: an e-mailed verification or reset link works for whoever holds it, by design.
PUBLIC_ARGUMENTS = frozenset(
    {
        "recommendation_id",
        "cluster_id",
        "action_id",
        "indicator_id",
        "version_id",
        "tag_id",
        "fmt",
        "verb",
        "name",
        "path",
        "filename",
        "token",
    }
)


@dataclass(frozen=True)
class Owned:
    """Something of user A's: its URL arguments, who tries it, and what only those allowed may read."""

    arguments: dict
    requesters: tuple[str, ...]
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class PeerWorld:
    """The people, their objects by label, and the values of the public arguments."""

    accounts: dict[str, Account]
    owned: dict[str, Owned]
    public: dict
    token_secret: str


#: Who tries a contributor's comments and files: the other contributor, the other summariser (a contributor
#: with a per-round role), staff, and someone not signed in.
OTHERS = ("anonymous", "contributor_b", "summariser_b", "moderator_b", "coordinator_b")


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _open_round(slug: str, cluster: Cluster, summariser: Account) -> Round:
    round_ = RoundFactory(
        slug=slug,
        title={"en": f"Round {slug}"},
        closes_at=now() + timedelta(days=9),
        clusters=[cluster],
        summarisers=[db.session.get(User, summariser.id)],
    )
    rounds.add_document(None, round_, {"en": f"Document of {slug}"}, "en", ["One.", "Two."])
    db.session.flush()
    return round_


def _draft_summary(round_: Round, author: Account, secret: str, comment: Comment) -> dict:
    """A draft summary of the round, with a point quoting a published comment. The round is still open, and
    the product starts summaries of closed rounds only: written as rows."""
    summary = Summary(round_id=round_.id, title=f"Summary {secret}", language="en", created_by_id=author.id)
    section = SummarySection(target_type=TargetType.round, heading=f"Point {secret}", body=f"Body {secret}")
    section.citations.append(Citation(comment_id=comment.id, quote=comment.body))
    summary.sections.append(section)
    db.session.add(summary)
    db.session.flush()
    return {
        "summary": summary.id,
        "section": section.id,
        "citation": section.citations[0].id,
        "secrets": (summary.title, section.heading, section.body),
    }


def _comments_of(author: User, round_: Round, organisation_id: int) -> dict[str, Comment]:
    """A's draft, pending, confidential (published), rejected and public comments; four carry a file."""
    organisation = db.session.get(Organisation, organisation_id)

    def comment(label: str, body: str, **values) -> Comment:
        files = [] if label == "rejected" else [(_png("navy"), f"{label}-file-7760.png")]
        return CommentFactory(
            round=round_, author=author, body=body, organisation=organisation, files=files, **values
        )

    return {
        "draft": comment("draft", "Draft words 7731", draft=True),
        "pending": comment("pending", "Pending words 7732"),
        "confidential": comment(
            "confidential", "Confidential words 7733", publication=Publication.confidential, at_risk=True
        ),
        "rejected": comment("rejected", "Rejected words 7734"),
        "public": comment("public", "Public words 7735"),
    }


def build_peer_world(app: Flask) -> PeerWorld:
    """Everyone signs in with their own account; A's objects are built through the services."""
    staff = {
        "moderator": (StaffRoleName.moderator,),
        "coordinator": (StaffRoleName.coordinator,),
    }
    accounts = {
        person: make_user(
            app,
            staff.get(person.split("_")[0], ()),
            two_factor=True if person.startswith("summariser") else None,
            name=f"Name of {person} 77",
        )
        for person in PEOPLE
    }
    with app.test_request_context():
        public = _plan_objects()
        users = {person: db.session.get(User, account.id) for person, account in accounts.items()}
        ours = OrganisationFactory(name="Owners Collective")
        theirs = OrganisationFactory(name="Peers Union")
        waiting = OrganisationFactory(name="Owners Pending", verified=False)
        for person, organisation in (
            ("contributor_a", ours),
            ("contributor_b", theirs),
            ("contributor_a", waiting),
        ):
            MembershipFactory(
                user=users[person],
                organisation=organisation,
                position="Position 7751",
                state=MembershipState.pending if organisation is waiting else MembershipState.confirmed,
            )
        cluster = db.session.get(Cluster, public["cluster_id"])
        round_a = _open_round("round-a", cluster, accounts["summariser_a"])
        round_b = _open_round("round-b", cluster, accounts["summariser_b"])
        for user in users.values():
            db.session.refresh(user)
        made = _comments_of(users["contributor_a"], round_a, ours.id)
        moderator = users["moderator_a"]
        approved(moderator, made["confidential"], made["public"])
        ModerationDecisionFactory(
            moderator=moderator,
            comment=made["rejected"],
            decision=DecisionKind.reject,
            reason=Reason.off_topic,
        )
        appeal = moderation.appeal(users["contributor_a"], made_final(made["rejected"]), "Please look again.")
        summary_a = _draft_summary(round_a, accounts["summariser_a"], "7741", made["public"])
        _draft_summary(round_b, accounts["summariser_b"], "7742", made["public"])
        token, token_secret = api_services.issue_token(users["coordinator_a"], "System of A", True)
        db.session.commit()
        texts = {label: comment.body for label, comment in made.items()}
        unpublished = (texts["draft"], texts["pending"], texts["confidential"], texts["rejected"])
        contributor_a = users["contributor_a"]
        member_secrets = (contributor_a.display_name, contributor_a.email, "Position 7751")
        owned = {
            **{
                f"{label} comment": Owned(
                    {"comment_public_id": made[label].public_id}, OTHERS, (texts[label],)
                )
                for label in ("draft", "pending", "confidential", "rejected")
            },
            **{
                f"{label} file": Owned(
                    {"attachment_public_id": made[label].attachments[0].public_id},
                    OTHERS,
                    (texts[label], f"{label}-file-7760.png"),
                )
                for label in ("draft", "pending", "confidential")
            },
            "appeal": Owned({"appeal_id": appeal.id}, OTHERS, ("Please look again.",)),
            "organisation": Owned(
                {"organisation_id": ours.id}, ("anonymous", "contributor_b", "moderator_b"), member_secrets
            ),
            "pending organisation": Owned(
                {"organisation_id": waiting.id},
                ("anonymous", "contributor_b", "moderator_b"),
                ("Owners Pending", *member_secrets),
            ),
            "membership": Owned(
                {"organisation_id": ours.id, "user_id": contributor_a.id},
                ("contributor_b", "moderator_b"),
                member_secrets,
            ),
            **{
                f"{person} account": Owned(
                    {"user_id": accounts[person].id},
                    tuple(p for p in OTHERS if p != "anonymous"),
                    (accounts[person].email,),
                )
                for person in ("contributor_a", "moderator_a", "coordinator_a")
            },
            "token": Owned(
                {"token_id": token.id}, ("contributor_b", "moderator_b", "coordinator_b"), (token_secret,)
            ),
            "summary": Owned({"summary_id": summary_a["summary"]}, OTHERS, summary_a["secrets"]),
            "summary version": Owned(
                {"summary_id": summary_a["summary"], "number": 1}, OTHERS, summary_a["secrets"]
            ),
            "section": Owned({"section_id": summary_a["section"]}, OTHERS, summary_a["secrets"]),
            "citation": Owned({"citation_id": summary_a["citation"]}, OTHERS, summary_a["secrets"]),
            "round": Owned({"slug": round_a.slug}, OTHERS, (*unpublished, *summary_a["secrets"])),
            "round's document": Owned(
                {"slug": round_a.slug, "document_id": round_a.documents[0].id},
                OTHERS,
                (*unpublished, *summary_a["secrets"]),
            ),
            "round's summariser": Owned(
                {"slug": round_a.slug, "user_id": accounts["summariser_a"].id},
                ("contributor_b", "summariser_b", "moderator_b"),
                (accounts["summariser_a"].email,),
            ),
            "round's campaigns": Owned(
                {"round_id": round_a.id}, ("contributor_b", "summariser_b", "moderator_b"), unpublished
            ),
        }
    return PeerWorld(accounts, owned, {**public, "name": "stakeholders"}, token_secret)


@pytest.fixture(scope="module")
def peer_world(module_app) -> PeerWorld:
    return build_peer_world(module_app)


@pytest.fixture(scope="module")
def clients(module_app, peer_world) -> dict[str, FlaskClient]:
    """A browser per person, signed in through the real forms (two factors for staff and summarisers)."""
    browsers = {"anonymous": module_app.test_client()}
    for person, account in peer_world.accounts.items():
        browsers[person] = module_app.test_client()
        sign_in(browsers[person], module_app, account)
    return browsers


def changes(before: dict, after: dict) -> dict:
    """Per table, the rows that went and the rows that came: what a test shows when nothing should change."""
    found = {}
    for table in before.keys() | after.keys():
        old, new = set(before.get(table, [])), set(after.get(table, []))
        if old != new:
            found[table] = {"gone": sorted(old - new), "new": sorted(new - old)}
    return found


# --- The table ---------------------------------------------------------------------------------------------


def everyone_but_owner(outcome, **exceptions) -> dict:
    """The same outcome for every requester, with named exceptions."""
    return {"*": outcome, **exceptions}


LOGIN = "login"
HIDDEN = "hidden"
ALLOWED = "allowed"

#: A's comments, tried by others: only their author may see, change, withdraw or contest them; moderators see
#: (and decide on) submitted input, never a draft.
AUTHOR_ONLY = everyone_but_owner(403, anonymous=LOGIN)
RECEIPT = {
    "draft comment": AUTHOR_ONLY,
    "pending comment": everyone_but_owner(403, anonymous=LOGIN, moderator_b=200, coordinator_b=200),
    "confidential comment": everyone_but_owner(403, anonymous=LOGIN, moderator_b=200, coordinator_b=200),
    "rejected comment": everyone_but_owner(403, anonymous=LOGIN, moderator_b=200, coordinator_b=200),
}
OWN_COMMENT = dict.fromkeys(RECEIPT, AUTHOR_ONLY)
#: The moderation pages: staff only, and a draft is not there for them (404).
STAFF_ONLY = everyone_but_owner(403, anonymous=LOGIN)
MODERATION_PAGE = {
    "draft comment": {**STAFF_ONLY, "moderator_b": 404, "coordinator_b": 404},
    **{
        label: {**STAFF_ONLY, "moderator_b": 200, "coordinator_b": 200}
        for label in ("pending comment", "confidential comment", "rejected comment")
    },
}
MODERATION_ACTION = {
    label: {key: ALLOWED if value == 200 else value for key, value in outcomes.items()}
    for label, outcomes in MODERATION_PAGE.items()
}
#: A comment the public cannot read cannot be reported by anyone: 404 whoever asks.
NOT_PUBLISHED = dict.fromkeys(RECEIPT, everyone_but_owner(404))
#: Files: their author and moderators; a draft's file is its author's alone.
DOWNLOAD = {
    "draft file": AUTHOR_ONLY,
    "pending file": everyone_but_owner(403, anonymous=LOGIN, moderator_b=200, coordinator_b=200),
    "confidential file": everyone_but_owner(403, anonymous=LOGIN, moderator_b=200, coordinator_b=200),
}
WITHHOLD = {
    "draft file": {**STAFF_ONLY, "moderator_b": 404, "coordinator_b": 404},
    "pending file": {**STAFF_ONLY, "moderator_b": ALLOWED, "coordinator_b": ALLOWED},
    "confidential file": {**STAFF_ONLY, "moderator_b": ALLOWED, "coordinator_b": ALLOWED},
}
#: A's draft summary: those who may summarise the round (its summarisers, coordinators) and nobody else, not
#: even the summariser of another round; a draft answers 404 to those who may not see it.
SUMMARY_EDITOR = everyone_but_owner(404, coordinator_b=200)
SUMMARY_ACTION = everyone_but_owner(404, coordinator_b=ALLOWED)
#: Round A's public pages, read by others: nothing unpublished, no draft summary.
ROUND_PUBLIC = everyone_but_owner(HIDDEN)
COORDINATORS = everyone_but_owner(403, anonymous=LOGIN, coordinator_b=200)
COORDINATORS_ACT = everyone_but_owner(403, anonymous=LOGIN, coordinator_b=ALLOWED)
#: A's account: coordinators manage every account (a deployment-wide role); nobody else sees it.
ACCOUNTS = {
    f"{person} account": everyone_but_owner(403, coordinator_b=200)
    for person in ("contributor_a", "moderator_a", "coordinator_a")
}
ACCOUNT_ACTIONS = {
    f"{person} account": everyone_but_owner(403, coordinator_b=ALLOWED)
    for person in ("contributor_a", "moderator_a", "coordinator_a")
}

EXPECTED_PEERS = {
    ("moderation.show_receipt", "GET"): RECEIPT,
    ("comments.edit_comment", "GET"): OWN_COMMENT,
    ("comments.edit_comment", "POST"): OWN_COMMENT,
    ("comments.confirm_withdrawal", "GET"): OWN_COMMENT,
    ("comments.withdraw_comment", "POST"): OWN_COMMENT,
    ("moderation.appeal_decision", "POST"): OWN_COMMENT,
    ("comments.download", "GET"): DOWNLOAD,
    ("moderation.show_comment", "GET"): MODERATION_PAGE,
    ("moderation.decide", "POST"): MODERATION_ACTION,
    ("moderation.undo_decision", "POST"): MODERATION_ACTION,
    ("moderation.redact", "POST"): MODERATION_ACTION,
    ("moderation.withhold", "POST"): WITHHOLD,
    ("moderation.flag_comment", "GET"): NOT_PUBLISHED,
    ("moderation.flag_comment", "POST"): NOT_PUBLISHED,
    # Any moderator but the one who rejected decides an appeal (the service refuses that one).
    ("moderation.decide_appeal", "POST"): {
        "appeal": everyone_but_owner(403, anonymous=LOGIN, moderator_b=ALLOWED, coordinator_b=ALLOWED)
    },
    # Moderation is a deployment-wide role: DESIGN.md assigns no moderator to a round, so any moderator
    # works on any round's campaigns.
    ("moderation.show_campaigns", "GET"): {"round's campaigns": everyone_but_owner(403, moderator_b=200)},
    ("moderation.detect_campaigns", "POST"): {
        "round's campaigns": everyone_but_owner(403, moderator_b=ALLOWED)
    },
    # A verified organisation is public, its members are not; one awaiting verification is its members'.
    ("organisations.show_organisation", "GET"): {
        "organisation": everyone_but_owner(HIDDEN),
        "pending organisation": everyone_but_owner(404),  # as if there were none
    },
    ("organisations.decide_organisation", "POST"): {
        "organisation": everyone_but_owner(403, anonymous=LOGIN),
        "pending organisation": everyone_but_owner(403, anonymous=LOGIN),
    },
    ("organisations.decide_membership", "POST"): {"membership": everyone_but_owner(403)},
    ("accounts.show_user", "GET"): ACCOUNTS,
    ("accounts.change_role", "POST"): ACCOUNT_ACTIONS,
    ("accounts.change_active", "POST"): ACCOUNT_ACTIONS,
    # Erasure on a written request: any coordinator but the person; the form without a reference erases
    # nothing (tests/privacy/test_erasure.py erases).
    ("privacy.erase_user", "GET"): ACCOUNTS,
    ("privacy.erase_user", "POST"): ACCOUNT_ACTIONS,
    # Tokens belong to the mechanism's systems, not to the coordinator who issued them: any coordinator
    # may revoke any token (can_manage_api_tokens); nobody else may.
    ("api_tokens.revoke_token", "POST"): {"token": everyone_but_owner(403, coordinator_b=ALLOWED)},
    ("summaries.edit_summary", "GET"): {"summary": SUMMARY_EDITOR},
    ("summaries.edit_summary", "POST"): {"summary": SUMMARY_ACTION},
    ("summaries.preview_summary", "GET"): {"summary": SUMMARY_EDITOR},
    ("summaries.read_input", "GET"): {"summary": SUMMARY_EDITOR},
    ("summaries.tag_comments", "POST"): {"summary": SUMMARY_ACTION},
    # A draft has no published version: the public address is 404 for everyone but its editors, whom the
    # latest-version address sends to the editor.
    ("summaries.show_summary", "GET"): {
        "summary": everyone_but_owner(404, coordinator_b="away"),
        "summary version": everyone_but_owner(404),
    },
    ("api.show_summary_version", "GET"): {"summary version": everyone_but_owner(404)},
    ("summaries.list_summaries", "GET"): {"round": everyone_but_owner(HIDDEN, coordinator_b=200)},
    ("summaries.list_summaries", "POST"): {
        "round": everyone_but_owner(403, anonymous=LOGIN, coordinator_b=ALLOWED)
    },
    ("summaries.respond", "GET"): {"round": COORDINATORS},
    ("summaries.respond", "POST"): {"round": COORDINATORS_ACT},
    **{
        (endpoint, "GET"): {"round": ROUND_PUBLIC}
        for endpoint in (
            "comments.show_round",
            "comments.feed",
            "moderation.show_round_figures",
            "summaries.show_outcome",
            "summaries.chart",
            "reports.report_pdf",
            "reports.report_docx",
            "reports.export_comments",
            "reports.export_figures",
            "api.show_round",
            "api.list_round_comments",
            "api.list_summaries",
            "api.list_responses",
        )
    },
    ("rounds.show_document", "GET"): {"round's document": ROUND_PUBLIC},
    # Writing a comment on round A: a page of one's own, showing nobody else's work.
    ("comments.write_comment", "GET"): {"round": everyone_but_owner(HIDDEN, anonymous=LOGIN)},
    ("comments.write_comment", "POST"): {"round": everyone_but_owner(ALLOWED, anonymous=401)},
    ("rounds.edit_round", "GET"): {"round": COORDINATORS},
    ("rounds.manage_round", "GET"): {"round": COORDINATORS},
    ("rounds.check_round", "GET"): {"round": COORDINATORS},
    ("rounds.cancel_round", "GET"): {"round": COORDINATORS},
    ("rounds.edit_question", "GET"): {"round": COORDINATORS},
    ("rounds.replace_document", "GET"): {"round's document": COORDINATORS},
    ("rounds.replace_document", "POST"): {"round's document": COORDINATORS_ACT},
    ("rounds.show_changes", "GET"): {"round": ROUND_PUBLIC},
    **{
        (endpoint, "POST"): {"round": COORDINATORS_ACT}
        for endpoint in (
            "rounds.edit_round",
            "rounds.change_state",
            "rounds.extend_round",
            "rounds.save_question",
            "rounds.move_question",
            "rounds.check_round",
            "rounds.cancel_round",
            "rounds.add_document",
            "rounds.name_summariser",
        )
    },
    ("rounds.remove_summariser", "POST"): {"round's summariser": COORDINATORS_ACT},
}


def _owned_routes(app: Flask) -> Iterator[tuple]:
    """(rule, method, owned argument names) of every route whose address names an owned object."""
    for rule in app.url_map.iter_rules():
        owned = frozenset(rule.arguments) & OWNED_ARGUMENTS
        if owned:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method, owned


def test_every_argument_is_owned_or_public(module_app):
    arguments = {name for rule in module_app.url_map.iter_rules() for name in rule.arguments}
    assert arguments - OWNED_ARGUMENTS - PUBLIC_ARGUMENTS == set()


def test_every_route_on_an_owned_object_is_in_the_table(module_app, peer_world):
    missing, objectless = [], []
    for rule, method, owned in _owned_routes(module_app):
        labels = [label for label, item in peer_world.owned.items() if set(item.arguments) == owned]
        if not labels:
            objectless.append(f"{method} {rule.rule}")
        table = EXPECTED_PEERS.get((rule.endpoint, method), {})
        missing += [f"{method} {rule.rule} on the {label}" for label in labels if label not in table]
    stale = set(EXPECTED_PEERS) - {(rule.endpoint, method) for rule, method, _o in _owned_routes(module_app)}
    assert objectless == [] and missing == [] and stale == set()


@dataclass(frozen=True)
class Case:
    """One request of the walk."""

    requester: str
    method: str
    endpoint: str
    url: str
    label: str
    expected: object

    @property
    def allowed(self) -> bool:
        return self.expected in (ALLOWED, 200, "away")


def _cases(app: Flask, world: PeerWorld) -> Iterator[Case]:
    """Every owned route, on every object its arguments name, by everyone who tries that object."""
    for rule, method, owned in _owned_routes(app):
        table = EXPECTED_PEERS[(rule.endpoint, method)]
        for label, item in world.owned.items():
            if set(item.arguments) != owned:
                continue
            arguments = {**world.public, **item.arguments}
            verbs = sorted(rule._converters["verb"].items) if "verb" in rule.arguments else [None]
            for verb in verbs:
                with app.test_request_context():
                    values = {name: arguments[name] for name in rule.arguments if name != "verb"}
                    url = url_for(rule.endpoint, **values, **({"verb": verb} if verb else {}))
                for requester in item.requesters:
                    expected = table[label].get(requester, table[label]["*"])
                    yield Case(requester, method, rule.endpoint, url, label, expected)


def test_ones_own_pages_show_nobody_elses_work(module_app, peer_world, clients):
    """Every page without an object in its address (one's comments, organisations, settings, the lists) as
    the other contributor and the other summariser: nothing of contributor A's that is not public."""
    owned = peer_world.owned
    secrets = {
        *(
            secret
            for label in ("draft", "pending", "confidential", "rejected")
            for secret in owned[f"{label} comment"].secrets
        ),
        *(owned[f"{label} file"].secrets[-1] for label in ("draft", "pending", "confidential")),
        *owned["membership"].secrets[1:],
    }
    pages = [
        rule.rule for rule in module_app.url_map.iter_rules() if "GET" in rule.methods and not rule.arguments
    ]
    seen, found = 0, []
    for person in ("contributor_b", "summariser_b"):
        for page in pages:
            with clients[person].get(page) as response:
                if response.status_code != 200:
                    continue
                seen += 1
                found += [f"{page} as {person}: {s}" for s in secrets if s in readable(response)]
    assert seen > 30 and not found, "\n".join(found)


def test_another_coordinator_sees_a_tokens_name_never_its_secret(peer_world, clients):
    """Tokens belong to the mechanism: every coordinator sees each one's name and first characters, so as to
    revoke it; its secret was shown once, to whoever issued it, and never again to anyone."""
    listing = clients["coordinator_b"].get("/api/tokens").get_data(as_text=True)
    secret = peer_world.token_secret
    assert "System of A" in listing and secret[:12] in listing and secret not in listing
    assert clients["coordinator_a"].get("/api/tokens").get_data(as_text=True).count(secret) == 0


#: Allowed requests that act on the world, in the order that leaves each of them something to act on.
ACTING_LAST = (
    "api_tokens.revoke_token",
    "accounts.change_active",
    "rounds.remove_summariser",
    "rounds.change_state",
)


def _order(case: Case) -> tuple:
    """Refusals first; then allowed reads; then allowed actions, those that act on the world last."""
    last = ACTING_LAST.index(case.endpoint) if case.endpoint in ACTING_LAST else -1
    return case.allowed, case.method == "POST", last


def test_nobody_reaches_another_persons_objects(module_app, peer_world, clients):
    """Every refusal first, with the database compared before and after; then what the design allows other
    people to do (coordinators manage accounts and tokens, moderators moderate), which may act."""
    tokens = {person: form_token(client, person != "anonymous") for person, client in clients.items()}
    cases = sorted(_cases(module_app, peer_world), key=_order)
    with module_app.app_context():
        before = _dump()
    wrong, checked_db = [], False
    for case in cases:
        if case.allowed and not checked_db:
            with module_app.app_context():
                changed = changes(before, _dump())
            if changed:
                wrong.append(f"refused requests changed the database: {changed}")
            checked_db = True
        client = clients[case.requester]
        if case.method == "GET":
            response = client.get(case.url)
        else:
            response = client.post(case.url, data={"csrf_token": tokens[case.requester]})
        got = _outcome(response, case.method)
        text = readable(response) if got == 200 else response.get_data(as_text=True)
        response.close()
        if case.expected == HIDDEN and got == 200:
            got = HIDDEN
        where = f"{case.requester} {case.method} {case.url} ({case.label})"
        if got != case.expected:
            wrong.append(f"{where}: expected {case.expected}, got {got}")
        elif not case.allowed:
            leaked = [secret for secret in peer_world.owned[case.label].secrets if secret in text]
            if leaked:
                wrong.append(f"{where} shows {leaked}")
    assert checked_db and len(cases) > 250
    assert not wrong, "\n".join(wrong)
