"""Reader of UPR Info database exports (CSV): one record per recommendation, however many States made it.

UPR Info exports one row per recommending State, so the same recommendation comes on several rows; rows
that differ only by recommending State become one record. The exports are Mac Roman with CR line endings;
UTF-8 (with or without BOM) with LF or CRLF is read too. Columns are found by their headers.

The same folder holds two tables of reviews (`sessions.csv`: the session of each State's review;
`upr-years.csv`: the years of each State's reviews and reports). They are recognised by their columns and
yield nothing: neither gives a date (a session number, or a year), and a year is not a day, so
`issued_on` is left empty rather than invented.
"""

import codecs
import csv
import hashlib
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from consult.plan.importers.records import ImportProblem, ReadResult, RecommendationRecord
from consult.plan.models import Mechanism, Position

#: Column → header spellings it may have, lower-case without spaces (UPR Info's own come first).
COLUMNS: dict[str, tuple[str, ...]] = {
    "state": ("to", "stateunderreview", "sur"),
    "text": ("text", "recommendation", "recommendationtext"),
    "recommending": ("from", "recommendingstate", "recommendingstates"),
    "response": ("response", "position"),
    "action": ("action", "actioncategory", "category"),
    "issues": ("issue", "issues"),
    "session": ("session", "uprsession"),
}
#: Required column → the header UPR Info gives it, to name it when it is missing.
REQUIRED = {"state": "To", "text": "Text", "session": "Session"}
POSITIONS = {"accepted": Position.supported, "noted": Position.noted}
PLEDGE = "voluntary pledge"
#: How UPR Info writes a recommending State it does not know (HTML-escaped "(Unknown)"): not a State.
UNKNOWN_STATES = {"(unknown)", "unknown"}
CHUNK = 1 << 16


@dataclass
class _Group:
    """The rows of one recommendation: the record of its first row, and what the other rows add."""

    record: RecommendationRecord
    states: set[str] = field(default_factory=set)
    issues: dict[str, None] = field(default_factory=dict)


def read_upr_info(paths: Sequence[Path]) -> ReadResult:
    """Read UPR Info exports (recommendations and voluntary pledges) into records, one per recommendation."""
    result = ReadResult()
    groups: dict[str, _Group] = {}
    for path in paths:
        _read_file(Path(path), groups, result)
    for group in groups.values():
        group.record.recommending_states = sorted(group.states)
        group.record.upr_info_issues = list(group.issues)
        result.records.append(group.record)
    return result


def _encoding(path: Path) -> str | None:
    """The file's encoding (UTF-8 if it all decodes strictly, else Mac Roman), or None if it is not text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as file:
        # Read in chunks so that a large upload is checked without holding it in memory.
        while chunk := file.read(CHUNK):
            if b"\x00" in chunk:
                return None
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    # utf-8-sig drops a BOM if there is one; Mac Roman decodes any byte, so it is the fallback.
    return "utf-8-sig" if utf8 else "mac_roman"


def _rows(path: Path, encoding: str) -> Iterator[list[str]]:
    """The file's rows, one at a time; newline="" lets csv take CR, LF and CRLF alike."""
    with path.open(encoding=encoding, newline="") as file:
        yield from csv.reader(file)


def _header_key(name: str) -> str:
    """A header as compared: lower-case, without spaces."""
    return "".join(name.split()).lower()


def _columns(header: list[str]) -> dict[str, int]:
    """Column → index of its first header in the file."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in found:
                found[column] = index
    return found


def _is_review_table(header: list[str], columns: dict[str, int]) -> bool:
    """Whether the file is one of UPR Info's tables of reviews (sessions.csv, upr-years.csv), not of texts."""
    # Only a file with none of a recommendation's columns: an export that lost its text column is an error.
    if columns.keys() & {"text", "recommending", "response", "action", "issues"}:
        return False
    keys = {_header_key(name) for name in header}
    by_session = "state" in columns and "session" in columns
    by_year = "country" in keys and any(re.fullmatch(r"(review|report)\d+", key) for key in keys)
    return by_session or by_year


