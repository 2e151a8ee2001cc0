"""The OHCHR matrix reader on Slovenia's three real matrices, and on small .docx files built here."""

import re
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.table import Table

from consult.plan.importers.ohchr_matrix import read_ohchr_matrix
from consult.plan.importers.records import ClusterRecord, ReadResult, RecommendationRecord
from consult.plan.models import Mechanism, Position

FILES = {
    2: "UPR20__Slovenia_ThematicListRecommendations_E.docx",
    3: "UPR34_Slovenia_Thematic_list_of_Recommendations.docx",
    4: "upr48-slovenia-thematic-list-of-recommendatio.docx",
}
#: Per cycle: recommendations, supported, noted, distinct clusters. Each matrix lists the supported
#: recommendations theme by theme, then the noted ones, so some headings repeat: 37, 53 and 53 heading rows.
COUNTS = {2: (163, 142, 21, 32), 3: (215, 182, 33, 42), 4: (254, 217, 37, 43)}
SESSIONS = {2: "20", 3: "34", 4: "48"}
SYMBOLS = {2: "A/HRC/28/15", 3: "A/HRC/43/15", 4: "A/HRC/59/15"}


@pytest.fixture(scope="module")
def matrices(shared_data) -> Path:
    """The folder of Slovenia's matrices."""
    return shared_data / "ohchr-matrix-slovenia"


@pytest.fixture(scope="module")
def result(matrices) -> ReadResult:
    """The three matrices read together, once for the module."""
    return read_ohchr_matrix([matrices / name for name in FILES.values()])


@pytest.fixture(scope="module")
def by_key(result) -> dict[str, RecommendationRecord]:
    """The records by source key."""
    return {record.source_key: record for record in result.records}


def in_cycle(result: ReadResult, cycle: int) -> list[RecommendationRecord]:
    """The records of one cycle."""
    return [record for record in result.records if record.cycle == cycle]


def test_the_three_matrices_read_without_problems(result):
    """All 632 recommendations of the three cycles, 541 supported and 91 noted, with no problem."""
    assert result.problems == []
    assert len(result.records) == result.rows == 632
    positions = Counter(record.position for record in result.records)
    assert positions == {Position.supported: 541, Position.noted: 91}


@pytest.mark.parametrize("cycle", FILES)
def test_each_cycle_has_its_counts_and_review(result, cycle):
    """Each cycle's counts, rows numbered from 1, and the review the page header names."""
    records = in_cycle(result, cycle)
    total, supported, noted, _clusters = COUNTS[cycle]
    assert len(records) == total
    assert Counter(record.position for record in records) == {
        Position.supported: supported,
        Position.noted: noted,
    }
    assert {record.file for record in records} == {FILES[cycle]}
    assert [record.row for record in records] == list(range(1, total + 1))
    assert {(r.state_under_review, r.session, r.symbol) for r in records} == {
        ("Slovenia", SESSIONS[cycle], SYMBOLS[cycle])
    }
    assert {(r.mechanism, r.body, r.original_language) for r in records} == {(Mechanism.upr, "UPR", "en")}


def test_every_record_is_clean(result):
    """Texts without their closing States or source of position; keys, paragraphs and sources well formed."""
    for record in result.records:
        text = record.texts["en"]
        assert list(record.texts) == ["en"] and text.strip() == text != ""
        assert "source of" not in text.casefold(), record.source_key
        assert record.recommending_states, record.source_key
        # The closing "(Chile)" moved to recommending_states; the text does not keep it.
        assert not text.endswith(f"({record.recommending_states[-1]})"), record.source_key
        assert not re.search(r"[;,.]$", text), record.source_key
        assert record.source_key == f"ohchr:slovenia:{record.cycle}:{record.paragraph}"
        assert re.fullmatch(r"\d{3}\.\d{1,3}", record.paragraph)
        assert re.fullmatch(r"A/HRC/\d\d/15(/Add\.1)?(, para\. \d+)?", record.position_source)
        assert record.themes and record.cluster is not None


