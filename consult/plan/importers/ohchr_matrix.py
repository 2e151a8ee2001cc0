"""Reader of OHCHR "thematic list of recommendations" matrices (.docx): one record per UPR recommendation.

The matrices differ from cycle to cycle (column names, coded or plain themes, SDGs inside the themes cell
or in a column of their own), so columns are found by their header text, and the cells that pack several
things together (text, recommending States and the source of the position; themes, affected persons and
SDGs) are taken apart here.
"""

import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _

from consult.plan.importers.records import ClusterRecord, ImportProblem, ReadResult, RecommendationRecord
from consult.plan.models import Mechanism, Position
from consult.uploads.attachments import unpacks_too_much

#: What a broken or foreign file raises while python-docx opens it; SyntaxError covers lxml's parse errors,
#: AttributeError a part that parses but is not what python-docx expects (a list of parts in no namespace).
UNREADABLE = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    OSError,
    ValueError,
    KeyError,
    SyntaxError,
    AttributeError,
)

#: Column roles and the header texts (lower-case) that name them. A header takes the first role that matches,
#: so the order matters: "Recommendation and recommending State" is the text, "Human rights themes and groups
#: of persons" the themes, "Source of position" is not the position.
ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "paragraph",
        re.compile(r"^(para(graph)?\.?|no\.?|number|#)$|^(recommendation|paragraph) (no\.?|number)$"),
    ),
    ("text", re.compile(r"^recommendations?\b")),
    ("position_source", re.compile(r"\bsource\b")),
    ("position", re.compile(r"\bposition\b|\bresponse\b")),
    ("states", re.compile(r"\brecommending\b|^states?\b|^state\(s\)")),
    ("sdgs", re.compile(r"\bsdgs?\b|sustainable development")),
    ("themes", re.compile(r"\btheme")),
    ("affected", re.compile(r"\baffected\b|\bgroups? of persons\b|\bpersons concerned\b")),
)
#: How a problem names the text column when the document has none.
TEXT_HEADER = "Recommendation"
#: A cell this long is a recommendation, never a header.
LONGEST_HEADER = 80

#: A cluster heading's label in a table row ("Theme: …", "Cluster 2: …"), dropped from the title.
HEADING_LABEL = re.compile(r"^(?:theme|cluster)\b\s*[:\-–—]?\s*", re.IGNORECASE)
#: The same label on a paragraph between tables, where it must be followed by a colon or a dash.
HEADING_PARAGRAPH = re.compile(r"^(?:theme|cluster)\s*(?:\d+\s*)?[:\-–—]", re.IGNORECASE)
#: An OHCHR theme code opening a cycle-2 heading: "A12 Acceptance of international norms".
THEME_CODE = re.compile(r"^([A-H]\d{1,3})\s+(\S.*)$")
#: A heading's own number: "3. Right to health", "2: Migrants".
HEADING_NUMBER = re.compile(r"^(\d{1,3})\s*[.):\-–—]\s*(\S.*)$")

#: Where the recommendation's text ends and the source of the position begins, inside the text cell.
SOURCE_MARK = re.compile(r"\bsource\s+of\s+(?:the\s+)?position\s*:?", re.IGNORECASE)
#: The paragraph number opening the text: "115.1 Take…", "140.7. Ratify…".
PARAGRAPH = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?(?:\s+|$)")
#: A UN document symbol: "A/HRC/28/15/Add.1", "CEDAW/C/SVN/CO/7".
SYMBOL = re.compile(r"\b[A-Z]+(?:/[A-Za-z0-9.]*[A-Za-z0-9])+")
ADDENDUM = re.compile(r"/Add\.\d+$", re.IGNORECASE)
#: A paragraph reference in a position source: "Para. 3", "para 121", "Para.3vv" (a typo in cycle 4).
PARA_REF = re.compile(r"\bpara(?:graph)?s?\.?\s*(\d+(?:\.\d+)?)", re.IGNORECASE)
#: A label inside a themes cell that starts another list.
SECTION_LABEL = re.compile(r"^(affected persons|groups? of persons|sdgs?)\s*:\s*(.*)$", re.IGNORECASE)
#: An SDG target ("5.1", "16.a") or goal ("16") opening an entry such as "16 - PEACE, JUSTICE…".
SDG = re.compile(r"^(?:sdg|goal)?\s*(\d{1,2})(?:\.(\d{1,2}|[a-z]))?(?!\d)", re.IGNORECASE)
#: "Venezuela (Bolivarian Republic of)" as cycle 2 writes it; later cycles write "Bolivarian Republic of …".
INVERTED_NAME = re.compile(r"^(.+?)\s*\((.+\bof)\)$")
#: Bullets and dashes that open list entries in the themes cells.
BULLETS = "-–—•·* "

