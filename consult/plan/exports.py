"""Exports of recommendations and of the plan as CSV, XLSX and JSON, streamed so that memory stays flat."""

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import Workbook

from consult.filetimes import zip_at_day
from consult.plan.browsing import tags_of, text_for
from consult.plan.models import Cluster, Recommendation, TagVocabulary
from consult.text import safe_data, safe_text

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

#: Our columns, and the UHRI export's name for each (the Universal Human Rights Index's field names).
COLUMNS = [
    ("id", "AnnotationId"),
    ("mechanism", "AnnotationType"),
    ("body", "Body"),
    ("state_under_review", "Countries"),
    ("symbol", "Symbol"),
    ("paragraph", "Paragraph"),
    ("cycle", "UprCycle"),
    ("session", "UprSession"),
    ("date", "PublicationDate"),
    ("position", "UprPositions"),
    ("position_source", "PositionSource"),
    ("recommending_states", "UprRecommendingCountry"),
    ("text", "Text"),
    ("text_language", "Language"),
    ("themes", "Themes"),
    ("affected_groups", "AffectedPersons"),
    ("sdgs", "Sdgs"),
    ("cluster", "Cluster"),
    ("status", "ImplementationStatus"),
    ("source_key", "SourceKey"),
]

POSITION_UHRI = {"supported": "Supported", "noted": "Noted", "partially_supported": "Supported/Noted"}
MECHANISM_UHRI = {
    "upr": "UPR Recommendation",
    "treaty_body": "Concluding Observation",
    "special_procedure": "Special Procedure Recommendation",
}


def recommendation_row(recommendation: Recommendation, language: str, uhri: bool = False) -> dict:
    """One recommendation as a flat row: the same values on the page, in CSV, XLSX and JSON."""
    text_language, text = text_for(recommendation, language)
    position = recommendation.position.value if recommendation.position else ""
    mechanism = recommendation.mechanism.value
    values = {
        "id": recommendation.id,
        "mechanism": MECHANISM_UHRI[mechanism] if uhri else mechanism,
        "body": recommendation.body,
        "state_under_review": recommendation.state_under_review or "",
        "symbol": recommendation.symbol or "",
        "paragraph": recommendation.paragraph or "",
        "cycle": recommendation.cycle or "",
        "session": recommendation.session or "",
        "date": recommendation.issued_on.isoformat() if recommendation.issued_on else "",
        "position": POSITION_UHRI.get(position, "") if uhri else position,
        "position_source": recommendation.position_source or "",
        "recommending_states": [s.state for s in recommendation.recommending_states],
        "text": text,
        "text_language": text_language,
        "themes": [t.code for t in tags_of(recommendation, TagVocabulary.theme)],
        "affected_groups": [t.code for t in tags_of(recommendation, TagVocabulary.affected_group)],
        "sdgs": [t.code for t in tags_of(recommendation, TagVocabulary.sdg)],
        "cluster": recommendation.cluster.code if recommendation.cluster else "",
        "status": recommendation.status.value,
        "source_key": recommendation.source_key,
    }
    names = dict(COLUMNS) if uhri else {name: name for name, _uhri in COLUMNS}
    return {names[name]: value for name, value in values.items()}


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


def plan_rows(clusters: list[Cluster], language: str) -> Iterator[dict]:
    """The plan in the OHCHR matrix layout plus the plan's columns: a row per recommendation of a cluster."""
    from consult.i18n import localized

    for cluster in clusters:
        for recommendation in sorted(cluster.recommendations, key=lambda r: (r.paragraph or "", r.id)):
            row = recommendation_row(recommendation, language)
            actions = recommendation.actions
            yield {
                "cluster": cluster.code,
                "cluster_title": localized(cluster.title, language),
                **{key: value for key, value in row.items() if key != "cluster"},
                "actions": [a.code for a in actions],
                "action_titles": [localized(a.title, language) for a in actions],
                "responsible_entities": sorted({a.responsible_entity for a in actions}),
                "due_dates": [a.due_on.isoformat() for a in actions if a.due_on],
                "action_statuses": [a.status.value for a in actions],
            }
