"""The text a person would read in a downloaded file, whatever its format: what privacy and report tests
search. PDF text comes from its text layer, normalised as `pdf_text` explains."""

import io
import re
import unicodedata

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

#: Bidirectional controls a text layer may hold around right-to-left runs; they carry no letters.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, every page, as pypdf extracts it, normalised:

    - NFKC folds Arabic presentation forms (the shaped, joined letters) back to the letters typed, should
      a text layer hold them; fpdf2 maps its glyphs to the typed letters already, so this is a safeguard;
    - NUL characters are removed: fpdf2 writes the CJK face (a CFF font) with an embedded Identity CMap as
      its encoding, whose two-byte codes pypdf 7.1 splits, putting a NUL before each Chinese character
      (poppler's pdftotext reads the same layer without them);
    - bidirectional control marks are removed, and runs of white space become one space.
    """
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    text = unicodedata.normalize("NFKC", text).replace("\x00", "")
    return re.sub(r"\s+", " ", _BIDI_CONTROLS.sub("", text))


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a Word document."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_cells(data: bytes) -> list[list]:
    """The rows of a workbook's first sheet."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def readable(response) -> str:
    """What a person reads in a response: the text of a page, a feed, a CSV or JSON file, a PDF's text
    layer, a Word document's paragraphs, a workbook's cells."""
    data = response.get_data()
    if response.mimetype == "application/pdf":
        return pdf_text(data)
    if response.mimetype.endswith("wordprocessingml.document"):
        return docx_text(data)
    if response.mimetype.endswith("spreadsheetml.sheet"):
        return "\n".join(" ".join(str(v) for v in row if v is not None) for row in xlsx_cells(data))
    return data.decode("utf-8", errors="replace")