@pytest.mark.parametrize("cycle", FILES)
def test_paragraphs_are_unique_and_every_record_has_a_cluster(result, cycle):
    """One record per paragraph, and as many clusters as the matrix has distinct theme headings."""
    records = in_cycle(result, cycle)
    assert len({record.paragraph for record in records}) == len(records)
    clusters = {record.cluster.code: record.cluster.title for record in records}
    assert len(clusters) == len(set(clusters.values())) == COUNTS[cycle][3]


def test_a_cluster_is_the_theme_whether_supported_or_noted(by_key):
    """A theme heading repeated for the noted recommendations is the same cluster."""
    supported, noted = by_key["ohchr:slovenia:4:140.7"], by_key["ohchr:slovenia:4:140.1"]
    assert (supported.position, noted.position) == (Position.supported, Position.noted)
    assert (
        supported.cluster
        == noted.cluster
        == ClusterRecord("c4-1", "Ratification of & accession to international instruments")
    )


def test_a_cycle_2_recommendation(by_key):
    """Cycle 2: coded themes, a comma-separated list of States, a noted position."""
    record = by_key["ohchr:slovenia:2:115.8"]
    assert record.texts == {"en": "Ratify ICRMW"}
    assert (record.paragraph, record.position, record.row) == ("115.8", Position.noted, 147)
    # "Venezuela (Bolivarian Republic of)" inside a comma-separated group reads as the later cycles write it.
    assert record.recommending_states == [
        "Senegal",
        "Sierra Leone",
        "Bolivarian Republic of Venezuela",
        "Peru",
        "Uruguay",
    ]
    assert record.position_source == "A/HRC/28/15/Add.1, para. 5"
    assert record.themes == ["A12 Acceptance of international norms", "G4 Migrants"]
    assert record.affected_groups == ["Migrants"]
    assert record.sdgs == []
    assert record.cluster == ClusterRecord("A12", "Acceptance of international norms")


def test_a_paragraph_merging_several_states_recommendations(by_key):
    """The inner attributions of a merged paragraph stay in its text; every State is listed."""
    record = by_key["ohchr:slovenia:2:115.38"]
    assert record.recommending_states == ["Egypt", "Peru", "Azerbaijan"]
    text = record.texts["en"]
    assert text.startswith(
        "Ensure the compliance of its National Ombudsman with the Paris Principles (Egypt); "
    )
    assert "(Peru); take more effective measures" in text
    assert text.endswith("into compliance with the Paris Principles")


def test_a_cycle_3_recommendation(by_key):
    """Cycle 3: two States in brackets of their own, SDGs and affected persons inside the themes cell."""
    record = by_key["ohchr:slovenia:3:121.1"]
    assert record.texts == {
        "en": "Ratify the International Convention for the Protection of All Persons "
        "from Enforced Disappearance"
    }
    assert (record.paragraph, record.position) == ("121.1", Position.supported)
    assert record.recommending_states == ["France", "Lithuania"]
    assert record.position_source == "A/HRC/43/15, para. 121"
    assert record.themes == ["Acceptance of international norms", "Enforced disappearances"]
    assert record.affected_groups == ["Disappeared persons"]
    assert record.sdgs == ["16"]
    assert record.cluster == ClusterRecord("c3-1", "Acceptance of international norms")
    # A bracket that names no State stays in the text.
    assert by_key["ohchr:slovenia:3:121.3"].texts["en"].endswith("Forced Labour Convention, 1930 (No. 29)")


def test_a_cycle_4_recommendation(by_key):
    """Cycle 4: SDGs in their own column, groups of persons inside the themes cell."""
    record = by_key["ohchr:slovenia:4:140.7"]
    assert record.texts == {
        "en": "Ratify the Optional Protocol to the International Covenant on Economic, Social "
        "and Cultural Rights"
    }
    assert (record.paragraph, record.position, record.row) == ("140.7", Position.supported, 1)
    assert record.recommending_states == ["Maldives", "Portugal"]
    assert record.position_source == "A/HRC/59/15/Add.1, para. 3"
    assert record.themes == [
        "Ratification of & accession to international instruments",
        "Economic, social & cultural rights - general measures of implementation",
    ]
    assert record.affected_groups == ["Public officials"]
    assert record.sdgs == ["1", "2", "3", "4", "5", "6", "7", "8"]
    # "Para.3vv" in the document is a typo for Para.3.
    assert by_key["ohchr:slovenia:4:140.113"].position_source == "A/HRC/59/15/Add.1, para. 3"