#: Whose review it is, as the page header says: "UPR of Slovenia (2nd Cycle – 20th session)".
STATE_UNDER_REVIEW = re.compile(
    r"\b(?:UPR|Universal Periodic Review)\s+of\s+(?:the\s+)?"
    r"([A-Z][^()\t\n:;,]*?)\s*(?:[()\t\n:;,]|\s[-–—]\s|$)"
)
CYCLE = re.compile(r"\b(\d{1,2})\s*(?:st|nd|rd|th)?\s+cycle\b|\bcycle\s+(\d{1,2})\b", re.IGNORECASE)
SESSION = re.compile(r"\b(\d{1,2})\s*(?:st|nd|rd|th)?\s+session\b|\bsession\s+(\d{1,2})\b", re.IGNORECASE)
#: The last session of each UPR cycle (12 sessions in the first, 14 since), to tell a cycle by its session.
LAST_SESSION_OF_CYCLE = (12, 26, 40, 54, 68)


@dataclass
class Facts:
    """What the document says about the whole review: the State, the cycle and the session."""

    state: str | None = None
    cycle: int | None = None
    session: str | None = None


@dataclass
class Columns:
    """Where each role's column is in a table, and its header as the file writes it."""

    index: dict[str, int]
    headers: dict[str, str]
    #: The header row's cells, normalised, to recognise a repeated header row.
    header_row: tuple[str, ...]


@dataclass
class TextCell:
    """A recommendation cell taken apart: paragraph number, text, recommending States, source of position."""

    paragraph: str
    text: str
    states: list[str]
    source: str

    @classmethod
    def parse(cls, cell: str) -> "TextCell":
        """Split "115.1 Take… (Croatia); Source of position: A/HRC/28/15/Add.1 - Para. 3" into its parts."""
        source = ""
        if mark := SOURCE_MARK.search(cell):
            cell, source = cell[: mark.start()], cell[mark.end() :]
        body = clean(cell)
        paragraph = ""
        if number := PARAGRAPH.match(body):
            paragraph, body = number.group(1), body[number.end() :]
        text, states = split_states(body)
        # Some cells glue the next clause to a semicolon: "(Peru);take more effective measures".
        return cls(paragraph, re.sub(r";(?=\w)", "; ", text), states, clean(source))


@dataclass
class Clusters:
    """The clusters of one document: a theme listed twice (under Supported, then Noted) is one cluster."""

    cycle: int
    found: dict[str, ClusterRecord] = field(default_factory=dict)

    def add(self, heading: str) -> ClusterRecord:
        """The cluster a heading names, made on its first appearance."""
        title = HEADING_LABEL.sub("", clean(heading))
        code = None
        if coded := THEME_CODE.match(title):
            code, title = coded.group(1), coded.group(2)
        elif numbered := HEADING_NUMBER.match(title):
            code, title = f"c{self.cycle}-{numbered.group(1)}", numbered.group(2)
        key = code or title.casefold()
        if key not in self.found:
            self.found[key] = ClusterRecord(code or self.next_code(), title)
        return self.found[key]

    def next_code(self) -> str:
        """A code for a heading without one, by order of appearance, never one a numbered heading holds."""
        taken = {cluster.code for cluster in self.found.values()}
        number = len(self.found) + 1
        while f"c{self.cycle}-{number}" in taken:
            number += 1
        return f"c{self.cycle}-{number}"


def read_ohchr_matrix(paths: Sequence[Path]) -> ReadResult:
    """Read OHCHR thematic matrices (.docx) into records, and problems for what cannot be read."""
    result = ReadResult()
    # Source keys read so far, across files: the same recommendation read twice would clash on import.
    seen: dict[str, tuple[str, int]] = {}
    for path in paths:
        read_file(Path(path), result, seen)
    return result


def read_file(path: Path, result: ReadResult, seen: dict[str, tuple[str, int]]) -> None:
    """Read one matrix into result, or add the one problem that stops the whole file."""
    if unpacks_too_much(path):  # python-docx would unpack every part into memory
        result.problems.append(
            ImportProblem(path.name, 0, "", _("This file unpacks to too much data to be read safely."))
        )
        return
    try:
        document = Document(str(path))
    except UNREADABLE:
        message = _("This file cannot be opened as a Word document (.docx).")
        result.problems.append(ImportProblem(path.name, 0, "", message))
        return
    if not any(find_columns(table) for table in document.tables):
        message = _("No column %(column)s was found.", column=TEXT_HEADER)
        result.problems.append(ImportProblem(path.name, 0, TEXT_HEADER, message))
        return
    facts = document_facts(document)
    if facts.state is None or facts.cycle is None:
        message = _("The document does not say which State was reviewed and in which UPR cycle or session.")
        result.problems.append(ImportProblem(path.name, 0, "", message))
        return
    MatrixReader(path.name, facts, result, seen).read(document)


