"""Rounds open and close by the clock, to the second, across daylight-saving changes; coordinators set
them up; every transition is audited once."""

import io
import re
from datetime import UTC, datetime, timedelta

import docx
import pytest
from sqlalchemy import func, select

from consult.accounts.models import StaffRoleName
from consult.audit import AuditEvent
from consult.errors import DomainError, InvalidTransition
from consult.extensions import db
from consult.organisations.models import OrganisationType
from consult.rounds import services
from consult.rounds.models import Round, RoundState, Stage
from tests.factories import OrganisationFactory
from tests.helpers import make_user, sign_in, submit

NOW = datetime.now(UTC).replace(microsecond=0)


def make_round(
    state: RoundState = RoundState.scheduled,
    opens: timedelta = timedelta(hours=-1),
    closes: timedelta = timedelta(days=1),
    slug: str = "r1",
) -> Round:
    round_ = Round(
        slug=slug,
        stage=Stage.mid_term,
        cycle=4,
        title={"en": "Mid-term"},
        state=state,
        opens_at=NOW + opens,
        closes_at=NOW + closes,
        timezone="Europe/Ljubljana",
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (timedelta(seconds=-1), True),
        (timedelta(0), False),
        (timedelta(seconds=1), False),
        (timedelta(days=3), False),
    ],
)
def test_input_is_accepted_until_the_second_before_the_close(ctx, offset, accepted):
    round_ = make_round(state=RoundState.open)
    assert services.accepts_input(round_, round_.closes_at + offset) is accepted


@pytest.mark.parametrize("state", [RoundState.scheduled, RoundState.open])
def test_the_request_time_check_does_not_wait_for_the_scheduler(ctx, state):
    """Whether or not tick() has run, the clock decides."""
    round_ = make_round(state=state, opens=timedelta(hours=-2), closes=timedelta(seconds=-1))
    assert services.effective_state(round_, NOW) is RoundState.closed
    assert not services.accepts_input(round_, NOW)
    services.tick(NOW)
    db.session.refresh(round_)
    assert round_.state is RoundState.closed and not services.accepts_input(round_, NOW)


def test_a_scheduled_round_opens_at_its_second(ctx):
    round_ = make_round(opens=timedelta(hours=1))
    assert not services.accepts_input(round_, round_.opens_at - timedelta(seconds=1))
    assert services.accepts_input(round_, round_.opens_at)


def test_tick_writes_each_due_transition_once(ctx):
    opening = make_round(slug="opening", opens=timedelta(minutes=-5))
    closing = make_round(
        slug="closing", state=RoundState.open, opens=timedelta(days=-5), closes=timedelta(minutes=-1)
    )
    later = make_round(slug="later", opens=timedelta(days=1), closes=timedelta(days=5))
    moved = services.tick(NOW)
    assert set(moved) == {(opening.id, RoundState.open), (closing.id, RoundState.closed)}
    assert services.tick(NOW) == []  # a second scheduler (or server) finds nothing left to do
    db.session.refresh(later)
    assert later.state is RoundState.scheduled
    assert audit_count("round.open") == 1 and audit_count("round.close") == 1


def test_the_tick_command_moves_rounds(app):
    with app.app_context():
        make_round(opens=timedelta(days=-400), closes=timedelta(days=-399))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["consult", "tick"])
    assert result.exit_code == 0 and "open" in result.output and "closed" in result.output


def test_transitions_outside_the_lifecycle_are_refused(ctx):
    round_ = make_round(state=RoundState.published)
    with pytest.raises(InvalidTransition):
        services.cancel_round(None, round_)
    draft = make_round(state=RoundState.draft, slug="d", opens=timedelta(days=-3), closes=timedelta(days=-2))
    with pytest.raises(DomainError):
        services.schedule_round(None, draft)  # its closing time has passed


