"""The UHRI reader on XLSX and per-language JSON exports built here as the Index publishes them."""

import json
import time
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from consult.plan.importers.uhri import read_uhri, split_paragraph
from consult.plan.models import Mechanism, Position

XLSX_HEADER = [
    "AnnotationId",
    "AnnotationType",
    "Reccomending Body",
    "Countries",
    "Symbol",
    "Text",
    "PublicationDate",
    "Themes",
    "AffectedPersons",
    "Sdgs",
    "UprSession",
    "UprCycle",
    "UprPositions",
    "UprRecommendingCountry",
]
UPR_ID = "6F1C2A9E-0B4D-4F43-9A51-2C7D8E9F0A11"
CEDAW_ID = "0d3b7c55-8a2e-4c19-b6f4-5e1a2b3c4d5e"
SR_ID = "a9e8d7c6-b5a4-4321-8f0e-1d2c3b4a5968"
PARTLY_ID = "11111111-2222-4333-8444-555555555555"
NOTED_ID = "99999999-8888-4777-8666-555555555555"

XLSX_ROWS = [
    [
        UPR_ID,
        "Recommendation",
        "UPR",
        "- Veridia",
        "A/HRC/53/9",
        "118.1 Ratify the Optional Protocol to the Convention against Torture",
        45000,  # Excel's serial number for 2023-03-15
        "- Torture and other cruel, inhuman or degrading treatment\n- Acceptance of international norms",
        "- Persons deprived of their liberty",
        "- 16.3 - Promote the rule of law\n- 16.a - Strengthen national institutions",
        "42",
        "Cycle 4",
        "Supported",
        "- Chile\n- Portugal",
    ],
    [
        CEDAW_ID,
        "Recommendation",
        "CEDAW",
        "- Veridia\n- Arcadia",
        "CEDAW/C/VRD/CO/8",
        "12. The Committee recommends that the State party adopt a definition of discrimination",
        44867.0,  # 2022-11-02, as a float the way some exports store it
        "- Discrimination against women",
        "- Women and girls",
        "- 5.1 - End discrimination against all women and girls",
        None,
        None,
        None,
        None,
    ],
    [
        SR_ID,
        "Recommendation",
        "SR on adequate housing",
        "- Veridia",
        "A/HRC/52/28/Add.1",
        "74 (b) Ensure that evictions are carried out only as a last resort",
        datetime(2023, 1, 16),
        "- Right to adequate housing",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    [
        *(PARTLY_ID, "Recommendation", "UPR", "- Veridia", "A/HRC/53/9", "118.7 Abolish the death penalty"),
        *("2023-03-15", None, None, None, 42, 4, "Supported/Noted", "- France"),
    ],
    [
        *(NOTED_ID, "Recommendation", "Universal Periodic Review", "- Veridia", "A/HRC/53/9"),
        *("118.9 Decriminalize defamation", None, None, None, None, "42", "4", "Noted", "- Norway"),
    ],
]


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    """An XLSX file with one sheet: the header row and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_json(path: Path, data: object) -> Path:
    """A JSON file holding data."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def annotation(identifier: str, text: str, **fields: object) -> dict:
    """One JSON annotation, with the fields every test needs and any others given."""
    return {"AnnotationId": identifier, "Body": "UPR", "Countries": ["Veridia"], "Text": text, **fields}


def english_and_spanish(tmp_path: Path) -> tuple[Path, Path]:
    """The English and Spanish JSON exports of the same two recommendations."""
    english = write_json(
        tmp_path / "uhri-export-english.json",
        [
            annotation(UPR_ID, "118.1 Ratify the Optional Protocol", UprPositions="Supported", UprCycle=4),
            annotation(NOTED_ID, "118.9 Decriminalize defamation", UprPositions="Noted", UprCycle=4),
        ],
    )
    spanish = write_json(
        tmp_path / "uhri-export-Spanish.json",
        {
            "value": [
                annotation(
                    UPR_ID, "118.1 Ratificar el Protocolo Facultativo", Countries=["Veridia (República de)"]
                ),
                annotation(NOTED_ID.upper(), "118.9 Despenalizar la difamación"),
            ]
        },
    )
    return english, spanish


def by_key(records: list) -> dict:
    """Records by source key."""
    return {record.source_key: record for record in records}


def test_an_xlsx_export_gives_one_record_a_row_with_its_mechanism_and_body(tmp_path):
    result = read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, XLSX_ROWS)])

    assert result.problems == []
    assert result.rows == 5
    records = by_key(result.records)
    assert list(records) == [f"uhri:{key.lower()}" for key in (UPR_ID, CEDAW_ID, SR_ID, PARTLY_ID, NOTED_ID)]
    upr = records[f"uhri:{UPR_ID.lower()}"]
    assert (upr.mechanism, upr.body) == (Mechanism.upr, "UPR")
    cedaw = records[f"uhri:{CEDAW_ID}"]
    assert (cedaw.mechanism, cedaw.body) == (Mechanism.treaty_body, "CEDAW")
    housing = records[f"uhri:{SR_ID}"]
    assert (housing.mechanism, housing.body) == (Mechanism.special_procedure, "SR on adequate housing")
    noted = records[f"uhri:{NOTED_ID}"]
    assert (noted.mechanism, noted.body) == (Mechanism.upr, "UPR")
    assert (upr.file, upr.row, housing.row) == ("export.xlsx", 2, 4)