def test_reading_twice_gives_the_same_keys_and_digests(matrices, result):
    """A second reading says exactly the same."""
    again = read_ohchr_matrix([matrices / name for name in FILES.values()])
    assert [(r.source_key, r.digest()) for r in again.records] == [
        (r.source_key, r.digest()) for r in result.records
    ]


def new_document(header: str | None = "UPR of Slovenia (4th Cycle - 48th Session)") -> DocxDocument:
    """An empty Word document whose page header names the review."""
    document = Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    return document


def add_rows(table: Table, rows: list[list[str] | str]) -> None:
    """Rows of cells, or one text for a heading row that spans the table."""
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
        else:
            for cell, text in zip(cells, row, strict=True):
                cell.text = text


def test_columns_in_another_order_read_the_same(matrices, tmp_path):
    """The start of the cycle-4 matrix with its columns shuffled gives the same records."""
    real = Document(str(matrices / FILES[4])).tables[0]
    order = [2, 3, 0, 1]  # themes, SDGs, recommendation, position
    document = new_document()
    table = document.add_table(rows=0, cols=4)
    for row in real.rows[:14]:
        cells = [cell.text for cell in row.cells]
        spanning = len({id(cell._tc) for cell in row.cells}) == 1
        add_rows(table, [cells[0] if spanning else [cells[i] for i in order]])
    document.save(tmp_path / "reordered.docx")

    built = read_ohchr_matrix([tmp_path / "reordered.docx"])
    original = read_ohchr_matrix([matrices / FILES[4]]).records[: len(built.records)]
    assert built.problems == [] and built.rows == len(built.records) == 11
    assert [(r.source_key, r.row, r.digest()) for r in built.records] == [
        (r.source_key, r.row, r.digest()) for r in original
    ]


def own_columns_document(path: Path) -> Path:
    """A matrix with paragraph, States, affected persons and SDG columns, and headings between its tables."""
    document = new_document("Universal Periodic Review of Slovenia – 34th session")
    document.add_paragraph("Thematic list of recommendations", style="Title")
    document.add_paragraph("Theme: Right to health")
    headers = ["Paragraph", "Recommendation", "Recommending State(s)", "Position", "Affected persons", "SDGs"]
    health = ["122.90", "Ensure health care for all (Cuba);", "Cuba", "Supported/Noted", "roma\n- Migrants"]
    first = document.add_table(rows=0, cols=6)
    add_rows(
        first,
        [
            headers,
            [*health, "3.8 - Universal health coverage\n10.2"],
            headers,  # repeated, as on each printed page: skipped
            [""] * 6,  # blank: skipped
            ["122.91", " ", "Chile", "Supported", "", ""],  # no text: a problem
        ],
    )
    document.add_paragraph("Theme: Migrants")
    second = document.add_table(rows=0, cols=6)  # continues the first: no header row
    add_rows(
        second,
        [
            ["122.144", "Adopt a framework", "Azerbaijan, Türkiye", "Noted", "", "16.a"],
            ["122.145", "Do more", "Peru", "Pending", "", ""],  # no such position: a problem
            ["122.90", "Again", "Cuba", "Noted", "", ""],  # read before: a problem
        ],
    )
    document.save(path)
    return path


