"""Reader of Universal Human Rights Index (UHRI) exports: XLSX, and JSON per language joined on AnnotationId.

Also holds the small helpers the template reader shares: cell values, multi-value cells, dates, SDG codes, the
mechanism a body belongs to, streamed spreadsheet rows, and the problems a row or a file can raise.
"""

import csv
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from consult.plan.importers.records import ImportProblem, ReadResult, RecommendationRecord
from consult.plan.models import Mechanism, Position
from consult.uploads.attachments import unpacks_too_much

#: What a broken file raises while it is opened or streamed: ZIP, XML, JSON, CSV and encoding errors.
#: SyntaxError covers the XML parse errors of both ElementTree and lxml; RecursionError, JSON nested deeper
#: than Python reads.
UNREADABLE = (
    OSError,
    ValueError,
    KeyError,
    SyntaxError,
    RecursionError,
    zipfile.BadZipFile,
    InvalidFileException,
    csv.Error,
)

LANGUAGE_NAMES = {
    "english": "en",
    "french": "fr",
    "spanish": "es",
    "russian": "ru",
    "arabic": "ar",
    "chinese": "zh",
}
LANGUAGE_CODES = frozenset(LANGUAGE_NAMES.values())

TREATY_BODIES = frozenset({"CAT", "CCPR", "CED", "CEDAW", "CERD", "CESCR", "CMW", "CRC", "CRPD", "SPT"})
#: Full names some exports use instead of the acronym, lower-case.
TREATY_BODY_NAMES = {
    "committee against torture": "CAT",
    "human rights committee": "CCPR",
    "committee on enforced disappearances": "CED",
    "committee on the elimination of discrimination against women": "CEDAW",
    "committee on the elimination of racial discrimination": "CERD",
    "committee on economic, social and cultural rights": "CESCR",
    "committee on migrant workers": "CMW",
    "committee on the rights of the child": "CRC",
    "committee on the rights of persons with disabilities": "CRPD",
    "subcommittee on prevention of torture": "SPT",
}
SPECIAL_PROCEDURE_PREFIXES = (
    "special procedure",
    "special rapporteur",
    "working group",
    "independent expert",
    "sr ",
    "wg ",
    "ie ",
)
SPECIAL_PROCEDURE_NAMES = frozenset({"sp", "sr", "wg", "ie"})

#: A paragraph number opening a text: "118.1 Ratify…", "12. The Committee…", "74 (b) Ensure…". A bare number
#: needs its "." or ")" so that a text opening with a year ("2030 Agenda…") keeps it.
PARAGRAPH = re.compile(
    r"^\s*(?:(?P<dotted>\d+(?:\.\d+)+)\.?(?=\s)|(?P<plain>\d+)(?:[.)]|(?=\s*\([a-z]{1,4}\)\s)))"
    r"\s*(?P<sub>\([a-z]{1,4}\)(?=\s))?\s*"
)
SDG_CODE = re.compile(r"^\s*(?:SDG\s*)?(\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?)(?![\d.])", re.IGNORECASE)
DOTNET_DATE = re.compile(r"^/Date\((-?\d+)")
EXCEL_EPOCH = date(1899, 12, 30)
#: Excel's own range of serial dates: 1900-01-01 to 9999-12-31.
EXCEL_SERIALS = range(1, 2958466)


class RowProblem(Exception):
    """A value that stops one row from being read: the field it is in and a message for the coordinator."""

    def __init__(self, field: str, message: str) -> None:
        """Keep the field (as the file names it) and the translated message."""
        super().__init__(message)
        self.field = field
        self.message = message


class FileProblem(RowProblem):
    """Something that stops a whole file from being read."""


def unreadable(path: Path, error: Exception) -> ImportProblem:
    """The one problem for a file that cannot be opened or parsed."""
    if isinstance(error, UnicodeDecodeError) and path.suffix.lower() != ".json":
        # Only a CSV is saved by hand in a spreadsheet, where the UTF-8 choice is made.
        message = _("The file is not UTF-8 text. Save it again as “CSV UTF-8”.")
    else:
        message = _("The file cannot be read (%(error)s).", error=str(error) or type(error).__name__)
    return ImportProblem(path.name, 0, "", message)


