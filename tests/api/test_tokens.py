"""Tokens: issued by coordinators and shown once, kept only as a hash, refused once revoked; confidential
input only for a token allowed to read it, each read audited."""

import re
from datetime import timedelta

from sqlalchemy import select

from consult.accounts.models import StaffRoleName
from consult.api import services
from consult.api.models import ApiToken
from consult.audit import AuditEvent
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from tests.api.fixtures import bearer, by_row_id, issue, published_round
from tests.helpers import make_user, sign_in, submit


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# The service


def test_only_the_tokens_hash_is_kept_and_it_finds_the_token(ctx):
    token, secret = services.issue_token(None, "Tracking database", True)
    db.session.commit()
    assert secret.startswith("consult_") and len(secret) > 40
    stored = db.session.get(ApiToken, token.id)
    assert stored.token_hash == services.hash_token(secret) and secret not in stored.token_hash
    assert stored.prefix == secret[:12]
    assert services.find_token(secret) is stored
    assert services.find_token(secret + "x") is None
    assert services.find_token("") is None


def test_a_token_needs_a_name_and_is_revoked_once(ctx):
    try:
        services.issue_token(None, "   ", False)
    except DomainError as error:
        assert error.field == "name"
    else:
        raise AssertionError("a nameless token was issued")
    token, _secret = services.issue_token(None, "Tracking database", False)
    services.revoke_token(None, token)
    assert token.revoked_at is not None
    try:
        services.revoke_token(None, token)
    except DomainError:
        pass
    else:
        raise AssertionError("a token was revoked twice")


def test_last_use_is_written_at_most_once_a_minute(ctx):
    token, _secret = services.issue_token(None, "Tracking database", False)
    now = utcnow()
    assert services.touch_token(token, now) is True
    assert services.touch_token(token, now + timedelta(seconds=59)) is False
    assert token.last_used_at == now
    assert services.touch_token(token, now + timedelta(seconds=61)) is True
    assert token.last_used_at == now + timedelta(seconds=61)


# Authentication


def test_a_bad_token_is_refused_with_401_and_a_bearer_challenge(app, client):
    token_id, secret = issue(app)
    for header in (
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": f"Basic {secret}"},
        {"Authorization": "Bearer"},
    ):
        response = client.get("/api/v1/rounds", headers=header)
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["error"]["code"] == "invalid_token"
    ok = client.get("/api/v1/rounds", headers=bearer(secret))
    assert ok.status_code == 200
    with app.app_context():
        assert db.session.get(ApiToken, token_id).last_used_at is not None


def test_a_revoked_token_is_refused(app, client):
    token_id, secret = issue(app)
    assert client.get("/api/v1/plan", headers=bearer(secret)).status_code == 200
    with app.app_context():
        services.revoke_token(None, db.session.get(ApiToken, token_id))
        db.session.commit()
    response = client.get("/api/v1/plan", headers=bearer(secret))
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_opens_no_page_and_changes_nothing(app, client):
    _token_id, secret = issue(app, confidential=True)
    page = client.get("/api/tokens", headers=bearer(secret))
    assert page.status_code == 302 and "/accounts/sign-in" in page.location
    assert client.get("/moderation/", headers=bearer(secret)).status_code == 302
    posted = client.post("/api/v1/rounds", headers=bearer(secret))
    assert posted.status_code == 405


