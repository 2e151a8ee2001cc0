"""The outcome report as a PDF, set with fpdf2 in Debian's Noto fonts.

Text shaping (HarfBuzz, through uharfbuzz) joins Arabic letters and lays out right-to-left runs; each
paragraph takes its direction from its own text, so an English quotation in an Arabic report still reads
left to right. The fonts are registered per script and fall back on each other glyph by glyph, so a
Chinese name in a French report is set in the CJK font.
"""

import io
import string
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools import subset, ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from consult.filetimes import day_of
from consult.reports import fonts
from consult.reports.report import Answer, Point, Report, SummaryPart, Table, is_rtl
from consult.text import safe_data

LINE = 5.2
TEXT = 10
SMALL = 8.5
GREY = (90, 90, 90)
BAR = (47, 111, 163)
RULE = (200, 200, 200)

_SCRIPT_RANGES = {
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "cjk": (
        (0x2E80, 0x2FDF),
        (0x3000, 0x30FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xF900, 0xFAFF),
        (0xFF00, 0xFFEF),
        (0x20000, 0x3134F),
    ),
}
_MAIN_SCRIPT = {"ar": "arabic", "zh": "cjk"}


def scripts_needed(texts: Iterable[str], language: str) -> tuple[str, ...]:
    """The scripts whose fonts the texts need: Latin always, Arabic and CJK when any character asks."""
    needed = {"latin", _MAIN_SCRIPT.get(language, "latin")}
    for text in texts:
        for char in text:
            code = ord(char)
            if code < 0x0600:
                continue
            for script, ranges in _SCRIPT_RANGES.items():
                if any(low <= code <= high for low, high in ranges):
                    needed.add(script)
        if len(needed) == 3:
            break
    return tuple(s.name for s in fonts.SCRIPTS if s.name in needed)


#: Always in the CJK cut: what the layout adds around the report's own text (page numbers, quotes, bars).
_ALWAYS = frozenset(string.printable.strip() + " ·—“”‘’%")


@lru_cache(maxsize=16)
def cut_font(path: str, index: int, characters: frozenset[str]) -> bytes:
    """A face cut down to some characters, layout features kept for shaping. fpdf2 reads a whole face to
    measure and again to embed it: for a 65,000-glyph CJK face that is over two seconds, a cut a tenth."""
    options = subset.Options(layout_features=["*"], notdef_outline=True, recommended_glyphs=True)
    options.name_IDs, options.name_languages, options.name_legacy = ["*"], ["*"], True
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes={ord(c) for c in characters | _ALWAYS})
    buffer = io.BytesIO()
    with ttLib.TTFont(path, fontNumber=index, lazy=True, recalcTimestamp=False) as font:
        cutter.subset(font)
        font.save(buffer)
    return buffer.getvalue()


