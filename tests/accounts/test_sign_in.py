"""Signing in: one answer for every wrong pair, and staff only with their second factor."""

import re

import pyotp
import pytest

from consult.accounts.models import StaffRoleName, User
from consult.extensions import db
from tests.helpers import PASSWORD, csrf_token, make_user, next_totp_code, sign_in, submit

COORDINATOR = (StaffRoleName.coordinator,)


def test_unknown_address_and_wrong_password_get_the_same_answer(app, client):
    make_user(app, email="known@example.org")
    unknown = submit(client, "/accounts/sign-in", {"email": "nobody@example.org", "password": PASSWORD})
    wrong = submit(
        client, "/accounts/sign-in", {"email": "known@example.org", "password": "not the password"}
    )
    assert unknown.status_code == wrong.status_code == 422
    message = "The e-mail address or the password is not right."
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)


def test_a_suspended_account_cannot_sign_in(app, client):
    account = make_user(app)
    with app.app_context():
        db.session.get(User, account.id).active = False
        db.session.commit()
    response = submit(client, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
    assert response.status_code == 422 and "suspended" in response.get_data(as_text=True)


def test_a_contributor_signs_in_with_a_password_and_out_with_a_button(app, client):
    account = make_user(app)
    sign_in(client, app, account)
    assert client.get("/accounts/settings").status_code == 200
    assert client.get("/accounts/sign-out").status_code == 405
    submit(client, "/accounts/sign-out")
    assert client.get("/accounts/settings").status_code == 302


def test_staff_must_give_the_second_factor_before_anything_else(app, client):
    account = make_user(app, COORDINATOR)
    response = submit(client, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
    assert response.location.endswith("/accounts/sign-in/code")
    # Half signed in is not signed in.
    assert client.get("/accounts/users").status_code == 302
    assert client.get("/accounts/settings").status_code == 302
    wrong = submit(client, "/accounts/sign-in/code", {"code": "000000"})
    assert wrong.status_code == 422
    response = submit(client, "/accounts/sign-in/code", {"code": next_totp_code(app, account)})
    assert response.status_code == 302
    assert client.get("/accounts/users").status_code == 200


def test_a_totp_code_works_only_once(app, client):
    account = make_user(app, COORDINATOR)
    submit(client, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
    code = next_totp_code(app, account)
    assert submit(client, "/accounts/sign-in/code", {"code": code}).status_code == 302
    other = app.test_client()
    submit(other, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
    assert submit(other, "/accounts/sign-in/code", {"code": code}).status_code == 422


def test_staff_without_a_second_factor_must_enrol_first(app, client):
    account = make_user(app, COORDINATOR, two_factor=False)
    response = submit(client, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
    assert response.location.endswith("/accounts/two-factor/enrol")
    assert client.get("/accounts/users").status_code == 302
    page = client.get("/accounts/two-factor/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = page.split('class="secret">')[1].split("<")[0]
    wrong = submit(client, "/accounts/two-factor/enrol", {"code": "123456"})
    assert wrong.status_code == 422
    response = submit(client, "/accounts/two-factor/enrol", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and "Your recovery codes" in response.get_data(as_text=True)
    assert client.get("/accounts/users").status_code == 200
    with app.app_context():
        user = db.session.get(User, account.id)
        assert user.totp_secret == secret and len(user.recovery_codes) == 10


def test_a_recovery_code_replaces_the_phone_once(app, client):
    account = make_user(app, COORDINATOR)
    sign_in(client, app, account)
    response = submit(
        client,
        "/accounts/two-factor/recovery-codes",
        {"codes-code": next_totp_code(app, account)},
        page="/accounts/two-factor",
        prefix="codes",
    )
    codes = re.findall(r"<li>([0-9a-f]{8}-[0-9a-f]{8})</li>", response.get_data(as_text=True))
    assert len(codes) == 10
    for attempt, expected in ((codes[0], 302), (codes[0], 422)):
        browser = app.test_client()
        submit(browser, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
        assert submit(browser, "/accounts/sign-in/code", {"code": attempt}).status_code == expected


def test_staff_cannot_turn_off_the_second_factor(app, client):
    account = make_user(app, (StaffRoleName.moderator,))
    sign_in(client, app, account)
    response = submit(
        client,
        "/accounts/two-factor/disable",
        {"disable-password": PASSWORD},
        page="/accounts/two-factor",
        prefix="disable",
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, account.id).totp_secret is not None


def test_a_role_granted_without_a_second_factor_gives_no_power(app, client):
    account = make_user(app)
    sign_in(client, app, account)
    with app.app_context():
        from consult.accounts.models import StaffRole

        db.session.add(StaffRole(user_id=account.id, name=StaffRoleName.coordinator))
        db.session.commit()
    assert client.get("/accounts/users").status_code == 403
    assert "Set up two-factor sign-in" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_sign_in_never_redirects_off_site(app, client, target):
    account = make_user(app)
    response = sign_in(client, app, account, next_path=target)
    assert response.location in ("/", "http://consult.test/")


def test_sign_in_returns_to_the_page_asked_for(app, client):
    account = make_user(app)
    response = sign_in(client, app, account, next_path="/accounts/settings")
    assert response.location.endswith("/accounts/settings")


def test_a_stale_form_keeps_the_text_and_says_why(app, client):
    csrf_token(client, "/accounts/register")
    response = client.post(
        "/accounts/register",
        data={
            "csrf_token": "stale",
            "display_name": "Ana Ruiz",
            "email": "ana@example.org",
            "password": PASSWORD,
            "password_repeat": PASSWORD,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing you wrote is lost" in page
    assert 'value="Ana Ruiz"' in page and 'value="ana@example.org"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