def test_extending_only_later_and_only_while_open(ctx):
    round_ = make_round(state=RoundState.open)
    with pytest.raises(DomainError):
        services.extend_round(None, round_, round_.closes_at - timedelta(hours=1))
    services.extend_round(None, round_, round_.closes_at + timedelta(days=2))
    assert audit_count("round.extend") == 1
    closed = make_round(
        state=RoundState.open, slug="c", opens=timedelta(days=-3), closes=timedelta(seconds=-1)
    )
    with pytest.raises(DomainError):
        services.extend_round(None, closed, NOW + timedelta(days=1))


def test_local_times_across_daylight_saving_changes(ctx):
    zone = "Europe/Ljubljana"
    # 29 March 2026: clocks jump from 02:00 to 03:00; 02:30 never happens.
    with pytest.raises(DomainError):
        services.to_utc(datetime(2026, 3, 29, 2, 30), zone, "closes_at")
    assert services.to_utc(datetime(2026, 3, 29, 3, 30), zone, "x") == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    assert services.to_utc(datetime(2026, 3, 28, 23, 59), zone, "x") == datetime(
        2026, 3, 28, 22, 59, tzinfo=UTC
    )
    # 25 October 2026: 02:30 happens twice; the first one is taken.
    assert services.to_utc(datetime(2026, 10, 25, 2, 30), zone, "x") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    # A round closing at midnight local time on the night the clocks change closes a second after 23:59:59.
    round_ = make_round(state=RoundState.open, opens=timedelta(days=-30), closes=timedelta(0))
    round_.closes_at = services.to_utc(datetime(2026, 3, 30, 0, 0), zone, "closes_at")
    assert services.accepts_input(round_, datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC))
    assert not services.accepts_input(round_, datetime(2026, 3, 29, 22, 0, 0, tzinfo=UTC))


def test_pasted_text_becomes_numbered_paragraphs(ctx):
    assert services.split_paragraphs("First  para.\r\n\r\nSecond\npara.\n\n\nThird.") == [
        "First para.",
        "Second para.",
        "Third.",
    ]
    assert services.split_paragraphs("One line\nAnother line") == ["One line", "Another line"]


def test_a_documents_control_characters_and_non_characters_are_left_out(ctx):
    """A Word file may hold what XML 1.0 allows and no text needs (a C1 control, a non-character): it is
    left out of the paragraphs, and a paragraph of nothing else is dropped."""
    document = docx.Document()
    for text in ("Chapter\x85 one\ufdd0.", "\x85\ufdd0", "Chapter two."):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    round_ = make_round()
    paragraphs = services.docx_paragraphs(buffer.getvalue())
    added = services.add_document(None, round_, {"en": "Annex"}, "en", paragraphs, "annex.docx")
    assert [paragraph.text for paragraph in added.paragraphs] == ["Chapter one.", "Chapter two."]
    with pytest.raises(DomainError):
        services.add_document(None, round_, {"en": "Empty"}, "en", ["\x85", "\ufffe\x0b"])


def coordinator(app):
    client = app.test_client()
    sign_in(client, app, make_user(app, (StaffRoleName.coordinator,)))
    return client