class ReportPDF(FPDF):
    """An A4 document that sets paragraphs in their own direction, mirrored for a right-to-left report."""

    def __init__(self, report: Report, scripts: tuple[str, ...], folder: Path):
        super().__init__(format="A4", unit="mm")
        self.report = report
        self.rtl = report.direction == "rtl"
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        for script in fonts.SCRIPTS:
            if script.name not in scripts:
                continue
            regular = fonts.first_present(script.regular)
            bold = fonts.first_present(script.bold) or regular
            for style, font in (("", regular), ("B", bold)):
                path, index = str(font.path), font.collection_index
                if script.name == "cjk":
                    characters = frozenset("".join(report.texts()))
                    cut = folder / f"{script.name}{style}.otf"
                    cut.write_bytes(cut_font(path, index, characters))
                    path, index = str(cut), 0
                self.add_font(script.name, style, path, collection_font_number=index)
        self.main = _MAIN_SCRIPT.get(report.language, "latin")
        self.set_fallback_fonts([s for s in scripts if s != self.main], exact_match=False)
        self.set_text_shaping(True)
        self.set_lang(report.language)
        self.set_title(report.title)
        self.set_creator("consult")
        self.set_creation_date(day_of())  # the day only: a file's minute is a clue to set beside others
        self.alias_nb_pages()

    def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> Any:
        # fpdf2 2.8.9 switches to a fallback font with a Tf inside a line's text object, which lasts past
        # it, yet believes the page's font is still the main one: the next line would be drawn in the
        # fallback font with the main font's glyph codes (wrong letters, or none). Setting the font
        # again at every line keeps the two in step.
        self.current_font_is_set_on_page = False
        return super()._render_styled_text_line(*args, **kwargs)

    def footer(self) -> None:
        """The report's title and the page number at the foot of every page."""
        self.set_y(-13)
        self.font(SMALL, colour=GREY)
        text = f"{self.report.title} · {self.page_no()}/{{nb}}"
        self._direction(text)
        self.cell(0, 5, text, align="C")

    def font(self, size: float = TEXT, bold: bool = False, colour: tuple = (0, 0, 0)) -> None:
        """Set the report's main font."""
        self.set_font(self.main, "B" if bold else "", size)
        self.set_text_color(*colour)

    def _direction(self, text: str) -> bool:
        rtl = is_rtl(text, self.rtl)
        self.set_text_shaping(True, direction="rtl" if rtl else "ltr")
        return rtl

    def paragraph(
        self,
        text: str,
        size: float = TEXT,
        bold: bool = False,
        colour: tuple = (0, 0, 0),
        indent: float = 0,
        own: bool = False,
        like: str | None = None,
    ) -> None:
        """A paragraph across the page, indented on its reading side's start. The report's own words
        align with the report; what people wrote (own) aligns with its own direction, or with that of
        the text it goes with (like: a quotation's attribution)."""
        if not text:
            return
        self.font(size, bold, colour)
        rtl = self._direction(text)
        if like is not None:
            rtl = is_rtl(like, self.rtl)
        start_right = rtl if own else self.rtl
        width = self.epw - indent
        self.set_x(self.l_margin if start_right else self.l_margin + indent)
        self.multi_cell(
            width, size * 0.5, text, align="R" if start_right else "L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def heading(self, text: str, level: int = 1) -> None:
        """A heading, kept with at least a few lines of what follows it."""
        size = {1: 15, 2: 12.5, 3: 11}[level]
        if self.get_y() > self.page_break_trigger - 30:
            self.add_page()
        self.ln(4 if level == 1 else 2)
        self.paragraph(text, size, bold=True)
        if level == 1:
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
            self.ln(2)
        self.ln(1)

    def _x(self, offset: float, width: float) -> float:
        """The left edge of a column that starts offset from the reading side's margin."""
        return self.w - self.r_margin - offset - width if self.rtl else self.l_margin + offset

    def row(
        self,
        cells: list[str],
        widths: list[float],
        bold: bool = False,
        share: float | None = None,
        numbers: bool = False,
    ) -> None:
        """One row of a table: cells side by side, wrapped, and a bar for its share in the last column.
        Text starts on the report's reading side; with numbers, columns after the first align to the end."""
        self.font(SMALL + 0.5, bold)
        heights = []
        for text, width in zip(cells, widths, strict=False):
            self._direction(text)
            heights.append(self.multi_cell(width - 2, LINE - 0.6, text, dry_run=True, output="HEIGHT"))
        height = max([LINE, *heights]) + 1.2
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        top, offset = self.get_y(), 0.0
        for index, (text, width) in enumerate(zip(cells, widths, strict=False)):
            self._direction(text)
            self.set_xy(self._x(offset, width) + 1, top + 0.6)
            to_end = numbers and index > 0
            align = "R" if to_end != self.rtl else "L"
            self.multi_cell(width - 2, LINE - 0.6, text, align=align, new_x=XPos.RIGHT, new_y=YPos.TOP)
            offset += width
        if share is not None and len(widths) > len(cells):
            room = widths[-1] - 2
            length = max(room * share, 0.3)
            x = self._x(offset, widths[-1]) + 1
            self.set_fill_color(*BAR)
            self.rect(x + room - length if self.rtl else x, top + 1.4, length, height - 2.8, style="F")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, top + height, self.w - self.r_margin, top + height)
        self.set_xy(self.l_margin, top + height)

    def pairs(self, items: list[tuple[str, str]]) -> None:
        """Facts as a two-column table: what, and its value."""
        for label, value in items:
            self.row([label, value], [72, self.epw - 72])

    def table(self, table: Table) -> None:
        """A table of figures, with bars for the shares where it has them."""
        self.heading(table.title, 3)
        columns = len(table.columns)
        if table.shares is not None:
            widths = [78, 18, 18, self.epw - 114]
        else:
            first = 52
            widths = [first, *([(self.epw - first) / (columns - 1)] * (columns - 1))]
        self.row(table.columns, widths, bold=True, numbers=True)
        shares = table.shares or [None] * len(table.rows)
        for cells, share in zip(table.rows, shares, strict=True):
            self.row(cells, widths, share=share, numbers=True)
        if table.note:
            self.ln(1)
            self.paragraph(table.note, SMALL, colour=GREY)
        self.ln(2)

    def answer(self, answer: Answer | None, labels: dict[str, str]) -> None:
        """The mechanism's answer to what precedes it."""
        if answer is None:
            self.paragraph(f"{labels['answer']}: {labels['no_answer']}", SMALL, colour=GREY, indent=6)
            return
        self.ln(1)
        self.paragraph(f"{labels['answer']}: {answer.outcome}", TEXT, bold=True, indent=6)
        self.paragraph(answer.explanation, TEXT, indent=6, own=True)
        if answer.responsible_entity:
            self.paragraph(
                f"{labels['responsible']}: {answer.responsible_entity}", SMALL, colour=GREY, indent=6
            )
        self.ln(1)

    def point(self, point: Point, labels: dict[str, str]) -> None:
        """A summary's point: heading, what it is about, text, quotations, and the answer to it."""
        self.heading(point.heading, 3)
        self.paragraph(f"{labels['about']}: {point.about}", SMALL, colour=GREY)
        self.paragraph(point.body, own=True)
        for quotation in point.quotations:
            self.ln(1)
            self.paragraph(f"“{quotation.text}”", TEXT, colour=(40, 40, 40), indent=10, own=True)
            self.paragraph(
                f"— {quotation.attribution}", SMALL, colour=GREY, indent=10, own=True, like=quotation.text
            )
        self.answer(point.answer, labels)

    def summary(self, part: SummaryPart, labels: dict[str, str]) -> None:
        """A published summary as its latest version reads."""
        self.heading(part.title, 2)
        if part.author:
            self.paragraph(f"{labels['by']}: {part.author}", SMALL, colour=GREY)
        self.paragraph(part.version, SMALL, colour=GREY)
        if part.change_note:
            self.paragraph(f"{labels['change_note']}: {part.change_note}", SMALL, colour=GREY)
        self.ln(1)
        self.paragraph(part.introduction, own=True)
        for point in part.points:
            self.point(point, labels)


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes; FontsMissing if a script it holds has no font on this machine. Control
    characters and non-characters (`safe_text`), which no font draws, are left out."""
    report = safe_data(report)
    scripts = scripts_needed(report.texts(), report.language)
    fonts.require(scripts)
    with tempfile.TemporaryDirectory(prefix="consult-report-") as folder:
        return _set(ReportPDF(report, scripts, Path(folder)))


def _set(pdf: ReportPDF) -> bytes:
    """Set the whole report, part after part."""
    report = pdf.report
    labels = report.labels
    pdf.add_page()
    pdf.paragraph(report.title, 19, bold=True)
    pdf.ln(1)
    pdf.paragraph(report.subtitle, 11, colour=GREY)
    pdf.paragraph(report.generated, SMALL, colour=GREY)
    pdf.heading(labels["process"])
    pdf.pairs(report.process)
    pdf.heading(labels["participation"])
    pdf.pairs(report.totals)
    for table in report.tables:
        pdf.table(table)
    pdf.heading(labels["heard"])
    if not report.summaries:
        pdf.paragraph(labels["nothing_heard"])
    for part in report.summaries:
        pdf.summary(part, labels)
    if report.recommendation_answers:
        pdf.heading(labels["recommendations"])
        for item in report.recommendation_answers:
            pdf.heading(item.label, 3)
            pdf.paragraph(item.text, SMALL + 0.5, colour=GREY, own=True)
            pdf.answer(item.answer, labels)
    return bytes(pdf.output())
