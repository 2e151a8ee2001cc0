"""Decisions explained, in a real browser: an author whose comment was rejected reads the reason, the
moderator's note and until when it may be contested, on the receipt and in "my submissions"; one whose
comment was sent back reads what to change and until when; the e-mail, which leaves once the moderator can
no longer undo the decision, says the same. Screenshots in English, Arabic and Chinese."""

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from flask_babel import force_locale

from consult.accounts.models import StaffRoleName, User
from consult.extensions import db
from consult.i18n import format_moment
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from tests.browser.support import screenshots, sign_in
from tests.factories import RoundFactory, submitted
from tests.helpers import make_user

AXE = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
NOTE = "It names a private person; write it again without the name."


def test_a_rejected_author_reads_why_and_until_when_on_the_receipt_in_my_submissions_and_by_e_mail(
    live_server, browser, inbox
):
    base, app = live_server
    author = make_user(app, email="author@example.org", name="Ana Author")
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        round_ = RoundFactory(slug="explained", title={"en": "Pre-report round"}, timezone="Europe/Ljubljana")
        person, staff = db.session.get(User, author.id), db.session.get(User, moderator.id)
        rejected = submitted(round_, person, "The director of the prison, Mr X, beats detainees.")
        sent_back = submitted(round_, person, "Cells are cold.")
        refusal = moderation.decide(staff, rejected, DecisionKind.reject, Reason.defamatory, NOTE)
        moderation.decide(staff, sent_back, DecisionKind.request_changes, Reason.other, "Which prison?")
        db.session.commit()
        assert moderation.claim_due_outcomes() == []  # the moderator may still undo: nobody is told yet
        later = refusal.decided_at + moderation.undo_window() + timedelta(seconds=1)
        due = moderation.claim_due_outcomes(later)
        db.session.commit()
        moderation.send_outcomes(due)
        with app.test_request_context(), force_locale("en"):
            deadline = format_moment(refusal.decided_at + timedelta(days=14), "Europe/Ljubljana")
            closes = format_moment(round_.closes_at, "Europe/Ljubljana")
        # When the author reads the e-mail, the decisions are final: the pages show them so (the deadline
        # moves with the time of the decision, put back by the undo window here).
        for decision in (refusal, moderation.latest_decision(sent_back)):
            decision.decided_at -= moderation.undo_window() + timedelta(seconds=1)
        db.session.commit()
        with app.test_request_context(), force_locale("en"):
            shown_deadline = format_moment(refusal.decided_at + timedelta(days=14), "Europe/Ljubljana")
        receipt = rejected.receipt_number

    mails = {m["Subject"]: m.get_content() for m in inbox.to("author@example.org")}
    refused = mails["Your comment is not published"]
    assert "Defamatory" in refused and NOTE in refused
    assert f"You can contest this decision until {deadline}" in refused
    changes = mails["Your comment needs a change before it is published"]
    assert "Which prison?" in changes and f"You can change it until the round closes on {closes}" in changes

    page = browser.new_page(locale="en-GB")
    sign_in(page, base, app, author)
    page.click("nav >> text=My submissions")
    mine = page.locator("main").inner_text()
    assert "Defamatory" in mine and NOTE in mine and shown_deadline in mine
    assert "Which prison?" in mine and closes in mine
    screenshots(page, app, author, "decisions-explained-mine")

    page.click(f"main table >> text={receipt}")
    explained = page.locator("section.decision-explained").inner_text()
    assert "Why your comment is not published" in explained
    assert "Defamatory" in explained and NOTE in explained and shown_deadline in explained
    assert "Contest this decision" in page.content()  # the form is there, within the time
    assert Axe().run(page, options=AXE).response["violations"] == []
    screenshots(page, app, author, "decisions-explained-receipt")
