"""Password reset by e-mailed link, and changing the password while signed in."""

import pytest

from consult.accounts.models import User
from consult.extensions import db
from tests.conftest import link_in
from tests.helpers import PASSWORD, make_user, sign_in, submit

pytestmark = pytest.mark.smtp
NEW_PASSWORD = "a brand new passphrase"


def test_reset_by_email_link_works_once(app, client, inbox):
    account = make_user(app, email="reset@example.org")
    response = submit(client, "/accounts/reset", {"email": "RESET@example.org "})
    assert response.status_code == 302
    link = link_in(inbox.last_to("reset@example.org"))

    response = submit(client, link, {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302 and "/accounts/sign-in" in response.location
    with app.app_context():
        assert db.session.get(User, account.id).password_hash.startswith("$argon2id$")

    again = client.get(link)
    assert again.status_code == 302 and again.location.endswith("/accounts/reset")
    assert (
        submit(client, "/accounts/sign-in", {"email": account.email, "password": PASSWORD}).status_code == 422
    )
    assert (
        submit(client, "/accounts/sign-in", {"email": account.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, inbox):
    response = submit(client, "/accounts/reset", {"email": "nobody@example.org"}, follow_redirects=True)
    assert "If an account uses this address" in response.get_data(as_text=True)
    assert inbox.to("nobody@example.org") == []


def test_changing_the_password_signs_out_other_sessions(app, client):
    account = make_user(app)
    sign_in(client, app, account)
    elsewhere = app.test_client()
    sign_in(elsewhere, app, account)

    wrong = submit(
        client,
        "/accounts/password",
        {"current_password": "not it", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "The current password is not right." in wrong.get_data(as_text=True)

    response = submit(
        client,
        "/accounts/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/accounts/settings").status_code == 200
    assert elsewhere.get("/accounts/settings").status_code == 302


def test_a_short_password_is_refused(client):
    response = submit(
        client,
        "/accounts/register",
        {"display_name": "A", "email": "a@example.org", "password": "short", "password_repeat": "short"},
    )
    assert response.status_code == 422 and "Use between 10 and 200 characters." in response.get_data(
        as_text=True
    )