def test_the_paragraph_number_leaves_the_text(tmp_path):
    records = by_key(read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, XLSX_ROWS)]).records)

    upr, cedaw, housing = (records[f"uhri:{key.lower()}"] for key in (UPR_ID, CEDAW_ID, SR_ID))
    assert (upr.paragraph, upr.texts) == (
        "118.1",
        {"en": "Ratify the Optional Protocol to the Convention against Torture"},
    )
    assert cedaw.paragraph == "12"
    assert cedaw.texts["en"].startswith("The Committee recommends")
    assert (housing.paragraph, housing.texts["en"][:6]) == ("74 (b)", "Ensure")
    assert split_paragraph("2030 Agenda targets must guide the plan") == (
        None,
        "2030 Agenda targets must guide the plan",
    )


def test_serial_numbers_date_cells_and_iso_strings_all_give_dates(tmp_path):
    records = read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, XLSX_ROWS)]).records

    assert [record.issued_on for record in records] == [
        date(2023, 3, 15),
        date(2022, 11, 2),
        date(2023, 1, 16),
        date(2023, 3, 15),
        None,
    ]


def test_multi_value_cells_are_split_and_sdg_labels_become_codes(tmp_path):
    records = read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, XLSX_ROWS)]).records
    upr, cedaw = records[0], records[1]

    assert upr.recommending_states == ["Chile", "Portugal"]
    assert upr.themes == [
        "Torture and other cruel, inhuman or degrading treatment",
        "Acceptance of international norms",
    ]
    assert upr.affected_groups == ["Persons deprived of their liberty"]
    assert upr.sdgs == ["16.3", "16.a"]
    assert cedaw.sdgs == ["5.1"]
    # The first of several countries is the State under review.
    assert cedaw.state_under_review == "Veridia"
    assert (upr.cycle, upr.session, upr.symbol) == (4, "42", "A/HRC/53/9")
    assert (records[3].cycle, records[3].session) == (4, "42")


def test_positions_map_supported_noted_and_both(tmp_path):
    records = read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, XLSX_ROWS)]).records

    assert [record.position for record in records] == [
        Position.supported,
        None,
        None,
        Position.partially_supported,
        Position.noted,
    ]


def test_an_unknown_position_or_date_is_a_problem_for_its_row_only(tmp_path):
    rows = [list(row) for row in XLSX_ROWS[:3]]
    rows[0][12] = "Pending"
    rows[1][6] = "next spring"
    result = read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, rows)])

    assert [(p.row, p.field) for p in result.problems] == [(2, "UprPositions"), (3, "PublicationDate")]
    assert "Supported/Noted" in result.problems[0].message
    assert [record.source_key for record in result.records] == [f"uhri:{SR_ID}"]


