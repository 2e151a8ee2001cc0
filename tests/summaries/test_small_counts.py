"""Small counts on every surface that publishes a round's figures: a round heard 1 NGO, 5 individuals and 2
parliamentarians. The public never reads the 1 or the 2 (page, chart, CSV, XLSX, JSON, PDF, DOCX), nor a
share or a bar they would give; staff see them, marked as exact; every table states the rule."""

import csv
import io
import json
import re

import pytest
from docx import Document
from lxml import etree

from consult.accounts.models import User
from consult.extensions import db
from consult.rounds.models import Round
from consult.summaries import services as summaries
from tests.helpers import sign_in
from tests.reports.readable import pdf_text, xlsx_cells
from tests.summaries.fixtures import closed_round_with_input
from tests.summaries.small_round import INDIVIDUALS_LABEL, NGO_LABEL, PARLIAMENT_LABEL, small_round

FEW = '<span class="withheld" data-suppressed="below_threshold">fewer than 3</span>'
RULE = "Counts below 3 are shown as “fewer than 3”"
EXACT = "Exact figures — staff only."


def stakeholder_cells(page: str) -> dict[str, tuple[str, str]]:
    """The stakeholder table of a figures page: label → (voices, share) as printed."""
    table = page.split("Participation by stakeholder type</caption>", 1)[1].split("</table>", 1)[0]
    return {
        label: (count, share)
        for label, count, share in re.findall(
            r'<tr><th scope="row">([^<]+)</th><td>(.*?)</td><td>(.*?)</td></tr>', table
        )
    }


def test_the_public_outcome_page_says_fewer_than_3_and_states_the_rule(app, client):
    given = small_round(app)
    page = client.get(f"/rounds/{given.slug}/outcome").get_data(as_text=True)
    cells = stakeholder_cells(page)
    assert cells[NGO_LABEL] == (FEW, "—")
    assert cells[PARLIAMENT_LABEL] == (FEW, "—")
    assert cells[INDIVIDUALS_LABEL] == ("5", "62%")
    assert f"<strong>{FEW}</strong> organisations" in page  # the NGO and parliament's committee
    assert "<strong>8</strong> voices" in page
    assessments = page.split("Assessments of implementation, by recommendation</caption>", 1)[1]
    row = assessments.split("</tr>", 2)[1]
    assert re.findall(r"<td>(.*?)</td>", row) == [FEW, FEW, "3", FEW, "8"]
    assert page.count(RULE) == 4  # under each of the four tables
    assert EXACT not in page


@pytest.mark.parametrize("who", ["coordinator", "moderator", "summariser"])
def test_staff_see_the_exact_figures_marked_as_exact(app, who):
    given = small_round(app)
    client = app.test_client()
    sign_in(client, app, getattr(given, who))
    page = client.get(f"/rounds/{given.slug}/outcome").get_data(as_text=True)
    cells = stakeholder_cells(page)
    assert cells[NGO_LABEL][0] == "1" and cells[PARLIAMENT_LABEL][0] == "2"
    assert EXACT in page
    assert "<strong>2</strong> organisations" in page


def test_the_summarisers_editor_shows_exact_figures_marked_as_exact(app):
    given = small_round(app)
    with app.app_context():
        summary = summaries.create_summary(
            db.session.get(User, given.summariser.id),
            db.session.get(Round, given.round_id),
            "What we heard",
            "en",
            None,
        )
        db.session.commit()
        summary_id = summary.id
    client = app.test_client()
    sign_in(client, app, given.summariser)
    page = client.get(f"/summaries/{summary_id}/edit").get_data(as_text=True)
    assert EXACT in page
    assert stakeholder_cells(page)[NGO_LABEL][0] == "1"


def test_charts_draw_no_bar_for_a_withheld_count_whoever_asks(app, client):
    given = small_round(app)
    coordinator = app.test_client()
    sign_in(coordinator, app, given.coordinator)
    for reader in (client, coordinator):
        svg = reader.get(f"/rounds/{given.slug}/charts/stakeholders.svg").data
        root = etree.fromstring(svg)
        values = [e.text for e in root.iter("{*}desc") if e.get("class") == "value"]
        labels = [e.text for e in root.iter("{*}text")]
        assert values == ["5"]  # one bar: the individuals'
        assert f"{NGO_LABEL} (fewer than 3)" in labels and f"{PARLIAMENT_LABEL} (fewer than 3)" in labels
        assert RULE in next(root.iter("{*}desc")).text
        stacked = etree.fromstring(reader.get(f"/rounds/{given.slug}/charts/assessments.svg").data)
        values = [e.text for e in stacked.iter("{*}desc") if e.get("class") == "value"]
        assert values == ["3"]  # only the fully implemented: 1 not started, 2 partly, 2 don't know withheld


