"""The download of everything the platform holds about a person: all they wrote, with every revision and
state, files' metadata, reports, appeals, notices, audit events and sessions; nothing of anyone else."""

import json
import re
import uuid
from datetime import timedelta

from consult.accounts.models import PendingNotice, StaffRoleName, User, UserSession
from consult.comments import services as comments
from consult.comments.models import Comment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.organisations import services as organisations
from consult.organisations.models import OrganisationType
from tests.factories import made_final, open_round
from tests.files import _store
from tests.helpers import make_user, sign_in


def test_the_download_holds_everything_the_person_wrote_and_nothing_of_anyone_else(app):
    person_account = make_user(app, name="Nadia Rahimi", email="nadia@example.org")
    reporter = make_user(app, name="Zed Informer", email="zed@example.org")
    moderator_account = make_user(
        app, (StaffRoleName.moderator,), name="Moderator Mo", email="mo@example.org"
    )
    with app.test_request_context():
        person = db.session.get(User, person_account.id)
        moderator = db.session.get(User, moderator_account.id)
        ngo = organisations.create_organisation(None, "Rights Watch", OrganisationType.ngo, verified=True)
        organisations.confirm_membership(None, organisations.request_membership(person, ngo))
        round_ = open_round()
        first = comments.Draft(TargetType.round, None, "First words.", "en", Publication.named)
        comment, _ = comments.submit(person, round_, uuid.uuid4().hex, first)
        comments.edit(
            person,
            comment,
            comments.Draft(TargetType.round, None, "Second words.", "en", Publication.anonymous),
        )
        comments.attach(person, comment, [_store(app, "evidence.pdf")])
        moderation.decide(moderator, comment, DecisionKind.approve)
        other_author = db.session.get(User, reporter.id)
        others, _ = comments.submit(
            other_author,
            round_,
            uuid.uuid4().hex,
            comments.Draft(TargetType.round, None, "Someone else's comment.", "en", Publication.named),
        )
        moderation.decide(moderator, others, DecisionKind.approve)
        moderation.flag(other_author, comment, Reason.abusive, "I know who wrote this.", 3, timedelta(0))
        moderation.flag(person, others, Reason.spam, "My own report.", 3, timedelta(0))
        rejected, _ = comments.submit(
            person,
            round_,
            uuid.uuid4().hex,
            comments.Draft(TargetType.round, None, "Rejected words.", "en", Publication.named),
        )
        moderation.decide(moderator, rejected, DecisionKind.reject, Reason.off_topic, "Not about the round.")
        moderation.appeal(person, made_final(rejected), "It is about the round.")
        draft = comments.save_draft(
            person,
            round_,
            uuid.uuid4().hex,
            comments.Draft(TargetType.round, None, "Unfinished draft.", "en", Publication.named),
        )
        db.session.add(
            PendingNotice(user_id=person.id, subject="Digest line", body="Your comment is published.")
        )
        db.session.add(UserSession(user_id=person.id, token_hash="a" * 64))
        db.session.commit()
        draft_id = draft.id
    client = app.test_client()
    sign_in(client, app, person_account)
    settings = client.get("/accounts/settings").get_data(as_text=True)
    assert "/privacy/my-data.json" in settings and "/privacy/erase" in settings
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert (
        data["account"]["email"] == "nadia@example.org" and data["account"]["display_name"] == "Nadia Rahimi"
    )
    assert [m["organisation"] for m in data["memberships"]] == ["Rights Watch"]
    written = {c["text"]: c for c in data["comments"]}
    assert set(written) == {"Second words.", "Rejected words.", "Unfinished draft."}
    published = written["Second words."]
    assert [r["text"] for r in published["revisions"]] == ["First words.", "Second words."]
    assert [r["publication"] for r in published["revisions"]] == ["named", "anonymous"]
    assert published["state"] == "published" and published["attachments"][0]["filename"] == "evidence.pdf"
    assert published["reports_about_it"][0]["reason"] == "abusive"
    assert written["Rejected words."]["moderation_decisions"][0]["note"] == "Not about the round."
    assert written["Rejected words."]["appeals"][0]["statement"] == "It is about the round."
    assert written["Unfinished draft."]["state"] == "draft"
    assert [r["note"] for r in data["reports_made"]] == ["My own report."]
    assert data["notices_waiting"][0]["body"] == "Your comment is published."
    assert {"started_at", "last_seen_at", "ended_at"} <= set(data["sessions"][0])
    actions = {e["action"] for e in data["audit_events"]}
    assert {"comment.submit", "comment.moderate.approve", "comment.flag", "user.sign_in"} <= actions
    # Another person's act (the report on their comment, the decision) carries the day, not the moment that
    # could point at who did it; a comment is named by its public id, as everywhere outside the mechanism.
    for event in data["audit_events"]:
        assert event["by_you"] or re.fullmatch(r"\d{4}-\d{2}-\d{2}", event["at"]), event
        assert not re.fullmatch(r"comments/\d+", event["subject"]), event
    # Nothing of anyone else: not who reported, not what they wrote, not which moderator decided.
    for secret in (
        "Zed Informer",
        "zed@example.org",
        "I know who wrote this",
        "Moderator Mo",
        "mo@example.org",
        "Someone else's comment",
    ):
        assert secret not in text, secret
    assert "a" * 64 not in text and "argon2" not in text  # no secret of the person's either
    with app.app_context():
        assert db.session.get(Comment, draft_id) is not None  # a download changes nothing


def test_the_download_is_the_persons_own_only(app, client):
    assert client.get("/privacy/my-data.json").status_code == 302  # sent to sign in
