"""The queue built for volume: text search (with "%" and "_" searched as themselves), a count, the next
comment of a filtered queue, and the undo of a decision while its e-mail waits."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.audit import AuditEvent
from consult.comments.models import CommentState
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Flag, ModerationDecision, Reason
from consult.rounds.models import ModerationMode
from tests.factories import CommentFactory, UserFactory, open_round, submitted
from tests.helpers import make_user


@pytest.fixture
def people(ctx):
    """An author and two moderators, loaded in the test's context."""
    author = db.session.get(User, make_user(ctx, email="author@example.org").id)
    first = db.session.get(User, make_user(ctx, (StaffRoleName.moderator,)).id)
    second = db.session.get(User, make_user(ctx, (StaffRoleName.moderator,)).id)
    return author, first, second


def test_text_search_takes_percent_and_underscore_as_themselves(people):
    author, _first, _second = people
    round_ = open_round()
    bodies = [
        "Only 100% of cells were inspected.",
        "Only 100 cells were inspected.",
        "See file_2 please.",
        "See file22 please.",
        "Les DÉTENUS attendent.",
        "Заключённые ЖДУТ ответа.",
    ]
    for body in bodies:
        submitted(round_, author, body)
    db.session.commit()

    def search(words: str) -> list[str]:
        return sorted(c.body for c in moderation.queue(search=words))

    assert search("100%") == ["Only 100% of cells were inspected."]
    assert search("file_2") == ["See file_2 please."]
    assert search("détenus") == ["Les DÉTENUS attendent."]  # any case, beyond ASCII
    assert search("ждут") == ["Заключённые ЖДУТ ответа."]
    assert search("%") == ["Only 100% of cells were inspected."]
    assert moderation.queue_count(search="cells") == 2
    assert moderation.queue_count() == len(bodies)


def test_the_next_comment_follows_the_filtered_queue_then_starts_again(people):
    author, _first, _second = people
    round_ = open_round()
    english = [submitted(round_, author, f"English {n}") for n in range(3)]
    CommentFactory(round=round_, author=author, body="Français", language="fr")
    db.session.commit()
    newest_first = [c.id for c in reversed(english)]
    after = moderation.next_in_queue(newest_first[0], language="en")
    assert after.id == newest_first[1]
    # From the last of the filtered queue, back to its first; the French comment is never next.
    assert moderation.next_in_queue(newest_first[-1], language="en").id == newest_first[0]
    assert moderation.next_in_queue(english[0].id, oldest_first=True, language="en").id == english[1].id
    assert moderation.queue_count(language="fr") == 1


def test_undo_puts_the_comment_back_exactly_audited_and_the_author_is_never_told(people, inbox):
    author, first, _second = people
    round_ = open_round(ModerationMode.post)  # published at once: a removal changes published_at
    comment = submitted(round_, author, "The yard is closed.")
    reader = UserFactory()
    db.session.add(Flag(comment_id=comment.id, user_id=reader.id, reason=Reason.abusive))
    db.session.commit()
    published_at, version = comment.published_at, comment.version
    decision = moderation.decide(first, comment, DecisionKind.remove, Reason.abusive, "Insults.")
    db.session.commit()
    assert comment.state is CommentState.rejected and comment.published_at is None
    assert db.session.scalar(select(Flag.resolved_at)) is not None
    assert moderation.last_undoable(first) is decision

    moderation.undo(first, comment)
    db.session.commit()
    db.session.refresh(comment)
    assert comment.state is CommentState.published and comment.published_at == published_at
    assert comment.version > version
    assert db.session.scalar(select(Flag.resolved_at)) is None  # the report waits again
    assert decision.undone_at is not None and decision.undone_by_id == first.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "comment.moderate.undo"))
    assert moderation.explain_to_author(comment) is None
    later = decision.decided_at + moderation.undo_window() + timedelta(minutes=1)
    assert moderation.claim_due_outcomes(later) == []  # the undone decision's e-mail never leaves
    assert moderation.last_undoable(first) is None


