"""Moderation in figures for the public, and every decision exported for an independent review."""

import csv
import io
from datetime import UTC, datetime, timedelta

from consult.accounts.models import StaffRoleName, User
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from tests.factories import open_round, submitted
from tests.helpers import make_user, sign_in


def test_the_public_sees_figures_and_coordinators_export_decisions(app, client):
    author = make_user(app, name="Private Person")
    moderator = make_user(app, (StaffRoleName.moderator,), name="Mona Moderator")
    coordinator = make_user(app, (StaffRoleName.coordinator,))
    with app.app_context():
        round_ = open_round()
        person, staff = db.session.get(User, author.id), db.session.get(User, moderator.id)
        first, second, _third = (
            submitted(round_, person, f"Comment number {n} with 555 0101.") for n in range(3)
        )
        moderation.decide(staff, first, DecisionKind.approve)
        moderation.decide(staff, second, DecisionKind.reject, Reason.spam)
        moderation.redact(staff, first, "555 0101", Reason.personal_data)
        # The public sees these figures once the round has closed (tests/moderation/test_public_figures.py).
        round_.closes_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
        slug, round_id = round_.slug, round_.id
    page = client.get(f"/rounds/{slug}/moderation").get_data(as_text=True)
    # Counts below 3 are published as "fewer than 3"; the number received would give them back: not shown.
    few = '<span class="withheld" data-suppressed="below_threshold">fewer than 3</span>'
    for label, shown in (
        ("Comments received", '<span class="withheld" data-suppressed="complementary">not shown</span>'),
        ("Published", few),
        ("Awaiting moderation", few),
        ("Not published", few),
        ("With passages redacted", few),
        ("Withdrawn by their authors", "0"),
    ):
        assert f'<th scope="row">{label}</th><td>{shown}</td>' in page, label
    assert f"Spam: {few}" in page and "Private Person" not in page and "Mona" not in page
    assert "Exact figures — staff only" not in page

    staff_client = app.test_client()
    sign_in(staff_client, app, make_user(app, (StaffRoleName.moderator,)))
    page = staff_client.get(f"/rounds/{slug}/moderation").get_data(as_text=True)
    for label, number in (
        ("Comments received", 3),
        ("Published", 1),
        ("Awaiting moderation", 1),
        ("Not published", 1),
        ("With passages redacted", 1),
    ):
        assert f'<th scope="row">{label}</th><td>{number}</td>' in page, label
    assert "Spam: 1" in page and "Exact figures — staff only" in page
    assert (
        staff_client.get("/moderation/decisions.csv").status_code == 403
    )  # moderators do not review themselves
    reviewer = app.test_client()
    sign_in(reviewer, app, coordinator)
    rows = list(
        csv.DictReader(
            io.StringIO(
                reviewer.get(f"/moderation/decisions.csv?round={round_id}")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [(r["decision"], r["reason"]) for r in rows] == [("approve", ""), ("reject", "spam")]
    assert rows[0]["moderator"] == "Mona Moderator" and rows[0]["receipt"].startswith("R-")
