"""The coordinator's answers page is one form: "Save the answers" records every answer filled in, keeps a
half-filled one as typed with what it lacks, counts "answered n of m" and filters the unanswered."""

import pytest
from sqlalchemy import func, select

from consult.accounts.models import User
from consult.comments.models import Comment, TargetType
from consult.extensions import db
from consult.rounds.models import Round
from consult.summaries import services
from consult.summaries.models import Response, ResponseOutcome
from tests.helpers import csrf_token, sign_in
from tests.summaries.fixtures import closed_round_with_input


@pytest.fixture
def answering(app, client):
    """A published summary of three points; the round has two recommendations: five things to answer."""
    given = closed_round_with_input(app)
    with app.app_context():
        author = db.session.get(User, given.summariser.id)
        summary = services.create_summary(author, db.session.get(Round, given.round_id), "Heard", "en", None)
        db.session.flush()
        for heading, target in (
            ("Preventive visits", (TargetType.recommendation, given.recommendation_id)),
            ("Torture", (TargetType.cluster, given.cluster_id)),
            ("Resources", (TargetType.round, None)),
        ):
            services.add_section(author, summary, *target, heading, "")
        db.session.flush()
        services.cite(author, summary.sections[0], db.session.get(Comment, given.named_id), None)
        services.publish_summary(author, summary, None)
        db.session.commit()
        points = [s.id for s in summary.sections]
    sign_in(client, app, given.coordinator)
    return given, points, f"/rounds/{given.slug}/responses"


def _answer(key: str, outcome: str = "", explanation: str = "", entity: str = "") -> dict:
    return {f"{key}-outcome": outcome, f"{key}-explanation": explanation, f"{key}-responsible_entity": entity}


def _recorded(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def test_three_answers_are_recorded_at_once_and_half_typed_ones_are_kept(app, client, answering):
    given, points, page = answering
    first, second, third = points
    data = {
        "csrf_token": csrf_token(client, page),
        **_answer(f"section-{first}", "partly", "Ten visits are planned.", "Ombudsman"),
        **_answer(f"section-{second}", "taken_into_account", "A new law."),
        **_answer(f"recommendation-{given.recommendation_id}", "under_consideration", "Studied."),
        **_answer(f"section-{third}", "", "Half typed: no outcome yet."),
        **_answer(f"recommendation-{given.other_recommendation_id}", "partly", "", "Ministry of Justice"),
    }
    answer = client.post(page, data=data)
    assert answer.status_code == 422
    shown = answer.get_data(as_text=True)
    assert "3 answers are recorded." in shown
    assert "Half typed: no outcome yet." in shown and "Ministry of Justice" in shown
    assert "Choose what the mechanism did." in shown and "Explain what the mechanism did." in shown
    assert "Answered: 3 of 5" in shown
    assert _recorded(app) == 3
    # Completing the two: nothing else changes, five of five.
    data |= _answer(f"section-{third}", "partly", "Half typed: no outcome yet.")
    data |= _answer(
        f"recommendation-{given.other_recommendation_id}", "partly", "Funded.", "Ministry of Justice"
    )
    done = client.post(page, data=data)
    assert done.status_code == 302 and _recorded(app) == 5
    assert "Answered: 5 of 5" in client.get(page).get_data(as_text=True)
    with app.app_context():
        first_answer = db.session.scalar(select(Response).where(Response.section_id == first))
        assert (
            first_answer.outcome is ResponseOutcome.partly and first_answer.responsible_entity == "Ombudsman"
        )


def test_untouched_answers_are_skipped_and_nothing_is_recorded_twice(app, client, answering):
    _given, points, page = answering
    token = csrf_token(client, page)
    data = {"csrf_token": token, **_answer(f"section-{points[0]}", "partly", "Planned.")}
    assert client.post(page, data=data).status_code == 302
    with app.app_context():
        before = db.session.scalar(select(Response.updated_at).where(Response.section_id == points[0]))
    # The page sends the answer again, as shown: unchanged, it is not recorded again.
    assert client.post(page, data=data).status_code == 302 and _recorded(app) == 1
    with app.app_context():
        assert (
            db.session.scalar(select(Response.updated_at).where(Response.section_id == points[0])) == before
        )


def test_unanswered_only_shows_what_is_left(app, client, answering):
    given, points, page = answering
    data = {"csrf_token": csrf_token(client, page), **_answer(f"section-{points[0]}", "partly", "Planned.")}
    answer = client.post(f"{page}?unanswered=1", data=data)
    assert answer.status_code == 302 and answer.location.endswith("?unanswered=1")
    left = client.get(f"{page}?unanswered=1").get_data(as_text=True)
    assert f'id="section-{points[0]}"' not in left and f'id="section-{points[1]}"' in left
    assert f'id="recommendation-{given.recommendation_id}"' in left and "Answered: 1 of 5" in left
    everything = client.get(page).get_data(as_text=True)
    assert f'id="section-{points[0]}"' in everything


def test_a_stale_token_keeps_every_answer_typed(app, client, answering):
    _given, points, page = answering
    data = {"csrf_token": "stale", **_answer(f"section-{points[0]}", "partly", "Typed before lunch.")}
    answer = client.post(page, data=data)
    assert answer.status_code == 400 and "Typed before lunch." in answer.get_data(as_text=True)
    assert _recorded(app) == 0


def test_points_and_recommendations_name_their_target(app, client, answering):
    _given, _points, page = answering
    shown = client.get(page).get_data(as_text=True)
    assert "A/HRC/40/8 115.2" in shown and "Establish a national preventive mechanism." in shown
    assert "Prevention of torture" in shown  # the cluster point's target
