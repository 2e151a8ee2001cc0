"""Public pages kept for readers who are not signed in: served again only while nothing public has changed,
never to a signed-in person, with each reader's own form token, across workers and app servers."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from config import TestingConfig
from consult import create_app
from consult.accounts.models import User
from consult.comments import services as comments
from consult.comments.models import Comment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.rounds.models import Round, RoundState
from tests.helpers import csrf_token, require_redis, sign_in
from tests.summaries.fixtures import closed_round_with_input

NAMED_TEXT = "Inspections of police stations have not started."


@pytest.fixture
def given(app):
    return closed_round_with_input(app, campaign_size=1)


def _page(client, path: str, **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_reader_is_served_the_kept_page_without_touching_the_database(app, given, count_queries):
    path = f"/plan/recommendations/{given.recommendation_id}"
    first = app.test_client().get(path)
    with count_queries() as statements:
        again = app.test_client().get(path)
    assert statements == []
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert NAMED_TEXT in again.get_data(as_text=True)
    assert "Set-Cookie" not in again.headers and again.headers["Content-Security-Policy"]


def test_a_page_that_holds_something_of_the_readers_own_is_not_kept(app, given, count_queries):
    """A form token or a message for the next page is personal: such a render is never served to another."""
    path = f"/rounds/{given.slug}/outcome"
    client = app.test_client()
    csrf_token(client, "/accounts/sign-in")  # the sign-in form put a token in this reader's session
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Your language was changed.")]
    assert "Your language was changed." in _page(client, path)
    with count_queries() as statements:
        page = _page(app.test_client(), path)
    assert statements and "Your language was changed." not in page


def test_a_reader_who_chose_a_language_is_served_pages_in_it(app, given):
    path = f"/rounds/{given.slug}"
    _page(app.test_client(), path, **{"Accept-Language": "en"})
    reader = app.test_client()
    assert reader.get(f"/language/switch?language=fr&next={path}").status_code == 302
    assert 'lang="fr"' in _page(reader, path, **{"Accept-Language": "en"})


def test_pages_are_kept_per_language(app, given):
    path = f"/rounds/{given.slug}"
    english = _page(app.test_client(), path, **{"Accept-Language": "en"})
    arabic = _page(app.test_client(), path, **{"Accept-Language": "ar"})
    assert 'lang="en"' in english and 'lang="ar"' in arabic and 'dir="rtl"' in arabic


def test_a_signed_in_person_always_gets_a_fresh_page(app, given):
    path = f"/rounds/{given.slug}"
    _page(app.test_client(), path)  # kept for readers
    client = app.test_client()
    sign_in(client, app, given.contributor)
    assert "Olga Petrova" in _page(client, path)


def test_a_redaction_takes_the_passage_off_the_kept_page_at_once(app, given):
    """A moderator redacting a name must not wait for a cache: the next reader sees the redacted text."""
    path = f"/plan/recommendations/{given.recommendation_id}"
    assert "police stations" in _page(app.test_client(), path)
    _redact(app, given, "police stations")
    page = _page(app.test_client(), path)
    assert "police stations" not in page and "Inspections of" in page


def _redact(app: Flask, given, passage: str) -> None:
    """The coordinator (a moderator too) redacts a passage of the named comment, through `app`."""
    with app.app_context():
        moderator = db.session.get(User, given.coordinator.id)
        moderation.redact(moderator, db.session.get(Comment, given.named_id), passage, Reason.personal_data)
        db.session.commit()


def _reopen(app: Flask, round_id: int, closing_in: timedelta = timedelta(days=1)) -> datetime:
    """Open the round again until `closing_in` from now; returns when it closes."""
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        round_.opens_at = datetime.now(UTC) - timedelta(days=1)
        round_.closes_at = datetime.now(UTC) + closing_in
        round_.state = RoundState.open
        db.session.commit()
        return round_.closes_at


def test_a_comment_awaiting_moderation_keeps_the_pages_and_its_publication_renews_them(app, given):
    """In the last hour hundreds of comments arrive: none of them is public until a moderator lets it
    through, so they must not empty every reader's cache; the publication must."""
    _reopen(app, given.round_id)
    path = f"/plan/recommendations/{given.recommendation_id}"
    _page(app.test_client(), path)
    pages = app.extensions["consult_pages"]
    stamp = pages.stamp.read()
    with app.app_context():
        author = db.session.get(User, given.contributor.id)
        draft = comments.Draft(
            body="Submitted just before the deadline, awaiting moderation.",
            publication=Publication.named,
            language="en",
            target_type=TargetType.recommendation,
            target_id=given.recommendation_id,
        )
        comment, _created = comments.submit(
            author, db.session.get(Round, given.round_id), uuid.uuid4().hex, draft
        )
        db.session.commit()
        comment_id = comment.id
    assert pages.stamp.read() == stamp
    with app.app_context():
        from consult.moderation.models import DecisionKind

        moderation.decide(
            db.session.get(User, given.coordinator.id),
            db.session.get(Comment, comment_id),
            DecisionKind.approve,
        )
        db.session.commit()
    assert pages.stamp.read() != stamp
    assert "Submitted just before the deadline" in _page(app.test_client(), path)


