"""The author is told the outcome of a moderation decision, and the reason, in their own language; and the
outcome of their appeal, with the note the second moderator wrote them."""

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.comments.models import Comment
from consult.extensions import db
from consult.mail import external_url
from consult.moderation.models import Appeal, AppealState, DecisionKind, ModerationDecision
from consult.notices import notify
from consult.rounds.models import Round

SUBJECTS = {
    DecisionKind.approve: lambda: _("Your comment is published"),
    DecisionKind.reject: lambda: _("Your comment is not published"),
    DecisionKind.remove: lambda: _("Your comment is no longer published"),
    DecisionKind.request_changes: lambda: _("Your comment needs a change before it is published"),
}


def send_outcome(decision_id: int) -> None:
    """The job: e-mail the author what was decided and why."""
    decision = db.session.get(ModerationDecision, decision_id)
    comment = db.session.get(Comment, decision.comment_id) if decision else None
    if comment is None or comment.author is None or not comment.author.email:
        return
    author = comment.author
    with force_locale(author.locale or "en"):
        subject = str(SUBJECTS[decision.decision]())
    notify(
        author,
        subject,
        "moderation_outcome",
        comment=comment,
        decision=decision,
        round=db.session.get(Round, comment.round_id),
        link=external_url("comments.show_comment", comment_id=comment.id),
    )


APPEAL_SUBJECTS = {
    AppealState.granted: lambda: _("Your appeal is granted: your comment is published"),
    AppealState.upheld: lambda: _("Your appeal is not granted: your comment stays unpublished"),
}


def send_appeal_outcome(appeal_id: int) -> None:
    """The job: e-mail the author how their appeal was decided, with the moderator's note."""
    appeal = db.session.get(Appeal, appeal_id)
    comment = db.session.get(Comment, appeal.comment_id) if appeal else None
    if comment is None or appeal.state not in APPEAL_SUBJECTS:
        return
    author = comment.author
    if author is None or not author.email:
        return
    with force_locale(author.locale or "en"):
        subject = str(APPEAL_SUBJECTS[appeal.state]())
    notify(
        author,
        subject,
        "appeal_outcome",
        comment=comment,
        appeal=appeal,
        round=db.session.get(Round, comment.round_id),
        link=external_url("comments.show_comment", comment_id=comment.id),
    )
