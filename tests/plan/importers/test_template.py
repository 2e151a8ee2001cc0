"""The template reader on the shipped example, and on CSV and XLSX files a coordinator could fill in."""

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from consult.plan.importers.records import ClusterRecord
from consult.plan.importers.template import COLUMNS, read_template
from consult.plan.models import Mechanism, Position

SHIPPED = Path(__file__).resolve().parents[3] / "consult/static/downloads/recommendations-template.csv"

UPR_ROW = {
    "id": "UPR4-VRD-118.12",
    "mechanism": "UPR",
    "body": "UPR",
    "state_under_review": "Republic of Veridia",
    "symbol": "A/HRC/53/9",
    "paragraph": "118.12",
    "cycle": "4",
    "session": "42",
    "date": "2023-04-12",
    "position": "Partially Supported",
    "position_source": "A/HRC/53/9/Add.1, para. 4",
    "recommending_states": "Portugal; Chile",
    "text_en": "Ratify the Optional Protocol to the Convention against Torture",
    "text_fr": "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture",
    "themes": "Torture; Acceptance of international norms",
    "sdgs": "16.3 - Promote the rule of law; 16.a",
    "cluster_code": "C1",
    "cluster_title": "International instruments",
}
CEDAW_ROW = {
    "id": "CEDAW-2022-12a",
    "mechanism": "Treaty body",
    "body": "CEDAW",
    "paragraph": "12 (a)",
    "date": "2022-11-02",
    "text_es": "Adoptar una definición amplia de la discriminación contra la mujer",
    "text_fr": "Adopter une définition complète de la discrimination à l'égard des femmes",
    "affected_groups": "Women and girls",
}
SR_ROW = {
    "id": "SR-HOUSING-2022-74b",
    "mechanism": "Special procedure",
    "body": "SR on adequate housing",
    "text_en": "Ensure that evictions are carried out only as a last resort",
    "cluster_title": "Economic, social and cultural rights",
}


def write_csv(path: Path, rows: list[dict], columns: tuple[str, ...] | list[str] = COLUMNS) -> Path:
    """A template CSV with the given header and rows (missing cells empty)."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows([[row.get(column.strip().lower(), "") for column in columns] for row in rows])
    return path


def write_xlsx(path: Path, rows: list[dict], columns: tuple[str, ...] = COLUMNS) -> Path:
    """A template XLSX as a spreadsheet would hold it: dates as date cells, cycles as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for row in rows:
        cells = {**row}
        if cells.get("date"):
            cells["date"] = date.fromisoformat(cells["date"])
        if cells.get("cycle"):
            cells["cycle"] = int(cells["cycle"])
        sheet.append([cells.get(column) for column in columns])
    workbook.save(path)
    return path


def test_the_shipped_example_reads_without_problems():
    result = read_template([SHIPPED])

    assert result.problems == []
    assert (result.rows, len(result.records)) == (3, 3)
    upr, cedaw, housing = result.records
    assert (upr.mechanism, upr.position, upr.recommending_states) == (
        Mechanism.upr,
        Position.supported,
        ["Portugal", "Chile"],
    )
    assert set(upr.texts) == {"en", "fr"}
    assert (cedaw.mechanism, cedaw.body, cedaw.position) == (Mechanism.treaty_body, "CEDAW", None)
    assert housing.mechanism == Mechanism.special_procedure
    assert {record.state_under_review for record in result.records} == {"Republic of Veridia"}


def test_the_shipped_example_has_every_documented_column():
    with SHIPPED.open(encoding="utf-8") as file:
        assert tuple(next(csv.reader(file))) == COLUMNS
    documentation = (SHIPPED.parents[3] / "docs/import-template.md").read_text(encoding="utf-8")
    assert all(f"| `{column}` |" in documentation for column in COLUMNS)


def test_a_row_becomes_a_full_record(tmp_path):
    result = read_template([write_csv(tmp_path / "plan.csv", [UPR_ROW, CEDAW_ROW, SR_ROW])])

    assert result.problems == []
    upr, cedaw, housing = result.records
    assert upr.source_key == "template:UPR4-VRD-118.12"
    assert (upr.cycle, upr.session, upr.issued_on) == (4, "42", date(2023, 4, 12))
    assert upr.position == Position.partially_supported
    assert upr.sdgs == ["16.3", "16.a"]
    assert upr.themes == ["Torture", "Acceptance of international norms"]
    assert upr.cluster == ClusterRecord(code="C1", title="International instruments")
    assert (upr.original_language, upr.file, upr.row) == ("en", "plan.csv", 2)
    # With no original_language, the first text in the order en, fr, es… is the original.
    assert (cedaw.original_language, set(cedaw.texts)) == ("fr", {"fr", "es"})
    assert cedaw.cycle is None and cedaw.position is None
    assert housing.cluster == ClusterRecord(
        code="economic-social-and-cultural-rights", title=SR_ROW["cluster_title"]
    )
    assert housing.body == "SR on adequate housing"


def test_csv_and_xlsx_of_the_same_rows_give_the_same_records(tmp_path):
    rows = [UPR_ROW, CEDAW_ROW, SR_ROW]
    from_csv = read_template([write_csv(tmp_path / "plan.csv", rows)])
    from_xlsx = read_template([write_xlsx(tmp_path / "plan.xlsx", rows)])

    assert from_csv.problems == from_xlsx.problems == []
    assert [r.digest() for r in from_csv.records] == [r.digest() for r in from_xlsx.records]
    assert from_xlsx.records[0].issued_on == date(2023, 4, 12)


