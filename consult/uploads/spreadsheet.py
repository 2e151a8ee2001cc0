"""The XML parts of an Excel workbook: the folder the file was saved in, who reserved it, tables fed by data
connections, and formulas that fetch."""

import re

from lxml import etree

from consult.uploads.packages import local, remove

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: Functions that fetch from the web, a data server or a library, or run a command, when Excel calculates,
#: and DDE references (cmd|'/c calc'!A1), which start a program.
_FETCHING = re.compile(
    r"(?<![\w.])(?:_xlfn\.)?(WEBSERVICE|IMAGE|RTD|CALL|REGISTER|REGISTER\.ID|EXEC)\s*\(|\w\|'?[^']*'?!", re.I
)
#: Excel records the folder it last saved the workbook in (C:\Users\<name>\…), whatever the settings.
_SAVED_IN = "absPath"


def clean_part(root: etree._Element, *, remove_names: bool) -> None:
    """Edit one XML part of a workbook in place."""
    for element in [e for e in root.iter() if local(e) == _SAVED_IN]:
        parent = element.getparent()
        remove(element)
        # absPath sits in mc:AlternateContent/mc:Choice, which may not be left empty.
        while parent is not None and local(parent) in ("Choice", "AlternateContent") and len(parent) == 0:
            grandparent = parent.getparent()
            remove(parent)
            parent = grandparent
    for table in [e for e in root.iter() if local(e) == "table" and e.get("tableType") == "queryTable"]:
        # Its query and connection are removed with the package's data connections: a plain table stays.
        del table.attrib["tableType"]
        table.attrib.pop("connectionId", None)
    _drop_fetching_formulas(root)
    if remove_names:
        for element in [e for e in root.iter() if local(e) == "fileSharing"]:
            element.attrib.pop("userName", None)  # who reserved the workbook for writing
        _drop_notes(root)


def _drop_fetching_formulas(root: etree._Element) -> None:
    """Cells whose formula fetches or runs something keep the value it last gave, without the formula; the
    cells that share such a formula lose theirs too."""
    shared = set()
    for formula in [e for e in root.iter(f"{{{MAIN}}}f") if _FETCHING.search(e.text or "")]:
        if formula.get("t") == "shared":
            shared.add(formula.get("si"))
        _keep_value(formula)
    for formula in [e for e in root.iter(f"{{{MAIN}}}f") if e.get("t") == "shared" and e.get("si") in shared]:
        _keep_value(formula)


def _keep_value(formula: etree._Element) -> None:
    """Remove a cell's formula and keep what it last gave: a number, a truth value or an error as it is, a
    text (t="str", which only a formula may have) as an inline string."""
    cell = formula.getparent()
    remove(formula)
    if cell is None or local(cell) != "c" or cell.get("t") != "str":
        return
    value = cell.find(f"{{{MAIN}}}v")
    text, position = "", len(cell)
    if value is not None:
        text, position = value.text or "", cell.index(value)
        cell.remove(value)
    cell.set("t", "inlineStr")
    inline = etree.Element(f"{{{MAIN}}}is")
    etree.SubElement(inline, f"{{{MAIN}}}t").text = text
    cell.insert(position, inline)  # where the value was: before any extLst, as the schema orders them
    if text != text.strip():
        inline[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


#: Page headers and footers, which Excel shows only in print and in the page layout.
_HEADERS = {"oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"}
#: What a cell's data validation shows only while the cell is selected or refuses a value, and a defined
#: name's comment, which only the name manager shows.
_NOTES = {"dataValidation": ("promptTitle", "prompt", "errorTitle", "error"), "definedName": ("comment",)}


def _drop_notes(root: etree._Element) -> None:
    """Empty the page headers and footers and remove the validation prompts and names' comments: text that
    whoever reviews the workbook in its usual view does not see, and where its author often signs."""
    for element in root.iter():
        name = local(element)
        if name in _HEADERS:
            for child in list(element):
                element.remove(child)
            element.text = None
        for attribute in _NOTES.get(name, ()):
            element.attrib.pop(attribute, None)
