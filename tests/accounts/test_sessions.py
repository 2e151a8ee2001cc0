"""Sessions kept on the server: signing out ends one for every copy of its cookie, "sign out everywhere" ends
them all, a new password ends the others, and a staff session ends after an idle time without losing what
was being written."""

from datetime import timedelta

from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User, UserSession
from consult.audit import AuditEvent
from consult.database import utcnow
from consult.extensions import db
from tests.factories import comment_form as form
from tests.factories import make_open_round
from tests.helpers import PASSWORD, csrf_token, make_user, sign_in, submit

NEW_PASSWORD = "another good password"


def _copy(app, browser):
    """Another browser holding a copy of this one's session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie(
        "session", browser.get_cookie("session", domain="consult.test").value, domain="consult.test"
    )
    return thief


def _signed_in(browser) -> bool:
    return browser.get("/accounts/settings").status_code == 200


def _rows(app, user_id: int) -> list[UserSession]:
    with app.app_context():
        return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)))


def _idle(app, user_id: int, minutes: float) -> None:
    """Make every live session of the person look as if its last request was minutes ago."""
    with app.app_context():
        for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)):
            row.last_seen_at = utcnow() - timedelta(minutes=minutes)
        db.session.commit()


def test_each_sign_in_is_a_row_whose_token_only_the_cookie_holds(app, client):
    account = make_user(app)
    sign_in(client, app, account)
    (row,) = _rows(app, account.id)
    with client.session_transaction() as session:
        token = session["session_token"]
    assert row.ended_at is None and len(row.token_hash) == 64 and token not in row.token_hash


def test_a_cookie_copied_before_sign_out_fails_after_it(app, client):
    account = make_user(app)
    sign_in(client, app, account)
    thief = _copy(app, client)
    assert _signed_in(thief)
    submit(client, "/accounts/sign-out")
    assert not _signed_in(client) and not _signed_in(thief)
    # The dead cookie reads as signed out everywhere, the public pages too.
    page = thief.get("/").get_data(as_text=True)
    assert "/accounts/sign-out" not in page and "/accounts/sign-in" in page
    assert [row.ended_at is not None for row in _rows(app, account.id)] == [True]


def test_sign_out_everywhere_ends_every_session_after_a_confirmation(app):
    account = make_user(app)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, app, account)
    sign_in(phone, app, account)
    stolen = _copy(app, phone)
    settings = laptop.get("/accounts/settings").get_data(as_text=True)
    assert "/accounts/sign-out-everywhere" in settings
    confirm = laptop.get("/accounts/sign-out-everywhere")
    assert confirm.status_code == 200 and "every session of your account" in confirm.get_data(as_text=True)
    assert all(_signed_in(browser) for browser in (laptop, phone, stolen))  # asking changed nothing
    # Without its form token, nothing is ended.
    assert laptop.post("/accounts/sign-out-everywhere", data={}).status_code == 400
    assert _signed_in(phone)

    done = submit(laptop, "/accounts/sign-out-everywhere")
    assert done.status_code == 302 and done.location.endswith("/accounts/sign-in")
    assert not any(_signed_in(browser) for browser in (laptop, phone, stolen))
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent.after).where(AuditEvent.action == "user.sign_out_everywhere")
        ) == {"sessions": 2}
    sign_in(app.test_client(), app, account)  # the password still works


def test_a_new_password_ends_the_other_sessions_and_a_reset_ends_them_all(app, inbox):
    account = make_user(app)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, app, account)
    sign_in(phone, app, account)
    changed = submit(
        laptop,
        "/accounts/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert _signed_in(laptop) and not _signed_in(phone)

    submit(phone, "/accounts/reset", {"email": account.email})
    from tests.conftest import link_in

    reset = link_in(inbox.last_to(account.email))
    assert submit(phone, reset, {"password": PASSWORD, "password_repeat": PASSWORD}).status_code == 302
    assert not _signed_in(laptop)
    assert all(row.ended_at is not None for row in _rows(app, account.id))


def test_a_staff_session_ends_after_its_idle_time_with_a_clear_message(app, client):
    account = make_user(app, (StaffRoleName.coordinator,))
    sign_in(client, app, account)
    _idle(app, account.id, 29)
    assert client.get("/accounts/users").status_code == 200  # within the half hour
    _idle(app, account.id, 31)
    away = client.get("/accounts/users")
    assert away.status_code == 302 and "/accounts/sign-in" in away.location
    page = client.get(away.location).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity." in page
    assert [row.ended_at is not None for row in _rows(app, account.id)] == [True]
    sign_in(client, app, account)
    assert client.get("/accounts/users").status_code == 200


def test_a_contributor_session_lasts_longer_but_not_for_ever(app, client):
    account = make_user(app)
    sign_in(client, app, account)
    _idle(app, account.id, 31)
    assert _signed_in(client)
    _idle(app, account.id, 13 * 60)  # beyond PERMANENT_SESSION_LIFETIME (12 hours)
    assert not _signed_in(client)


def test_the_last_request_is_written_at_most_once_a_minute(app, client, count_queries):
    account = make_user(app)
    sign_in(client, app, account)
    _idle(app, account.id, 2)
    with count_queries() as first:
        assert _signed_in(client)
    with count_queries() as second:
        assert _signed_in(client)
    touches = [s for s in first if s.startswith("UPDATE user_sessions SET last_seen_at")]
    assert len(touches) == 1 and not [s for s in second if s.startswith("UPDATE user_sessions")]
    (row,) = _rows(app, account.id)
    assert utcnow() - row.last_seen_at < timedelta(seconds=30)


def test_a_staff_member_signed_out_while_writing_keeps_the_text(app, client):
    with app.app_context():
        make_open_round()
        db.session.commit()
    account = make_user(app, (StaffRoleName.moderator,))
    sign_in(client, app, account)
    token = csrf_token(client, "/comments/new/open-round?target=round")
    _idle(app, account.id, 45)
    sent = client.post(
        "/comments/new/open-round",
        data={**form(target="round", body="Written during a long meeting"), "csrf_token": token},
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 401 and "Written during a long meeting" in page and "signed out" in page
    with app.app_context():
        assert db.session.get(User, account.id) is not None


def test_any_staff_form_sent_after_the_idle_time_comes_back_with_its_words(app, client):
    account = make_user(app, (StaffRoleName.moderator,))
    sign_in(client, app, account)
    token = csrf_token(client, "/accounts/settings")
    _idle(app, account.id, 31)
    sent = client.post(
        "/moderation/decide",
        data={"csrf_token": token, "decision": "reject", "note": "Please take out the telephone number."},
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 401 and "You were signed out" in page
    assert "Please take out the telephone number." in page and token not in page
    assert ">reject<" not in page and "\nreject" not in page  # the form's own choice is not words
    # Words need no spaces: a note in Chinese, or a single word, comes back too.
    chinese = client.post(
        "/moderation/decide", data={"csrf_token": token, "decision": "reject", "note": "删除电话号码。"}
    )
    assert chinese.status_code == 401 and "删除电话号码。" in chinese.get_data(as_text=True)
    # Without words to keep, a signed-out person is simply asked to sign in.
    bare = client.post("/moderation/decide", data={"csrf_token": token, "decision": "reject"})
    assert bare.status_code == 302 and "/accounts/sign-in?next=" in bare.location
