"""Text stored before input was cleaned (or by a path that missed it) can break no file and no page.

Every free-text column of every table (derived from the schema, as tests/security/world.py poisons them)
is given the characters that forms now remove: the C0 controls but tab, line feed and carriage return, DEL
and the C1 controls, and all 66 non-characters (a NUL too, on SQLite: PostgreSQL cannot store one). They
are written straight into the database, as old rows hold them; then the plan's version and a summary's
version are derived again from those rows, as the app would. Every GET route the URL map serves is then
fetched signed out, as a contributor and as a coordinator (every export, the Atom feed, the charts, the PDF
and Word reports, the moderation CSV, the API, every page): none fails, each file opens in the library that
reads its format (lxml, openpyxl, python-docx, pypdf, json, csv), none carries one of those characters,
and the text around them is kept.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
import lxml.etree
import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import JSON, Text, select, update

from consult.extensions import db
from tests.reports.readable import readable
from tests.security.forms import NOT_TEXT
from tests.security.world import (
    DERIVED,
    DOWNLOADS,
    FORMULA_STARTS,
    AttackWorld,
    _derive_again,
    _unique_columns,
    attack_site,
    every_get_url,
    free_text_columns,
    signed_in_clients,
)

#: What is kept around the characters in every column long enough: found again in files and pages.
KEPT = "Keptintact"
XML = ("application/atom+xml", "image/svg+xml", "application/xml", "text/xml")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: What a round publishes (found with every other GET route; named here so that none is missed quietly).
ROUND_OUTPUTS = {
    "comments.feed",
    "reports.export_comments",
    "reports.export_figures",
    "reports.report_pdf",
    "reports.report_docx",
    "summaries.chart",
    "summaries.show_outcome",
    "summaries.show_summary",
    "moderation.export_decisions",
    "api.list_round_comments",
    "api.list_summaries",
    "api.show_summary_version",
}
#: The kinds of answer the round's exports, feed, reports and charts come as: each must have been read.
EXPECTED = {*XML[:2], "text/csv", "application/json", XLSX, DOCX, "application/pdf", "text/html"}


def junk(postgresql: bool) -> str:
    """The characters as one string, a NUL last (SQLite's length() stops at one, and the CHECKs that text is
    not empty count with it); PostgreSQL refuses a NUL in text, so it is left out there."""
    return "".join(NOT_TEXT[1:]) + ("" if postgresql else "\x00")


def _planted(value: str, length: int | None, number: int, every: str, unique: bool) -> str:
    """value with the characters in it: all of them, where a column holds any length; in a shorter column a
    slice (each column a different one), before the value's first character, its end (a unique column's row
    number) kept."""
    if length is None:
        return _around(value, every)
    room = min(len(every), length // 2, max(len(value) - (10 if unique else 1), 0))
    start = (number * 7) % len(every)
    part = (every * 2)[start : start + room]
    return (part + value[:1] + value[1 + len(part) :])[:length]


def _around(value: str, every: str) -> str:
    """All the characters before the value's first (a formula start, world.py) and inside KEPT."""
    return every + value[:1] + KEPT[:4] + every + KEPT[4:] + " " + value[1:]


def _planted_json(value, every: str):
    if isinstance(value, str):
        return _around(value, every)
    if isinstance(value, list):
        return [_planted_json(item, every) for item in value]
    if isinstance(value, dict):
        return {key: _planted_json(item, every) for key, item in value.items()}
    return value


def plant_in_every_text(every: str) -> int:
    """Put the characters into every free-text value of every row; returns how many values took them."""
    planted, number = 0, 0
    for table in db.metadata.sorted_tables:
        columns = [c for c in free_text_columns(table) if (table.name, c.name) not in DERIVED]
        if not columns:
            continue
        unique = _unique_columns(table)
        keys = list(table.primary_key.columns)
        for row in db.session.execute(select(*keys, *columns)).all():
            values = {}
            for column in columns:
                number += 1
                current = getattr(row, column.name)
                if current is None:
                    continue
                if isinstance(column.type, JSON):
                    values[column.name] = _planted_json(current, every)
                else:
                    length = None if isinstance(column.type, Text) else column.type.length
                    values[column.name] = _planted(current, length, number, every, column.name in unique)
            planted += len(values)
            condition = [key == getattr(row, key.name) for key in keys]
            db.session.execute(update(table).where(*condition).values(**values))
    return planted


@pytest.fixture(scope="module")
def site(database, smtp_server, tmp_path_factory) -> Iterator[tuple[Flask, AttackWorld]]:
    """The attack world with the characters in every free-text value, and derived records made again."""
    with attack_site(database, smtp_server, tmp_path_factory) as (app, attack):
        with app.app_context():
            every = junk(db.engine.dialect.name == "postgresql")
            assert plant_in_every_text(every) > 200
            db.session.commit()
        _derive_again(app, attack.world)
        yield app, attack


