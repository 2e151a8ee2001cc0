"""The author is told the outcome of a moderation decision, and the reason, in their own language; and the
outcome of their appeal, with the note the second moderator wrote them."""

from collections.abc import Callable

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from consult.accounts.notices import notify
from consult.comments.models import Comment, CommentState, Publication
from consult.database import utcnow
from consult.extensions import db
from consult.mail import external_url
from consult.moderation.models import Appeal, AppealState, DecisionKind, ModerationDecision
from consult.moderation.services.decisions import claim_due_outcomes, send_outcomes
from consult.moderation.services.explained import explain_to_author
from consult.rounds.models import Round
from consult.rounds.notifications import ticked

SUBJECTS = {
    DecisionKind.approve: lambda: _("Your comment is published"),
    DecisionKind.reject: lambda: _("Your comment is not published"),
    DecisionKind.remove: lambda: _("Your comment is no longer published"),
    DecisionKind.request_changes: lambda: _("Your comment needs a change before it is published"),
}

APPEAL_SUBJECTS = {
    AppealState.granted: lambda: _("Your appeal is granted: your comment is published"),
    AppealState.upheld: lambda: _("Your appeal is not granted: your comment stays unpublished"),
}


def _tell_author(comment: Comment | None, subject: Callable[[], str], template: str, **context) -> None:
    """E-mail (or keep for the digest) a notice about their comment to its author, in their language."""
    author = comment.author if comment is not None else None
    if author is None or not author.email:
        return
    with force_locale(author.locale or "en"):
        text = str(subject())
    notify(
        author,
        text,
        template,
        comment=comment,
        round=db.session.get(Round, comment.round_id),
        link=external_url("moderation.show_receipt", comment_public_id=comment.public_id),
        **context,
    )


def _approval_subject(comment: Comment) -> Callable[[], str] | None:
    """For an approval the public cannot read yet (or ever): a subject that says so, not "published"."""
    if comment.publication is Publication.confidential:
        return lambda: _("Your comment is accepted: it stays confidential to the mechanism")
    shown_from = comment.public_from
    if comment.state is CommentState.published and shown_from is not None and shown_from > utcnow():
        return lambda: _(
            "Your comment is approved: it is shown to the public from %(date)s",
            date=format_date(shown_from, "long"),
        )
    return None


def send_outcome(decision_id: int) -> None:
    """The job: e-mail the author what was decided and why; an approval says from when the public sees the
    comment (an unnamed one only from the next day, a confidential one never), as the receipt does."""
    decision = db.session.get(ModerationDecision, decision_id)
    if decision is not None:
        comment = db.session.get(Comment, decision.comment_id)
        explained = explain_to_author(comment) if comment is not None else None
        subject = SUBJECTS[decision.decision]
        if comment is not None and decision.decision is DecisionKind.approve:
            subject = _approval_subject(comment) or subject
        _tell_author(
            comment, subject, "moderation_outcome", decision=decision, explained=explained, now=utcnow()
        )


def send_appeal_outcome(appeal_id: int) -> None:
    """The job: e-mail the author how their appeal was decided, with the moderator's note."""
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is not None and appeal.state in APPEAL_SUBJECTS:
        comment = db.session.get(Comment, appeal.comment_id)
        _tell_author(comment, APPEAL_SUBJECTS[appeal.state], "appeal_outcome", appeal=appeal)


@ticked.connect
def send_due_outcomes(_sender: object = None) -> None:
    """When the clock runs (and after each decision): e-mail the authors of the decisions whose undo window
    has passed, each claimed and committed once whatever the number of servers, then queued."""
    due = claim_due_outcomes()
    db.session.commit()
    send_outcomes(due)