def document_facts(document: DocxDocument) -> Facts:
    """The State under review, cycle and session, from the page headers, the body text or the title."""
    text = "\n".join(document_lines(document))
    facts = Facts()
    if state := STATE_UNDER_REVIEW.search(text):
        facts.state = clean(state.group(1))
    if session := SESSION.search(text):
        facts.session = str(int(session.group(1) or session.group(2)))
    if cycle := CYCLE.search(text):
        facts.cycle = int(cycle.group(1) or cycle.group(2))
    elif facts.session:
        facts.cycle = cycle_of_session(int(facts.session))
    return facts


def document_lines(document: DocxDocument) -> Iterator[str]:
    """The text that can name the review: page headers and footers, paragraphs outside tables, the title."""
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header, section.footer):
            # A linked part repeats the previous section's, and reading one without its own adds it.
            if not part.is_linked_to_previous:
                yield from (paragraph.text for paragraph in part.paragraphs)
    yield from (paragraph.text for paragraph in document.paragraphs)
    yield document.core_properties.title or ""


def cycle_of_session(session: int) -> int | None:
    """The UPR cycle a session belongs to."""
    return next((n for n, last in enumerate(LAST_SESSION_OF_CYCLE, start=1) if session <= last), None)


def find_columns(table: Table) -> tuple[Columns, int] | None:
    """The table's columns by role and its header row's index (among the first three), if it has one."""
    for number, row in enumerate(table.rows[:3]):
        headers = [header_text(cell) for cell in row_cells(row)[0]]
        index: dict[str, int] = {}
        for column, header in enumerate(headers):
            role = header_role(header)
            if role and role not in index:
                index[role] = column
        if "text" in index:
            shown = {role: headers[column] for role, column in index.items()}
            return Columns(index, shown, tuple(h.casefold() for h in headers)), number
    return None


def header_text(cell: str) -> str:
    """A header cell as it reads, without the colon or footnote mark some carry."""
    return clean(cell).rstrip(":*").strip()


def header_role(header: str) -> str | None:
    """The role a column header names, if any."""
    text = header.casefold()
    if not text or len(text) > LONGEST_HEADER:
        return None
    return next((role for role, pattern in ROLES if pattern.search(text)), None)


def row_cells(row: _Row) -> tuple[list[str], bool]:
    """The row's text by grid column (a merged cell in each column it spans); whether one cell spans it."""
    cells = row.cells
    texts = [""] * row.grid_cols_before + [cell.text for cell in cells] + [""] * row.grid_cols_after
    spanning = len(row.table.columns) > 1 and len({id(cell._tc) for cell in cells}) == 1
    return texts, spanning


def is_heading_row(cells: list[str], spanning: bool) -> bool:
    """Whether a row is a cluster heading: one cell across the table, or a lone "Theme: …" cell."""
    filled = {clean(cell) for cell in cells if cell.strip()}
    if len(filled) != 1:
        return False
    return spanning or bool(HEADING_LABEL.match(next(iter(filled))))


