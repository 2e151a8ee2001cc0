"""Notices to people (not receipts): sent at once, or kept for the daily digest of those who chose it."""

from collections import defaultdict

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
    """One e-mail per person gathering their pending notices, oldest first; returns how many were sent."""
    pending: dict[int, list[PendingNotice]] = defaultdict(list)
    for notice in db.session.scalars(
        select(PendingNotice).order_by(PendingNotice.created_at, PendingNotice.id)
    ):
        pending[notice.user_id].append(notice)
    sent = 0
    for user_id, notices in pending.items():
        person = db.session.get(User, user_id)
        if person is not None and person.email and person.is_active:
            with force_locale(person.locale or "en"):
                count = len(notices)
                subject = ngettext("Your digest: %(num)d notice", "Your digest: %(num)d notices", count)
            mail.deliver(
                mail.compose(person.email, subject, "digest", person.locale, user=person, notices=notices)
            )
            sent += 1
        db.session.execute(delete(PendingNotice).where(PendingNotice.id.in_([n.id for n in notices])))
        db.session.commit()
    return sent
