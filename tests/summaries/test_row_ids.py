"""No summaries page names a comment by its row id: row ids follow the order in which comments were sent, so
"#1 named, #2 anonymous, #3 named" would tell a summariser who sent the anonymous one. Every label, field
and button names a comment by its random public id; quoting and tagging still work by it. And "My
summaries" offers to start a summary only when one can be written."""

import re
from datetime import timedelta

import pytest

from consult.accounts.models import User
from consult.comments.models import Comment, TargetType
from consult.extensions import db
from consult.rounds.models import Round, RoundState
from consult.summaries import services
from consult.summaries.models import CommentTag
from tests.factories import RoundFactory, now
from tests.helpers import csrf_token, sign_in
from tests.summaries.fixtures import closed_round_with_input, public_id_of


@pytest.fixture
def quoted(app):
    """The closed round with a published summary that quotes the named and the anonymous comment, and tags
    on both."""
    given = closed_round_with_input(app)
    with app.app_context():
        author = db.session.get(User, given.summariser.id)
        summary = services.create_summary(author, db.session.get(Round, given.round_id), "Heard", "en", None)
        db.session.flush()
        services.add_section(
            author, summary, TargetType.recommendation, given.recommendation_id, "Visits", ""
        )
        services.add_section(author, summary, TargetType.round, None, "Everything", "")
        db.session.flush()
        for ident in (given.named_id, given.anonymous_id):
            services.cite(author, summary.sections[1], db.session.get(Comment, ident), None)
        services.set_tags(author, summary, {given.named_id: ["police"], given.anonymous_id: ["fear"]})
        services.publish_summary(author, summary, None)
        db.session.commit()
        return given, summary.id, [s.id for s in summary.sections]


def _row_ids(given) -> list[int]:
    return [
        given.named_id,
        given.anonymous_id,
        given.organisation_only_id,
        given.confidential_id,
        *given.campaign_ids,
    ]


def _names_a_row_id(page: str, ident: int) -> list[str]:
    """Every way a page could name a comment by its row id: a label, an anchor, a field or a button."""
    end = r"(?![A-Za-z0-9_-])"
    patterns = [
        rf"#{ident}{end}",
        rf"comment-{ident}{end}",
        rf"tags-{ident}{end}",
        rf"quote-\d+-{ident}{end}",
        rf"cite:\d+:{ident}{end}",
        rf"Quote comment #?{ident}{end}",
    ]
    return [p for p in patterns if re.search(p, page)]


def test_no_summaries_page_names_a_comment_by_its_row_id(app, client, quoted):
    given, summary_id, _sections = quoted
    sign_in(client, app, given.summariser)
    pages = {
        "editor": f"/summaries/{summary_id}/edit",
        "reading list": f"/summaries/{summary_id}/reading",
        "preview": f"/summaries/{summary_id}/preview",
        "published": f"/summaries/{summary_id}",
        "outcome": f"/rounds/{given.slug}/outcome",
        "mine": "/summaries/mine",
    }
    seen = {}
    for name, path in pages.items():
        answer = client.get(path)
        assert answer.status_code == 200, name
        seen[name] = answer.get_data(as_text=True)
    coordinator = app.test_client()
    sign_in(coordinator, app, given.coordinator)
    seen["answers"] = coordinator.get(f"/rounds/{given.slug}/responses").get_data(as_text=True)
    for name, page in seen.items():
        for ident in _row_ids(given):
            assert not _names_a_row_id(page, ident), (name, ident, _names_a_row_id(page, ident))
    # What they are named by instead.
    named, anonymous = public_id_of(app, given.named_id), public_id_of(app, given.anonymous_id)
    assert (
        f'name="tags-{named}"' in seen["reading list"] and f'name="tags-{anonymous}"' in seen["reading list"]
    )
    assert 'value="cite:' in seen["editor"] and f':{named}"' in seen["editor"]
    assert f"#{named[:8]}" in seen["editor"] and f"#{anonymous[:8]}" in seen["reading list"]


def test_quoting_and_tagging_by_public_id(app, client, quoted):
    given, summary_id, sections = quoted
    sign_in(client, app, given.summariser)
    organisation_only = public_id_of(app, given.organisation_only_id)
    editor = f"/summaries/{summary_id}/edit"
    sent = client.post(
        editor,
        data={
            "csrf_token": csrf_token(client, editor),
            "action": f"cite:{sections[1]}:{organisation_only}",
            "title": "Heard",
            f"section-{sections[0]}-heading": "Visits",
            f"section-{sections[1]}-heading": "Everything",
        },
    )
    assert sent.status_code == 302
    with app.app_context():
        section = services.summaries_of(given.round_id)[0].sections[1]
        assert given.organisation_only_id in [c.comment_id for c in section.citations]
    # A row id where the public id belongs is no button: nothing is quoted.
    refused = client.post(
        editor,
        data={
            "csrf_token": csrf_token(client, editor),
            "action": f"cite:{sections[0]}:{given.named_id}",
            "title": "Heard",
        },
    )
    assert refused.status_code == 422
    reading = f"/summaries/{summary_id}/reading"
    tagged = client.post(
        f"/summaries/{summary_id}/tags",
        data={
            "csrf_token": csrf_token(client, reading),
            f"tags-{organisation_only}": "resources",
            f"tags-{given.named_id}": "by row id: ignored",
        },
    )
    assert tagged.status_code == 302
    with app.app_context():
        names = {
            (tag.comment_id, tag.name)
            for tag in db.session.query(CommentTag).filter(CommentTag.summary_id == summary_id)
        }
    assert (given.organisation_only_id, "resources") in names
    assert not any(name == "by row id: ignored" for _ident, name in names)


def test_my_summaries_offers_to_start_only_once_the_round_has_closed(app, client):
    given = closed_round_with_input(app)
    with app.app_context():
        summariser = db.session.get(User, given.summariser.id)
        upcoming = RoundFactory(
            title={"en": "Pre-report round"},
            state=RoundState.scheduled,
            opens_at=now() + timedelta(days=2),
            closes_at=now() + timedelta(days=12),
            summarisers=[summariser],
        )
        running = RoundFactory(title={"en": "Open round"}, summarisers=[summariser])
        db.session.commit()
        slugs = {"upcoming": upcoming.slug, "running": running.slug, "closed": given.slug}
    sign_in(client, app, given.summariser)
    page = client.get("/summaries/mine").get_data(as_text=True)
    sections = {
        name: next(part for part in page.split("<section")[1:] if f"/rounds/{slug}/" in part)
        for name, slug in slugs.items()
    }
    closed = sections["closed"]
    assert "Start a summary" in closed and "Closed on" in closed and "Closes on" not in closed
    for name in ("upcoming", "running"):
        part = sections[name]
        assert "Start a summary" not in part, name
        assert "Closes on" in part and "Closed on" not in part, name
        assert "A summary can be written once the round has closed, on" in part, name
