"""Reports cannot silence: only reports from accounts that count hide a comment (staff, confirmed members of a
verified organisation, addresses confirmed FLAG_COUNTING_DAYS before); what a mob of fresh accounts reports
reaches the moderators, listed and counted, without hiding anything; a comment a moderator kept after reports
is not hidden by reports again; and a hidden comment tops the moderators' queue."""

from datetime import timedelta

from flask import Flask

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Comment
from consult.database import utcnow
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.organisations import services as organisations
from consult.organisations.models import OrganisationType
from consult.rounds.models import ModerationMode
from tests.factories import open_round, submitted
from tests.helpers import Account, make_user, sign_in, submit


def _published(app: Flask, text: str) -> int:
    author = make_user(app)
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment = submitted(open_round(ModerationMode.pre), db.session.get(User, author.id), text)
        moderation.decide(db.session.get(User, moderator.id), comment, DecisionKind.approve)
        db.session.commit()
        return comment.id


def _aged(app: Flask, count: int, days: int) -> list[Account]:
    """Readers whose addresses were confirmed this many days ago."""
    readers = [make_user(app) for _ in range(count)]
    with app.app_context():
        for reader in readers:
            db.session.get(User, reader.id).email_verified_at = utcnow() - timedelta(days=days)
        db.session.commit()
    return readers


def _report(app: Flask, readers: list[Account], comment_id: int) -> list[bool]:
    """Each reader reports the comment through the service, with the deployment's settings."""
    hid = []
    with app.app_context():
        age = timedelta(days=app.config["FLAG_COUNTING_DAYS"])
        for reader in readers:
            comment = db.session.get(Comment, comment_id)
            hid.append(
                moderation.flag(
                    db.session.get(User, reader.id),
                    comment,
                    Reason.abusive,
                    None,
                    app.config["FLAG_HIDE_THRESHOLD"],
                    age,
                )
            )
            db.session.commit()
    return hid


def _hidden(app: Flask, comment_id: int) -> bool:
    with app.app_context():
        return db.session.get(Comment, comment_id).hidden_at is not None


def test_a_mob_of_fresh_accounts_reaches_the_moderators_without_hiding_anything(app):
    comment_id = _published(app, "The police beat protesters on 3 May.")
    mob = _aged(app, 12, days=app.config["FLAG_COUNTING_DAYS"] - 1)
    assert _report(app, mob, comment_id) == [False] * 12
    assert not _hidden(app, comment_id)
    with app.app_context():
        assert moderation.report_tally([comment_id], timedelta(days=7)) == {comment_id: (12, 0)}
    moderator = make_user(app, (StaffRoleName.moderator,))
    staff = app.test_client()
    sign_in(staff, app, moderator)
    queue = staff.get("/moderation/?flagged=yes").get_data(as_text=True)
    assert "12 reports, 0 that count" in queue
    with app.app_context():
        public_id = db.session.get(Comment, comment_id).public_id
    page = staff.get(f"/moderation/comments/{public_id}").get_data(as_text=True)
    assert page.count("from a newer account: does not hide") == 12


def test_reports_from_accounts_that_count_hide_once_and_never_after_a_moderator_kept_it(app):
    comment_id = _published(app, "The minister lied about the prisons.")
    older = _aged(app, 6, days=app.config["FLAG_COUNTING_DAYS"] + 1)
    assert _report(app, older[:3], comment_id) == [False, False, True]
    assert _hidden(app, comment_id)
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        moderation.decide(db.session.get(User, moderator.id), comment, DecisionKind.approve)
        db.session.commit()
    assert not _hidden(app, comment_id)
    # The same patient mob, or one person's other old accounts, cannot take it down again.
    assert _report(app, older[3:], comment_id) == [False, False, False]
    assert not _hidden(app, comment_id)


def test_staff_and_confirmed_members_of_a_verified_organisation_count_at_once(app):
    comment_id = _published(app, "Journalists are followed.")
    fresh_member, fresh_other = make_user(app), make_user(app)
    staff = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        ngo = organisations.create_organisation(None, "Press Freedom", OrganisationType.ngo, verified=True)
        organisations.confirm_membership(
            None, organisations.request_membership(db.session.get(User, fresh_member.id), ngo)
        )
        db.session.commit()
    assert _report(app, [fresh_other, fresh_member, staff], comment_id) == [False, False, False]
    with app.app_context():
        assert moderation.report_tally([comment_id], timedelta(days=7)) == {comment_id: (3, 2)}
    third = _aged(app, 1, days=30)
    assert _report(app, third, comment_id) == [True]


def test_a_hidden_comment_tops_the_moderators_queue(app):
    hidden_id = _published(app, "Hidden after reports.")
    _report(app, _aged(app, 3, days=30), hidden_id)
    author = make_user(app)
    with app.app_context():
        waiting = submitted(open_round(), db.session.get(User, author.id), "Newer, waiting for a decision.")
        db.session.commit()
        waiting_receipt = waiting.receipt_number
        hidden_receipt = db.session.get(Comment, hidden_id).receipt_number
    moderator = make_user(app, (StaffRoleName.moderator,))
    staff = app.test_client()
    sign_in(staff, app, moderator)
    queue = staff.get("/moderation/").get_data(as_text=True)
    assert "Hidden after readers" in queue and "reports: decide these first" in queue
    assert hidden_receipt in queue and queue.index(hidden_receipt) < queue.index(waiting_receipt)
    assert "3 reports, 3 that count" in queue


def test_the_reporting_form_applies_the_rule(app):
    comment_id = _published(app, "Sent through the form.")
    readers = _aged(app, 3, days=1)
    with app.app_context():
        public_id = db.session.get(Comment, comment_id).public_id
    for reader in readers:
        browser = app.test_client()
        sign_in(browser, app, reader)
        page = f"/moderation/flag/{public_id}"
        assert submit(browser, page, {"reason": "abusive"}).status_code == 302
    assert not _hidden(app, comment_id)
    with app.app_context():
        assert moderation.report_tally([comment_id], timedelta(days=7)) == {comment_id: (3, 0)}
