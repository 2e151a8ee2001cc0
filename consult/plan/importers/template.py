"""Reader of the project's own recommendations template: CSV (UTF-8, comma) or XLSX, one recommendation a row.

The columns are documented for coordinators in docs/import-template.md, with an example file in
consult/static/downloads/recommendations-template.csv.
"""

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from consult.plan.importers.records import ClusterRecord, ImportProblem, ReadResult, RecommendationRecord
from consult.plan.importers.uhri import (
    UNREADABLE,
    FileProblem,
    RowProblem,
    allowed_values,
    already_read,
    cell_text,
    find_columns,
    header_and_rows,
    is_xlsx,
    language_code,
    mechanism_for_body,
    missing_columns,
    sdg_code,
    sheet_rows,
    split_values,
    unreadable,
)
from consult.plan.models import Mechanism, Position

#: The text columns, in the order that picks the original language when the row does not say it.
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
TEXT_COLUMNS = tuple(f"text_{language}" for language in LANGUAGES)
COLUMNS = (
    "id",
    "mechanism",
    "body",
    "state_under_review",
    "symbol",
    "paragraph",
    "cycle",
    "session",
    "date",
    "position",
    "position_source",
    "recommending_states",
    *TEXT_COLUMNS,
    "original_language",
    "themes",
    "affected_groups",
    "sdgs",
    "cluster_code",
    "cluster_title",
)
REQUIRED = ("id", "body")
#: Multi-value cells: ";" as documented; a line break (Alt+Enter in a spreadsheet) is read the same way.
SEPARATORS = ";\n"
MECHANISMS = {
    "upr": Mechanism.upr,
    "universal_periodic_review": Mechanism.upr,
    "treaty_body": Mechanism.treaty_body,
    "treaty_bodies": Mechanism.treaty_body,
    "special_procedure": Mechanism.special_procedure,
    "special_procedures": Mechanism.special_procedure,
}
POSITIONS = {
    "supported": Position.supported,
    "partially supported": Position.partially_supported,
    "noted": Position.noted,
}
ALIASES = {column: column for column in COLUMNS}
#: What the database keeps: a source key of 120 characters ("template:" and the id), a cluster code of 40.
MAX_ID = 100
MAX_CLUSTER_CODE = 40


def column_key(name: str) -> str:
    """A header as the template matches it: case-insensitive, surrounding spaces ignored."""
    return name.strip().lower()


def read_template(paths: Sequence[Path]) -> ReadResult:
    """Read template files (CSV or XLSX); an id read twice, in one file or across files, is a problem."""
    result = ReadResult()
    seen: dict[str, RecommendationRecord] = {}
    for path in paths:
        found = ReadResult()
        try:
            _read_file(path, found, seen)
        except FileProblem as problem:
            result.problems.append(ImportProblem(path.name, 0, problem.field, problem.message))
            continue
        except UNREADABLE as error:
            result.problems.append(unreadable(path, error))
            continue
        result.rows += found.rows
        result.problems.extend(found.problems)
        # Only a file read to its end counts: one that broke half-way gave a single problem and no records.
        seen.update((record.source_key, record) for record in found.records)
    result.records = list(seen.values())
    return result


