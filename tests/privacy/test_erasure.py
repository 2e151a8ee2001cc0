"""Erasure: a contributor with a named published comment quoted in a published summary, a draft, a pending
comment with a file, a rejected and contested one, a report, an API token, a session and notices erases
their account. Every public surface forgets who they were; what was not published is gone with its files; the
receipt of what was published still proves it; the audit trail keeps the fact without the identity; the
address registers again. A coordinator carries out a written request the same way, audited."""

import itertools
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from consult import audit
from consult.accounts import services as accounts
from consult.accounts.models import PendingNotice, StaffRoleName, User, UserSession
from consult.api import services as api_services
from consult.api.models import ApiToken
from consult.audit import AuditEvent
from consult.comments.models import Attachment, Comment, CommentState, Publication, TargetType
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import Appeal, DecisionKind, Flag, Reason
from consult.organisations.models import Membership
from consult.privacy import services
from consult.rounds.models import Round
from consult.summaries.models import Summary, SummaryVersion
from consult.uploads import attachments
from tests.factories import (
    CommentFactory,
    ModerationDecisionFactory,
    SectionFactory,
    SummaryFactory,
    made_final,
    open_round,
    published,
)
from tests.files import _pdf, _store
from tests.helpers import PASSWORD, make_user, sign_in, submit
from tests.reports.readable import readable
from tests.summaries.fixtures import RoundWithInput, closed_round_with_input

NAME = "Olga Petrova"  # the fixture's contributor, who speaks for the Legal Aid Network
FORMER_NAME = "Olga P. Ivanova"
ORGANISATION = "Legal Aid Network"


@dataclass(frozen=True)
class Erasable:
    """What the contributor left on the platform, by id."""

    given: RoundWithInput
    email: str
    open_slug: str
    draft_id: int
    pending_id: int
    rejected_id: int
    files: tuple[str, ...]
    summary_id: int
    token_id: int
    other_person_id: int


def build_contributor(app: Flask) -> Erasable:
    """The closed round of tests/summaries/fixtures.py with a published summary quoting the contributor by
    name (in the quotation and in the summariser's words), and an open round with the rest of their input."""
    given = closed_round_with_input(app)
    other = make_user(app, name="Someone Else")
    with app.test_request_context():
        person = db.session.get(User, given.contributor.id)
        for name in (FORMER_NAME, NAME):  # a name the person went by before, in the audit trail
            accounts.update_settings(person, name, "en", None)
        coordinator = db.session.get(User, given.coordinator.id)
        summary = SummaryFactory(
            actor=coordinator, round=db.session.get(Round, given.round_id), title="Heard"
        )
        SectionFactory(
            actor=coordinator,
            summary=summary,
            target_type=TargetType.recommendation,
            target_id=given.recommendation_id,
            heading="Inspections",
            body=f"As {NAME} told us, inspections have not started.",
            quoting=[db.session.get(Comment, given.named_id), db.session.get(Comment, given.anonymous_id)],
        )
        published(coordinator, summary)
        round_ = open_round()
        membership = person.memberships[0]
        draft = CommentFactory(
            round=round_,
            author=person,
            body="My draft about prisons.",
            organisation=membership.organisation,
            draft=True,
            files=[(_pdf(), "draft-notes.pdf")],
        )
        pending = CommentFactory(
            round=round_, author=person, body="Pending testimony.", files=[(_pdf(), "testimony.pdf")]
        )
        rejected = CommentFactory(round=round_, author=person, body="Rejected words.")
        ModerationDecisionFactory(
            moderator=coordinator, comment=rejected, decision=DecisionKind.reject, reason=Reason.off_topic
        )
        moderation.appeal(person, made_final(rejected), "It is on topic.")
        moderation.flag(
            person, db.session.get(Comment, given.anonymous_id), Reason.spam, "A report.", 3, timedelta(0)
        )
        token, _raw = api_services.issue_token(person, "Legal Aid's tracker", False)
        db.session.add_all(
            [
                PendingNotice(user_id=person.id, subject="Your digest", body="For you."),
                PendingNotice(user_id=other.id, subject="Membership", body=f"{NAME} asks to join."),
                UserSession(user_id=person.id, token_hash=uuid.uuid4().hex * 2),
            ]
        )
        db.session.commit()
        files = tuple(a.storage_name for c in (draft, pending) for a in c.attachments)
        return Erasable(
            given,
            person.email,
            round_.slug,
            draft.id,
            pending.id,
            rejected.id,
            files,
            summary.id,
            token.id,
            other.id,
        )