def test_a_coordinator_sets_up_schedules_and_documents_a_round(app):
    client = coordinator(app)
    start = datetime.now(UTC) + timedelta(days=2)
    data = {
        "title_en": "Mid-term consultation",
        "title_fr": "Consultation à mi-parcours",
        "slug": "cycle4-mid-term",
        "stage": "mid_term",
        "cycle": "4",
        "plan_version": "0",
        "eligibility": "public",
        "moderation_mode": "pre",
        "summariser_organisation": "0",
        "timezone": "America/Santiago",
        "opens_at": start.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (start + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
    }
    with app.app_context():
        data["summariser_organisation"] = str(OrganisationFactory(type=OrganisationType.nhri).id)
        db.session.commit()
    backwards = submit(client, "/rounds/new", {**data, "closes_at": data["opens_at"]})
    assert backwards.status_code == 422 and "The round must close after it opens." in backwards.get_data(
        as_text=True
    )
    assert submit(client, "/rounds/new", data).status_code == 302
    public = app.test_client()
    assert public.get("/rounds/cycle4-mid-term").status_code == 404  # a draft is not public
    check = client.get("/rounds/cycle4-mid-term/check").get_data(as_text=True)
    checked = re.search(r'name="checked"[^>]*value="(\d+)"', check).group(1)
    submit(
        client, "/rounds/cycle4-mid-term/check", {"checked": checked}, page="/rounds/cycle4-mid-term/check"
    )
    page = public.get("/rounds/cycle4-mid-term", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Consultation à mi-parcours" in page and "Chili" in page
    manage = "/rounds/cycle4-mid-term/manage"
    submit(
        client,
        "/rounds/cycle4-mid-term/questions",
        {"text_en": "What has changed since the review?"},
        page=manage,
    )
    submit(
        client,
        "/rounds/cycle4-mid-term/documents",
        {
            "title_en": "Draft mid-term report",
            "language": "en",
            "text": "Introduction.\n\nProgress on torture.",
        },
        page=manage,
    )
    document = docx.Document()
    document.add_paragraph("Chapter one.")
    document.add_paragraph("")
    document.add_paragraph("Chapter two.")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    submit(
        client,
        "/rounds/cycle4-mid-term/documents",
        {"title_en": "Annex", "language": "en", "file": (buffer, "annex.docx")},
        page=manage,
        content_type="multipart/form-data",
    )
    not_docx = submit(
        client,
        "/rounds/cycle4-mid-term/documents",
        {"title_en": "Bad", "language": "en", "file": (io.BytesIO(b"MZ\x90"), "bad.docx")},
        page=manage,
        content_type="multipart/form-data",
    )
    assert not_docx.status_code == 422
    with app.app_context():
        round_ = db.session.scalar(select(Round))
        assert round_.state is RoundState.scheduled and round_.timezone == "America/Santiago"
        assert [len(d.paragraphs) for d in round_.documents] == [2, 2]
        assert round_.questions[0].text == {"en": "What has changed since the review?"}
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"round.create", "round.schedule", "round.add_question", "round.add_document"} <= actions
    shown = public.get(f"/rounds/cycle4-mid-term/documents/{round_.documents[0].id}").get_data(as_text=True)
    assert 'id="paragraph-2"' in shown and "Progress on torture." in shown


def test_the_rounds_list_groups_by_the_clock(app, client):
    with app.app_context():
        now = datetime.now(UTC)
        for slug, opens, closes in (("past", -30, -1), ("open", -1, 10), ("coming", 5, 40)):
            db.session.add(
                Round(
                    slug=slug,
                    stage=Stage.pre_review,
                    cycle=4,
                    title={"en": slug.title()},
                    state=RoundState.scheduled,
                    opens_at=now + timedelta(days=opens),
                    closes_at=now + timedelta(days=closes),
                )
            )
        db.session.add(
            Round(
                slug="secret",
                stage=Stage.pre_review,
                cycle=4,
                title={"en": "Draft one"},
                opens_at=now,
                closes_at=now + timedelta(days=1),
            )
        )
        db.session.commit()
    page = client.get("/rounds/").get_data(as_text=True)
    open_at, coming_at, past_at = page.index(">Open<"), page.index(">Coming<"), page.index(">Past<")
    assert open_at < coming_at < past_at
    assert "Draft one" not in page


def test_a_named_summariser_is_announced_with_their_name_isolated_and_escaped(app):
    """The confirmation names the person as they typed their name: set apart, so that a right-to-left name
    or a pasted bidi override cannot reorder the sentence, and never read as markup."""
    client = coordinator(app)
    name = "\u202eOlga <b>Ivanova</b>"
    person = make_user(app, name=name)
    with app.app_context():
        make_round()
        db.session.commit()
    response = submit(client, "/rounds/r1/summarisers", {"email": person.email}, page="/rounds/r1/manage")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "<bdi>\u202eOlga &lt;b&gt;Ivanova&lt;/b&gt;</bdi> may now summarise this round." in page