def _read_file(path: Path, found: ReadResult, seen: dict[str, RecommendationRecord]) -> None:
    """Read one template file into found, checking ids against those already read."""
    header, rows = header_and_rows(sheet_rows(path) if is_xlsx(path) else _csv_rows(path))
    if len(header) == 1 and ";" in header[0]:
        # Excel in many locales saves "CSV" with semicolons; say so rather than "column id is missing".
        raise FileProblem("", _("The columns are separated by semicolons. Save the file as “CSV UTF-8”."))
    columns = find_columns(header, ALIASES, column_key)
    missing = [name for name in REQUIRED if name not in columns]
    if not any(name in columns for name in TEXT_COLUMNS):
        missing.append(TEXT_COLUMNS[0])
    if missing:
        found.problems.extend(missing_columns(path, missing))
        return
    names = {column: column for column in COLUMNS} | {column: name for column, (_i, name) in columns.items()}
    ids: dict[str, RecommendationRecord] = {}
    for number, row in rows:
        found.rows += 1
        values = {column: row[index] if index < len(row) else None for column, (index, _n) in columns.items()}
        try:
            record = _record(values, names, path.name, number)
        except _RowProblems as problems:
            found.problems.extend(
                ImportProblem(path.name, number, p.field, p.message) for p in problems.found
            )
            continue
        first = seen.get(record.source_key) or ids.get(record.source_key)
        if first:
            message = already_read(record.source_key.removeprefix("template:"), first)
            found.problems.append(ImportProblem(path.name, number, names["id"], message))
            continue
        ids[record.source_key] = record
        found.records.append(record)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """A CSV file's rows as (row number, cells); "utf-8-sig" as Excel's "CSV UTF-8" starts with a BOM."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        yield from enumerate(csv.reader(file), start=1)


class _RowProblems(Exception):
    """Every problem found in one row, so that a coordinator can fix them all in one go."""

    def __init__(self, found: list[RowProblem]) -> None:
        """Keep the row's problems."""
        super().__init__(found)
        self.found = found


class _Checks:
    """Runs a row's parsers, keeping each problem and going on, so that one row reports all it has."""

    def __init__(self) -> None:
        """Start with no problem."""
        self.problems: list[RowProblem] = []

    def __call__(self, parse: Callable[..., Any], *arguments: Any) -> Any:
        """What parse returns, or None after keeping its problem."""
        try:
            return parse(*arguments)
        except RowProblem as problem:
            self.problems.append(problem)
            return None


def _record(values: dict[str, Any], names: dict[str, str], file: str, row: int) -> RecommendationRecord:
    """The record one template row describes; _RowProblems with everything wrong in it otherwise."""
    check = _Checks()
    identifier = check(_identifier, values.get("id"), names["id"])
    body = check(_required, values.get("body"), names["body"])
    mechanism = check(_mechanism, values.get("mechanism"), body, names["mechanism"])
    position = check(_position, values.get("position"), mechanism, names["position"])
    cycle = check(_cycle, values.get("cycle"), names["cycle"])
    issued_on = check(_date, values.get("date"), names["date"])
    texts = check(_texts, values, names) or {}
    original = check(_original_language, values.get("original_language"), texts, names["original_language"])
    cluster = check(_cluster, values.get("cluster_code"), values.get("cluster_title"), names["cluster_code"])
    if check.problems or not (identifier and body and mechanism and original):
        raise _RowProblems(check.problems)
    return RecommendationRecord(
        source_key=f"template:{identifier}",
        mechanism=mechanism,
        body=body,
        texts=texts,
        original_language=original,
        state_under_review=cell_text(values.get("state_under_review")),
        symbol=cell_text(values.get("symbol")),
        paragraph=cell_text(values.get("paragraph")),
        cycle=cycle,
        session=cell_text(values.get("session")),
        issued_on=issued_on,
        position=position,
        position_source=cell_text(values.get("position_source")),
        recommending_states=split_values(values.get("recommending_states"), SEPARATORS),
        themes=split_values(values.get("themes"), SEPARATORS),
        affected_groups=split_values(values.get("affected_groups"), SEPARATORS),
        sdgs=list(dict.fromkeys(sdg_code(value) for value in split_values(values.get("sdgs"), SEPARATORS))),
        cluster=cluster,
        file=file,
        row=row,
    )


def _required(value: Any, field: str) -> str:
    """A value the template requires."""
    text = cell_text(value)
    if text is None:
        raise RowProblem(field, _("The value is missing."))
    return text


def _identifier(value: Any, field: str) -> str:
    """The row's id: required, and short enough for the key it makes ("template:<id>", 120 characters)."""
    identifier = _required(value, field)
    if len(identifier) > MAX_ID:
        raise RowProblem(field, _too_long(identifier, MAX_ID))
    return identifier


