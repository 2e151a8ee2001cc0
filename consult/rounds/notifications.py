"""Telling people about rounds: invited organisations when a round opens and three days before it closes.
E-mails go in each person's language. When a round is extended, `extended` is sent: the comments feature
tells the invited organisations and every author (consult/comments/notifications.py)."""

from datetime import timedelta

from blinker import Namespace
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from consult import jobs, mail
from consult.accounts.models import User
from consult.accounts.notices import notify
from consult.database import utcnow
from consult.extensions import db
from consult.i18n import localized
from consult.organisations.models import Membership, MembershipState
from consult.rounds.models import Round, RoundInvitation, RoundState

REMINDER_BEFORE = timedelta(days=3)

#: Sent with the round when a coordinator extends it.
extended = Namespace().signal("round-extended")
#: Sent after each run of the clock (from a request at most once a minute per process, or by
#: `flask consult tick`), so that features above do what time has made due: moderation e-mails the outcomes
#: whose undo window has passed (consult/moderation/notifications.py).
ticked = Namespace().signal("clock-ticked")


def members_of_invited(round_id: int, organisation_ids: list[int] | None = None) -> list[User]:
    """Confirmed members of the organisations invited to a round (of those given, if given)."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .join(RoundInvitation, RoundInvitation.organisation_id == Membership.organisation_id)
        .where(
            RoundInvitation.round_id == round_id,
            Membership.state == MembershipState.confirmed,
            User.active,
            User.erased_at.is_(None),
            User.email_verified_at.is_not(None),
        )
        .distinct()
    )
    if organisation_ids is not None:
        query = query.where(RoundInvitation.organisation_id.in_(organisation_ids))
    return list(db.session.scalars(query))


def tell(people: list[User], round_: Round, template: str, subject) -> None:
    link = mail.external_url("comments.show_round", slug=round_.slug)
    for person in people:
        with force_locale(person.locale or "en"):
            title = str(subject(round_))
        notify(person, title, template, round=round_, link=link)


def _claim_invitations(round_id: int, column: str) -> list[int]:
    """Note on the invitations this notice has not reached yet that it goes out now, and return their
    organisations: every process that runs the clock may queue the notice, and each invitation is claimed by
    one job only (an UPDATE that the others, waiting on the same rows, find already done)."""
    noted = getattr(RoundInvitation, column)
    claimed = db.session.scalars(
        update(RoundInvitation)
        .where(RoundInvitation.round_id == round_id, noted.is_(None))
        .values({column: utcnow()})
        .returning(RoundInvitation.organisation_id)
    ).all()
    db.session.commit()
    return list(claimed)


def send_round_opened(round_id: int) -> None:
    """The job: invited organisations learn that the round is open (once)."""
    round_ = db.session.get(Round, round_id)
    tell(
        members_of_invited(round_id, _claim_invitations(round_id, "notified_at")),
        round_,
        "round_opened",
        lambda r: _("Open for comment: %(title)s", title=localized_title(r)),
    )


def send_round_closing(round_id: int) -> None:
    """The job: invited organisations are reminded three days before the close (once)."""
    round_ = db.session.get(Round, round_id)
    tell(
        members_of_invited(round_id, _claim_invitations(round_id, "reminded_at")),
        round_,
        "round_closing",
        lambda r: _("Three days left to comment: %(title)s", title=localized_title(r)),
    )


def localized_title(round_: Round) -> str:

    return localized(round_.title)


def due_reminders() -> list[int]:
    """Open rounds closing within three days whose invited organisations were not reminded yet."""
    now = utcnow()
    query = (
        select(Round.id)
        .join(RoundInvitation, RoundInvitation.round_id == Round.id)
        .where(
            Round.state == RoundState.open,
            Round.closes_at > now,
            Round.closes_at <= now + REMINDER_BEFORE,
            RoundInvitation.reminded_at.is_(None),
        )
        .distinct()
    )
    return list(db.session.scalars(query))


def announce(moved: list[tuple[int, RoundState]]) -> None:
    """After tick(): queue the opening notices and the due reminders."""
    for round_id, state in moved:
        if state is RoundState.open:
            jobs.enqueue("consult.rounds.notifications.send_round_opened", round_id=round_id)
    for round_id in due_reminders():
        jobs.enqueue("consult.rounds.notifications.send_round_closing", round_id=round_id)