def test_headers_match_whatever_their_case_and_spaces_and_unknown_columns_are_ignored(tmp_path):
    columns = [" ID ", "Body", "TEXT_EN", "text_pt", "notes"]
    rows = [
        {"id": "X-1", "body": "CRC", "text_en": "Raise the age", "text_pt": "Elevar a idade", "notes": "!"}
    ]
    result = read_template([write_csv(tmp_path / "plan.csv", rows, columns)])

    assert result.problems == []
    (record,) = result.records
    assert record.texts == {"en": "Raise the age"}
    # The mechanism, left out, is told from the body.
    assert (record.mechanism, record.body) == (Mechanism.treaty_body, "CRC")


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("mechanism", "Human Rights Council", "treaty_body"),
        ("position", "accepted", "partially supported"),
        ("cycle", "three", "whole number"),
        ("cycle", "4.5", "whole number"),
        ("date", "14/11/2022", "YYYY-MM-DD"),
        ("date", "2022-02-30", "YYYY-MM-DD"),
        ("original_language", "es", "en, fr"),
        ("id", "x" * 101, "100"),
    ],
)
def test_an_invalid_value_is_a_problem_for_its_row_and_column(tmp_path, column, value, says):
    rows = [SR_ROW, {**UPR_ROW, column: value}, CEDAW_ROW]
    result = read_template([write_csv(tmp_path / "plan.csv", rows)])

    assert [(p.file, p.row, p.field) for p in result.problems] == [("plan.csv", 3, column)]
    assert says in result.problems[0].message
    assert [record.source_key for record in result.records] == [
        "template:SR-HOUSING-2022-74b",
        "template:CEDAW-2022-12a",
    ]


def test_a_position_outside_the_upr_is_a_problem(tmp_path):
    result = read_template([write_csv(tmp_path / "plan.csv", [{**CEDAW_ROW, "position": "noted"}])])

    assert [(p.row, p.field) for p in result.problems] == [(2, "position")]
    assert "UPR" in result.problems[0].message
    assert result.records == []


def test_every_problem_of_a_row_is_reported_with_the_column_as_the_file_spells_it(tmp_path):
    columns = ["Id", "Mechanism", "Body", "Cycle", "Date", "Text_En"]
    row = {
        "id": "A-1",
        "mechanism": "council",
        "body": "UPR",
        "cycle": "IV",
        "date": "soon",
        "text_en": "Do it",
    }
    result = read_template([write_csv(tmp_path / "plan.csv", [row], columns)])

    assert [(p.row, p.field) for p in result.problems] == [(2, "Mechanism"), (2, "Cycle"), (2, "Date")]


def test_a_mechanism_that_cannot_be_told_from_the_body_is_a_problem(tmp_path):
    row = {"id": "A-1", "body": "World Bank", "text_en": "Do it"}
    result = read_template([write_csv(tmp_path / "plan.csv", [row])])

    assert [(p.row, p.field) for p in result.problems] == [(2, "mechanism")]
    assert "special_procedure" in result.problems[0].message


def test_a_row_without_text_or_id_is_a_problem_and_the_others_still_read(tmp_path):
    no_text = {key: value for key, value in UPR_ROW.items() if not key.startswith("text_")}
    no_id = {**SR_ROW, "id": " "}
    result = read_template([write_csv(tmp_path / "plan.csv", [no_text, CEDAW_ROW, no_id])])

    assert [(p.row, p.field) for p in result.problems] == [(2, "text_en"), (4, "id")]
    assert "text_zh" in result.problems[0].message
    assert [record.source_key for record in result.records] == ["template:CEDAW-2022-12a"]


def test_a_missing_required_column_is_one_problem_and_no_records(tmp_path):
    no_body = write_csv(tmp_path / "no-body.csv", [UPR_ROW], [c for c in COLUMNS if c != "body"])
    no_text = write_csv(tmp_path / "no-text.csv", [UPR_ROW], ["id", "body", "symbol"])

    result = read_template([no_body, no_text])

    assert [(p.file, p.row, p.field) for p in result.problems] == [
        ("no-body.csv", 0, "body"),
        ("no-text.csv", 0, "text_en"),
    ]
    assert "body" in result.problems[0].message
    assert result.records == []


def test_an_id_read_twice_is_a_problem_even_across_files(tmp_path):
    first = write_csv(tmp_path / "first.csv", [UPR_ROW, {**UPR_ROW, "text_en": "Again"}])
    second = write_xlsx(tmp_path / "second.xlsx", [UPR_ROW, SR_ROW])

    result = read_template([first, second])

    assert [(p.file, p.row, p.field) for p in result.problems] == [
        ("first.csv", 3, "id"),
        ("second.xlsx", 2, "id"),
    ]
    assert "first.csv, row 2" in result.problems[1].message
    assert len(result.records) == 2


def test_unreadable_files_are_one_problem_each(tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,body,text_fr\nA-1,CRC,Élever l'âge\n".encode("cp1252"))
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text("id;body;text_en\nA-1;CRC;Raise the age\n", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook at all")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")

    result = read_template([latin1, semicolons, broken, empty, tmp_path / "absent.csv", SHIPPED])

    assert [(p.file, p.row) for p in result.problems] == [
        ("latin1.csv", 0),
        ("semicolons.csv", 0),
        ("broken.xlsx", 0),
        ("empty.csv", 0),
        ("absent.csv", 0),
    ]
    assert "UTF-8" in result.problems[0].message
    assert "semicolons" in result.problems[1].message
    assert len(result.records) == 3
