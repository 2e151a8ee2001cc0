"""What a coordinator types cannot break a round: dates are kept to years 2000–2100 on every form and
answered in the field; a guiding question corrected after opening keeps its earlier wording for the
comments that answered it; a person who was not a summariser is not "removed"."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from consult.accounts.models import StaffRoleName
from consult.extensions import db
from consult.rounds import editing, services
from consult.rounds.models import Round, RoundChange, RoundState, RoundSummariser
from tests.factories import RoundFactory
from tests.helpers import make_user, sign_in, submit

RANGE = "Give a date and time between the years 2000 and 2100."
FAR = [
    ("America/Santiago", "9999-12-31T20:00", "9999-12-31T23:59"),
    ("Pacific/Pago_Pago", "0001-01-01T00:00", "2027-01-01T00:00"),
    ("Etc/GMT+12", "9999-12-31T20:00", "9999-12-31T23:59"),
    ("Etc/GMT-14", "2027-01-01T00:00", "10000-01-01T00:00"),
    ("Europe/Ljubljana", "1999-12-31T23:59", "2027-01-01T00:00"),
    ("Europe/Ljubljana", "2027-01-01T00:00", "2101-01-01T00:00"),
    ("Europe/Ljubljana", "2027-01-01T00:00", "31.12.2027 12:00"),
]


def coordinator(app):
    client = app.test_client()
    sign_in(client, app, make_user(app, (StaffRoleName.coordinator,)))
    return client


def round_form(zone: str, opens_at: str, closes_at: str) -> dict:
    return {
        "title_en": "Mid-term consultation",
        "slug": "far",
        "stage": "mid_term",
        "cycle": "4",
        "plan_version": "0",
        "eligibility": "public",
        "moderation_mode": "pre",
        "summariser_organisation": "0",
        "timezone": zone,
        "opens_at": opens_at,
        "closes_at": closes_at,
    }


def refused_in_its_field(response, typed: list[str]) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html[:500]
    assert RANGE in html and "This field is required." not in html
    for value in typed:
        assert f'value="{value}"' in html  # what was typed stays in the field
    return html


@pytest.mark.parametrize(("zone", "opens_at", "closes_at"), FAR)
def test_a_new_round_with_far_dates_is_answered_in_the_field_not_500(app, zone, opens_at, closes_at):
    client = coordinator(app)
    response = submit(client, "/rounds/new", round_form(zone, opens_at, closes_at))
    refused_in_its_field(response, [opens_at, closes_at])
    with app.app_context():
        assert db.session.scalar(select(Round)) is None


@pytest.mark.parametrize(("zone", "opens_at", "closes_at"), FAR)
def test_a_draft_edited_to_far_dates_is_answered_in_the_field_not_500(app, zone, opens_at, closes_at):
    with app.app_context():
        RoundFactory(slug="draft", state=RoundState.draft, opens_at=datetime.now(UTC) + timedelta(days=2))
        db.session.commit()
    client = coordinator(app)
    data = {**round_form(zone, opens_at, closes_at), "slug": "draft"}
    refused_in_its_field(submit(client, "/rounds/draft/edit", data), [opens_at, closes_at])


@pytest.mark.parametrize("closes_at", ["9999-12-31T23:00", "10000-01-01T00:00", "2101-01-01T00:00", "soon"])
@pytest.mark.parametrize("zone", ["America/Santiago", "Pacific/Pago_Pago", "Etc/GMT+12"])
def test_an_extension_to_a_far_date_is_answered_in_the_field_not_500(app, zone, closes_at):
    with app.app_context():
        round_ = RoundFactory(slug="open", timezone=zone)
        db.session.commit()
        before = round_.closes_at
    client = coordinator(app)
    response = submit(client, "/rounds/open/extend", {"closes_at": closes_at}, page="/rounds/open/manage")
    refused_in_its_field(response, [closes_at])
    with app.app_context():
        assert db.session.scalar(select(Round)).closes_at == before


def test_the_edges_of_the_range_are_accepted_in_every_time_zone(app):
    client = coordinator(app)
    for n, zone in enumerate(("Etc/GMT+12", "Etc/GMT-14", "Pacific/Pago_Pago", "America/Santiago")):
        data = {**round_form(zone, "2000-01-01T00:00", "2100-12-31T23:59"), "slug": f"edge-{n}"}
        assert submit(client, "/rounds/new", data).status_code == 302


def test_an_empty_time_is_still_required(app):
    response = submit(coordinator(app), "/rounds/new", round_form("Europe/Ljubljana", "", "2027-01-01T00:00"))
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)


def test_a_time_beyond_the_calendar_is_refused_by_the_service_too(ctx):
    """Whatever calls it, converting a time off the calendar is a refusal in the field, never a crash."""
    with pytest.raises(services.DomainError) as refused:
        services.to_utc(datetime(9999, 12, 31, 23, 59), "Etc/GMT+12", "closes_at")
    assert refused.value.field == "closes_at"


# A corrected question keeps what it asked


def test_a_question_corrected_after_opening_keeps_its_earlier_wording_public(app):
    with app.app_context():
        round_ = RoundFactory(slug="open")
        question = services.add_question(None, round_, {"en": "What barriers remain in schools?"})
        db.session.commit()
        question_id = question.id
    client = coordinator(app)
    corrected = submit(
        client,
        "/rounds/open/questions",
        {"question": question_id, "text_en": "Do you agree that all schools are now accessible?"},
        page="/rounds/open/manage",
    )
    assert corrected.status_code == 302
    log = app.test_client().get("/rounds/open/changes").get_data(as_text=True)
    assert "Guiding question 1 corrected: English" in log
    assert "Before the correction (English)" in log and "What barriers remain in schools?" in log
    assert "After the correction (English)" in log
    assert "Do you agree that all schools are now accessible?" in log
    with app.app_context():
        change = db.session.scalar(select(RoundChange).where(RoundChange.question_id == question_id))
        assert change.before == {"en": "What barriers remain in schools?"}
        assert change.after == {"en": "Do you agree that all schools are now accessible?"}


def test_comments_written_before_a_correction_keep_the_wording_they_answered(ctx):
    round_ = RoundFactory(slug="open")
    question = services.add_question(None, round_, {"en": "First?"})
    db.session.flush()
    today = datetime.now(UTC).date()
    editing.correct_question(None, round_, question.id, {"en": "Second?"})
    db.session.flush()
    never_corrected = services.add_question(None, round_, {"en": "Untouched?"})
    db.session.flush()
    earlier, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    asked = editing.corrected_since(
        [(question.id, earlier), (question.id, today), (question.id, tomorrow), (never_corrected.id, earlier)]
    )
    assert set(asked) == {(question.id, earlier), (question.id, today)}
    assert asked[(question.id, earlier)].before == {"en": "First?"}
    assert asked[(question.id, today)].changed_at.date() == today  # the same day: before or after, unknown
    assert editing.corrected_since([]) == {}


def test_a_question_corrected_before_opening_leaves_no_earlier_wording(ctx):
    round_ = RoundFactory(
        slug="draft", state=RoundState.draft, opens_at=datetime.now(UTC) + timedelta(days=2)
    )
    question = services.add_question(None, round_, {"en": "Draft?"})
    db.session.flush()
    editing.correct_question(None, round_, question.id, {"en": "Better draft?"})
    db.session.flush()
    assert editing.corrected_since([(question.id, datetime.now(UTC).date())]) == {}


# Summarisers


def test_removing_someone_who_was_not_a_summariser_says_so(app):
    person = make_user(app, name="Ana Ruiz")
    with app.app_context():
        round_ = RoundFactory(slug="open")
        db.session.add(RoundSummariser(round_id=round_.id, user_id=person.id))
        db.session.commit()
    client = coordinator(app)
    manage = "/rounds/open/manage"
    first = submit(client, f"/rounds/open/summarisers/{person.id}/remove", page=manage)
    assert "The summariser is removed." in client.get(first.location).get_data(as_text=True)
    again = submit(client, f"/rounds/open/summarisers/{person.id}/remove", page=manage)
    shown = client.get(again.location).get_data(as_text=True)
    assert "This person was not a summariser of this round." in shown
    assert "The summariser is removed." not in shown