def test_a_kept_page_expires_when_the_round_closes_by_the_clock(app, given):
    closes_at = _reopen(app, given.round_id, closing_in=timedelta(seconds=3))
    path = f"/rounds/{given.slug}"
    open_page = _page(app.test_client(), path)
    time.sleep(max((closes_at - datetime.now(UTC)).total_seconds(), 0) + 0.2)
    closed_page = _page(app.test_client(), path)
    assert "Closed" not in open_page and "Closed" in closed_page


@pytest.mark.parametrize("shared", ["file", "redis"])
def test_a_change_made_by_another_server_renews_this_servers_pages(app, given, shared):
    """Two app objects stand for two workers or two app servers: each keeps its own pages, and a write
    committed through one makes the other render again."""
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    if shared == "redis":
        require_redis()
        settings["REDIS_URL"] = "redis://127.0.0.1:6379/9"
    one, other = (create_app(TestingConfig, **settings) for _ in range(2))
    path = f"/plan/recommendations/{given.recommendation_id}"
    try:
        assert "police stations" in _page(one.test_client(), path)
        _redact(other, given, "police stations")
        assert "police stations" not in _page(one.test_client(), path)
    finally:
        for server in (one, other):
            with server.app_context():
                db.session.remove()
                db.engine.dispose()  # their connections closed now, not whenever they are collected


def test_the_cache_can_be_turned_off(app, given, count_queries):
    app.config["PAGE_CACHE_SECONDS"] = 0
    path = f"/rounds/{given.slug}"
    _page(app.test_client(), path)
    with count_queries() as statements:
        _page(app.test_client(), path)
    assert statements


@pytest.mark.parametrize(
    ("publication", "renews"),
    [(Publication.named, True), (Publication.anonymous, False), (Publication.confidential, False)],
)
def test_only_input_the_public_sees_renews_the_pages(app, given, publication, renews):
    """Approving input no page shows yet (anonymous until tomorrow, confidential for ever) keeps every kept
    page: renewing them would let a reader who times any page learn the second it was approved."""
    app.config["UNNAMED_PUBLIC_NEXT_DAY"] = True  # as deployments have it
    _reopen(app, given.round_id)
    _page(app.test_client(), "/plan/")
    pages = app.extensions["consult_pages"]
    with app.app_context():
        author = db.session.get(User, given.contributor.id)
        draft = comments.Draft(TargetType.round, None, "Sent in the last hour.", "en", publication)
        comment, _created = comments.submit(
            author, db.session.get(Round, given.round_id), uuid.uuid4().hex, draft
        )
        db.session.commit()
        comment_id = comment.id
    stamp = pages.stamp.read()
    with app.app_context():
        moderation.decide(
            db.session.get(User, given.coordinator.id),
            db.session.get(Comment, comment_id),
            DecisionKind.approve,
        )
        db.session.commit()
    assert (pages.stamp.read() != stamp) is renews
