"""E-mails about accounts, sent as jobs: with a queue, a request answers as fast whether or not the address
has an account (no timing side channel), and never waits for the mail server."""

from flask_babel import force_locale
from flask_babel import gettext as _

from consult import mail
from consult.accounts.models import User
from consult.extensions import db


def _send(user_id: int, subject, template: str, **context) -> None:
    user = db.session.get(User, user_id)
    if user is None or not user.email:
        return
    with force_locale(user.locale or "en"):
        title = str(subject())
    mail.deliver(mail.compose(user.email, title, template, user.locale, user=user, **context))


def send_verification(user_id: int, link: str) -> None:
    """The link that confirms an address."""
    _send(user_id, lambda: _("Confirm your e-mail address"), "verify_email", link=link)


def send_already_registered(user_id: int, sign_in: str, reset: str) -> None:
    """Told to an account's owner when someone registers with their address."""
    _send(
        user_id,
        lambda: _("Someone tried to register with your e-mail address"),
        "already_registered",
        sign_in=sign_in,
        reset=reset,
    )


def send_reset(user_id: int, link: str) -> None:
    """The link to choose a new password."""
    _send(user_id, lambda: _("Choose a new password"), "reset_password", link=link)
