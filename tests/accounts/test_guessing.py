"""Guessing spread over many addresses: one account's failures count from anywhere and pause its sign-in, an
unknown address pauses alike, the owner's e-mailed link works once, a second-factor step allows five codes
however its cookie is replayed, and an office behind one address is never refused for signing in."""

import re
from datetime import timedelta

from consult.accounts.models import StaffRoleName, User
from consult.audit import AuditEvent
from consult.database import utcnow
from consult.extensions import db
from tests.conftest import link_in
from tests.helpers import PASSWORD, csrf_token, make_user, next_totp_code, sign_in, submit

PAUSED = "Sign-in with this e-mail address is paused for a while after too many failed attempts."
WRONG = "The e-mail address or the password is not right."


def _from(client, address: str) -> None:
    """The next requests of this browser come from another address (as the app reads it: REMOTE_ADDR)."""
    client.environ_base["REMOTE_ADDR"] = address


def _attempt(client, email: str, password: str, address: str):
    _from(client, address)
    return submit(client, "/accounts/sign-in", {"email": email, "password": password})


def _answer(response) -> tuple[int, str]:
    """The status and the error shown under the password, what a guesser can compare."""
    page = response.get_data(as_text=True)
    errors = re.findall(r'class="error-message"[^>]*>(.*?)</', page, re.S) or re.findall(
        r'class="field-error"[^>]*>(.*?)</', page, re.S
    )
    shown = PAUSED if PAUSED in page else WRONG if WRONG in page else "|".join(errors)
    return response.status_code, shown


def _actions(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(AuditEvent.action)
                .where(AuditEvent.subject_type == "users", AuditEvent.subject_id == str(user_id))
                .order_by(AuditEvent.id)
            )
        )


def test_eleven_wrong_passwords_from_eleven_addresses_pause_the_account(app, client, inbox):
    account = make_user(app)
    answers = [
        _answer(_attempt(client, account.email, f"guess {n}", f"203.0.113.{n + 1}")) for n in range(11)
    ]
    assert answers == [(422, WRONG)] * 9 + [(422, PAUSED)] * 2
    # While paused, the right password gets the same answer: a pause tells a guesser nothing.
    assert _answer(_attempt(client, account.email, PASSWORD, "198.51.100.1")) == (422, PAUSED)
    assert "user.pause_sign_in" in _actions(app, account.id)
    with app.app_context():
        assert db.session.get(User, account.id).sign_in_paused_until > utcnow()
    assert len(inbox.to(account.email)) == 1  # one e-mail per pause, however many attempts follow


def test_an_unknown_address_gets_the_same_answers_as_an_account(app):
    account = make_user(app)
    answers = {}
    for email in (account.email, "nobody@example.org"):
        client = app.test_client()
        answers[email] = [
            _answer(_attempt(client, email, f"guess {n}", f"192.0.2.{n + 1}")) for n in range(11)
        ] + [_answer(_attempt(client, email, PASSWORD, "192.0.2.99"))]
    assert answers[account.email] == answers["nobody@example.org"]
    assert answers["nobody@example.org"][-3:] == [(422, PAUSED)] * 3


def test_the_owner_is_emailed_a_link_that_signs_in_anyway_once(app, client, inbox):
    account = make_user(app, name="Amina Diallo")
    for n in range(10):
        _attempt(client, account.email, f"guess {n}", f"203.0.113.{n + 1}")
    message = inbox.last_to(account.email)
    assert message["Subject"] == "Sign-in to your account is paused"
    body = message.get_content()
    assert "Amina Diallo" in body and "/accounts/reset/" in body
    link = link_in(message)
    assert "/accounts/sign-in/resume/" in link

    owner = app.test_client()
    _from(owner, "198.51.100.7")
    assert owner.get(link).status_code == 200
    wrong = submit(owner, link, {"password": "still not it"})
    assert wrong.status_code == 422 and "The password is not right." in wrong.get_data(as_text=True)
    signed_in = submit(owner, link, {"password": PASSWORD})
    assert signed_in.status_code == 302 and "/accounts/sign-in" not in signed_in.location
    assert owner.get("/accounts/settings").status_code == 200
    assert _actions(app, account.id)[-3:] == ["user.pause_sign_in", "user.resume_sign_in", "user.sign_in"]

    # Used once: the pause it was bound to is over, so the link is dead; the account signs in as before.
    again = app.test_client()
    used = again.get(link)
    assert used.status_code == 302 and used.location.endswith("/accounts/sign-in")
    sign_in(again, app, account)


