"""Moderation decisions: only legal states are reachable, every transition is audited, two moderators
cannot both decide, redactions never reach the public, and the author is told why."""

import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select

from consult.accounts.models import StaffRoleName, User
from consult.audit import AuditEvent
from consult.comments import services as comments
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, ModerationDecision, Reason
from consult.rounds.models import ModerationMode
from tests.factories import open_round, submitted
from tests.helpers import make_user

#: What each action should do from each state: an independent model of the rules, not the code's table.
EXPECTED = {
    ("approve", CommentState.submitted): CommentState.published,
    ("approve", CommentState.changes_requested): CommentState.published,
    ("approve", CommentState.published): CommentState.published,
    ("reject", CommentState.submitted): CommentState.rejected,
    ("reject", CommentState.changes_requested): CommentState.rejected,
    ("request_changes", CommentState.submitted): CommentState.changes_requested,
    ("request_changes", CommentState.published): CommentState.changes_requested,
    ("remove", CommentState.published): CommentState.rejected,
    ("edit", CommentState.submitted): CommentState.submitted,
    ("edit", CommentState.published): CommentState.submitted,
    ("edit", CommentState.changes_requested): CommentState.submitted,
    ("withdraw", CommentState.submitted): CommentState.withdrawn,
    ("withdraw", CommentState.published): CommentState.withdrawn,
    ("withdraw", CommentState.changes_requested): CommentState.withdrawn,
}
REASONS = {"reject": Reason.off_topic, "request_changes": Reason.personal_data, "remove": Reason.abusive}


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_every_moderation_path_keeps_legal_states_and_audits_each_step(app):
    author_account = make_user(app, name="Author")
    moderator_account = make_user(app, (StaffRoleName.moderator,), name="Moderator")

    class Comments(RuleBasedStateMachine):
        """A comment driven by author and moderators in any order."""

        def __init__(self):
            super().__init__()
            self.context = app.app_context()
            self.context.push()
            self.author = db.session.get(User, author_account.id)
            self.moderator = db.session.get(User, moderator_account.id)
            self.comment = submitted(open_round(), self.author)
            db.session.commit()
            self.state = CommentState.submitted

        def teardown(self):
            db.session.rollback()
            self.context.pop()

        def act(self, action: str) -> None:
            before_audit = audit_count()
            expected = EXPECTED.get((action, self.state))
            try:
                if action == "edit":
                    draft = comments.Draft(TargetType.round, None, "Changed text.", "en", Publication.named)
                    comments.edit(self.author, self.comment, draft)
                elif action == "withdraw":
                    comments.withdraw(self.author, self.comment)
                else:
                    moderation.decide(self.moderator, self.comment, DecisionKind(action), REASONS.get(action))
                db.session.commit()
            except DomainError:
                db.session.rollback()
                assert expected is None, f"{action} from {self.state} was refused"
                assert audit_count() == before_audit
                return
            assert expected is not None, f"{action} from {self.state} was allowed"
            db.session.refresh(self.comment)
            assert self.comment.state is expected
            assert audit_count() > before_audit, f"{action} wrote no audit event"
            self.state = expected

        @rule(action=st.sampled_from(["approve", "reject", "request_changes", "remove", "edit", "withdraw"]))
        def do(self, action):
            self.act(action)

        @invariant()
        def state_is_legal(self):
            assert self.comment.state in set(CommentState) - {CommentState.draft}

        @invariant()
        def published_means_published_at(self):
            assert (self.comment.published_at is not None) == (self.comment.state is CommentState.published)

    Comments.TestCase.settings = settings(
        max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    Comments.TestCase().runTest()


def test_two_moderators_deciding_at_once_one_wins(app):
    author = make_user(app)
    first, second = make_user(app, (StaffRoleName.moderator,)), make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment_id = submitted(open_round(), db.session.get(User, author.id)).id
        db.session.commit()
    barrier, outcomes = threading.Barrier(2), []

    def moderate(account, decision):
        with app.app_context():
            comment = db.session.get(Comment, comment_id)
            moderator = db.session.get(User, account.id)
            version = comment.version
            barrier.wait()
            try:
                moderation.decide(
                    moderator, comment, decision, REASONS.get(decision.value), seen_version=version
                )
                db.session.commit()
                outcomes.append("won")
            except moderation.DecidedMeanwhile:
                outcomes.append("told")

    threads = [
        threading.Thread(target=moderate, args=(first, DecisionKind.approve)),
        threading.Thread(target=moderate, args=(second, DecisionKind.reject)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["told", "won"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationDecision)) == 1


def test_a_reason_is_required_and_other_needs_a_note(ctx):
    author, moderator = make_user(ctx), make_user(ctx, (StaffRoleName.moderator,))
    comment = submitted(open_round(), db.session.get(User, author.id))
    moderator = db.session.get(User, moderator.id)
    with pytest.raises(DomainError, match="reason"):
        moderation.decide(moderator, comment, DecisionKind.reject)
    with pytest.raises(DomainError, match="note"):
        moderation.decide(moderator, comment, DecisionKind.reject, Reason.other)


def test_a_redacted_passage_never_reaches_the_public(app, client):
    author, moderator = make_user(app), make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        round_ = open_round(ModerationMode.post)
        comment = submitted(
            round_,
            db.session.get(User, author.id),
            "Call the officer on +386 41 555 123 or +386 41 555 123 again.",
        )
        places = moderation.redact(
            db.session.get(User, moderator.id), comment, "+386 41 555 123", Reason.personal_data
        )
        db.session.commit()
        slug = round_.slug
        assert places == 2 and comment.body.count("+386 41 555 123") == 2  # the original stays for staff
    for surface in (f"/rounds/{slug}", f"/rounds/{slug}/feed.atom"):
        text = client.get(surface).get_data(as_text=True)
        assert "555 123" not in text and moderation.REDACTION_MARK in text


@pytest.mark.smtp
def test_the_author_is_told_the_outcome_the_reason_and_the_deadline_once_the_undo_window_passed(app, inbox):
    author, moderator = make_user(app, email="author@example.org"), make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment = submitted(open_round(), db.session.get(User, author.id))
        decision = moderation.decide(
            db.session.get(User, moderator.id),
            comment,
            DecisionKind.reject,
            Reason.defamatory,
            "It names a private person as guilty.",
        )
        db.session.commit()
        assert moderation.claim_due_outcomes() == []  # within the undo window: nothing leaves
        later = decision.decided_at + moderation.undo_window() + timedelta(seconds=1)
        due = moderation.claim_due_outcomes(later)
        db.session.commit()
        assert due == [decision.id] and moderation.claim_due_outcomes(later) == []  # claimed once
        moderation.send_outcomes(due)
        deadline = decision.decided_at + timedelta(days=app.config["MODERATION_APPEAL_DAYS"])
    message = inbox.last_to("author@example.org")
    assert "not published" in message["Subject"]
    text = message.get_content()
    assert "Defamatory" in text and "names a private person" in text
    assert "You can contest this decision until" in text and str(deadline.year) in text
