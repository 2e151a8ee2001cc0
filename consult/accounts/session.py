"""Who is signed in: Flask-Login's loader, and whether this session passed the second factor."""

from flask import Flask, session
from flask_babel import lazy_gettext as _l

from consult.accounts.models import User
from consult.accounts.tokens import fingerprint
from consult.extensions import db, login_manager

#: Session key set once the person has entered a TOTP or recovery code in this session.
SECOND_FACTOR_KEY = "second_factor"


def load_user(session_id: str) -> User | None:
    """The signed-in person, if the session still matches their password."""
    user_id, _, password_fingerprint = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or fingerprint(user.password_hash) != password_fingerprint:
        return None
    user.passed_second_factor = bool(session.get(SECOND_FACTOR_KEY))
    return user


def init_app(app: Flask) -> None:
    """Bind Flask-Login."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
