"""E-mails about comments, sent as jobs: the author's receipt."""

import hashlib

from flask_babel import force_locale
from flask_babel import gettext as _

from consult import mail
from consult.comments.models import Comment
from consult.extensions import db
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
            link=mail.external_url("comments.show_comment", comment_public_id=comment.public_id),
        )
    )
