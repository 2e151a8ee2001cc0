"""The summary editor is one form: every button saves everything typed on the page, then does its own work;
an error or a stale token shows everything as typed and saves nothing; publishing asks for confirmation."""

from html import unescape

import pytest
from sqlalchemy import select

from consult.accounts.models import User
from consult.comments.models import TargetType
from consult.extensions import db
from consult.rounds.models import Round
from consult.summaries import services
from consult.summaries.editing import parse_action
from consult.summaries.models import Summary, SummaryState
from tests.helpers import csrf_token, sign_in
from tests.summaries.fixtures import closed_round_with_input, public_id_of


def _summary(app, given, points=("Inspections", "Resources")) -> tuple[int, list[int]]:
    """A draft by the summariser with a point on the first recommendation and one on the round."""
    with app.app_context():
        author = db.session.get(User, given.summariser.id)
        summary = services.create_summary(author, db.session.get(Round, given.round_id), "Heard", "en", None)
        db.session.flush()
        targets = [(TargetType.recommendation, given.recommendation_id), (TargetType.round, None)]
        for heading, target in zip(points, targets, strict=False):
            services.add_section(author, summary, *target, heading, "")
        db.session.commit()
        return summary.id, [s.id for s in summary.sections]


def _page(summary_id: int, sections: list[int], **typed) -> dict:
    """The editor's fields as a browser sends them, everything typed."""
    first, second = sections
    return {
        "title": "What the NHRI heard",
        "introduction": "Forty organisations took part.",
        f"section-{first}-heading": "Preventive visits",
        f"section-{first}-body": "Inspections have not started.",
        f"section-{second}-heading": "Resources",
        f"section-{second}-body": "The mechanism lacks staff.",
        "new-target": "",
        "new-heading": "",
        "new-body": "",
        "change_note": "",
        **typed,
    }


@pytest.fixture
def editor(app, client):
    given = closed_round_with_input(app)
    summary_id, sections = _summary(app, given)
    sign_in(client, app, given.summariser)
    path = f"/summaries/{summary_id}/edit"
    token = csrf_token(client, path)

    def send(action: str, **typed):
        return client.post(
            path, data={"csrf_token": token, "action": action, **_page(summary_id, sections, **typed)}
        )

    return given, summary_id, sections, send


def _saved(app, summary_id: int) -> Summary:
    with app.app_context():
        summary = db.session.get(Summary, summary_id)
        _ = [(s.heading, s.body, [c.comment_id for c in s.citations]) for s in summary.sections]
        db.session.expunge_all()
        return summary


def test_the_target_select_names_each_part_by_symbol_and_text(app, client, editor):
    _given, summary_id, _sections, _send = editor
    page = unescape(client.get(f"/summaries/{summary_id}/edit").get_data(as_text=True))
    assert "A/HRC/40/8 115.1 · Ratify OPCAT." in page
    assert "C1 · Prevention of torture" in page
    main = page.split("<main", 1)[1]
    assert main.count('name="action"') > 5 and main.count("<form") == 1


def test_saving_keeps_the_point_being_added_and_a_passage_typed_to_quote(app, editor):
    given, summary_id, sections, send = editor
    passage = f"quote-{sections[0]}-{public_id_of(app, given.named_id)}"
    answer = send(
        "save", **{"new-heading": "Half a point", "new-body": "Typed, not added.", passage: "police stations"}
    )
    assert answer.status_code == 200  # the page itself, with what is not saved yet
    page = answer.get_data(as_text=True)
    assert "Half a point" in page and "Typed, not added." in page and ">police stations</textarea>" in page
    summary = _saved(app, summary_id)
    assert summary.title == "What the NHRI heard" and summary.introduction == "Forty organisations took part."
    assert [s.heading for s in summary.sections] == ["Preventive visits", "Resources"]


def test_adding_a_point_saves_every_other_field_first(app, editor):
    given, summary_id, _sections, send = editor
    answer = send("add", **{"new-target": f"cluster:{given.cluster_id}", "new-heading": "Torture"})
    assert answer.status_code == 302
    summary = _saved(app, summary_id)
    assert [s.heading for s in summary.sections] == ["Preventive visits", "Resources", "Torture"]
    assert summary.sections[0].body == "Inspections have not started."
    assert summary.introduction == "Forty organisations took part."