class MatrixReader:
    """Reads one document's tables in order, keeping the cluster heading the rows sit under."""

    def __init__(self, name: str, facts: Facts, result: ReadResult, seen: dict[str, tuple[str, int]]) -> None:
        """A reader of the file called name into result; facts say whose review it is."""
        self.name = name
        self.facts = facts
        self.result = result
        self.seen = seen
        self.clusters = Clusters(facts.cycle or 0)
        self.cluster: ClusterRecord | None = None
        self.columns: Columns | None = None
        #: Recommendation rows read so far in this file: the `row` of its records and problems.
        self.number = 0

    def read(self, document: DocxDocument) -> None:
        """Read every table in order; a heading paragraph between tables starts a cluster."""
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                self.read_table(block)
            elif self.is_heading_paragraph(block):
                self.cluster = self.clusters.add(block.text)

    def is_heading_paragraph(self, paragraph: Paragraph) -> bool:
        """A "Theme: …" paragraph, or a Word heading once the matrix has begun (before it: the title)."""
        if not paragraph.text.strip():
            return False
        if HEADING_PARAGRAPH.match(paragraph.text.strip()):
            return True
        style = (paragraph.style.name if paragraph.style is not None else None) or ""
        return self.columns is not None and style.casefold().startswith("heading")

    def read_table(self, table: Table) -> None:
        """Read a table with a recommendation column, or one continuing the previous one without a header."""
        if found := find_columns(table):
            self.columns, start = found[0], found[1] + 1
        elif self.columns and len(table.columns) == len(self.columns.header_row):
            start = 0
        else:
            return  # a table of something else: a legend, a note
        for row in table.rows[start:]:
            self.read_row(*row_cells(row))

    def read_row(self, cells: list[str], spanning: bool) -> None:
        """Read one row: a cluster heading, a repeated header, a blank row, or a recommendation."""
        assert self.columns is not None
        if not any(cell.strip() for cell in cells):
            return  # Word tables often end with an empty row: nothing was meant there
        if tuple(header_text(cell).casefold() for cell in cells) == self.columns.header_row:
            return  # the header repeated, as on each page of a printed matrix
        if is_heading_row(cells, spanning):
            self.cluster = self.clusters.add(next(cell for cell in cells if cell.strip()))
            return
        self.number += 1
        self.result.rows += 1
        if record := self.record(cells):
            self.result.records.append(record)

    def cell(self, cells: list[str], role: str) -> str:
        """The row's cell for a role, or "" when the table has no such column."""
        column = self.columns.index.get(role) if self.columns else None
        return cells[column] if column is not None and column < len(cells) else ""

    def problem(self, role: str, message: str) -> None:
        """Note a problem with the current row, in the column that role names (else the text column)."""
        headers = self.columns.headers if self.columns else {}
        header = headers.get(role) or headers.get("text", "")
        self.result.problems.append(ImportProblem(self.name, self.number, header, message))

    def record(self, cells: list[str]) -> RecommendationRecord | None:
        """The row's recommendation, or None after noting why it cannot be one."""
        parts = TextCell.parse(self.cell(cells, "text"))
        paragraph = clean(self.cell(cells, "paragraph")).rstrip(".") or parts.paragraph
        position_cell = clean(self.cell(cells, "position"))
        position = read_position(position_cell)
        key = f"ohchr:{slug(self.facts.state or '')}:{self.facts.cycle}:{paragraph}"
        if not parts.text:
            self.problem("text", _("The row has no text."))
        elif not paragraph:
            self.problem("paragraph", _("No paragraph number was found."))
        elif position_cell and position is None:
            message = _(
                "The position %(position)s is not Supported, Noted or Supported/Noted.",
                position=position_cell,
            )
            self.problem("position", message)
        elif key in self.seen:
            file, row = self.seen[key]
            message = _(
                "Paragraph %(paragraph)s was read before (%(file)s, row %(row)s).",
                paragraph=paragraph,
                file=file,
                row=row,
            )
            self.problem("text", message)
        else:
            self.seen[key] = (self.name, self.number)
            return self.make_record(cells, parts, key, paragraph, position)
        return None

    def make_record(
        self, cells: list[str], parts: TextCell, key: str, paragraph: str, position: Position | None
    ) -> RecommendationRecord:
        """The record of a row that passed every check."""
        themes, affected, sdgs = tagged_lists(
            self.cell(cells, "themes"), self.cell(cells, "affected"), self.cell(cells, "sdgs")
        )
        source = position_source(clean(self.cell(cells, "position_source")) or parts.source)
        states_cell = self.cell(cells, "states")
        return RecommendationRecord(
            source_key=key,
            mechanism=Mechanism.upr,
            body="UPR",
            texts={"en": parts.text},
            original_language="en",
            state_under_review=self.facts.state,
            symbol=report_symbol(source),
            paragraph=paragraph,
            cycle=self.facts.cycle,
            session=self.facts.session,
            position=position,
            position_source=source,
            recommending_states=state_names(states_cell) if states_cell.strip() else parts.states,
            themes=themes,
            affected_groups=affected,
            sdgs=sdgs,
            cluster=self.cluster,
            file=self.name,
            row=self.number,
        )


def split_states(body: str) -> tuple[str, list[str]]:
    """The text without its closing "(Chile)" or "(France) (Lithuania)", and every State it names.

    A paragraph merging several States' recommendations keeps the inner "(Egypt); continue…" attributions in
    its text, since they say who asked for which part; their States are listed too.
    """
    body = body.rstrip(" ;,.")
    groups = [
        (start, stop) for start, stop in bracket_groups(body) if is_state_list(body[start + 1 : stop - 1])
    ]
    end, closing = len(body), []
    for start, stop in reversed(groups):
        if body[stop:end].strip():
            break
        closing.insert(0, (start, stop))
        end = start
    inner = [
        (start, stop)
        for start, stop in groups[: len(groups) - len(closing)]
        if body[stop:].lstrip()[:1] == ";"
    ]
    names = [name for start, stop in inner + closing for name in state_names(body[start + 1 : stop - 1])]
    return body[:end].rstrip(" ;,"), names


