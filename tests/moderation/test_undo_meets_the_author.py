"""Undo and what the author sees: a rejection can be contested only once it can no longer be undone (the
receipt says from when, the service refuses before), nothing acted on can be undone, the moderator is told
truthfully what an undo means, and an appeal whose rejection is gone is closed, never decided. The e-mail
of an approval says from when the public sees the comment."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Comment, CommentState, Publication
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import Appeal, AppealState, DecisionKind, ModerationDecision, Reason
from tests.factories import open_round, submitted
from tests.helpers import make_user, public_id_of, sign_in, submit


def _rejected(app, author, moderator) -> int:
    """A comment of the author's that the moderator has just rejected (the undo window open): its id."""
    with app.app_context():
        comment = submitted(open_round(), db.session.get(User, author.id), "About the prison in Zenica.")
        moderation.decide(db.session.get(User, moderator.id), comment, DecisionKind.reject, Reason.off_topic)
        db.session.commit()
        return comment.id


def _make_final(app, comment_id: int) -> None:
    """Let the undo window of the comment's decisions pass."""
    with app.app_context():
        for decision in db.session.scalars(
            select(ModerationDecision).where(ModerationDecision.comment_id == comment_id)
        ):
            decision.decided_at -= moderation.undo_window() + timedelta(seconds=1)
        db.session.commit()


def _appeals() -> int:
    return db.session.scalar(select(func.count()).select_from(Appeal))


def test_a_rejection_is_contested_only_once_it_can_no_longer_be_undone(app):
    author, moderator = make_user(app), make_user(app, (StaffRoleName.moderator,))
    comment_id = _rejected(app, author, moderator)
    browser = app.test_client()
    sign_in(browser, app, author)
    receipt = f"/comments/{public_id_of(app, Comment, comment_id)}"

    shown = browser.get(receipt).get_data(as_text=True)
    assert "Rejected" in shown and "Final from" in shown and "Contest the decision from" in shown
    assert "until then the moderator may still change this decision" in shown
    assert "Send the appeal" not in shown  # no form while it may still change
    with app.app_context():
        with pytest.raises(DomainError, match="can be contested from"):
            moderation.appeal(db.session.get(User, author.id), db.session.get(Comment, comment_id), "Why?")
        db.session.rollback()
    _make_final(app, comment_id)
    shown = browser.get(receipt).get_data(as_text=True)
    assert (
        "Send the appeal" in shown and "Final from" not in shown and "Contest the decision from" not in shown
    )
    sent = submit(
        browser, f"{receipt}/appeal", {"statement": "It is about recommendation 121.4."}, page=receipt
    )
    assert sent.status_code == 302
    with app.app_context():
        assert _appeals() == 1


def test_an_appeal_posted_while_the_decision_may_still_change_is_refused(app):
    author, moderator = make_user(app), make_user(app, (StaffRoleName.moderator,))
    earlier = _rejected(app, author, moderator)
    _make_final(app, earlier)  # a receipt with the form, to take a valid token from
    comment_id = _rejected(app, author, moderator)
    browser = app.test_client()
    sign_in(browser, app, author)
    receipt = f"/comments/{public_id_of(app, Comment, comment_id)}"
    form_page = f"/comments/{public_id_of(app, Comment, earlier)}"
    refused = submit(browser, f"{receipt}/appeal", {"statement": "Please look again."}, page=form_page)
    page = refused.get_data(as_text=True)  # refused on its page, the statement kept
    assert refused.status_code == 422 and "can be contested from" in page and "Please look again." in page
    with app.app_context():
        assert _appeals() == 0


def test_a_decision_that_was_appealed_can_no_longer_be_undone(ctx):
    author = db.session.get(User, make_user(ctx).id)
    moderator = db.session.get(User, make_user(ctx, (StaffRoleName.moderator,)).id)
    comment = submitted(open_round(), author)
    decision = moderation.decide(moderator, comment, DecisionKind.reject, Reason.off_topic)
    db.session.add(Appeal(comment_id=comment.id, statement="Older data: appealed at once."))
    db.session.commit()
    assert not moderation.undoable(moderator, decision)
    assert moderation.last_undoable(moderator) is None  # the queue offers no undo either
    with pytest.raises(DomainError, match="contested or decided again"):
        moderation.undo(moderator, comment)
    db.session.rollback()
    assert db.session.get(Comment, comment.id).state is CommentState.rejected


def test_a_decision_another_moderator_decided_again_can_no_longer_be_undone(ctx):
    author = db.session.get(User, make_user(ctx).id)
    first = db.session.get(User, make_user(ctx, (StaffRoleName.moderator,)).id)
    second = db.session.get(User, make_user(ctx, (StaffRoleName.moderator,)).id)
    comment = submitted(open_round(), author)
    approval = moderation.decide(first, comment, DecisionKind.approve)
    moderation.decide(second, comment, DecisionKind.request_changes, Reason.personal_data, "A name.")
    db.session.commit()
    assert not moderation.undoable(first, approval)
    assert moderation.last_undoable(first) is None
    with pytest.raises(DomainError, match="can no longer be undone"):
        moderation.undo(first, comment)
    db.session.rollback()
    assert db.session.get(Comment, comment.id).state is CommentState.changes_requested


