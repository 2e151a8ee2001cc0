"""Small tools the security suites share: a session's form token, every row of every table."""

from flask.testing import FlaskClient

from consult.extensions import db
from tests.helpers import catch_up_the_clock, csrf_token


def _dump() -> dict:
    """Every row of every table, once the rounds' clock has written what it has made due."""
    catch_up_the_clock()
    return {
        table.name: sorted(map(repr, db.session.execute(table.select()).all()))
        for table in db.metadata.sorted_tables
    }


def form_token(client: FlaskClient, signed_in: bool) -> str:
    """The session's CSRF token, from a form it is shown (public pages carry none for readers)."""
    return csrf_token(client, "/accounts/settings" if signed_in else "/accounts/sign-in")