def cell_text(value: Any) -> str | None:
    """A cell or JSON value as stripped text, None when empty; 12.0 reads "12", a midnight datetime a date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def split_values(value: Any, separators: str = "\n") -> list[str]:
    """A multi-value cell (or JSON list) as its values: "- " prefixes and blanks dropped, each once."""
    items = value if isinstance(value, list) else [value]
    values: list[str] = []
    for item in items:
        text = cell_text(item)
        if text is None:
            continue
        for part in re.split(f"[{re.escape(separators)}\r]", text):
            part = re.sub(r"^[-–•*]\s+", "", part.strip()).strip()
            if part and part not in values:
                values.append(part)
    return values


def sdg_code(value: str) -> str:
    """An SDG target's code from a label such as "16.2 - End abuse…"; the label itself if it holds no code."""
    match = SDG_CODE.match(value)
    return match.group(1).lower() if match else value


def excel_date(value: Any) -> date | None:
    """A date from a date cell, an Excel serial number, an ISO string or a .NET JSON date, else ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if text is None:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        serial = int(float(text))
        if serial not in EXCEL_SERIALS:
            raise ValueError(text)
        return EXCEL_EPOCH + timedelta(days=serial)
    if match := DOTNET_DATE.match(text):
        return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC).date()
    return datetime.fromisoformat(text).date()


def mechanism_for_body(value: str) -> tuple[Mechanism, str] | None:
    """The mechanism a body belongs to and the body as recorded ("UPR", "CEDAW", the procedure's name)."""
    name = value.strip()
    lower = name.lower()
    first = re.split(r"[^A-Za-z]+", name, maxsplit=1)[0].upper()
    if first == "UPR" or lower.startswith("universal periodic review"):
        return Mechanism.upr, "UPR"
    if first in TREATY_BODIES:
        return Mechanism.treaty_body, first
    if lower.removeprefix("the ") in TREATY_BODY_NAMES:
        return Mechanism.treaty_body, TREATY_BODY_NAMES[lower.removeprefix("the ")]
    if lower in SPECIAL_PROCEDURE_NAMES or lower.startswith(SPECIAL_PROCEDURE_PREFIXES):
        return Mechanism.special_procedure, name
    return None


def language_code(value: str) -> str:
    """A language code from a code or an English name ("es", "Spanish"); ValueError for anything else."""
    lower = value.strip().lower()
    code = LANGUAGE_NAMES.get(lower, lower)
    if not re.fullmatch(r"[a-z]{2,3}", code):
        raise ValueError(f"not a language code: {value!r}")
    return code


def language_from_name(path: Path) -> str | None:
    """The language a file name says, by a word such as "spanish" or "es" in it; None if it says none."""
    for token in re.split(r"[^a-z]+", path.stem.lower()):
        if token in LANGUAGE_NAMES:
            return LANGUAGE_NAMES[token]
        if token in LANGUAGE_CODES:
            return token
    return None


def is_xlsx(path: Path) -> bool:
    """Whether the file is a spreadsheet, by its name or else by the ZIP signature every XLSX starts with."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return True
    with path.open("rb") as file:
        return file.read(2) == b"PK"


def sheet_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The first sheet's rows as (row number, values), streamed: a large export never sits in memory, and
    a zip bomb is refused before anything is unpacked (a large export compresses, but not a hundredfold)."""
    if unpacks_too_much(path, limit=None):
        raise FileProblem("", _("This file unpacks to too much data to be read safely."))
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        # Exports often state a wrong sheet size, which would cut rows or columns short.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def header_and_rows(
    rows: Iterable[tuple[int, Sequence[Any]]],
) -> tuple[list[str], Iterator[tuple[int, Sequence[Any]]]]:
    """The header (the first non-empty row, as text) and the non-empty rows after it."""
    iterator = iter(rows)
    for _number, values in iterator:
        if any(cell_text(value) for value in values):
            header = [cell_text(value) or "" for value in values]
            return header, (row for row in iterator if any(cell_text(value) for value in row[1]))
    raise FileProblem("", _("The file is empty."))


def find_columns(
    header: Sequence[str], aliases: dict[str, str], key: Callable[[str], str]
) -> dict[str, tuple[int, str]]:
    """Where each known field is in the header: field → (index, name as in the file); the first one wins."""
    found: dict[str, tuple[int, str]] = {}
    for index, name in enumerate(header):
        field = aliases.get(key(name))
        if field and field not in found:
            found[field] = (index, name)
    return found


def missing_columns(path: Path, names: Iterable[str]) -> list[ImportProblem]:
    """One problem per required column the file lacks."""
    return [
        ImportProblem(path.name, 0, name, _("The required column %(column)s is missing.", column=name))
        for name in names
    ]


def allowed_values(value: Any, allowed: str) -> str:
    """The message for a value that is not one of the allowed ones."""
    return _("“%(value)s” is not allowed here. Use one of: %(allowed)s.", value=value, allowed=allowed)


def already_read(value: str, first: RecommendationRecord) -> str:
    """The message for an identifier read before."""
    return _(
        "%(value)s was already read (%(file)s, row %(row)s).", value=value, file=first.file, row=first.row
    )


