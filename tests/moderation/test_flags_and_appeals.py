"""Readers' flags hide a comment at the threshold until a moderator looks; an author contests a rejection
once, and a different moderator decides."""

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Comment, CommentState
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import AppealState, DecisionKind, Flag, ModerationDecision, Reason
from consult.rounds.models import ModerationMode
from tests.factories import open_round, submitted
from tests.helpers import Account, make_user, public_id_of, sign_in, submit


def test_three_reports_hide_a_comment_until_a_moderator_approves_it(app, client):
    author = make_user(app)
    readers = [make_user(app) for _ in range(3)]
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        for reader in readers:  # accounts whose reports count (tests/moderation/test_reports_that_count.py)
            db.session.get(User, reader.id).email_verified_at = utcnow() - timedelta(days=30)
        round_ = open_round(ModerationMode.post)
        comment = submitted(round_, db.session.get(User, author.id), "A sharp but fair comment.")
        db.session.commit()
        slug, comment_id, public_id = round_.slug, comment.id, comment.public_id
    for number, reader in enumerate(readers):
        browser = app.test_client()
        sign_in(browser, app, reader)
        page = f"/moderation/flag/{public_id}"
        submit(browser, page, {"reason": "abusive", "note": f"report {number}"})
        visible = "A sharp but fair comment." in client.get(f"/rounds/{slug}").get_data(as_text=True)
        assert visible is (number < 2)
    staff = app.test_client()
    sign_in(staff, app, moderator)
    reports = staff.get(f"/moderation/comments/{public_id}").get_data(as_text=True)
    assert all(f"report {number}" in reports for number in range(3))  # what each reader wrote, in order
    assert reports.index("report 0") < reports.index("report 2") and "Dealt with" not in reports
    assert not any(reader.email in reports for reader in readers)  # who reported stays with the platform
    again = app.test_client()
    sign_in(again, app, readers[0])
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        with pytest.raises(DomainError, match="already"):
            moderation.flag(db.session.get(User, readers[0].id), comment, Reason.spam, None, 3, timedelta(7))
        with pytest.raises(DomainError, match="own"):
            moderation.flag(db.session.get(User, author.id), comment, Reason.spam, None, 3, timedelta(7))
        moderation.decide(db.session.get(User, moderator.id), comment, DecisionKind.approve)
        db.session.commit()
        assert all(f.resolved_at for f in db.session.scalars(select(Flag)))
    assert "A sharp but fair comment." in client.get(f"/rounds/{slug}").get_data(as_text=True)
    assert staff.get(f"/moderation/comments/{public_id}").get_data(as_text=True).count("Dealt with") == 3


def _appealed(app, author) -> tuple[int, Account, Account, FlaskClient]:
    """A comment of the author's that a first moderator rejected and that the author contested in the
    browser: (its id, the first moderator, a second one, the author's browser)."""
    first, second = make_user(app, (StaffRoleName.moderator,)), make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment = submitted(open_round(), db.session.get(User, author.id), "About the prison in Zenica.")
        decision = moderation.decide(
            db.session.get(User, first.id), comment, DecisionKind.reject, Reason.off_topic
        )
        decision.decided_at -= moderation.undo_window()  # final: it can no longer be undone
        db.session.commit()
        comment_id = comment.id
    browser = app.test_client()
    sign_in(browser, app, author)
    receipt = f"/comments/{public_id_of(app, Comment, comment_id)}"
    submit(browser, f"{receipt}/appeal", {"statement": "It is about recommendation 121.4."}, page=receipt)
    return comment_id, first, second, browser


def test_an_appeal_is_decided_by_another_moderator_once(app):
    author = make_user(app)
    comment_id, first, second, _browser = _appealed(app, author)
    with app.app_context():
        appeal = db.session.scalar(select(moderation.pending_appeals()[0].__class__))
        with pytest.raises(DomainError, match="Another moderator must decide"):
            moderation.decide_appeal(db.session.get(User, first.id), appeal, True, None)
        moderation.decide_appeal(db.session.get(User, second.id), appeal, True, "It is on topic.")
        db.session.commit()
        comment = db.session.get(Comment, comment_id)
        assert comment.state is CommentState.published and appeal.state is AppealState.granted
        kinds = [
            d.decision for d in db.session.scalars(select(ModerationDecision).order_by(ModerationDecision.id))
        ]
        assert kinds == [DecisionKind.reject, DecisionKind.reinstate]
        with pytest.raises(DomainError):
            moderation.appeal(db.session.get(User, author.id), comment, "Again")


