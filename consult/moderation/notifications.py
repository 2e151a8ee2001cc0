"""The author is told the outcome of a moderation decision, and the reason, in their own language."""

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.comments.models import Comment
from consult.extensions import db
from consult.mail import external_url
from consult.moderation.models import DecisionKind, ModerationDecision
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
