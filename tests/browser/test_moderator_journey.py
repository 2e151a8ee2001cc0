"""The moderator's journey in a real browser: sign in with the second factor, filter the queue, redact a phone
number, approve, reject another comment with a reason; the author receives the e-mail."""

import uuid
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments import services as comments
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.extensions import db
from consult.rounds.models import ModerationMode, Round, RoundState, Stage
from tests.helpers import PASSWORD, make_user


def test_a_moderator_redacts_approves_and_rejects(live_server, browser, inbox):
    base, app = live_server
    author = make_user(app, email="author@example.org", name="Ana Author")
    moderator = make_user(app, (StaffRoleName.moderator,), email="mod@example.org")
    with app.app_context():
        now = datetime.now(UTC)
        round_ = Round(
            slug="pre-review",
            stage=Stage.pre_review,
            cycle=4,
            title={"en": "Pre-review"},
            state=RoundState.open,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=9),
            moderation_mode=ModerationMode.pre,
        )
        db.session.add(round_)
        db.session.flush()
        person = db.session.get(User, author.id)
        for body in (
            "The prison director, reachable on +386 41 555 123, refused the visit.",
            "Buy cheap watches at example dot com",
        ):
            comments.submit(
                person,
                round_,
                uuid.uuid4().hex,
                comments.Draft(TargetType.round, None, body, "en", Publication.named),
            )
        db.session.commit()

    page = browser.new_page(locale="en-GB")
    page.goto(f"{base}/accounts/sign-in")
    page.fill("#email", "mod@example.org")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit].button")
    page.fill("#code", pyotp.TOTP(moderator.totp_secret).now())
    page.click("main button[type=submit].button")

    page.click("text=Moderation")
    page.select_option("#round", label="Pre-review")
    page.click("text=Show")
    assert "refused the visit" in page.content() and "cheap watches" in page.content()

    page.click("tr:has-text('refused the visit') >> a")
    page.fill("#passage", "+386 41 555 123")
    page.click("button:has-text('Redact')")
    assert "Redacted in 1 place." in page.content()
    page.select_option("#decision", "approve")
    page.click("form[action$='/decide'] button[type=submit]")
    assert "Decided: Approved." in page.content()

    page.click("tr:has-text('cheap watches') >> a")
    page.select_option("#decision", "reject")
    page.select_option("#reason", "spam")
    page.fill("#note", "Advertising is not input to the plan.")
    page.click("form[action$='/decide'] button[type=submit]")
    assert "Decided: Rejected." in page.content()

    public = browser.new_page()
    public.goto(f"{base}/rounds/pre-review")
    text = public.content()
    assert "refused the visit" in text and "555 123" not in text and "cheap watches" not in text
    messages = {m["Subject"]: m.get_content() for m in inbox.to("author@example.org")}
    assert "Your comment is published" in messages
    rejection = messages["Your comment is not published"]
    assert "Spam" in rejection and "Advertising is not input to the plan." in rejection
    with app.app_context():
        states = {c.body[:10]: c.state for c in db.session.scalars(select(Comment))}
        assert set(states.values()) == {CommentState.published, CommentState.rejected}