def test_the_moderator_is_told_what_an_undo_means_and_the_receipt_said_it_was_not_final(app):
    author, moderator = make_user(app), make_user(app, (StaffRoleName.moderator,))
    comment_id = _rejected(app, author, moderator)
    public_id = public_id_of(app, Comment, comment_id)
    staff = app.test_client()
    sign_in(staff, app, moderator)
    page = f"/moderation/comments/{public_id}"
    offered = staff.get(page).get_data(as_text=True)
    assert "Until then its author is not e-mailed, and their receipt shows it as not final." in offered
    undone = submit(staff, f"{page}/undo", page=page)
    assert undone.status_code == 302
    shown = staff.get(undone.headers["Location"]).get_data(as_text=True)
    assert (
        "The author has not been e-mailed about it; their receipt showed it meanwhile as not final." in shown
    )
    assert "was not told" not in shown
    with app.app_context():
        assert db.session.get(Comment, comment_id).state is CommentState.submitted


@pytest.mark.smtp
def test_an_appeal_whose_rejection_is_gone_is_closed_and_never_decided(app, inbox):
    author = make_user(app, email="author@example.org")
    first, second = make_user(app, (StaffRoleName.moderator,)), make_user(app, (StaffRoleName.moderator,))
    comment_id = _rejected(app, author, first)
    with app.app_context():
        # Older data: appealed within the undo window, and the rejection then undone.
        comment = db.session.get(Comment, comment_id)
        decision = moderation.latest_decision(comment)
        db.session.add(Appeal(comment_id=comment_id, statement="It is about recommendation 121.4."))
        decision.undone_at, decision.undone_by_id = decision.decided_at, first.id
        comment.state = CommentState.submitted
        db.session.commit()
        appeal = db.session.scalar(select(Appeal))
        assert moderation.pending_appeals() == []
        assert moderation.appeal_is_closed(appeal) and not moderation.appeal_is_open(appeal)
        for who in (first, second):
            with pytest.raises(DomainError, match="closed"):
                moderation.decide_appeal(db.session.get(User, who.id), appeal, False, "Upheld.")
            db.session.rollback()
        assert db.session.get(Appeal, appeal.id).state is AppealState.pending
        appeal_id = appeal.id
    public_id = public_id_of(app, Comment, comment_id)
    staff = app.test_client()
    sign_in(staff, app, second)
    page = f"/moderation/comments/{public_id}"
    shown = staff.get(page).get_data(as_text=True)
    assert "Closed: the decision it contested no longer stands" in shown and "Decide the appeal" not in shown
    assert "Appeals waiting for a second moderator" not in staff.get("/moderation/").get_data(as_text=True)
    posted = submit(
        staff, f"/moderation/appeals/{appeal_id}", {"outcome": "uphold", "note": "No."}, page=page
    )
    assert posted.status_code == 302
    assert inbox.to("author@example.org") == []
    browser = app.test_client()
    sign_in(browser, app, author)
    receipt = browser.get(f"/comments/{public_id}").get_data(as_text=True)
    assert "Your appeal is closed: the decision you contested no longer stands." in receipt
    assert "Awaiting a decision" not in receipt


@pytest.mark.smtp
@pytest.mark.parametrize(
    ("publication", "subject", "line"),
    [
        (Publication.named, "Your comment is published", None),
        (
            Publication.anonymous,
            "Your comment is approved: it is shown to the public from",
            "It is shown to the public from",
        ),
        (
            Publication.organisation,
            "Your comment is approved: it is shown to the public from",
            "It is shown to the public from",
        ),
        (
            Publication.confidential,
            "Your comment is accepted: it stays confidential to the mechanism",
            "it is never shown to the public",
        ),
    ],
)
def test_the_approval_e_mail_says_from_when_the_public_sees_the_comment(
    app, inbox, publication, subject, line
):
    app.config["UNNAMED_PUBLIC_NEXT_DAY"] = True  # as deployments have it
    author = make_user(app, email="author@example.org")
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment = submitted(open_round(), db.session.get(User, author.id))
        comment.publication = publication
        decision = moderation.decide(db.session.get(User, moderator.id), comment, DecisionKind.approve)
        db.session.commit()
        due = moderation.claim_due_outcomes(decision.decided_at + moderation.undo_window())
        db.session.commit()
        moderation.send_outcomes(due)
        shown_from = comment.public_from
    message = inbox.last_to("author@example.org")
    assert " ".join(message["Subject"].split()).startswith(subject)
    text = message.get_content()
    if line is None:
        assert "shown to the public from" not in text
    else:
        assert line in text
    if publication in (Publication.anonymous, Publication.organisation):
        assert str(shown_from.day) in message["Subject"] and str(shown_from.year) in text
