"""E-mails about accounts, sent as jobs: with a queue, a request answers as fast whether or not the address
has an account (no timing side channel), and never waits for the mail server."""

from flask import current_app
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


def send_sign_in_paused(user_id: int, resume: str, reset: str) -> None:
    """Told to an account's owner when too many failed attempts paused its sign-in: a one-time link to sign
    in anyway, and one to choose a new password."""
    _send(
        user_id,
        lambda: _("Sign-in to your account is paused"),
        "sign_in_paused",
        resume=resume,
        reset=reset,
        pause_minutes=int(current_app.config["SIGN_IN_PAUSE"].total_seconds() // 60),
    )


def send_second_factor_failed(user_id: int, reset: str) -> None:
    """Told to an account's owner when someone gave the right password but five wrong second-factor codes."""
    _send(
        user_id,
        lambda: _("Someone signed in with your password but not your second factor"),
        "second_factor_failed",
        reset=reset,
    )
