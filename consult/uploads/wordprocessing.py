"""The XML parts of a Word file: tracked changes accepted, comment marks, revision ids and permissions'
editors removed, and the fields that fetch something made plain text."""

from dataclasses import dataclass, field

from lxml import etree

from consult.uploads.packages import local, remove, unwrap

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

#: Fields that fetch a file, a picture or data from elsewhere, or run a command: the field goes, the text or
#: picture it last showed stays.
FETCHING_FIELDS = {
    "INCLUDEPICTURE",
    "INCLUDETEXT",
    "INCLUDE",
    "LINK",
    "DDE",
    "DDEAUTO",
    "IMPORT",
    "DATABASE",
    "PRINT",
    "MACROBUTTON",
}
#: Fields that show the name of whoever wrote, saved or opened the file: the field and its text go.
NAMING_FIELDS = {"AUTHOR", "LASTSAVEDBY", "USERNAME", "USERINITIALS", "USERADDRESS"}

#: What a tracked change kept of the properties before it: accepting the change drops them.
_PROPERTY_CHANGES = {
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblGridChange",
    "trPrChange",
    "tcPrChange",
    "tblPrExChange",
    "numberingChange",
    "cellIns",
    "cellMerge",
}
#: Markers of where a change, a move, a comment or an editing permission begins and ends.
_MARKERS = {
    "moveFromRangeStart",
    "moveFromRangeEnd",
    "moveToRangeStart",
    "moveToRangeEnd",
    "customXmlInsRangeStart",
    "customXmlInsRangeEnd",
    "customXmlDelRangeStart",
    "customXmlDelRangeEnd",
    "customXmlMoveFromRangeStart",
    "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart",
    "customXmlMoveToRangeEnd",
    "commentRangeStart",
    "commentRangeEnd",
    "commentReference",
    "permStart",
    "permEnd",
}
#: Settings that record a history, keep tracking the next editor, or fetch a mail merge's data on opening.
_SETTINGS = {"rsids", "trackRevisions", "mailMerge", "docVars"}


def clean_part(root: etree._Element, *, remove_names: bool) -> None:
    """Edit one XML part of a Word file in place."""
    for element in list(root.iter(f"{_W}mailMerge")):
        remove(element)  # opening a merge document runs its query against its data source
    _neutralise_fields(root, remove_names)
    if remove_names:
        accept_changes(root)
        _drop_history(root)
        _drop_hidden_text(root)


def accept_changes(root: etree._Element) -> None:
    """Accept every tracked change: inserted text stays, deleted text goes, the old formatting goes. Nobody's
    edits are shown as edits any more, so no name or date is left to show with them."""
    for element in list(root.iter(f"{_W}del", f"{_W}moveFrom", f"{_W}ins", f"{_W}moveTo")):
        if element.getparent() is None:  # inside something already removed
            continue
        parent, deleted = element.getparent(), local(element) in ("del", "moveFrom")
        if local(parent) == "rPr" and local(parent.getparent()) == "pPr":
            _paragraph_mark(element, deleted)
        elif local(parent) in ("rPr", "trPr"):
            if deleted and local(parent) == "trPr":
                remove(parent.getparent())  # a deleted table row
            else:
                remove(element)
        elif deleted:
            remove(element)
        else:
            unwrap(element)
    for element in list(root.iter(f"{_W}cellDel")):
        cell = element.getparent().getparent() if element.getparent() is not None else None
        if cell is not None and local(cell) == "tc":
            remove(cell)
    for element in list(root.iter(*(f"{_W}{name}" for name in _PROPERTY_CHANGES))):
        remove(element)
    # Deleted text outside a deletion would be a damaged file; it goes all the same.
    for element in list(root.iter(f"{_W}delText", f"{_W}delInstrText")):
        remove(element)


def _paragraph_mark(marker: etree._Element, deleted: bool) -> None:
    """Accept a change to a paragraph's end: an inserted one stays; a deleted one joins the paragraph to the
    next, which then gives the merged paragraph its properties, as Word does."""
    paragraph = marker.getparent().getparent().getparent()
    remove(marker)
    following = paragraph.getnext() if paragraph is not None else None
    if not deleted or following is None or following.tag != f"{_W}p":
        return
    after = following.find(f"{_W}pPr")
    position = 0 if after is None else following.index(after) + 1
    for offset, child in enumerate([c for c in paragraph if c.tag != f"{_W}pPr"]):
        following.insert(position + offset, child)
    remove(paragraph)