def test_an_error_anywhere_saves_nothing_and_shows_everything_typed(app, editor):
    _given, summary_id, sections, send = editor
    answer = send("add", **{f"section-{sections[1]}-heading": "", "new-heading": "", "new-body": "Kept."})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Forty organisations took part." in page and "Inspections have not started." in page
    assert "Kept." in page and "There is a problem" in page and "Nothing was saved" in page
    summary = _saved(app, summary_id)
    assert summary.introduction is None and [s.heading for s in summary.sections] == [
        "Inspections",
        "Resources",
    ]


def test_a_stale_token_keeps_everything_typed(app, client, editor):
    _given, summary_id, sections, _send = editor
    data = {"csrf_token": "stale", "action": "save", **_page(summary_id, sections, **{"new-body": "Draft."})}
    answer = client.post(f"/summaries/{summary_id}/edit", data=data)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert (
        "Nothing you wrote is lost" in page and "Forty organisations took part." in page and "Draft." in page
    )
    assert _saved(app, summary_id).introduction is None


def test_quoting_saves_the_page_and_a_wrong_passage_comes_back_with_its_error(app, editor):
    given, summary_id, sections, send = editor
    named = public_id_of(app, given.named_id)
    passage = f"quote-{sections[0]}-{named}"
    refused = send(f"cite:{sections[0]}:{named}", **{passage: "words nobody wrote"})
    assert refused.status_code == 422
    assert "words nobody wrote</textarea>" in refused.get_data(as_text=True)
    assert _saved(app, summary_id).sections[0].citations == []
    quoted = send(f"cite:{sections[0]}:{named}", **{passage: "police stations"})
    assert quoted.status_code == 302
    summary = _saved(app, summary_id)
    assert [c.quote for c in summary.sections[0].citations] == ["police stations"]
    assert summary.sections[0].body == "Inspections have not started."


def test_removing_a_point_asks_first_and_points_move(app, editor):
    _given, summary_id, sections, send = editor
    asked = send(f"remove:{sections[0]}")
    assert asked.status_code == 200 and "Yes, remove the point" in asked.get_data(as_text=True)
    assert len(_saved(app, summary_id).sections) == 2
    assert send(f"down:{sections[0]}").status_code == 302
    assert [s.heading for s in _saved(app, summary_id).sections] == ["Resources", "Preventive visits"]
    assert send(f"drop:{sections[0]}").status_code == 302
    assert [s.heading for s in _saved(app, summary_id).sections] == ["Resources"]


def test_publishing_asks_for_confirmation_and_keeps_everything_until_then(app, editor):
    _given, summary_id, _sections, send = editor
    unconfirmed = send("publish", **{"new-body": "Still typing."})
    assert unconfirmed.status_code == 422
    page = unconfirmed.get_data(as_text=True)
    assert "Tick the box to confirm" in page and "Still typing." in page
    assert _saved(app, summary_id).state is SummaryState.draft
    published = send("publish", confirm="y")
    assert published.status_code == 302 and published.location.endswith(f"/summaries/{summary_id}")
    assert _saved(app, summary_id).state is SummaryState.published


PUBLIC_ID = "Ab3-x_Q9Ab3-x_Q9Ab3-x_"


@pytest.mark.parametrize("value", ["", "save", f"cite:1:{PUBLIC_ID}", "drop:3"])
def test_the_editors_buttons_are_read(value):
    assert parse_action(value) is not None


@pytest.mark.parametrize(
    "value",
    [
        "delete",
        "cite:1",
        "cite:x:2",
        "cite:1:2",
        f"cite:x:{PUBLIC_ID}",
        f"cite:1:{PUBLIC_ID}x",
        "drop:²",
        "up:-1",
        "publish:1",
    ],
)
def test_anything_else_is_no_button(value):
    assert parse_action(value) is None


def test_an_unknown_button_changes_nothing(app, editor):
    _given, summary_id, _sections, send = editor
    assert send("explode").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Summary.introduction).where(Summary.id == summary_id)) is None