def bracket_groups(text: str) -> list[tuple[int, int]]:
    """The spans of the outermost bracketed groups in text, brackets included."""
    spans, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            start = index if depth == 0 else start
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index + 1))
    return spans


def is_state_list(content: str) -> bool:
    """Whether a bracketed group names States, not "(No. 29)", "(ICRMW)" or "(including women)"."""
    names = split_top_level(content, ",")
    return (
        bool(names)
        and not any(char.isdigit() for char in content)
        and all(looks_like_state(n) for n in names)
    )


def looks_like_state(name: str) -> bool:
    """A State's name opens with a capital, or with "the" before one ("the former Yugoslav Republic of…"), and
    is not an acronym."""
    words = name.split()
    if not words or (words[0].isupper() and len(words) == 1):
        return False
    return words[0][0].isupper() or (words[0] == "the" and any(word[0].isupper() for word in words[1:]))


def state_names(content: str) -> list[str]:
    """The State names in a group or a cell, cleaned: "Venezuela (Bolivarian Republic of)" reads as later."""
    names = []
    for part in split_top_level(content.replace("\n", ","), ",;"):
        name = clean(part).strip(" ;,.")
        if inverted := INVERTED_NAME.match(name):
            name = f"{inverted.group(2)} {inverted.group(1)}"
        if name:
            names.append(name)
    return unique(names)


def split_top_level(text: str, separators: str) -> list[str]:
    """text split at the separators that are outside brackets, parts stripped, empty parts dropped."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def tagged_lists(themes: str, affected: str, sdgs: str) -> tuple[list[str], list[str], list[str]]:
    """Themes, affected persons and SDG codes, from the themes cell's labelled lists and their own columns."""
    found: dict[str, list[str]] = {"themes": [], "affected": [], "sdgs": []}
    for cell, section in ((themes, "themes"), (affected, "affected"), (sdgs, "sdgs")):
        for line in cell.splitlines():
            item = line.strip()
            if label := SECTION_LABEL.match(item):
                section = "sdgs" if label.group(1).casefold().startswith("sdg") else "affected"
                item = label.group(2)
            item = clean(item).lstrip(BULLETS).strip()
            if item:
                found[section].append(item[0].upper() + item[1:])
    return unique(found["themes"]), unique(found["affected"]), sdg_codes(found["sdgs"])


def sdg_codes(entries: Iterable[str]) -> list[str]:
    """SDG codes from entries such as "16 - PEACE, JUSTICE…" ("16") or "5.1 End discrimination…" ("5.1")."""
    codes = []
    for entry in entries:
        for piece in re.split(r"[,;]", entry):
            if match := SDG.match(piece.strip()):
                goal, target = match.groups()
                codes.append(f"{int(goal)}.{target.lower()}" if target else str(int(goal)))
    return unique(codes)


def read_position(value: str) -> Position | None:
    """Supported, Noted, or partially supported ("Supported/Noted"); None when the cell says neither."""
    text = value.casefold()
    if re.search(r"\bnot\s+(?:supported|accepted)\b", text):
        return Position.noted
    supported = "support" in text or "accept" in text
    noted = "noted" in text or "reject" in text
    if "partial" in text or (supported and noted):
        return Position.partially_supported
    if supported:
        return Position.supported
    return Position.noted if noted else None


def position_source(raw: str) -> str | None:
    """The source of the position as "A/HRC/28/15/Add.1, para. 3", whatever spelling the cell used."""
    if not raw:
        return None
    symbol, paragraph = SYMBOL.search(raw), PARA_REF.search(raw)
    parts = [symbol.group(0)] if symbol else []
    if paragraph:
        parts.append(f"para. {paragraph.group(1)}")
    return ", ".join(parts) or raw


def report_symbol(source: str | None) -> str | None:
    """The Working Group report's symbol, from a position source that names it or its addendum."""
    symbol = SYMBOL.search(source or "")
    return ADDENDUM.sub("", symbol.group(0)) if symbol else None


def clean(text: str) -> str:
    """Text on one line with single spaces (non-breaking ones too)."""
    return " ".join(text.split())


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by hyphens: "Côte d’Ivoire" → "cote-d-ivoire"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unique(items: Iterable[str]) -> list[str]:
    """items without repeats, in their first order."""
    return list(dict.fromkeys(items))
