"""E-mails about comments, sent as jobs: the author's receipt, and the new deadline of an extended round
to its invited organisations and every author."""

import hashlib

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from consult import jobs, mail
from consult.accounts.models import User
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.rounds import notifications as rounds
from consult.rounds.models import Round


def send_receipt(comment_id: int) -> None:
    """The author's receipt: the number, what was submitted, and a digest that fixes the text."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.author is None or not comment.author.email:
        return
    author = comment.author
    with force_locale(author.locale or "en"):
        subject = _("Receipt %(number)s: your comment is received", number=comment.receipt_number)
    mail.deliver(
        mail.compose(
            author.email,
            subject,
            "receipt",
            author.locale,
            comment=comment,
            round=db.session.get(Round, comment.round_id),
            digest=hashlib.sha256(comment.body.encode()).hexdigest(),
            link=mail.external_url("moderation.show_receipt", comment_public_id=comment.public_id),
        )
    )


def _authors(round_id: int) -> list[User]:
    """People who submitted a comment to the round (and did not withdraw it)."""
    query = (
        select(User)
        .join(Comment, Comment.author_id == User.id)
        .where(
            Comment.round_id == round_id,
            Comment.state.not_in([CommentState.draft, CommentState.withdrawn]),
            User.active,
            User.erased_at.is_(None),
        )
        .distinct()
    )
    return list(db.session.scalars(query))


def send_round_extended(round_id: int) -> None:
    """The job: invited organisations and every author learn the new deadline."""
    round_ = db.session.get(Round, round_id)
    people = {p.id: p for p in [*rounds.members_of_invited(round_id), *_authors(round_id)]}
    rounds.tell(
        list(people.values()),
        round_,
        "round_extended",
        lambda r: _("More time to comment: %(title)s", title=rounds.localized_title(r)),
    )


@rounds.extended.connect
def _queue_extension_notice(round_: Round) -> None:
    jobs.enqueue("consult.comments.notifications.send_round_extended", round_id=round_.id)