def _values(app: Flask, erasable: Erasable) -> dict[str, tuple]:
    """The arguments every GET route of the URL map is walked with."""
    with app.app_context():
        published = db.session.scalars(
            select(Comment.public_id).where(Comment.state == CommentState.published)
        ).all()
        versions = db.session.scalars(select(SummaryVersion.number)).all()
        rounds = db.session.scalars(select(Round.slug)).all()
        organisations = db.session.scalars(select(Membership.organisation_id)).all()
    return {
        "slug": tuple(rounds),
        "recommendation_id": (erasable.given.recommendation_id, erasable.given.other_recommendation_id),
        "cluster_id": (erasable.given.cluster_id,),
        "summary_id": (erasable.summary_id,),
        "number": tuple(versions),
        "comment_public_id": tuple(published),
        "round_id": tuple(range(1, 3)),
        "organisation_id": tuple(organisations),
        "user_id": (erasable.given.contributor.id,),
    }


def _walk(app: Flask, values: dict[str, tuple]) -> list[str]:
    """Every GET path of the URL map whose arguments the values give (each choice of an <any(…)>)."""
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or "GET" not in rule.methods:
                continue
            choices = {}
            for name in sorted(rule.arguments - set(rule.defaults or {})):
                converter = rule._converters[name]
                choices[name] = (
                    sorted(converter.items) if hasattr(converter, "items") else values.get(name, ())
                )
            for combination in itertools.product(*choices.values()):
                paths.append(url_for(rule.endpoint, **dict(zip(choices, combination, strict=True))))
    return sorted(set(paths))


def _erase_in_the_browser(app: Flask, client: FlaskClient, erasable: Erasable) -> None:
    account = erasable.given.contributor
    sign_in(client, app, account)
    page = client.get("/privacy/erase").get_data(as_text=True)
    assert "anonymous" in page and "cannot be undone" in page  # it says what happens first
    refused = submit(client, "/privacy/erase", {"understood": "y", "password": "not my password"})
    assert refused.status_code == 422
    unticked = submit(client, "/privacy/erase", {"password": PASSWORD})
    assert unticked.status_code == 422
    erased = submit(client, "/privacy/erase", {"understood": "y", "password": PASSWORD})
    assert erased.status_code == 302