def _figure_rows(client, slug: str, fmt: str) -> list[dict]:
    data = client.get(f"/rounds/{slug}/figures.{fmt}").data
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "json":
        return json.loads(data)
    header, *rows = xlsx_cells(data)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exports_leave_a_withheld_count_empty_and_say_why(app, fmt):
    given = small_round(app)
    client = app.test_client()
    sign_in(client, app, given.coordinator)  # a file travels: staff download the published figures too
    rows = _figure_rows(client, given.slug, fmt)
    empty = {"csv": "", "xlsx": None, "json": None}[fmt]
    by_key = {(row["breakdown"], row["key"]): row for row in rows}
    rule = by_key[("rule", "min_count")]
    assert int(rule["count"]) == 3
    for key in ("ngo", "parliament"):
        row = by_key[("stakeholders", key)]
        assert (row["count"], row["share"], row["suppressed"]) == (empty, empty, "below_threshold")
    individuals = by_key[("stakeholders", "individual")]
    assert int(individuals["count"]) == 5 and individuals["suppressed"] in ("", None)
    organisations = by_key[("totals", "organisations")]
    assert (organisations["count"], organisations["suppressed"]) == (empty, "below_threshold")
    assessments = {row["key"]: row for row in rows if row["breakdown"] == "assessments"}
    assert [assessments[key]["suppressed"] for key in ("not_started", "partly", "dont_know")] == [
        "below_threshold"
    ] * 3
    assert all(row["count"] in (empty, None) for row in rows if row["suppressed"])
    assert not [row for row in rows if row["count"] not in ("", None) and 0 < int(row["count"]) < 3]


def test_the_reports_say_fewer_than_3_and_state_the_rule(app, client):
    given = small_round(app)
    docx = client.get(f"/rounds/{given.slug}/report.docx?lang=en").data
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in Document(io.BytesIO(docx)).tables
    ]
    stakeholders = next(t for t in tables if t[0][0] == "Stakeholder")
    assert [NGO_LABEL, "fewer than 3", "—"] in stakeholders
    assert [PARLIAMENT_LABEL, "fewer than 3", "—"] in stakeholders
    assert [INDIVIDUALS_LABEL, "5", "62%"] in stakeholders
    organisations = "Organisations named in the published comments"
    participation = next(t for t in tables if any(row[0] == organisations for row in t))
    assert [organisations, "fewer than 3"] in participation
    assessments = next(t for t in tables if t[0][0] == "Recommendation")
    assert assessments[1][1:] == ["fewer than 3", "fewer than 3", "3", "fewer than 3", "8"]
    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert sum(RULE in p for p in paragraphs) >= 5

    pdf = pdf_text(client.get(f"/rounds/{given.slug}/report.pdf?lang=en").data)
    assert f"{NGO_LABEL} fewer than 3 —" in pdf and f"{PARLIAMENT_LABEL} fewer than 3 —" in pdf
    assert f"{NGO_LABEL} 1" not in pdf and f"{PARLIAMENT_LABEL} 2" not in pdf
    assert f"{organisations} fewer than 3" in pdf
    assert RULE in pdf


def test_a_small_campaign_shows_fewer_than_3_supporters(app, client):
    given = closed_round_with_input(app, campaign_size=2)
    page = client.get(f"/rounds/{given.slug}").get_data(as_text=True)
    assert "a campaign of fewer than 3 supporters" in page
    assert "a campaign of 2 supporters" not in page


def test_a_threshold_of_0_publishes_every_count(app, client):
    app.config["FIGURES_MIN_COUNT"] = 0
    given = small_round(app)
    page = client.get(f"/rounds/{given.slug}/outcome").get_data(as_text=True)
    cells = stakeholder_cells(page)
    assert cells[NGO_LABEL] == ("1", "12%") and cells[PARLIAMENT_LABEL] == ("2", "25%")
    assert EXACT not in page
    supporters = closed_round_with_input(app, campaign_size=2)
    assert "a campaign of 2 supporters" in client.get(f"/rounds/{supporters.slug}").get_data(as_text=True)


def test_fewer_than_n_takes_the_genitive_plural_in_russian(app, client):
    """ "менее 3 организаций", never "менее 3 организации": the words after a withheld count take the form
    "fewer than" asks for, not the form of the threshold's own number."""
    from flask_babel import get_translations

    given = small_round(app)
    russian = {"Accept-Language": "ru"}
    page = client.get(f"/rounds/{given.slug}/outcome", headers=russian).get_data(as_text=True)
    organisations = (
        "organisation named in the published comments",
        "organisations named in the published comments",
    )
    with app.test_request_context(headers=russian):
        after_fewer = get_translations().ungettext(*organisations, 5)
        after_three = get_translations().ungettext(*organisations, 3)
    assert after_fewer != after_three
    withheld = re.search(r'data-suppressed="below_threshold">[^<]*</span></strong> ([^<]*)</li>', page)
    assert withheld and withheld.group(1) == after_fewer