def test_a_body_that_is_no_mechanism_is_a_problem_naming_the_column_as_spelled(tmp_path):
    rows = [list(XLSX_ROWS[0])]
    rows[0][2] = "World Bank"
    result = read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, rows)])

    assert [(p.row, p.field) for p in result.problems] == [(2, "Reccomending Body")]
    assert "CEDAW" in result.problems[0].message
    assert result.records == []


def test_treaty_bodies_by_acronym_or_name_and_special_procedures_by_prefix(tmp_path):
    bodies = [
        "CRC",
        "Human Rights Committee",
        "CRPD",
        "SPT",
        "WG on arbitrary detention",
        "Special Procedures",
    ]
    entries = [annotation(f"id-{n}", f"{n}. Do something", Body=body) for n, body in enumerate(bodies, 1)]
    records = read_uhri([write_json(tmp_path / "bodies.json", entries)]).records

    assert [(r.mechanism, r.body) for r in records] == [
        (Mechanism.treaty_body, "CRC"),
        (Mechanism.treaty_body, "CCPR"),
        (Mechanism.treaty_body, "CRPD"),
        (Mechanism.treaty_body, "SPT"),
        (Mechanism.special_procedure, "WG on arbitrary detention"),
        (Mechanism.special_procedure, "Special Procedures"),
    ]


def test_a_spanish_export_gives_the_same_keys_with_spanish_texts(tmp_path):
    english, spanish = english_and_spanish(tmp_path)

    english_keys = [record.source_key for record in read_uhri([english]).records]
    alone = read_uhri([spanish])
    assert alone.problems == []
    assert [record.source_key for record in alone.records] == english_keys
    assert alone.records[0].texts == {"es": "Ratificar el Protocolo Facultativo"}
    assert alone.records[0].original_language == "es"


def test_a_second_language_adds_its_texts_to_the_same_records(tmp_path):
    english, spanish = english_and_spanish(tmp_path)
    result = read_uhri([english, spanish])

    assert result.problems == []
    assert result.rows == 4
    assert len(result.records) == 2
    first, second = result.records
    assert first.texts == {"en": "Ratify the Optional Protocol", "es": "Ratificar el Protocolo Facultativo"}
    assert second.texts == {"en": "Decriminalize defamation", "es": "Despenalizar la difamación"}
    # The first file read keeps its facts: a translation adds its text and nothing else.
    assert (first.original_language, first.position, first.state_under_review) == (
        "en",
        Position.supported,
        "Veridia",
    )


def test_the_language_argument_beats_the_file_name_and_english_is_the_default(tmp_path):
    _english, spanish = english_and_spanish(tmp_path)
    unnamed = write_json(tmp_path / "export.json", [annotation(UPR_ID, "118.1 Ratify")])
    coded = write_json(tmp_path / "uhri_FR.json", [annotation(UPR_ID, "118.1 Ratifier")])

    assert read_uhri([spanish], language="fr").records[0].texts == {
        "fr": "Ratificar el Protocolo Facultativo"
    }
    assert read_uhri([unnamed]).records[0].texts == {"en": "Ratify"}
    assert read_uhri([coded]).records[0].original_language == "fr"
    assert read_uhri([unnamed], language="Russian").records[0].texts == {"ru": "Ratify"}


def test_json_lists_and_newline_strings_are_both_multi_values(tmp_path):
    entries = [
        annotation(
            UPR_ID,
            "118.1 Ratify",
            UprRecommendingCountry=["Chile", "Portugal"],
            Themes="- Torture\n- Detention",
            Sdgs=["16.3 - Promote the rule of law"],
            PublicationDate="2023-03-15T00:00:00",
        )
    ]
    record = read_uhri([write_json(tmp_path / "wrapped.json", {"data": entries})]).records[0]

    assert record.recommending_states == ["Chile", "Portugal"]
    assert record.themes == ["Torture", "Detention"]
    assert record.sdgs == ["16.3"]
    assert record.issued_on == date(2023, 3, 15)