def test_undo_is_refused_once_the_window_passed_to_others_and_after_a_change(people):
    author, first, second = people
    comment = submitted(open_round(), author, "Words.")
    decision = moderation.decide(first, comment, DecisionKind.reject, Reason.spam)
    db.session.commit()
    window_end = decision.decided_at + moderation.undo_window()
    with pytest.raises(DomainError, match="no longer"):
        moderation.undo(first, comment, now=window_end + timedelta(seconds=1))
    with pytest.raises(DomainError, match="no longer"):
        moderation.undo(second, comment)  # only who decided
    assert moderation.undoable(first, decision, now=window_end - timedelta(seconds=1))
    # Once the e-mail is claimed, the decision stands.
    assert moderation.claim_due_outcomes(window_end) == [decision.id]
    db.session.commit()
    with pytest.raises(DomainError, match="no longer"):
        moderation.undo(first, comment, now=window_end - timedelta(seconds=1))
    assert comment.state is CommentState.rejected


def test_a_decision_superseded_within_the_window_is_not_e_mailed(people):
    author, first, _second = people
    comment = submitted(open_round(), author, "Words.")
    approval = moderation.decide(first, comment, DecisionKind.approve)
    removal = moderation.decide(first, comment, DecisionKind.remove, Reason.off_topic)
    db.session.commit()
    later = removal.decided_at + moderation.undo_window()
    assert moderation.claim_due_outcomes(later) == [removal.id]
    assert db.session.get(ModerationDecision, approval.id).notified_at is not None


def test_the_author_reads_why_and_until_when_and_an_appeal_is_refused_after_the_deadline(people, ctx):
    author, first, _second = people
    round_ = open_round()
    rejected = submitted(round_, author, "One.")
    sent_back = submitted(round_, author, "Two.")
    waiting = submitted(round_, author, "Three.")
    moderation.decide(first, rejected, DecisionKind.reject, Reason.off_topic, "Not about the plan.")
    moderation.decide(first, sent_back, DecisionKind.request_changes, Reason.personal_data, "A name.")
    db.session.commit()
    explained = moderation.explain_to_authors([rejected, sent_back, waiting])
    assert set(explained) == {rejected.id, sent_back.id}
    refusal = explained[rejected.id]
    assert (refusal.reason, refusal.note) == (Reason.off_topic, "Not about the plan.")
    assert refusal.appeal_until == refusal.decided_at + timedelta(days=ctx.config["MODERATION_APPEAL_DAYS"])
    assert refusal.provisional and not refusal.may_appeal and refusal.change_until is None
    assert refusal.final_from == refusal.decided_at + moderation.undo_window()
    assert explained[sent_back.id].change_until == round_.closes_at
    assert explained[sent_back.id].appeal_until is None
    decision = db.session.scalar(
        select(ModerationDecision).where(ModerationDecision.comment_id == rejected.id)
    )
    decision.decided_at -= moderation.undo_window()
    db.session.commit()
    assert moderation.explain_to_author(rejected).may_appeal  # final now, and within the time to contest
    decision.decided_at -= timedelta(days=ctx.config["MODERATION_APPEAL_DAYS"] + 1)
    db.session.commit()
    assert not moderation.explain_to_author(rejected).may_appeal
    with pytest.raises(DomainError, match="passed"):
        moderation.appeal(author, rejected, "Please look again.")


def test_nothing_is_decided_without_a_choice(ctx):
    from consult.moderation.forms import DecisionForm

    with ctx.test_request_context(method="POST", data={"note": "Kept."}):
        form = DecisionForm(meta={"csrf": False})
        assert form.decision.data == "" and not form.validate()
        assert form.errors["decision"] and form.note.data == "Kept."
    assert all(not c.value for c in [DecisionForm(formdata=None, meta={"csrf": False}).decision.choices[0]])