@pytest.fixture(scope="module")
def clients(site) -> dict[str, FlaskClient]:
    return signed_in_clients(*site, ("anonymous", "contributor", "coordinator"))


def _texts(kind: str, data: bytes) -> list[str]:
    """The text a file holds, read by the library of its format (which fails on a file that is not one)."""
    if kind in XML:
        root = lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False, no_network=True))
        return ["".join(root.itertext()), *(str(v) for e in root.iter() for v in e.attrib.values())]
    if kind == "application/json":
        return [json.dumps(json.loads(data.decode("utf-8")), ensure_ascii=False)]
    if kind == "text/csv":
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]
    if kind == XLSX:
        workbook = load_workbook(io.BytesIO(data))
        cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c]
        return cells + _package_xml(data)
    if kind == DOCX:
        document = docx.Document(io.BytesIO(data))
        return [p.text for p in document.paragraphs] + _package_xml(data)
    if kind == "application/pdf":
        reader = PdfReader(io.BytesIO(data), strict=True)
        metadata = [str(v) for v in (reader.metadata or {}).values()]
        return [*(page.extract_text() or "" for page in reader.pages), *metadata]
    if kind == "text/html":
        lxml.html.document_fromstring(data)
        return [data.decode("utf-8")]
    return []


def _package_xml(data: bytes) -> list[str]:
    """Every XML part of an Office file, parsed strictly as XML 1.0 (Word and Excel refuse a file with one
    part that is not), as text."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                lxml.etree.fromstring(package.read(name))
                found.append(package.read(name).decode("utf-8"))
    return found


@dataclass
class Fetched:
    """Every GET route's answer, read: what failed, the text of each file by its kind, what was kept."""

    failed: list[str] = field(default_factory=list)
    texts: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)
    endpoints: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def fetched(site, clients) -> Fetched:
    """Every GET route by each role (a downloaded file by the first role that receives it), read."""
    app, attack = site
    found = Fetched()
    for endpoint, path in every_get_url(app, attack):
        for role, client in clients.items():
            try:  # the test app lets an error through (a streamed export's while it streams) for 500
                with client.get(path) as response:
                    status, kind, data = response.status_code, response.mimetype, response.get_data()
                    text = readable(response) if status == 200 else ""
            except Exception as error:
                found.failed.append(f"{role} {path}: {error!r}"[:300])
                continue
            if status >= 500:
                found.failed.append(f"{role} {path}: {status}")
            if status != 200:
                continue
            try:
                found.texts[role, path] = (kind, _texts(kind, data))
            except Exception as error:
                found.failed.append(f"{role} {path} ({kind}) does not open: {error!r}"[:300])
            found.kept |= {kind} if KEPT in text else set()
            found.endpoints.add(endpoint)
            if kind in DOWNLOADS:
                break
    return found


def test_no_stored_character_breaks_a_file_a_feed_or_a_page(fetched):
    assert fetched.failed == [], "\n".join(fetched.failed)
    assert {kind for kind, _texts in fetched.texts.values()} >= EXPECTED
    assert fetched.endpoints >= ROUND_OUTPUTS, sorted(ROUND_OUTPUTS - fetched.endpoints)


def test_no_file_feed_or_page_carries_one_and_the_text_around_them_is_kept(fetched):
    carrying = []
    for (role, path), (kind, texts) in sorted(fetched.texts.items()):
        if kind == "application/pdf":
            # The PDF's text layer holds a NUL before each Chinese character (tests/reports/readable.py).
            texts = [text.replace("\x00", "") for text in texts]
        found = sorted({f"U+{ord(c):04X}" for text in texts for c in text if c in NOT_TEXT})
        if found:
            carrying.append(f"{role} {path} ({kind}): {', '.join(found[:8])}")
    assert carrying == [], "\n".join(carrying)
    # In every kind of file that shows comments or summaries (a chart shows only counts and labels).
    assert EXPECTED - {"image/svg+xml"} <= fetched.kept, sorted(fetched.kept)


def test_a_character_before_a_formula_start_does_not_make_a_cell_run(fetched):
    """The characters stood before the formula start of every value (world.py): once they are left out, a
    cell still may not begin with one."""
    running, cells = [], 0
    for (_role, path), (kind, texts) in sorted(fetched.texts.items()):
        if kind in ("text/csv", XLSX):
            values = texts if kind == "text/csv" else [t for t in texts if not t.startswith("<?xml")]
            cells += len(values)
            running += [f"{path}: {cell[:40]!r}" for cell in values if cell.startswith(FORMULA_STARTS)]
    assert running == []
    assert cells > 100
