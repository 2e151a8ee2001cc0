"""Notices to people (not receipts): sent at once, or kept for the daily digest of those who chose it."""

from flask_babel import force_locale, ngettext
from sqlalchemy import delete, select

from consult import mail
from consult.accounts.models import PendingNotice, User
from consult.extensions import db


def notify(person: User, subject: str, template: str, **context) -> None:
    """Tell a person something: an e-mail now, or a line in tomorrow's digest."""
    message = mail.compose(person.email, subject, template, person.locale, user=person, **context)
    if person.notification_digest:
        db.session.add(PendingNotice(user_id=person.id, subject=message.subject, body=message.body))
        db.session.commit()
    else:
        mail.deliver(message)


def send_digests() -> int:
    """One e-mail per person gathering their pending notices, oldest first; returns how many were sent.

    Each person's notices are claimed (deleted, and the deletion committed) before their e-mail is sent: two
    machines running the digest at the same moment send each notice once. If the e-mail cannot be sent, the
    notices are put back for the next digest. No transaction stays open while the mail server answers."""
    sent = 0
    for user_id in db.session.scalars(select(PendingNotice.user_id).distinct()).all():
        columns = (PendingNotice.subject, PendingNotice.body, PendingNotice.created_at, PendingNotice.id)
        claimed = db.session.execute(
            delete(PendingNotice).where(PendingNotice.user_id == user_id).returning(*columns)
        ).all()
        db.session.commit()
        person = db.session.get(User, user_id)
        if not claimed or person is None or not person.email or not person.is_active:
            continue
        notices = sorted(claimed, key=lambda notice: (notice.created_at, notice.id))
        with force_locale(person.locale or "en"):
            subject = ngettext("Your digest: %(num)d notice", "Your digest: %(num)d notices", len(notices))
        message = mail.compose(person.email, subject, "digest", person.locale, user=person, notices=notices)
        if mail.deliver(message):
            sent += 1
            continue
        db.session.add_all(
            PendingNotice(user_id=user_id, subject=n.subject, body=n.body, created_at=n.created_at)
            for n in notices
        )
        db.session.commit()
    return sent