def _drop_history(root: etree._Element) -> None:
    """Remove revision-session ids, comment and permission marks, and the settings that record history."""
    for element in list(root.iter(*(f"{_W}{name}" for name in _MARKERS | _SETTINGS))):
        run = element.getparent()
        remove(element)
        if run is not None and run.tag == f"{_W}r" and _is_empty_run(run):
            remove(run)  # the run that held a comment's reference mark
    for element in root.iter():
        for name in [name for name in element.attrib if name.startswith(f"{_W}rsid")]:
            del element.attrib[name]
    # Content controls bound to custom XML, which is removed with the names it holds, and their labels
    # (a friendly name and a tag that only code reads), which authors fill with "Author <name>" and the like.
    for element in list(root.iter(f"{_W}dataBinding", f"{_W}alias", f"{_W}tag")):
        if local(element.getparent()) == "sdtPr":
            remove(element)


_OFF = {"0", "false", "off"}


def _drop_hidden_text(root: etree._Element) -> None:
    """Remove the runs formatted as hidden (w:vanish, w:specVanish): whoever reads the file before sending it
    does not see them. A field's characters stay, so that no field is left broken; a hidden paragraph mark
    (in the paragraph's properties) only joins paragraphs, and stays."""
    for mark in list(root.iter(f"{_W}vanish", f"{_W}specVanish")):
        properties = mark.getparent()
        run = properties.getparent() if properties is not None else None
        if run is None or local(properties) != "rPr" or run.tag != f"{_W}r":
            continue
        if (mark.get(f"{_W}val") or "").lower() in _OFF:
            continue
        if run.find(f"{_W}fldChar") is not None:
            for child in [c for c in run if c.tag not in (f"{_W}rPr", f"{_W}fldChar")]:
                remove(child)
            continue
        remove(run)


def _is_empty_run(run: etree._Element) -> bool:
    return all(child.tag == f"{_W}rPr" for child in run)


@dataclass
class _Field:
    """A complex field: its begin, separate and end characters, and the runs of its instruction."""

    begin: etree._Element
    instruction: list[etree._Element] = field(default_factory=list)
    separate: etree._Element | None = None
    end: etree._Element | None = None

    @property
    def code(self) -> str:
        words = "".join(element.text or "" for element in self.instruction).split()
        return words[0].upper().lstrip("\\") if words else ""


def _neutralise_fields(root: etree._Element, remove_names: bool) -> None:
    """Fields that fetch become the text they showed; with remove_names, fields that name people go."""
    for simple in list(root.iter(f"{_W}fldSimple")):
        words = (simple.get(f"{_W}instr") or "").split()
        code = words[0].upper() if words else ""
        if remove_names and code in NAMING_FIELDS:
            remove(simple)
        elif code in FETCHING_FIELDS:
            unwrap(simple)
    for complex_field in _complex_fields(root):
        if remove_names and complex_field.code in NAMING_FIELDS and _remove_whole(complex_field):
            continue
        if complex_field.code in FETCHING_FIELDS or (remove_names and complex_field.code in NAMING_FIELDS):
            for element in [complex_field.begin, *complex_field.instruction, complex_field.separate]:
                _remove_from_run(element)
            _remove_from_run(complex_field.end)


def _complex_fields(root: etree._Element) -> list[_Field]:
    """Every complete complex field, inner ones before the fields they are nested in."""
    found, open_fields = [], []
    for element in root.iter(f"{_W}fldChar", f"{_W}instrText"):
        if element.tag == f"{_W}instrText":
            if open_fields and open_fields[-1].separate is None:
                open_fields[-1].instruction.append(element)
            continue
        kind = element.get(f"{_W}fldCharType")
        if kind == "begin":
            open_fields.append(_Field(begin=element))
        elif kind == "separate" and open_fields:
            open_fields[-1].separate = element
        elif kind == "end" and open_fields:
            complete = open_fields.pop()
            complete.end = element
            found.append(complete)
    return found


def _remove_whole(complex_field: _Field) -> bool:
    """Remove a field with the text it shows, when it begins and ends among the runs of one paragraph."""
    first, last = complex_field.begin.getparent(), complex_field.end.getparent()
    if (
        first is None
        or last is None
        or first.getparent() is None
        or first.getparent() is not last.getparent()
    ):
        return False
    siblings = list(first.getparent())
    for element in siblings[siblings.index(first) : siblings.index(last) + 1]:
        remove(element)
    return True


def _remove_from_run(element: etree._Element | None) -> None:
    """Remove a field character or instruction, and its run if nothing else is left in it."""
    if element is None or element.getparent() is None:
        return
    run = element.getparent()
    remove(element)
    if run.tag == f"{_W}r" and _is_empty_run(run):
        remove(run)
