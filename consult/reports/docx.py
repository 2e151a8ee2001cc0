"""The outcome report as a Word document, to paste into the national report.

Word lays out the text itself, so the document says what it needs: each Arabic paragraph is marked
right-to-left (`w:bidi`, and `w:rtl` on its runs), tables of an Arabic report run right to left
(`w:bidiVisual`), and the styles name a complex-script font for Arabic and an East Asian font for Chinese.
"""

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from consult.filetimes import day_of, zip_bytes_at_day
from consult.reports.report import Answer, Point, Report, SummaryPart, Table, is_rtl
from consult.text import safe_data

#: The fonts Word is asked for: Debian's Noto names, which word processors replace by their own if absent.
LATIN_FONT = "Noto Sans"
ARABIC_FONT = "Noto Naskh Arabic"
CJK_FONT = "Noto Sans CJK SC"
GREY = RGBColor(0x5A, 0x5A, 0x5A)
#: The properties a paragraph's `w:bidi` must come before, in the order the schema (CT_PPrBase) sets.
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_LANGUAGE_TAGS = {"ar": "ar-SA", "zh": "zh-CN", "en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU"}


def _styles(document: DocumentObject, language: str) -> None:
    """Fonts and language for every script in the document's base style."""
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(10.5)
    properties = normal.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:cs"), ARABIC_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    tag = properties.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        properties.append(tag)
    tag.set(qn("w:val"), _LANGUAGE_TAGS.get(language, language))
    tag.set(qn("w:bidi"), "ar-SA")
    tag.set(qn("w:eastAsia"), "zh-CN")


def _direct(paragraph: Paragraph, text: str, report_rtl: bool) -> None:
    """Mark a paragraph and its runs right-to-left when its text reads so."""
    if not is_rtl(text, report_rtl):
        return
    properties = paragraph._p.get_or_add_pPr()
    properties.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in paragraph.runs:
        run.font.rtl = True


class ReportDocument:
    """Builds the Word document of a report, paragraph by paragraph."""

    def __init__(self, report: Report):
        self.report = report
        self.rtl = report.direction == "rtl"
        self.document = Document()
        _styles(self.document, report.language)
        # A document property holds 255 characters at most (python-docx refuses more); a title may be longer.
        self.document.core_properties.title = report.title[:255]
        self.document.core_properties.language = report.language

    def paragraph(
        self, text: str, bold: bool = False, grey: bool = False, style: str | None = None, size: float = 0
    ) -> Paragraph | None:
        """A paragraph in its own direction."""
        if not text:
            return None
        paragraph = self.document.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.font.cs_bold = bold or None
        if grey:
            run.font.color.rgb = GREY
        if size:
            run.font.size = Pt(size)
        _direct(paragraph, text, self.rtl)
        return paragraph

    def heading(self, text: str, level: int) -> None:
        """A heading of the document's outline."""
        heading = self.document.add_heading(text, level)
        _direct(heading, text, self.rtl)

    def table(self, table: Table) -> None:
        """A table of figures, its header row bold, right to left in an Arabic report."""
        self.heading(table.title, 3)
        grid = self.document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        if self.rtl:
            grid._tbl.tblPr.get_or_add_bidiVisual()
        for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
            self._cell(cell, text, bold=True)
        for values in table.rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                self._cell(cell, text)
        if table.note:
            self.paragraph(table.note, grey=True, size=9)

    def _cell(self, cell, text: str, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.font.cs_bold = bold or None
        _direct(paragraph, text, self.rtl)

    def pairs(self, items: list[tuple[str, str]]) -> None:
        """Facts as a two-column table."""
        grid = self.document.add_table(rows=0, cols=2)
        grid.style = "Table Grid"
        if self.rtl:
            grid._tbl.tblPr.get_or_add_bidiVisual()
        for label, value in items:
            cells = grid.add_row().cells
            self._cell(cells[0], label, bold=True)
            self._cell(cells[1], value)

    def answer(self, answer: Answer | None) -> None:
        """The mechanism's answer to what precedes it."""
        labels = self.report.labels
        if answer is None:
            self.paragraph(f"{labels['answer']}: {labels['no_answer']}", grey=True)
            return
        self.paragraph(f"{labels['answer']}: {answer.outcome}", bold=True)
        self.paragraph(answer.explanation)
        if answer.responsible_entity:
            self.paragraph(f"{labels['responsible']}: {answer.responsible_entity}", grey=True)

    def point(self, point: Point) -> None:
        """A summary's point with its quotations, attributed as published, and the answer to it."""
        self.heading(point.heading, 3)
        self.paragraph(f"{self.report.labels['about']}: {point.about}", grey=True, size=9)
        self.paragraph(point.body)
        for quotation in point.quotations:
            self.paragraph(f"“{quotation.text}”", style="Quote")
            self.paragraph(f"— {quotation.attribution}", grey=True, size=9)
        self.answer(point.answer)

    def summary(self, part: SummaryPart) -> None:
        """A published summary as its latest version reads."""
        labels = self.report.labels
        self.heading(part.title, 2)
        if part.author:
            self.paragraph(f"{labels['by']}: {part.author}", grey=True)
        self.paragraph(part.version, grey=True)
        if part.change_note:
            self.paragraph(f"{labels['change_note']}: {part.change_note}", grey=True)
        self.paragraph(part.introduction)
        for point in part.points:
            self.point(point)

    def build(self) -> bytes:
        """The whole report, as the bytes of a .docx file."""
        report, labels = self.report, self.report.labels
        self.heading(report.title, 0)
        self.paragraph(report.subtitle, grey=True)
        self.paragraph(report.generated, grey=True, size=9)
        self.heading(labels["process"], 1)
        self.pairs(report.process)
        self.heading(labels["participation"], 1)
        self.pairs(report.totals)
        for table in report.tables:
            self.table(table)
        self.heading(labels["heard"], 1)
        if not report.summaries:
            self.paragraph(labels["nothing_heard"])
        for part in report.summaries:
            self.summary(part)
        if report.recommendation_answers:
            self.heading(labels["recommendations"], 1)
            for item in report.recommendation_answers:
                self.heading(item.label, 3)
                self.paragraph(item.text, grey=True)
                self.answer(item.answer)
        properties, day = self.document.core_properties, day_of()
        properties.author = properties.last_modified_by = ""
        properties.created = properties.modified = properties.last_printed = day.replace(tzinfo=None)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return zip_bytes_at_day(buffer.getvalue(), day)  # python-docx dates each member to the second


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a Word document; text XML cannot hold (a control character stored before
    forms removed them) is left out rather than failing the whole document."""
    return ReportDocument(safe_data(report)).build()
