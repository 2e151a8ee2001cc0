"""The summariser's reading list: a cluster's point reads what was said about its recommendations; filters
by target, language, stakeholder type, campaign, tag, "not yet cited" and words (campaign members' own
additions included); tags are stored per summary and never public."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.accounts.models import User
from consult.comments.models import Campaign, Comment, TargetType
from consult.extensions import db
from consult.rounds.models import Round, RoundState
from consult.summaries import services
from consult.summaries.models import CommentTag, Summary
from consult.summaries.services import Filters
from tests.factories import CommentFactory, UserFactory, approved, close_now, now
from tests.helpers import csrf_token, sign_in
from tests.summaries.fixtures import closed_round_with_input, public_id_of

ADDITION = "My own brother waited nine months for a visit."


@pytest.fixture
def world(app):
    """The closed round, a draft with a point on the cluster, and a campaign member who added a line."""
    given = closed_round_with_input(app, campaign_size=3)
    with app.app_context():
        author = db.session.get(User, given.summariser.id)
        summary = services.create_summary(author, db.session.get(Round, given.round_id), "Heard", "en", None)
        db.session.flush()
        services.add_section(author, summary, TargetType.cluster, given.cluster_id, "Torture", "")
        representative = db.session.scalar(
            select(Campaign.representative_id).where(Campaign.round_id == given.round_id)
        )
        member = next(i for i in given.campaign_ids if i != representative)
        letter = db.session.get(Comment, member)
        letter.body = f"{letter.body}\n{ADDITION}"
        db.session.commit()
        return given, summary.id, representative, member


def _ids(app, summary_id: int, **filters) -> set[int]:
    with app.test_request_context():
        summary = db.session.get(Summary, summary_id)
        entries, total = services.reading_list(summary, Filters(**filters), "en")
        assert total == len(entries)
        return {entry.comment.id for entry in entries}


def test_a_clusters_point_reads_what_was_said_about_its_recommendations(app, world):
    given, summary_id, representative, member = world
    found = _ids(app, summary_id, target=(TargetType.cluster, given.cluster_id))
    # named and anonymous on 115.1, organisation-only on 115.2, the campaign once; never the confidential one
    assert found == {given.named_id, given.anonymous_id, given.organisation_only_id, representative}
    assert _ids(app, summary_id, target=(TargetType.recommendation, given.other_recommendation_id)) == {
        given.organisation_only_id
    }
    with app.test_request_context():
        summary = db.session.get(Summary, summary_id)
        citable = services.citable_for(summary, "en")[summary.sections[0].id]
        assert {entry.comment.id for entry in citable} == found
        campaign = next(entry for entry in citable if entry.comment.id == representative)
        assert campaign.supporters == 3 and [(m.id, text) for m, text in campaign.additions] == [
            (member, ADDITION)
        ]
        assert next(e for e in citable if e.comment.id == given.named_id).target.symbol == "A/HRC/40/8 115.1"


def test_filters_by_language_stakeholder_type_and_campaign(app, world):
    given, summary_id, representative, _member = world
    assert _ids(app, summary_id, language="fr") == {given.organisation_only_id}
    assert _ids(app, summary_id, stakeholder="ngo") == {given.named_id, given.organisation_only_id}
    # An anonymous comment is "anonymous", never its author's organisation's type.
    assert _ids(app, summary_id, stakeholder="anonymous") == {given.anonymous_id}
    assert given.anonymous_id not in _ids(app, summary_id, stakeholder="individual")
    assert _ids(app, summary_id, campaign="only") == {representative}
    assert representative not in _ids(app, summary_id, campaign="none")


def test_search_finds_words_in_the_text_and_in_campaign_members_own_additions(app, world):
    given, summary_id, representative, _member = world
    assert _ids(app, summary_id, search="FEAR speaking") == {given.anonymous_id}
    assert _ids(app, summary_id, search="nine months") == {representative}
    assert _ids(app, summary_id, search="Secret witness") == set()  # confidential input is never listed


def test_not_yet_cited_leaves_out_what_a_point_quotes(app, world):
    given, summary_id, _representative, _member = world
    with app.app_context():
        summary = db.session.get(Summary, summary_id)
        services.cite(None, summary.sections[0], db.session.get(Comment, given.named_id), None)
        db.session.commit()
    uncited = _ids(app, summary_id, uncited=True)
    assert given.named_id not in uncited and given.anonymous_id in uncited


def test_tags_are_stored_per_summary_filter_the_list_and_stay_private(app, client, world):
    given, summary_id, _representative, _member = world
    sign_in(client, app, given.summariser)
    page = f"/summaries/{summary_id}/reading"
    data = {
        "csrf_token": csrf_token(client, page),
        "back": "language=en&nonsense=1",
        f"tags-{public_id_of(app, given.named_id)}": "police, follow-up, police",
        f"tags-{public_id_of(app, given.anonymous_id)}": "fear",
        f"tags-{public_id_of(app, given.confidential_id)}": "never",  # not on the round's page: left alone
    }
    answer = client.post(f"/summaries/{summary_id}/tags", data=data)
    assert answer.status_code == 302 and answer.location.endswith("/reading?language=en")
    with app.app_context():
        rows = db.session.execute(
            select(CommentTag.comment_id, CommentTag.name).order_by(CommentTag.id)
        ).all()
    assert sorted(rows) == sorted(
        [(given.named_id, "police"), (given.named_id, "follow-up"), (given.anonymous_id, "fear")]
    )
    assert _ids(app, summary_id, tag="police") == {given.named_id}
    listed = client.get(f"{page}?tag=fear").get_data(as_text=True)
    assert "Detainees fear speaking" in listed and "Inspections of police stations" not in listed
    # Taking tags off: an empty field removes them.
    data |= {
        f"tags-{public_id_of(app, given.named_id)}": "follow-up",
        f"tags-{public_id_of(app, given.anonymous_id)}": "",
    }
    assert client.post(f"/summaries/{summary_id}/tags", data=data).status_code == 302
    assert _ids(app, summary_id, tag="fear") == set() and _ids(app, summary_id, tag="follow-up") == {
        given.named_id
    }
    public = app.test_client().get(f"/rounds/{given.slug}").get_data(as_text=True)
    assert "follow-up" not in public


def test_a_tag_too_long_comes_back_as_typed_and_nothing_is_saved(app, client, world):
    given, summary_id, _representative, _member = world
    sign_in(client, app, given.summariser)
    typed = "fine, " + "x" * 41
    data = {
        "csrf_token": csrf_token(client, f"/summaries/{summary_id}/reading"),
        f"tags-{public_id_of(app, given.named_id)}": typed,
        f"tags-{public_id_of(app, given.anonymous_id)}": "kept as typed",
    }
    answer = client.post(f"/summaries/{summary_id}/tags", data=data)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert typed in page and "kept as typed" in page and "at most 40 characters" in page
    with app.app_context():
        assert db.session.scalar(select(CommentTag.id)) is None


def test_the_reading_page_lists_and_filters_in_the_browser_of_a_summariser(app, client, world):
    given, summary_id, _representative, _member = world
    sign_in(client, app, given.summariser)
    listed = client.get(f"/summaries/{summary_id}/reading?q=nine+months&target=bogus&language=xx")
    page = listed.get_data(as_text=True)
    assert listed.status_code == 200 and ADDITION in page and "a campaign of 3 supporters" in page
    assert "Secret witness" not in page and "Hidden Person" not in page


def test_my_summaries_lists_the_rounds_a_person_summarises(app, client, world):
    given, summary_id, _representative, _member = world
    sign_in(client, app, given.summariser)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/summaries/mine"' in home
    mine = client.get("/summaries/mine").get_data(as_text=True)
    assert "Mid-term consultation" in mine and f"/summaries/{summary_id}/edit" in mine
    contributor = app.test_client()
    sign_in(contributor, app, given.contributor)
    assert 'href="/summaries/mine"' not in contributor.get("/").get_data(as_text=True)
    assert contributor.get("/summaries/mine").status_code == 403


def _statements(client, count_queries, url: str) -> int:
    """The statements one request for url makes, once a first request loaded what every request shares."""
    client.get(url).get_data()
    with count_queries() as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


def test_the_reading_list_and_the_editor_make_as_many_queries_for_more_comments(
    app, client, world, count_queries
):
    given, summary_id, _representative, _member = world
    sign_in(client, app, given.summariser)
    pages = (f"/summaries/{summary_id}/reading", f"/summaries/{summary_id}/edit")
    before = [_statements(client, count_queries, page) for page in pages]
    with app.app_context():
        round_ = db.session.get(Round, given.round_id)
        moderator = db.session.get(User, given.coordinator.id)
        round_.state, round_.closes_at = RoundState.open, now() + timedelta(days=1)  # late input, reopened
        more = [
            CommentFactory(
                round=round_,
                target_type=TargetType.recommendation,
                target_id=given.other_recommendation_id,
                author=UserFactory(display_name=f"Writer {n}", email=f"writer{n}@example.org"),
                body=f"Input number {n} on the mechanism.",
            )
            for n in range(6)
        ]
        approved(moderator, *more)
        close_now(round_)
        for comment in more[:3]:
            services.set_tags(moderator, db.session.get(Summary, summary_id), {comment.id: ["more"]})
        db.session.commit()
    assert [_statements(client, count_queries, page) for page in pages] == before