@pytest.mark.smtp
@pytest.mark.parametrize(
    ("outcome", "subject", "state"),
    [
        ("uphold", "Your appeal is not granted: your comment stays unpublished", "Rejection upheld"),
        ("grant", "Your appeal is granted: your comment is published", "Comment reinstated"),
    ],
)
def test_the_author_hears_how_the_appeal_went_with_the_moderators_note(app, inbox, outcome, subject, state):
    author = make_user(app, email="author@example.org")
    comment_id, _first, second, browser = _appealed(app, author)
    with app.app_context():
        appeal_id = moderation.pending_appeals()[0].id
    staff = app.test_client()
    sign_in(staff, app, second)
    note = "The round asks about prisons; thank you for the detail."
    public_id = public_id_of(app, Comment, comment_id)
    page = f"/moderation/comments/{public_id}"
    decided = submit(staff, f"/moderation/appeals/{appeal_id}", {"outcome": outcome, "note": note}, page=page)
    assert decided.status_code == 302
    message = inbox.last_to("author@example.org")
    assert message["Subject"] == subject
    assert f"{state}." in message.get_content() and note in message.get_content()
    shown = browser.get(f"/comments/{public_id}").get_data(as_text=True)
    assert f"Your appeal: {state}." in shown and note in shown
    assert note in staff.get(page).get_data(as_text=True)


def test_the_queue_filters_by_target_stakeholder_and_campaign(app):
    from consult.comments.models import TargetType
    from consult.organisations import services as organisations
    from consult.organisations.models import OrganisationType

    author = make_user(app)
    with app.app_context():
        person = db.session.get(User, author.id)
        nhri = organisations.create_organisation(None, "The NHRI", OrganisationType.nhri, verified=True)
        organisations.confirm_membership(None, organisations.request_membership(person, nhri))
        round_ = open_round()
        lone = submitted(round_, person, "About the round.")
        from consult.comments import services as comments
        from consult.comments.models import Publication

        speaking, _ = comments.submit(
            person,
            round_,
            "f" * 32,
            comments.Draft(
                TargetType.round,
                None,
                "For the NHRI.",
                "en",
                Publication.organisation,
                organisation_id=nhri.id,
            ),
        )
        db.session.commit()
        assert [c.id for c in moderation.queue(stakeholder_type=OrganisationType.nhri)] == [speaking.id]
        assert {c.id for c in moderation.queue(target_type=TargetType.round)} == {lone.id, speaking.id}
        assert moderation.queue(target_type=TargetType.cluster) == []
        assert moderation.queue(in_campaign=True) == []


def test_confidential_input_is_listed_apart_and_every_staff_view_is_audited(app):
    from consult.audit import AuditEvent
    from consult.comments import services as comments
    from consult.comments.models import Publication, TargetType

    author, moderator = make_user(app), make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment, _ = comments.submit(
            db.session.get(User, author.id),
            open_round(),
            "c" * 32,
            comments.Draft(TargetType.round, None, "Only for the mechanism.", "en", Publication.confidential),
        )
        db.session.commit()
        comment_id = comment.id
    staff = app.test_client()
    sign_in(staff, app, moderator)
    queue = staff.get("/moderation/").get_data(as_text=True)
    apart = queue.index("Confidential or at risk")
    assert apart < queue.index("Only for the mechanism.")
    public_id = public_id_of(app, Comment, comment_id)
    staff.get(f"/moderation/comments/{public_id}")
    staff.get(f"/comments/{public_id}")
    with app.app_context():
        views = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "comment.view_confidential")
        ).all()
        assert len(views) == 2 and {v.actor_id for v in views} == {moderator.id}
        assert moderation.queue(oldest_first=True)[0].id == comment_id