def test_an_erased_contributor_is_on_no_surface_and_what_was_not_published_is_gone(app, client):
    erasable = build_contributor(app)
    given = erasable.given
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert all(attachments.path_of(name, folder).exists() for name in erasable.files)
    with app.app_context():
        receipt = db.session.get(Comment, given.named_id).receipt_number
    _erase_in_the_browser(app, client, erasable)

    # Signed out, for good: the old session opens nothing, the password signs nobody in.
    assert client.get("/privacy/").status_code == 302
    refused = submit(client, "/accounts/sign-in", {"email": erasable.email, "password": PASSWORD})
    assert refused.status_code != 302

    # Every GET route of the URL map, as a visitor and as another contributor; files also as a coordinator.
    secrets = (NAME, erasable.email)
    stranger = app.test_client()
    sign_in(stranger, app, make_user(app))
    coordinator = app.test_client()
    sign_in(coordinator, app, given.coordinator)
    leaks, read = [], 0
    for path in _walk(app, _values(app, erasable)):
        for who, browser in (
            ("visitor", app.test_client()),
            ("stranger", stranger),
            ("coordinator", coordinator),
        ):
            with browser.get(path) as response:
                if response.status_code != 200:
                    continue
                text = readable(response)
            read += 1
            found = [s for s in secrets if s in text]
            if ORGANISATION in text and who != "coordinator" and not path.startswith("/organisations"):
                found.append(ORGANISATION)  # its own pages (and the coordinator's lists) name it, rightly
            if found:
                leaks.append(f"{path} as {who}: {found}")
    assert read > 60
    assert not leaks, "\n".join(leaks)

    with app.app_context():
        person = db.session.get(User, given.contributor.id)
        assert person.erased_at is not None and person.email is None and person.password_hash is None
        assert person.display_name == "" and not person.memberships and not person.staff_roles
        for ident in (given.named_id, given.organisation_only_id):
            kept = db.session.get(Comment, ident)
            assert kept.state is CommentState.published and kept.author_id is None
            assert kept.organisation_id is None and kept.publication is Publication.anonymous
        assert db.session.get(Comment, given.named_id).receipt_number == receipt
        for ident in (erasable.draft_id, erasable.pending_id, erasable.rejected_id):
            assert db.session.get(Comment, ident) is None
        assert not db.session.scalars(select(Appeal)).all()
        assert not any(attachments.path_of(name, folder).exists() for name in erasable.files)
        # The frozen version of the summary quotes the comment as anonymous and names nobody.
        frozen = json.dumps(db.session.scalars(select(SummaryVersion)).one().content, ensure_ascii=False)
        assert NAME not in frozen and ORGANISATION not in frozen
        quoted = db.session.scalars(select(SummaryVersion)).one().content["sections"][0]["citations"]
        assert {c["comment_id"]: c["publication"] for c in quoted}[given.named_id] == "anonymous"
        assert NAME not in db.session.get(Summary, erasable.summary_id).sections[0].body
        # The report stays, without who made it; the token, sessions and the person's notices are gone.
        assert db.session.scalars(select(Flag)).one().user_id is None
        assert db.session.get(ApiToken, erasable.token_id) is None
        assert not db.session.scalars(select(UserSession).where(UserSession.user_id == person.id)).all()
        notices = db.session.scalars(select(PendingNotice)).all()
        assert [n.user_id for n in notices] == [erasable.other_person_id]
        assert NAME not in notices[0].body
        # The audit trail keeps every event and the fact of the erasure, but not who it was.
        events = db.session.scalars(select(AuditEvent)).all()
        written = json.dumps([[e.before, e.after] for e in events], ensure_ascii=False)
        assert NAME not in written and erasable.email not in written and FORMER_NAME not in written
        erasure = [e for e in events if e.action == "user.erase"]
        assert len(erasure) == 1 and erasure[0].after["by"] == "owner"
        assert erasure[0].after["comments_deleted"] == 3 and erasure[0].after["comments_anonymised"] == 2
        assert any(e.action == "comment.submit" and e.actor_id == person.id for e in events)

    # A receipt of a published comment still proves it, to anyone who holds it.
    proof = client.get(f"/privacy/receipts?number={receipt}").get_data(as_text=True)
    assert "Published" in proof and NAME not in proof

    # The same address registers again, as a new account.
    fresh = app.test_client()
    registered = submit(
        fresh,
        "/accounts/register",
        {"display_name": "Olga", "email": erasable.email, "password": PASSWORD, "password_repeat": PASSWORD},
    )
    assert registered.status_code == 302
    with app.app_context():
        again = db.session.scalar(select(User).where(User.email == erasable.email))
        assert again is not None and again.id != given.contributor.id