def test_a_layout_with_columns_of_its_own_and_headings_between_tables(tmp_path):
    """Paragraph, States, affected persons and SDG columns; headings between tables; row problems."""
    result = read_ohchr_matrix([own_columns_document(tmp_path / "own-columns.docx")])
    assert result.rows == 5
    health, migrants = result.records
    assert (health.cycle, health.session, health.paragraph, health.row) == (3, "34", "122.90", 1)
    assert (health.texts["en"], health.recommending_states) == ("Ensure health care for all", ["Cuba"])
    assert (health.position, health.affected_groups, health.sdgs) == (
        Position.partially_supported,
        ["Roma", "Migrants"],
        ["3.8", "10.2"],
    )
    assert health.cluster == ClusterRecord("c3-1", "Right to health")
    assert (migrants.row, migrants.recommending_states, migrants.sdgs) == (
        3,
        ["Azerbaijan", "Türkiye"],
        ["16.a"],
    )
    assert (migrants.position, migrants.cluster) == (Position.noted, ClusterRecord("c3-2", "Migrants"))
    assert [(p.row, p.field) for p in result.problems] == [
        (2, "Recommendation"),
        (4, "Position"),
        (5, "Recommendation"),
    ]
    assert "Pending" in result.problems[1].message
    assert "122.90" in result.problems[2].message and "row 1" in result.problems[2].message


def test_a_document_without_a_recommendation_column_is_one_problem(tmp_path):
    """No recommendation column: one problem naming it, nothing read."""
    document = new_document()
    table = document.add_table(rows=0, cols=2)
    add_rows(table, [["Position", "Full list of themes"], ["Supported", "- Right to health"]])
    document.save(tmp_path / "no-text.docx")

    result = read_ohchr_matrix([tmp_path / "no-text.docx"])
    assert result.records == [] and result.rows == 0
    [problem] = result.problems
    assert (problem.file, problem.row, problem.field) == ("no-text.docx", 0, "Recommendation")
    assert "Recommendation" in problem.message


def test_a_file_that_is_not_a_word_document_is_one_problem(tmp_path):
    """A file python-docx cannot open: one problem for the file."""
    (tmp_path / "matrix.docx").write_text("Recommendation;Position\n115.1 Ratify;Supported\n")
    (tmp_path / "matrix.pdf").write_bytes(b"%PDF-1.7\n")
    result = read_ohchr_matrix([tmp_path / "matrix.docx", tmp_path / "matrix.pdf"])
    assert result.records == [] and result.rows == 0
    assert [(p.file, p.row, p.field) for p in result.problems] == [
        ("matrix.docx", 0, ""),
        ("matrix.pdf", 0, ""),
    ]
    assert ".docx" in result.problems[0].message


def test_a_document_that_does_not_name_the_review_is_one_problem(tmp_path):
    """No State, cycle or session in the document: one problem for the file."""
    document = new_document(header=None)
    table = document.add_table(rows=0, cols=2)
    add_rows(table, [["Recommendation", "Position"], ["115.1 Ratify the Convention (Chile);", "Supported"]])
    document.save(tmp_path / "anonymous.docx")

    result = read_ohchr_matrix([tmp_path / "anonymous.docx"])
    assert result.records == []
    assert [(p.file, p.row, p.field) for p in result.problems] == [("anonymous.docx", 0, "")]


def test_headings_in_one_cell_and_a_row_without_paragraph_number(tmp_path):
    """A lone "Theme:" cell is a heading, its theme code the cluster's; a text without number is a problem."""
    document = new_document()
    table = document.add_table(rows=0, cols=2)
    add_rows(
        table,
        [
            ["Recommendation", "Position"],
            ["Theme: A22 Cooperation with treaty bodies", ""],
            ["115.43 Increase cooperation with treaty bodies (Uzbekistan);", "Supported"],
            ["Cluster 7: Migrants", ""],
            ["Protect the rights of migrants (Nigeria).", "Noted"],
            ["115.163 Protect the rights of migrants (Nigeria).", "Noted"],
        ],
    )
    document.save(tmp_path / "one-cell-headings.docx")

    result = read_ohchr_matrix([tmp_path / "one-cell-headings.docx"])
    assert [(r.paragraph, r.row, r.cluster) for r in result.records] == [
        ("115.43", 1, ClusterRecord("A22", "Cooperation with treaty bodies")),
        ("115.163", 3, ClusterRecord("c4-7", "Migrants")),
    ]
    assert [(p.row, p.field) for p in result.problems] == [(2, "Recommendation")]