def _read_file(path: Path, groups: dict[str, _Group], result: ReadResult) -> None:
    """Read one file's rows into groups, and its problems into result."""
    name = path.name
    try:
        encoding = _encoding(path)
        if encoding is None:
            result.problems.append(ImportProblem(name, 0, "", _("This file is not a text (CSV) file.")))
            return
        rows = _rows(path, encoding)
        header = next(rows, None)
        if header is None:
            result.problems.append(ImportProblem(name, 0, "", _("This file is empty.")))
            return
        columns = _columns(header)
        if _is_review_table(header, columns):
            return
        missing = [shown for column, shown in REQUIRED.items() if column not in columns]
        for shown in missing:
            result.problems.append(
                ImportProblem(name, 0, shown, _("Column %(column)s is missing.", column=shown))
            )
        if missing:
            return
        # Header is row 1, as a spreadsheet numbers it; a cell never spans rows in these exports, but
        # counting records rather than lines keeps numbers right if one does.
        for number, cells in enumerate(rows, start=2):
            if any(cell.strip() for cell in cells):
                result.rows += 1
                _read_row(name, number, cells, header, columns, groups, result)
    except OSError:
        # Not the system's message: it names paths on the server, and is not translated.
        result.problems.append(ImportProblem(name, 0, "", _("This file cannot be opened.")))
    except csv.Error as error:
        result.problems.append(
            ImportProblem(name, 0, "", _("This file is not valid CSV: %(reason)s", reason=str(error)))
        )


def _cell(cells: list[str], columns: dict[str, int], column: str) -> str:
    """A cell's text with runs of white space made one space; empty if the column or cell is absent."""
    index = columns.get(column)
    if index is None or index >= len(cells):
        return ""
    return " ".join(cells[index].split())


def _read_row(
    name: str,
    number: int,
    cells: list[str],
    header: list[str],
    columns: dict[str, int],
    groups: dict[str, _Group],
    result: ReadResult,
) -> None:
    """Add one data row to its group (a new one for its first row), or a problem if it cannot be used."""

    def problem(column: str, message: str) -> None:
        result.problems.append(ImportProblem(name, number, header[columns[column]].strip(), message))

    state = _cell(cells, columns, "state")
    text = _cell(cells, columns, "text")
    session = _cell(cells, columns, "session")
    if not text:
        problem("text", _("This row has no recommendation text."))
        return
    if not state:
        problem("state", _("This row has no State under review."))
        return
    if not (session.isascii() and session.isdigit()) or int(session) < 1:
        problem("session", _("The session %(session)s is not a session number.", session=session))
        return
    session = str(int(session))
    response = _cell(cells, columns, "response")
    pledge = response.lower() == PLEDGE
    prefix = "upr-info-pledge" if pledge else "upr-info"
    key = f"{prefix}:{_digest(state, session, text, response)}"
    group = groups.get(key)
    if group is None:
        group = groups[key] = _Group(_record(key, state, session, text, response, pledge, name, number))
    category = _cell(cells, columns, "action")
    if category and group.record.upr_info_category is None:
        if category in {"1", "2", "3", "4", "5"}:
            group.record.upr_info_category = int(category)
        else:
            problem("action", _("The action category %(category)s is not 1 to 5.", category=category))
    recommending = html.unescape(_cell(cells, columns, "recommending"))
    if recommending and not pledge and recommending.lower() not in UNKNOWN_STATES:
        group.states.add(recommending)
    group.issues.update(dict.fromkeys(_issues(_cell(cells, columns, "issues"))))


def _digest(state: str, session: str, text: str, response: str) -> str:
    """The recommendation's key: the same four values give the same key, whatever the file or row order."""
    joined = "\x1f".join((state, session, text, response))
    return hashlib.sha256(joined.encode()).hexdigest()[:40]


def _record(
    key: str, state: str, session: str, text: str, response: str, pledge: bool, name: str, number: int
) -> RecommendationRecord:
    """The record of a recommendation's (or a pledge's) first row; the group adds States and issues."""
    return RecommendationRecord(
        source_key=key,
        mechanism=Mechanism.upr,
        body="UPR",
        texts={"en": text},
        original_language="en",
        state_under_review=state,
        cycle=_cycle(int(session)),
        session=session,
        # A State makes a pledge to itself, so it has supported it by making it.
        position=Position.supported if pledge else POSITIONS.get(response.lower()),
        file=name,
        row=number,
    )


def _cycle(session: int) -> int:
    """The UPR cycle of a Working Group session: 1–12 is cycle 1, then 14 sessions a cycle (13–26, 27–40…)."""
    return 1 if session <= 12 else 2 + (session - 13) // 14


def _issues(cell: str) -> list[str]:
    """The issues of a cell, in order: UPR Info's exports separate them with commas, the documentation with
    semicolons, and none of its 54 issues has either in its name."""
    return [issue for issue in (part.strip() for part in re.split(r"[;,]", cell)) if issue]