def test_a_new_password_from_the_emailed_link_ends_the_pause(app, client, inbox):
    account = make_user(app)
    for n in range(10):
        _attempt(client, account.email, f"guess {n}", f"203.0.113.{n + 1}")
    body = inbox.last_to(account.email).get_content()
    reset = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", body).group(1)
    new = "a brand new password"
    changed = submit(client, reset, {"password": new, "password_repeat": new})
    assert changed.status_code == 302
    signed_in = _attempt(client, account.email, new, "198.51.100.8")
    assert signed_in.status_code == 302 and "/accounts/sign-in" not in signed_in.location
    assert "user.resume_sign_in" in _actions(app, account.id)


def test_the_pause_ends_by_itself_and_old_failures_do_not_add_up(app, client):
    account = make_user(app)
    with app.app_context():
        user = db.session.get(User, account.id)
        user.sign_in_paused_until = utcnow() - timedelta(seconds=1)
        # Nine failures that began sixteen minutes ago are outside the fifteen-minute window.
        user.failed_sign_ins, user.failed_sign_ins_since = 9, utcnow() - timedelta(minutes=16)
        db.session.commit()
    assert _answer(_attempt(client, account.email, "one more guess", "203.0.113.1")) == (422, WRONG)
    with app.app_context():
        assert db.session.get(User, account.id).failed_sign_ins == 1
    assert _attempt(client, account.email, PASSWORD, "203.0.113.2").status_code == 302


def test_a_stale_resume_link_does_not_work(app, client, inbox):
    account = make_user(app)
    for n in range(10):
        _attempt(client, account.email, f"guess {n}", f"203.0.113.{n + 1}")
    link = link_in(inbox.last_to(account.email))
    with app.app_context():  # the pause ran out
        db.session.get(User, account.id).sign_in_paused_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(link).location.endswith("/accounts/sign-in")
    assert client.get(link.replace("/resume/", "/resume/x")).location.endswith("/accounts/sign-in")


def test_thirty_sign_ins_from_one_address_are_not_refused_but_its_failures_are_limited(app):
    office = app.test_client()
    _from(office, "192.0.2.50")
    people = [make_user(app) for _ in range(3)]
    for turn in range(30):
        response = sign_in(office, app, people[turn % 3])
        assert response.status_code == 302, turn
        submit(office, "/accounts/sign-out", page="/")
    # Failures still count against the address: ten (for addresses nobody uses), then 429.
    token = csrf_token(office, "/accounts/sign-in")
    codes = [
        office.post(
            "/accounts/sign-in", data={"csrf_token": token, "email": f"x{n}@example.org", "password": "x"}
        ).status_code
        for n in range(11)
    ]
    assert codes == [422] * 10 + [429]


def _pending_step(app, account):
    """A browser that gave the right password and owes its second factor, and its session cookie."""
    browser = app.test_client()
    response = submit(browser, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
    assert response.location.endswith("/accounts/sign-in/code")
    return browser, browser.get_cookie("session", domain="consult.test").value


def test_five_wrong_codes_end_the_step_even_with_a_replayed_cookie(app, inbox):
    account = make_user(app, (StaffRoleName.moderator,))
    browser, cookie = _pending_step(app, account)
    token = csrf_token(browser, "/accounts/sign-in/code")
    answers = []
    for n in range(5):
        browser.set_cookie("session", cookie, domain="consult.test")  # the cookie as it was before any try
        _from(browser, f"203.0.113.{n + 1}")
        response = browser.post("/accounts/sign-in/code", data={"csrf_token": token, "code": "000000"})
        answers.append(response.status_code)
    assert answers == [422] * 4 + [302]
    assert response.location.endswith("/accounts/sign-in")
    # The copied cookie cannot go on, even with the right code.
    browser.set_cookie("session", cookie, domain="consult.test")
    right = browser.post(
        "/accounts/sign-in/code", data={"csrf_token": token, "code": next_totp_code(app, account)}
    )
    assert right.status_code == 302 and right.location.endswith("/accounts/sign-in")
    assert browser.get("/moderation/").status_code == 302
    assert "user.end_second_factor_step" in _actions(app, account.id)
    told = inbox.last_to(account.email)
    assert told["Subject"] == "Someone signed in with your password but not your second factor"
    assert "/accounts/reset/" in told.get_content()
    # Starting over with the password opens a new step, and the owner signs in.
    sign_in(app.test_client(), app, account)


def test_wrong_codes_count_towards_the_accounts_pause(app, inbox):
    account = make_user(app, (StaffRoleName.moderator,))
    for step in range(2):
        browser, _cookie = _pending_step(app, account)
        for n in range(5):
            _from(browser, f"198.51.100.{step * 10 + n + 1}")
            submit(browser, "/accounts/sign-in/code", {"code": "000000"})
    with app.app_context():
        assert db.session.get(User, account.id).sign_in_paused_until > utcnow()
    assert _answer(_attempt(app.test_client(), account.email, PASSWORD, "192.0.2.9")) == (422, PAUSED)
    subjects = [m["Subject"] for m in inbox.to(account.email)]
    assert subjects.count("Sign-in to your account is paused") == 1