def test_each_token_has_its_own_rate_budget(app, client):
    app.config["RATELIMIT_API"] = "2 per minute"
    _first_id, first = issue(app, name="First")
    _second_id, second = issue(app, name="Second")
    codes = [client.get("/api/v1/plan", headers=bearer(first)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/plan", headers=bearer(second)).status_code == 200
    assert client.get("/api/v1/plan").status_code == 200  # the client's own address: a budget apart


# Confidential input


def test_confidential_input_needs_a_token_allowed_to_read_it(app, client):
    data = published_round(app, campaign_size=1).input
    _plain_id, plain = issue(app, confidential=False)
    url = f"/api/v1/rounds/{data.slug}/comments?include=confidential"
    for headers in ({}, bearer(plain)):
        response = client.get(url, headers=headers)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
    assert _events(app, "api.read_confidential") == []


def test_each_confidential_read_is_audited_once_with_the_token_and_the_comments(app, client):
    data = published_round(app, campaign_size=1).input
    token_id, secret = issue(app, confidential=True, name="Tracking database")
    url = f"/api/v1/rounds/{data.slug}/comments?include=confidential"
    rows = client.get(url, headers=bearer(secret)).get_json()["data"]
    confidential = [row for row in rows if row["confidential"]]
    assert list(by_row_id(app, confidential)) == [data.confidential_id]
    assert confidential[0]["author"] == "Hidden Person"
    assert confidential[0]["text"] == "A guard threatened me after my visit. Secret witness account."
    public = by_row_id(app, [row for row in rows if not row["confidential"]])
    assert public[data.anonymous_id]["author"] is None  # an anonymous comment stays anonymous
    events = _events(app, "api.read_confidential")
    assert len(events) == 1
    event = events[0]
    assert (event.subject_type, event.subject_id, event.actor_id) == ("rounds", str(data.round_id), None)
    assert event.after == {
        "token_id": token_id,
        "token_name": "Tracking database",
        "count": 1,
        "comment_ids": [data.confidential_id],
    }
    client.get(url, headers=bearer(secret))
    client.get(f"/api/v1/rounds/{data.slug}/comments", headers=bearer(secret))  # no include: not audited
    assert len(_events(app, "api.read_confidential")) == 2


def test_a_hidden_comment_reaches_only_a_confidential_reader(app, client):
    from consult.comments.models import Comment

    data = published_round(app, campaign_size=1).input
    with app.app_context():
        db.session.get(Comment, data.named_id).hidden_at = utcnow()
        db.session.commit()
    _token_id, secret = issue(app, confidential=True)
    url = f"/api/v1/recommendations/{data.recommendation_id}/comments"
    public_ids = set(by_row_id(app, client.get(url).get_json()["data"]))
    rows = client.get(url + "?include=confidential", headers=bearer(secret)).get_json()["data"]
    assert data.named_id not in public_ids
    hidden = by_row_id(app, rows)[data.named_id]
    assert hidden["confidential"] is True and hidden["author"] == "Olga Petrova"
    (event,) = _events(app, "api.read_confidential")
    assert (event.subject_type, event.subject_id) == ("recommendations", str(data.recommendation_id))
    assert event.after["comment_ids"] == [data.named_id]


# The coordinators' page


def test_a_coordinator_issues_a_token_seen_once_then_revokes_it(app, client):
    coordinator = make_user(app, (StaffRoleName.coordinator,))
    sign_in(client, app, coordinator)
    page = submit(client, "/api/tokens", {"name": "Recommendation tracker", "may_read_confidential": "y"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    secret = re.search(r'<code class="secret">(consult_[^<]+)</code>', text).group(1)
    assert client.get("/api/v1/rounds", headers=bearer(secret)).status_code == 200
    listing = client.get("/api/tokens").get_data(as_text=True)
    assert secret not in listing and "Recommendation tracker" in listing and secret[:12] in listing
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.may_read_confidential and token.created_by_id == coordinator.id
        token_id = token.id
    created = _events(app, "api_token.create")
    assert len(created) == 1 and created[0].actor_id == coordinator.id
    assert secret not in str(created[0].after)
    revoked = submit(client, f"/api/tokens/{token_id}/revoke", page="/api/tokens")
    assert revoked.status_code == 302
    assert len(_events(app, "api_token.revoke")) == 1
    assert client.get("/api/v1/rounds", headers=bearer(secret)).status_code == 401
    listing = client.get("/api/tokens").get_data(as_text=True)
    assert "Revoked on" in listing
    assert "The token “<bdi>Recommendation tracker</bdi>” no longer works." in listing  # its name set apart


def test_a_nameless_token_is_refused_with_the_forms_message(app, client):
    sign_in(client, app, make_user(app, (StaffRoleName.coordinator,)))
    page = submit(client, "/api/tokens", {"name": ""})
    assert page.status_code == 422
    assert 'class="error-summary"' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_only_coordinators_manage_tokens(app, client):
    sign_in(client, app, make_user(app, (StaffRoleName.moderator,)))
    assert client.get("/api/tokens").status_code == 403
    token_id, _secret = issue(app)
    response = submit(client, f"/api/tokens/{token_id}/revoke", page="/")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None