def test_json_with_no_list_in_it_is_a_problem_for_the_file(tmp_path):
    result = read_uhri([write_json(tmp_path / "odd.json", {"count": 2, "next": None})])

    assert [(p.file, p.row) for p in result.problems] == [("odd.json", 0)]
    assert result.records == []


def test_a_missing_required_column_is_one_problem_and_no_records(tmp_path):
    header = [name for name in XLSX_HEADER if name != "Reccomending Body"]
    rows = [row[:2] + row[3:] for row in XLSX_ROWS]
    path = write_xlsx(tmp_path / "no-body.xlsx", header, rows)
    json_path = write_json(tmp_path / "no-text.json", [{"AnnotationId": UPR_ID, "Body": "UPR"}])

    result = read_uhri([path, json_path])

    assert [(p.file, p.row, p.field) for p in result.problems] == [
        ("no-body.xlsx", 0, "Reccomending Body"),
        ("no-text.json", 0, "Text"),
    ]
    assert "Reccomending Body" in result.problems[0].message
    assert result.records == []


def test_a_row_without_text_is_a_problem_and_the_others_still_read(tmp_path):
    rows = [list(row) for row in XLSX_ROWS[:3]]
    rows[1][5] = "  "
    json_path = write_json(tmp_path / "export.json", [annotation("a", "1. Do"), annotation("b", "12.")])

    result = read_uhri([write_xlsx(tmp_path / "export.xlsx", XLSX_HEADER, rows), json_path])

    assert [(p.file, p.row, p.field) for p in result.problems] == [
        ("export.xlsx", 3, "Text"),
        ("export.json", 2, "Text"),
    ]
    assert len(result.records) == 3


def test_an_annotation_read_twice_in_the_same_language_is_a_problem(tmp_path):
    entries = [annotation(UPR_ID, "118.1 Ratify"), annotation(UPR_ID.lower(), "118.1 Ratify again")]
    result = read_uhri([write_json(tmp_path / "twice.json", entries)])

    assert [(p.row, p.field) for p in result.problems] == [(2, "AnnotationId")]
    assert result.records[0].texts == {"en": "Ratify"}


def test_an_unreadable_file_is_one_problem_and_the_other_files_still_read(tmp_path):
    broken_xlsx = tmp_path / "broken.xlsx"
    broken_xlsx.write_bytes(b"PK\x03\x04 this is not a workbook")
    broken_json = tmp_path / "broken.json"
    broken_json.write_text('[{"AnnotationId": "x", ', encoding="utf-8")
    good = write_json(tmp_path / "good.json", [annotation(UPR_ID, "118.1 Ratify")])

    result = read_uhri([broken_xlsx, broken_json, tmp_path / "absent.json", good])

    assert [(p.file, p.row) for p in result.problems] == [
        ("broken.xlsx", 0),
        ("broken.json", 0),
        ("absent.json", 0),
    ]
    assert [record.source_key for record in result.records] == [f"uhri:{UPR_ID.lower()}"]


def test_twenty_thousand_rows_read_in_reasonable_time(tmp_path):
    path = tmp_path / "large.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(XLSX_HEADER)
    bodies = ["UPR", "CRC", "CEDAW", "SR on the right to food"]
    for n in range(20_000):
        sheet.append(
            [
                *(f"00000000-0000-4000-8000-{n:012d}", "Recommendation", bodies[n % 4], "- Veridia"),
                *("A/HRC/53/9", f"{100 + n // 100}.{n % 100 + 1} Take measure number {n} to protect rights"),
                *(44000 + n % 1000, "- Theme one\n- Theme two", "- Women", "- 5.1 - End discrimination"),
                *("42", "4", "Noted", "- Chile\n- Portugal"),
            ]
        )
    workbook.save(path)

    started = time.perf_counter()
    result = read_uhri([path])
    elapsed = time.perf_counter() - started

    assert result.problems == []
    assert len(result.records) == 20_000
    assert result.records[-1].paragraph == "299.100"
    assert elapsed < 20, f"20,000 rows took {elapsed:.1f} s"
