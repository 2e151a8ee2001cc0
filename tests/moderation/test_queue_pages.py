"""The queue and a comment's page as a moderator uses them: filters, order and page kept across decisions,
nothing chosen or ticked in advance, "decide and go to the next", select all on a page, undo."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Comment, CommentState, TargetType
from consult.extensions import db
from tests.factories import ClusterFactory, CommentFactory, RecommendationFactory, RoundFactory, open_round
from tests.helpers import make_user, sign_in, submit

FILTER = "language=fr&target=recommendation&order=oldest"


@pytest.fixture
def queue(app, client):
    """A moderator signed in; four French comments on a recommendation, one in English, one French on the
    round as a whole. Returns the French ones on the recommendation, oldest first."""
    sign_in(client, app, make_user(app, (StaffRoleName.moderator,)))
    author = make_user(app)
    with app.app_context():
        person = db.session.get(User, author.id)
        cluster = ClusterFactory()
        recommendation = RecommendationFactory(cluster=cluster, symbol="A/HRC/40/8", paragraph="115.1")
        round_ = RoundFactory(clusters=[cluster])
        on_it = {"target_type": TargetType.recommendation, "target_id": recommendation.id}
        french = [
            CommentFactory(round=round_, author=person, body=f"Avis {n}", language="fr", **on_it)
            for n in range(4)
        ]
        CommentFactory(round=round_, author=person, body="In English", language="en", **on_it)
        CommentFactory(round=round_, author=person, body="Sur le cycle", language="fr")
        db.session.commit()
        return [(c.id, c.public_id) for c in french]


def test_the_queue_filters_by_language_name_counts_and_names_each_target(client, queue):
    page = client.get(f"/moderation/?{FILTER}").get_data(as_text=True)
    assert '<option selected value="fr">French</option>' in page
    assert "4 comments match" in page
    assert page.count("A/HRC/40/8 115.1") == 4 and "In English" not in page and "Sur le cycle" not in page
    assert " checked" not in page  # nothing ticked in advance
    assert '<option selected value="">Choose a decision</option>' in page
    # Every decision form and every link to a comment carry the queue's filters.
    assert 'action="/moderation/decide?language=fr&amp;target=recommendation&amp;order=oldest"' in page
    links = re.findall(r'href="(/moderation/comments/[^"]+)"', page)
    assert links and all("language=fr" in link and "order=oldest" in link for link in links)


def test_deciding_without_a_choice_says_so_and_keeps_the_note(client, queue):
    _id, public_id = queue[0]
    path = f"/moderation/comments/{public_id}?{FILTER}"
    sent = submit(client, f"/moderation/comments/{public_id}/decide?{FILTER}", {"note": "Merci."}, page=path)
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "Choose a decision" in page and "Merci." in page


def test_decide_and_go_to_the_next_keeps_the_filters_and_lands_on_the_next_comment(app, client, queue):
    (first_id, first), (second_id, second) = queue[0], queue[1]
    path = f"/moderation/comments/{first}?{FILTER}"
    sent = submit(
        client,
        f"/moderation/comments/{first}/decide?{FILTER}",
        {"decision": "approve", "then": "next"},
        page=path,
    )
    assert sent.status_code == 302
    target = urlsplit(sent.location)
    assert target.path == f"/moderation/comments/{second}"
    assert parse_qs(target.query) == parse_qs(FILTER)
    page = client.get(sent.location).get_data(as_text=True)
    assert "Decided: Approved. You can undo it for 10 minutes" in page
    assert "Undo this decision" in page
    # Back to the queue instead: the same filtered page.
    back = submit(
        client,
        f"/moderation/comments/{second}/decide?{FILTER}",
        {"decision": "approve", "then": "queue"},
        page=path,
    )
    assert urlsplit(back.location).path == "/moderation/" and parse_qs(
        urlsplit(back.location).query
    ) == parse_qs(FILTER)
    with app.app_context():
        assert {db.session.get(Comment, i).state for i in (first_id, second_id)} == {CommentState.published}


def test_select_all_on_the_page_without_javascript_decides_the_whole_filtered_page(app, client, queue):
    page = client.get(f"/moderation/?{FILTER}").get_data(as_text=True)
    ids = re.findall(r'name="page_ids" value="(\d+)"', page)
    assert sorted(map(int, ids)) == sorted(i for i, _ in queue)
    sent = submit(
        client,
        f"/moderation/decide?{FILTER}",
        {"decision": "approve", "back": "queue", "all": "page", "page_ids": ids},
        page=f"/moderation/?{FILTER}",
    )
    assert sent.status_code == 302 and parse_qs(urlsplit(sent.location).query) == parse_qs(FILTER)
    with app.app_context():
        states = dict(db.session.execute(select(Comment.body, Comment.state)).all())
    assert {states[f"Avis {n}"] for n in range(4)} == {CommentState.published}
    assert states["In English"] is CommentState.submitted and states["Sur le cycle"] is CommentState.submitted


def test_a_bulk_decision_without_a_choice_comes_back_with_the_ticks_and_the_note(client, queue):
    ticked = str(queue[2][0])
    sent = submit(
        client,
        f"/moderation/decide?{FILTER}",
        {"back": "queue", "comment_ids": [ticked], "note": "Note gardée"},
        page=f"/moderation/?{FILTER}",
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "Choose a decision" in page and "Note gardée" in page
    assert re.search(rf'value="{ticked}" id="pick-{ticked}" checked', page)
    assert page.count(" checked") == 1


def test_undo_from_the_page_puts_the_comment_back(app, client, queue):
    comment_id, public_id = queue[0]
    path = f"/moderation/comments/{public_id}?{FILTER}"
    submit(
        client,
        f"/moderation/comments/{public_id}/decide?{FILTER}",
        {"decision": "reject", "reason": "spam"},
        page=path,
    )
    undone = submit(client, f"/moderation/comments/{public_id}/undo?{FILTER}", {}, page=path)
    assert urlsplit(undone.location).path == f"/moderation/comments/{public_id}"
    page = client.get(undone.location).get_data(as_text=True)
    assert "Undone: Rejected. The author has not been e-mailed about it;" in page and "undone at" in page
    with app.app_context():
        assert db.session.get(Comment, comment_id).state is CommentState.submitted


def test_personal_data_is_highlighted_and_versions_show_what_changed(app, client, queue):
    author = make_user(app)
    with app.app_context():
        from consult.comments import services as comments

        person = db.session.get(User, author.id)
        comment = CommentFactory(round=open_round(), author=person, body="Appelez le ٠٥٥ ١٢٣ ٤٥٦٧ demain.")
        draft = comments.Draft(
            TargetType.round, None, "Appelez le ٠٥٥ ١٢٣ ٤٥٦٧ ce soir.", "fr", comment.publication
        )
        comments.edit(person, comment, draft)
        db.session.commit()
        public_id = comment.public_id
    page = client.get(f"/moderation/comments/{public_id}").get_data(as_text=True)
    assert '<mark class="personal-data" title="Telephone number">٠٥٥ ١٢٣ ٤٥٦٧</mark>' in page
    assert "<del>demain</del>" in page and "<ins>ce soir</ins>" in page.replace(
        "<ins>ce</ins><ins> soir</ins>", ""
    )


def test_the_receipt_offers_to_contest_a_rejection_only_until_the_deadline(app):
    from datetime import timedelta

    from consult.moderation import services as moderation
    from consult.moderation.models import DecisionKind, ModerationDecision, Reason

    author = make_user(app)
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment = CommentFactory(round=open_round(), author=db.session.get(User, author.id), body="Refused.")
        moderation.decide(
            db.session.get(User, moderator.id), comment, DecisionKind.reject, Reason.off_topic, "Off topic."
        )
        db.session.commit()
        public_id = comment.public_id
    client = app.test_client()
    sign_in(client, app, author)
    receipt = client.get(f"/comments/{public_id}").get_data(as_text=True)
    assert "Contest this decision" not in receipt and "Contest the decision from" in receipt  # not final yet
    with app.app_context():
        decision = db.session.scalar(select(ModerationDecision))
        decision.decided_at -= moderation.undo_window()
        db.session.commit()
    receipt = client.get(f"/comments/{public_id}").get_data(as_text=True)
    assert "Contest this decision" in receipt and "Off topic." in receipt
    with app.app_context():
        decision = db.session.scalar(select(ModerationDecision))
        decision.decided_at -= timedelta(days=app.config["MODERATION_APPEAL_DAYS"] + 1)
        db.session.commit()
    receipt = client.get(f"/comments/{public_id}").get_data(as_text=True)
    assert "Off topic." in receipt and "Send the appeal" not in receipt


def test_an_appeal_sent_too_early_is_refused_with_the_statement_kept(app):
    from consult.moderation import services as moderation
    from consult.moderation.models import DecisionKind, Reason

    author = make_user(app)
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        comment = CommentFactory(round=open_round(), author=db.session.get(User, author.id), body="Refused.")
        moderation.decide(db.session.get(User, moderator.id), comment, DecisionKind.reject, Reason.off_topic)
        db.session.commit()
        public_id = comment.public_id
    client = app.test_client()
    sign_in(client, app, author)
    receipt = f"/comments/{public_id}"
    sent = submit(
        client, f"/comments/{public_id}/appeal", {"statement": "It is about the plan."}, page=receipt
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "It is about the plan." in page and "can be contested from" in page