def test_a_coordinator_erases_an_account_on_a_written_request_with_the_second_factor(app):
    erasable = build_contributor(app)
    given = erasable.given
    moderator = make_user(app, (StaffRoleName.moderator,))
    path = f"/privacy/users/{given.contributor.id}/erase"
    staff = app.test_client()
    sign_in(staff, app, moderator)
    assert staff.get(path).status_code == 403
    unverified = app.test_client()  # a coordinator who has not entered the second factor holds no powers
    submit(unverified, "/accounts/sign-in", {"email": given.coordinator.email, "password": PASSWORD})
    assert unverified.get(path).status_code != 200
    coordinator = app.test_client()
    sign_in(coordinator, app, given.coordinator)
    page = coordinator.get(f"/accounts/users/{given.contributor.id}").get_data(as_text=True)
    assert path in page
    assert submit(coordinator, path, {"understood": "y"}).status_code == 422  # no reference: refused
    reference = f"Letter 2026/17 of 3 March from {NAME}, {erasable.email}"
    done = submit(coordinator, path, {"reference": reference, "understood": "y"})
    assert done.status_code == 302
    with app.app_context():
        person = db.session.get(User, given.contributor.id)
        assert person.erased_at is not None and person.email is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.erase"))
        assert event.actor_id == given.coordinator.id and event.after["by"] == "coordinator"
        assert event.after["reference"] == "Letter 2026/17 of 3 March from [erased], [erased]"
        assert db.session.get(Comment, erasable.pending_id) is None
    assert coordinator.get(path).status_code == 403  # erased once; nothing more to erase
    assert "Erased account" in coordinator.get(f"/accounts/users/{given.contributor.id}").get_data(
        as_text=True
    )


def test_the_last_coordinator_cannot_erase_their_account(app):
    coordinator = make_user(app, (StaffRoleName.coordinator,))
    with app.app_context():
        person = db.session.get(User, coordinator.id)
        with pytest.raises(DomainError, match="last coordinator"):
            services.erase_own_account(person, PASSWORD)


def test_an_erased_persons_kept_comments_get_new_ids_and_their_files_lose_the_names_they_were_sent_under(
    app, client
):
    """A reader who kept the feed or an export from before the erasure cannot find the named comment again
    under its new anonymity, and a file named after its author stops naming them, in public and in the
    audit trail."""
    erasable = build_contributor(app)
    given = erasable.given
    with app.test_request_context():
        named = db.session.get(Comment, given.named_id)
        stored = _store(app, f"{NAME} - statement.pdf")
        named.attachments.append(
            Attachment(
                storage_name=stored.storage_name,
                filename=stored.filename,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
            )
        )
        audit.record(None, "comment.attach", named, after={"files": [stored.filename]})
        db.session.commit()
        old_comment_id, old_file_id = named.public_id, named.attachments[0].public_id
    before = client.get(f"/rounds/{given.slug}").get_data(as_text=True)
    assert old_comment_id in before and f"{NAME} - statement.pdf" in before

    _erase_in_the_browser(app, client, erasable)

    reader = app.test_client()
    page = reader.get(f"/rounds/{given.slug}").get_data(as_text=True)
    api = reader.get(f"/api/v1/rounds/{given.slug}/comments").get_data(as_text=True)
    for surface in (page, api):
        assert old_comment_id not in surface and old_file_id not in surface and NAME not in surface
    assert reader.get(f"/comments/attachments/{old_file_id}").status_code == 404
    with app.app_context():
        kept = db.session.get(Comment, given.named_id)
        assert kept.public_id != old_comment_id and kept.public_id in page
        (attachment,) = kept.attachments
        assert NAME not in attachment.filename and attachment.filename.endswith(".pdf")
        with reader.get(f"/comments/attachments/{attachment.public_id}") as download:
            assert download.status_code == 200 and NAME not in download.headers["Content-Disposition"]
        written = json.dumps([[e.before, e.after] for e in db.session.scalars(select(AuditEvent))])
        assert "statement.pdf" not in written.replace("[erased]", "")