def _too_long(value: str, limit: int) -> str:
    """The message for a value longer than the database keeps."""
    return _("“%(value)s” is too long: use at most %(limit)s characters.", value=value, limit=limit)


def _mechanism(value: Any, body: str | None, field: str) -> Mechanism | None:
    """The mechanism as written, or told from the body when the cell is empty ("UPR", "CEDAW", "SR on …")."""
    allowed = "upr, treaty_body, special_procedure"
    text = cell_text(value)
    if text is None:
        inferred = mechanism_for_body(body) if body else None
        if inferred is None and body:
            raise RowProblem(
                field,
                _(
                    "The value is missing and cannot be told from the body. Use one of: %(allowed)s.",
                    allowed=allowed,
                ),
            )
        return inferred[0] if inferred else None
    mechanism = MECHANISMS.get(re.sub(r"[\s_-]+", "_", text.lower()))
    if mechanism is None:
        raise RowProblem(field, allowed_values(text, allowed))
    return mechanism


def _position(value: Any, mechanism: Mechanism | None, field: str) -> Position | None:
    """The State's position on a UPR recommendation; other mechanisms' recommendations have none."""
    text = cell_text(value)
    if text is None:
        return None
    if mechanism not in {Mechanism.upr, None}:
        raise RowProblem(field, _("Only UPR recommendations have a position: leave it empty."))
    position = POSITIONS.get(re.sub(r"[\s_-]+", " ", text.lower()))
    if position is None:
        raise RowProblem(field, allowed_values(text, "supported, partially supported, noted"))
    return position


def _cycle(value: Any, field: str) -> int | None:
    """The UPR cycle: a whole number (a spreadsheet's 4.0 is 4)."""
    text = cell_text(value)
    if text is None:
        return None
    if not re.fullmatch(r"[1-9]\d*", text):
        raise RowProblem(field, _("“%(value)s” is not a whole number.", value=text))
    return int(text)


def _date(value: Any, field: str) -> date | None:
    """A date written YYYY-MM-DD, or a spreadsheet's date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if text is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # 2022-02-30 has the shape but is no date: the problem below says how to write one
    raise RowProblem(
        field, _("“%(value)s” is not a date. Write it as YYYY-MM-DD, such as 2022-11-14.", value=text)
    )


def _texts(values: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    """The row's texts by language, in the template's language order; at least one."""
    texts = {
        language: text
        for language in LANGUAGES
        if (text := cell_text(values.get(f"text_{language}"))) is not None
    }
    if not texts:
        # Name the first text column the file has, as the coordinator sees it.
        field = next(names[column] for column in TEXT_COLUMNS if column in values)
        raise RowProblem(
            field,
            _("The row has no text. Fill in at least one of %(columns)s.", columns=", ".join(TEXT_COLUMNS)),
        )
    return texts


def _original_language(value: Any, texts: dict[str, str], field: str) -> str | None:
    """The language the recommendation was made in: as written ("fr", "French"), else the first text's."""
    text = cell_text(value)
    if text is None:
        return next(iter(texts), None)
    try:
        language = language_code(text)
    except ValueError:
        language = ""
    if texts and language not in texts:
        raise RowProblem(field, allowed_values(text, ", ".join(texts)))
    return language or None


def _cluster(code_value: Any, title_value: Any, field: str) -> ClusterRecord | None:
    """The cluster a row is grouped under: code and title, either one standing in for a missing other."""
    code, title = cell_text(code_value), cell_text(title_value)
    if title and not code:
        # A stable code from the heading, as for a matrix's cluster headings.
        code = re.sub(r"\W+", "-", title.lower()).strip("-")[:MAX_CLUSTER_CODE] or title[:MAX_CLUSTER_CODE]
    if not code:
        return None
    if len(code) > MAX_CLUSTER_CODE:
        raise RowProblem(field, _too_long(code, MAX_CLUSTER_CODE))
    return ClusterRecord(code=code, title=title or code)