# UHRI's own fields, by the key of their names in either export (the XLSX misspells the body column).
FIELDS = (
    "AnnotationId",
    "AnnotationType",
    "Body",
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
)
REQUIRED = ("AnnotationId", "Body", "Text")
#: How an XLSX export spells a field, where it differs from the JSON.
XLSX_NAMES = {"Body": "Reccomending Body"}


def field_key(name: str) -> str:
    """A field name reduced to letters and digits, lower-case: "Reccomending Body" → "reccomendingbody"."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


ALIASES = {field_key(name): name for name in FIELDS} | {
    "reccomendingbody": "Body",
    "recommendingbody": "Body",
    "country": "Countries",
    "uprposition": "UprPositions",
    "uprrecommendingcountries": "UprRecommendingCountry",
}
POSITIONS = {
    "supported": Position.supported,
    "accepted": Position.supported,
    "noted": Position.noted,
    "supported/noted": Position.partially_supported,
    "partiallysupported": Position.partially_supported,
}


def read_uhri(paths: Sequence[Path], language: str | None = None) -> ReadResult:
    """Read UHRI XLSX or JSON exports; a file in another language adds its texts to the same records."""
    result = ReadResult()
    merged: dict[str, RecommendationRecord] = {}
    for path in paths:
        found = ReadResult()
        file_language = language_code(language) if language else language_from_name(path) or "en"
        try:
            _read_file(path, file_language, found)
        except FileProblem as problem:
            result.problems.append(ImportProblem(path.name, 0, problem.field, problem.message))
            continue
        except UNREADABLE as error:
            result.problems.append(unreadable(path, error))
            continue
        result.rows += found.rows
        result.problems.extend(found.problems)
        for record in found.records:
            _merge(record, merged, result.problems)
    result.records = list(merged.values())
    return result


def _read_file(path: Path, language: str, found: ReadResult) -> None:
    """Read one export into found: an XLSX by its name or signature, anything else as JSON."""
    if is_xlsx(path):
        _read_xlsx(path, language, found)
    else:
        _read_json(path, language, found)


def _merge(
    record: RecommendationRecord, merged: dict[str, RecommendationRecord], problems: list[ImportProblem]
) -> None:
    """Add a record, or its text to the record read before with the same key (another language's export)."""
    first = merged.get(record.source_key)
    if first is None:
        merged[record.source_key] = record
        return
    language = record.original_language
    if language in first.texts:
        annotation = record.source_key.removeprefix("uhri:")
        problems.append(
            ImportProblem(record.file, record.row, "AnnotationId", already_read(annotation, first))
        )
        return
    # The first file read keeps its metadata and original language: a translation only adds its text.
    first.texts[language] = record.texts[language]


def _read_xlsx(path: Path, language: str, found: ReadResult) -> None:
    """Read the rows of an XLSX export, streamed."""
    header, rows = header_and_rows(sheet_rows(path))
    columns = find_columns(header, ALIASES, field_key)
    missing = [XLSX_NAMES.get(name, name) for name in REQUIRED if name not in columns]
    if missing:
        found.problems.extend(missing_columns(path, missing))
        return
    names = {field: XLSX_NAMES.get(field, field) for field in FIELDS} | {
        field: name for field, (_index, name) in columns.items()
    }
    for number, row in rows:
        found.rows += 1
        values = {
            field: row[index] if index < len(row) else None for field, (index, _name) in columns.items()
        }
        _collect(found, path, number, values, names, language)


def _read_json(path: Path, language: str, found: ReadResult) -> None:
    """Read the objects of a JSON export: a list, or an object holding the list."""
    with path.open(encoding="utf-8-sig") as file:
        entries = _json_list(json.load(file))
    names = {field: field for field in FIELDS}
    present: set[str] = set()
    for entry in entries:
        for key in entry if isinstance(entry, dict) else []:
            field = ALIASES.get(field_key(str(key)))
            if field and field not in present:
                present.add(field)
                names[field] = str(key)
    missing = [name for name in REQUIRED if name not in present]
    if entries and missing:
        found.problems.extend(missing_columns(path, missing))
        return
    for number, entry in enumerate(entries, start=1):
        found.rows += 1
        if not isinstance(entry, dict):
            found.problems.append(ImportProblem(path.name, number, "", _("This entry is not an object.")))
            continue
        values = {
            ALIASES[k]: v for k, v in ((field_key(str(k)), v) for k, v in entry.items()) if k in ALIASES
        }
        _collect(found, path, number, values, names, language)


def _json_list(data: Any) -> list[Any]:
    """The list of annotations in a JSON export: the top level, or the list an object wraps it in."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key, value in data.items():
            if key.lower() in {"value", "data", "annotations", "items", "results", "records"} and isinstance(
                value, list
            ):
                return value
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) == 1:
            return lists[0]
    raise FileProblem("", _("The file holds no list of recommendations."))


def _collect(
    found: ReadResult, path: Path, row: int, values: dict[str, Any], names: dict[str, str], language: str
) -> None:
    """Turn one row into a record, or into a problem naming its row and field."""
    try:
        found.records.append(_record(values, names, language, path.name, row))
    except RowProblem as problem:
        found.problems.append(ImportProblem(path.name, row, problem.field, problem.message))


def _record(
    values: dict[str, Any], names: dict[str, str], language: str, file: str, row: int
) -> RecommendationRecord:
    """The record one UHRI row describes; RowProblem naming the field if a value cannot be used."""
    annotation = cell_text(values.get("AnnotationId"))
    if not annotation:
        raise RowProblem(names["AnnotationId"], _("The value is missing."))
    paragraph, text = split_paragraph(cell_text(values.get("Text")) or "")
    if not text:
        raise RowProblem(names["Text"], _("The row has no text."))
    mechanism, body = _body(values.get("Body"), names["Body"])
    countries = split_values(values.get("Countries"))
    return RecommendationRecord(
        source_key=f"uhri:{annotation.lower()}",
        mechanism=mechanism,
        body=body,
        texts={language: text},
        original_language=language,
        state_under_review=countries[0] if countries else None,
        symbol=cell_text(values.get("Symbol")),
        paragraph=paragraph,
        cycle=_cycle(values.get("UprCycle"), names["UprCycle"]),
        session=_session(values.get("UprSession")),
        issued_on=_date(values.get("PublicationDate"), names["PublicationDate"]),
        position=_position(values.get("UprPositions"), names["UprPositions"]),
        recommending_states=split_values(values.get("UprRecommendingCountry")),
        themes=split_values(values.get("Themes")),
        affected_groups=split_values(values.get("AffectedPersons")),
        sdgs=list(dict.fromkeys(sdg_code(value) for value in split_values(values.get("Sdgs")))),
        file=file,
        row=row,
    )


def split_paragraph(text: str) -> tuple[str | None, str]:
    """The paragraph number a text opens with ("118.1", "12", "74 (b)") and the text without it."""
    match = PARAGRAPH.match(text)
    if not match:
        return None, text.strip()
    number = match.group("dotted") or match.group("plain")
    paragraph = f"{number} {match.group('sub')}" if match.group("sub") else number
    return paragraph, text[match.end() :].strip()


def _body(value: Any, field: str) -> tuple[Mechanism, str]:
    """The mechanism and body of a UHRI Body cell."""
    bodies = split_values(value)
    if not bodies:
        raise RowProblem(field, _("The value is missing."))
    found = mechanism_for_body(bodies[0])
    if found is None:
        allowed = _(
            "UPR, a treaty body (%(bodies)s) or a special procedure", bodies=", ".join(sorted(TREATY_BODIES))
        )
        raise RowProblem(field, allowed_values(bodies[0], allowed))
    return found


def _cycle(value: Any, field: str) -> int | None:
    """The UPR cycle from 3, "3" or "Cycle 3"."""
    text = cell_text(value)
    if text is None:
        return None
    match = re.search(r"\d+", text)
    if not match:
        raise RowProblem(field, _("“%(value)s” is not a whole number.", value=text))
    return int(match.group())


def _session(value: Any) -> str | None:
    """The UPR session's number from 40, "40" or "Session 40"; other text as it is."""
    text = cell_text(value)
    if text is None:
        return None
    numbers = re.findall(r"\d+", text)
    return numbers[0] if len(numbers) == 1 else text


def _date(value: Any, field: str) -> date | None:
    """The publication date, from an Excel serial number, a date cell or an ISO string."""
    try:
        return excel_date(value)
    except ValueError:
        raise RowProblem(field, _("“%(value)s” is not a date.", value=cell_text(value))) from None


def _position(value: Any, field: str) -> Position | None:
    """The State's position: Supported, Noted, or Supported/Noted (partially supported)."""
    positions = set()
    for item in split_values(value):
        position = POSITIONS.get(re.sub(r"\s+", "", item.lower()))
        if position is None:
            raise RowProblem(field, allowed_values(item, "Supported, Noted, Supported/Noted"))
        positions.add(position)
    if not positions:
        return None
    # A recommendation listed as both supported and noted was supported in part.
    return positions.pop() if len(positions) == 1 else Position.partially_supported
