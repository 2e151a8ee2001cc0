"""Downloads of rows as CSV, XLSX or JSON, streamed so that memory stays flat: the plan's and the
recommendations' exports, a round's comments and figures, the moderation decisions. Every cell a spreadsheet
would run as a formula is made inert, and the workbook is dated at the day only."""

import csv
import enum
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from flask import Response, stream_with_context
from openpyxl import Workbook

from consult.filetimes import zip_at_day
from consult.text import safe_data, safe_text


class FileFormat(enum.Enum):
    """The formats of every download; in a path as `<file_format:fmt>` (consult.web registers it)."""

    csv = "csv"
    json = "json"
    xlsx = "xlsx"

    @property
    def mimetype(self) -> str:
        return {
            FileFormat.csv: "text/csv",
            FileFormat.json: "application/json",
            FileFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[self]


def _cell(value) -> str:
    """A value as one spreadsheet cell: lists joined, characters a workbook cannot hold left out
    (`safe_text`: openpyxl refuses a control character), and text that a spreadsheet would run as a formula
    made inert with a leading apostrophe."""
    if isinstance(value, list):
        value = "; ".join(value)
    text = "" if value is None else safe_text(str(value))
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_stream(rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, one line at a time, with a BOM so that spreadsheets read UTF-8."""
    buffer = io.StringIO()
    writer = None
    yield "\ufeff"
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row))
            writer.writeheader()
        writer.writerow({key: _cell(value) for key, value in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def json_stream(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array, one element at a time; its text as `safe_text` (a lone surrogate could not be sent as
    UTF-8, and a control character breaks what turns the JSON into XML)."""
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(safe_data(row), ensure_ascii=False)
    yield "\n]\n"


def xlsx_stream(rows: Iterable[dict], title: str) -> Iterator[bytes]:
    """An XLSX workbook written row by row to a temporary file (openpyxl's write-only mode keeps memory
    flat), dated at the day only (openpyxl writes the minute into the archive), then sent in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header = None
    for row in rows:
        if header is None:
            header = list(row)
            sheet.append(header)
        sheet.append([_cell(value) for value in row.values()])
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        written = handle.name
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        path = handle.name
    try:
        workbook.save(written)
        zip_at_day(Path(written), Path(path))
        with open(path, "rb") as saved:
            while chunk := saved.read(64 * 1024):
                yield chunk
    finally:
        os.unlink(written)
        os.unlink(path)


def download(make_rows: Callable[[], Iterable[dict]], fmt: FileFormat, name: str) -> Response:
    """A streamed download in the format asked for. make_rows runs while the response streams, inside the
    request's context, so that rows are read from the database as they are sent (the request's session is
    gone once the view returns)."""
    writers = {
        FileFormat.csv: csv_stream,
        FileFormat.json: json_stream,
        FileFormat.xlsx: lambda rows: xlsx_stream(rows, name),
    }

    def body() -> Iterator[str | bytes]:
        yield from writers[fmt](make_rows())

    response = Response(stream_with_context(body()), mimetype=fmt.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt.value}"'
    return response
