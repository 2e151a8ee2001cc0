"""Registering, confirming the address over real SMTP, and never telling who has an account."""

import pytest

from consult.accounts.models import User
from consult.audit import AuditEvent
from consult.extensions import db
from tests.conftest import link_in
from tests.helpers import PASSWORD, make_user, submit

pytestmark = pytest.mark.smtp

NEW = {
    "display_name": "Ana Ruiz",
    "email": "Ana@Example.org",
    "password": PASSWORD,
    "password_repeat": PASSWORD,
}


def test_register_confirm_by_email_then_sign_in(app, client, inbox):
    response = submit(client, "/accounts/register", NEW)
    assert response.status_code == 302 and response.location.endswith("/accounts/check-your-inbox")

    message = inbox.last_to("ana@example.org")
    assert "Confirm your e-mail address" in message["Subject"]
    link = link_in(message)

    # The link shows a button; opening it (as a mail scanner would) changes nothing.
    assert client.get(link).status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(User)).email_verified_at is None

    response = submit(client, link, {})
    assert response.status_code == 302 and "/accounts/sign-in" in response.location
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email_verified_at is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
        assert {"user.register", "user.verify_email"} <= actions

    response = submit(client, "/accounts/sign-in", {"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "Sign out" in client.get("/").get_data(as_text=True)


def test_an_unconfirmed_account_cannot_sign_in_and_gets_a_new_link(app, client, inbox):
    make_user(app, verified=False, email="late@example.org")
    response = submit(client, "/accounts/sign-in", {"email": "late@example.org", "password": PASSWORD})
    assert response.status_code == 422
    assert "confirm your e-mail address first" in response.get_data(as_text=True)
    assert inbox.last_to("late@example.org")


def test_registering_a_taken_address_looks_the_same_and_warns_its_owner(app, client, inbox):
    make_user(app, email="ana@example.org")
    response = submit(client, "/accounts/register", NEW)
    assert response.status_code == 302 and response.location.endswith("/accounts/check-your-inbox")
    message = inbox.last_to("ana@example.org")
    assert "tried to register" in message["Subject"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_a_forged_or_expired_link_is_refused(app, client):
    response = client.get("/accounts/verify/not-a-real-token")
    assert response.status_code == 302 and response.location.endswith("/accounts/verify")


def test_mismatched_passwords_keep_what_was_typed(client):
    response = submit(client, "/accounts/register", {**NEW, "password_repeat": "something else entirely"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page and "The two passwords are not the same." in page
    assert 'value="Ana Ruiz"' in page and 'value="Ana@Example.org"' in page
