"""Invited organisations hear when a round opens and three days before it closes, once; an extension
reaches them and every author. Through the Redis queue when one is configured."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from consult.accounts.models import User
from consult.extensions import db
from consult.rounds.models import RoundInvitation, RoundState
from tests.factories import invited_round
from tests.helpers import make_user, require_redis

pytestmark = pytest.mark.smtp


def tick(app):
    result = app.test_cli_runner().invoke(args=["consult", "tick"])
    assert result.exit_code == 0, result.output


def test_invited_members_hear_of_the_opening_once(app, inbox):
    _round_id, email = invited_round(app, timedelta(minutes=-1), timedelta(days=30))
    tick(app)
    tick(app)
    assert len([m for m in inbox.to(email) if "Open for comment" in m["Subject"]]) == 1
    assert inbox.to("outsider@example.org") == []
    with app.app_context():
        invitation = db.session.scalar(select(RoundInvitation))
        assert invitation.notified_at is not None


def test_a_reminder_three_days_before_the_close_once(app, inbox):
    _round_id, email = invited_round(app, timedelta(days=-10), timedelta(days=2), state=RoundState.open)
    tick(app)
    tick(app)
    reminders = [m for m in inbox.to(email) if "Three days left" in m["Subject"]]
    assert len(reminders) == 1 and "Drafts that are not submitted" in reminders[0].get_content()


def test_no_reminder_earlier_than_three_days(app, inbox):
    invited_round(app, timedelta(days=-10), timedelta(days=5), state=RoundState.open)
    tick(app)
    assert inbox.messages == []


def test_through_the_redis_queue_the_worker_sends_it(app, inbox):
    require_redis()
    from redis import Redis
    from rq import SimpleWorker

    from consult.jobs import queue

    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/14"
    Redis.from_url(app.config["REDIS_URL"]).flushdb()
    _round_id, email = invited_round(app, timedelta(minutes=-1), timedelta(days=30))
    tick(app)
    assert inbox.to(email) == []  # queued, not sent by the request or the command
    with app.app_context():
        jobs = queue()
        assert jobs.count == 1
        assert queue().connection is jobs.connection  # one pool to Redis per app, not one per e-mail
        SimpleWorker([jobs], connection=jobs.connection).work(burst=True)
    assert len(inbox.to(email)) == 1


def test_an_extension_reaches_invited_members_and_authors(app, inbox):
    import uuid

    from consult.accounts.models import StaffRoleName
    from consult.comments.models import Comment, Publication, TargetType
    from tests.helpers import sign_in, submit

    round_id, email = invited_round(app, timedelta(days=-1), timedelta(days=4), state=RoundState.open)
    author = make_user(app, email="author@example.org")
    with app.app_context():
        db.session.add(
            Comment(
                round_id=round_id,
                author_id=author.id,
                idempotency_key=uuid.uuid4().hex,
                target_type=TargetType.round,
                body="Mine.",
                language="en",
                publication=Publication.named,
                receipt_number="R-X",
                state="submitted",
            )
        )
        db.session.commit()
    coordinator = app.test_client()
    sign_in(coordinator, app, make_user(app, (StaffRoleName.coordinator,)))
    later = (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = submit(
        coordinator, "/rounds/invited/extend", {"closes_at": later}, page="/rounds/invited/manage"
    )
    assert response.status_code == 302
    for address in (email, "author@example.org"):
        assert any("More time to comment" in m["Subject"] for m in inbox.to(address))
    assert inbox.to("outsider@example.org") == []


def test_a_digest_gathers_the_notices_of_those_who_chose_it(app, inbox):
    _round_id, email = invited_round(app, timedelta(minutes=-1), timedelta(days=2))
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == email))
        member.notification_digest = True
        db.session.commit()
    tick(app)  # opens the round (a notice) and, closing within three days, reminds (another)
    assert inbox.to(email) == []
    result = app.test_cli_runner().invoke(args=["consult", "digest"])
    assert "digests sent: 1" in result.output
    digests = inbox.to(email)
    assert len(digests) == 1 and "2 notices" in digests[0]["Subject"]
    body = digests[0].get_content()
    assert "Open for comment" in body and "Three days left" in body
    again = app.test_cli_runner().invoke(args=["consult", "digest"])
    assert "digests sent: 0" in again.output


def _digest_member(app) -> str:
    """A member who chose the digest, with two notices waiting (the opening and the three-day reminder)."""
    _round_id, email = invited_round(app, timedelta(minutes=-1), timedelta(days=2))
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).notification_digest = True
        db.session.commit()
    tick(app)
    return email


def test_a_digest_run_twice_at_once_sends_each_notice_once(app, inbox, monkeypatch):
    """As when cron starts the digest on two machines: the second run starts while the first is sending."""
    from consult import mail
    from consult.accounts.notices import send_digests

    email = _digest_member(app)
    deliver, second = mail.deliver, []

    def deliver_while_another_machine_runs(message):
        if not second:
            with app.app_context():
                second.append(send_digests())
        return deliver(message)

    monkeypatch.setattr(mail, "deliver", deliver_while_another_machine_runs)
    with app.app_context():
        assert send_digests() == 1
    assert second == [0]
    assert len(inbox.to(email)) == 1 and "2 notices" in inbox.to(email)[0]["Subject"]


def test_a_digest_that_cannot_be_sent_keeps_its_notices_for_the_next(app, inbox):
    from consult.accounts.models import PendingNotice

    email = _digest_member(app)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there: the mail server is down
    result = app.test_cli_runner().invoke(args=["consult", "digest"])
    assert "digests sent: 0" in result.output
    with app.app_context():
        assert len(db.session.scalars(select(PendingNotice)).all()) == 2
    app.config["MAIL_PORT"] = port
    result = app.test_cli_runner().invoke(args=["consult", "digest"])
    assert "digests sent: 1" in result.output
    body = inbox.to(email)[0].get_content()
    assert body.index("Open for comment") < body.index("Three days left")  # oldest first, as before
