"""The security baseline: headers, CSRF on every state change, rate limits, cookies, request size."""

import multiprocessing
import re
from pathlib import Path

import pytest
from flask import url_for

from config import ProductionConfig, TestingConfig, local_secret_key
from consult import create_app
from consult.accounts.models import StaffRoleName
from consult.accounts.tokens import make_token
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import OrganisationType
from consult.security import is_safe_next
from tests.helpers import PASSWORD, csrf_token, make_user, require_redis, sign_in, submit
from tests.routes import World, _argument_sets, _plan_objects
from tests.security.support import _dump


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style_and_no_third_party_host(client):
    for path in ("/", "/accounts/register", "/accounts/sign-in", "/accounts/reset"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "<style" not in page and " style=" not in page
        hosts = set(re.findall(r'(?:src|href|action)="(?:https?:)?//([^/"]+)', page))
        assert hosts == set(), f"{path} loads from {hosts}"


def test_the_session_cookie_is_httponly_and_samesite(client):
    client.get("/accounts/sign-in")
    cookie = client.get_cookie("session", domain="consult.test")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_production_cookies_are_secure_and_a_secret_key_is_required(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    app = create_app(ProductionConfig, SECRET_KEY="x" * 32)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def _key_after_barrier(barrier, instance: str, keys) -> None:
    barrier.wait()
    keys.put(local_secret_key(Path(instance)))


def test_app_servers_starting_together_agree_on_one_development_key(tmp_path):
    """Without SECRET_KEY, every worker of a gunicorn started at once must sign sessions with the same
    key: eight processes released together all read the one that was written first, whole."""
    context = multiprocessing.get_context("fork")
    barrier, keys = context.Barrier(8), context.Queue()
    workers = [
        context.Process(target=_key_after_barrier, args=(barrier, str(tmp_path / "instance"), keys))
        for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    found = {keys.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert len(found) == 1 and len(found.pop()) >= 48
    assert [p.name for p in (tmp_path / "instance").iterdir()] == ["secret_key"]  # no draft left behind


def _post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule


def test_every_post_without_a_csrf_token_is_refused(app, client):
    """Signed in as a coordinator, so that only the missing token can be the reason for refusal: every POST
    is answered 400 (or sends a signed-in person on before any form is read) and the database is unchanged."""
    coordinator = make_user(app, (StaffRoleName.coordinator,))
    other = make_user(app)
    sign_in(client, app, coordinator)
    with app.app_context():
        organisation = organisations.create_organisation(None, "NGO", OrganisationType.ngo)
        db.session.commit()
        objects = World(
            other.id,
            organisation.id,
            organisation.id,
            other.id,
            make_token("verify", {"uid": other.id, "email": other.email}),
            make_token("reset", {}),
            _plan_objects(),
        )
        db.session.commit()
        before = _dump()
    answers = []
    for rule in _post_routes(app):
        for arguments in _argument_sets(rule, objects, False):
            with app.test_request_context():
                path = url_for(rule.endpoint, **arguments)
            response = client.post(
                path, data={"display_name": "X", "email": "x@example.org", "language": "fr"}
            )
            answers.append((path, response.status_code))
            response.close()
    with app.app_context():
        assert _dump() == before
    # Pages that send a signed-in coordinator on before reading any form (already signed in, already enrolled,
    # a reset link that is not for them): nothing changes there either, as the dump shows.
    moved_on = ("/accounts/register", "/accounts/sign-in", "/accounts/two-factor/enrol", "/accounts/reset/")
    assert len(answers) > 15
    unexpected = [
        (path, code)
        for path, code in answers
        if not (code in (400, 403, 404) or (code == 302 and path.startswith(moved_on)))
    ]
    assert unexpected == []


def test_a_wrong_token_is_refused_too(app, client):
    response = client.post("/language", data={"csrf_token": "forged", "language": "fr"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/accounts/settings", True),
        ("/organisations/?state=pending", True),
        ("https://evil.example", False),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("/\tevil", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
    ],
)
def test_only_local_paths_are_followed(target, safe):
    assert is_safe_next(target) is safe


def test_sign_in_attempts_are_rate_limited(app, client):
    make_user(app, email="target@example.org")
    token = csrf_token(client, "/accounts/sign-in")
    codes = [
        client.post(
            "/accounts/sign-in",
            data={"csrf_token": token, "email": "target@example.org", "password": "guess"},
        ).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [422] * 10 and codes[10:] == [429, 429]
    page = client.post("/accounts/sign-in", data={"csrf_token": token}).get_data(as_text=True)
    assert "Too many attempts" in page


def test_rate_limits_can_be_shared_through_redis(app):
    require_redis()
    redis_app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15",
    )
    from consult.extensions import limiter

    with redis_app.app_context():
        assert type(limiter.storage).__name__ == "RedisStorage"
        assert limiter.storage.check()


def test_a_request_over_the_size_limit_is_refused_with_a_clear_page(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    client = app.test_client()
    response = client.post("/accounts/register", data={"display_name": "x" * 5000})
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


def test_no_password_is_echoed_back(app, client):
    response = submit(
        client,
        "/accounts/register",
        {"display_name": "A", "email": "bad", "password": PASSWORD, "password_repeat": PASSWORD},
    )
    assert PASSWORD not in response.get_data(as_text=True)
