"""Word and Excel files (Office Open XML): the parts that name people, and the relationships that act or
fetch, removed at the level of the package; wordprocessing.py and spreadsheet.py edit the parts' content."""

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from lxml import etree

from consult.uploads import spreadsheet, wordprocessing
from consult.uploads.embedded import Nested, clean_member
from consult.uploads.errors import ActiveContent, Unclean
from consult.uploads.packages import (
    drop_comments,
    holds_ole_object,
    local,
    parse,
    read_members,
    remove,
    serialize,
    write_members,
)

CONTENT_TYPES = "[Content_Types].xml"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: The namespace of the attributes (r:id, r:embed, r:link…) by which a part points at its relationships.
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_DCTERMS = "http://purl.org/dc/terms/"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_STRICT = "http://purl.oclc.org/ooxml/"

#: Relationships (by the last word of their type) whose parts are code: the file is refused.
_MACRO_TYPES = {
    "vbaproject",
    "wordvbadata",
    "keymapcustomizations",
    "attachedtoolbars",
    "activexcontrol",
    "activexcontrolbinary",
}
_MACRO_CONTENT = re.compile(r"macroenabled|vbaproject|vbadata|activex|ms-office\.vba", re.I)
#: Members that are code, or hold it: VBA, ActiveX, OLE objects, and macro-enabled files embedded whole.
_PROGRAM_PART = re.compile(
    r"(^|/)vbaproject\.bin$|(^|/)activex/|/embeddings/[^/]*\.(bin|docm|xlsm|pptm|dotm|xltm)$"
)
#: Relationships whose parts act or fetch when the file is opened: data connections and the queries that
#: use them, links to other workbooks, Office add-ins loaded from the web, ribbons that call code, and
#: signatures (which name the signer and no longer hold once the file is cleaned).
_ACTIVE_TYPES = {
    "connections",
    "querytable",
    "externallink",
    "extensibility",
    "webextension",
    "webextensiontaskpanes",
    "origin",
    "signature",
}
#: Relationships whose parts name people: comments and their threads, the people who wrote them, notes,
#: shared-workbook revision logs, a thumbnail of the first page (which shows comment balloons and deleted
#: text), custom XML (where SharePoint keeps the owner's and editors' names), the tenant of a sensitivity
#: label, printer settings (which name the office's printer), and Word's building blocks (the glossary part:
#: signatures, letterheads and autotext saved with the document, in nobody's view but with their names).
_NAMING_TYPES = {
    "comments",
    "commentsextended",
    "commentsids",
    "commentsextensible",
    "people",
    "person",
    "threadedcomment",
    "commentauthors",
    "authors",
    "thumbnail",
    "customxml",
    "revisionheaders",
    "usernames",
    "classificationlabels",
    "printersettings",
    "glossarydocument",
}
#: Links that only a click follows, to a place on the web or an e-mail address, may stay.
_SAFE_SCHEMES = {"http", "https", "mailto"}

#: docProps/core.xml: what names a person is emptied (readers expect the elements), what dates a print goes.
_CORE_NAMES = {
    f"{{{_DC}}}{name}" for name in ("creator", "title", "subject", "description", "identifier", "language")
} | {f"{{{_CORE}}}{name}" for name in ("lastModifiedBy", "keywords", "category", "contentStatus", "version")}
_CORE_DATES = {f"{{{_DCTERMS}}}created", f"{{{_DCTERMS}}}modified"}
#: docProps/app.xml: the employer, the manager, a base for links, and the template's path (a user folder).
_APP_NAMES = {f"{{{_APP}}}{name}" for name in ("Company", "Manager", "HyperlinkBase", "Template")}


def clean_ooxml(data: bytes, *, remove_names: bool, nested: Nested) -> bytes:
    """A Word or Excel file without what acts or fetches, and, with remove_names, without what names people;
    its pictures and the documents inside it cleaned (nested cleans those); ActiveContent for macros,
    Unclean for a package that cannot be cleaned."""
    return write_members(_clean_members(read_members(data), remove_names, nested))


def _clean_members(members: dict[str, bytes], remove_names: bool, nested: Nested) -> dict[str, bytes]:
    """The package's members, cleaned: XML parts by their content, every other member by embedded.py."""
    if CONTENT_TYPES not in members:
        raise Unclean("no [Content_Types].xml")
    types = parse(members[CONTENT_TYPES])
    _refuse_macros(members, types)
    dropped: set[str] = set()
    for rels_name in [name for name in members if _is_rels(name)]:
        source = _source_of(rels_name)
        rels = parse(members[rels_name])
        removed_ids, removed_parts = _drop_relationships(rels, source, remove_names)
        dropped |= removed_parts
        members[rels_name] = serialize(rels)
        if removed_ids and source in members and source.endswith(".xml"):
            part = parse(members[source])
            _drop_references(part, removed_ids)
            members[source] = serialize(part)
    for name in dropped:
        members.pop(name, None)
    members = _reachable(members)
    _drop_overrides(types, members)
    members[CONTENT_TYPES] = serialize(types)
    for name in list(members):
        lowered = name.lower()
        if lowered.endswith(".xml"):
            root = parse(members[name])
            edit = _editor(root, remove_names)
            if edit is not None:
                edit(root)
            if remove_names:
                drop_comments(root)
                _drop_descriptions(root)
            if edit is not None or remove_names:
                members[name] = serialize(root)
        elif not _is_rels(name):
            members[name] = clean_member(
                members[name], remove_names=remove_names, nested=nested, opens="/embeddings/" in f"/{lowered}"
            )
    return members


def _refuse_macros(members: dict[str, bytes], types: etree._Element) -> None:
    """ActiveContent if the package declares or holds code of any kind."""
    if holds_ole_object(members):
        raise ActiveContent("an OLE object")
    declared = [element.get("ContentType", "") for element in types]
    if any(_MACRO_CONTENT.search(value) for value in declared):
        raise ActiveContent("a macro-enabled content type")
    for name in members:
        lowered = name.lower()
        if _PROGRAM_PART.search(lowered):
            raise ActiveContent(f"a program part {name}")
        if _is_rels(name):
            for relationship in parse(members[name]):
                if _kind(relationship) in _MACRO_TYPES:
                    raise ActiveContent("a relationship to code")
                if _kind(relationship) == "afchunk":
                    # HTML, RTF or another document that Word merges in when it opens the file: what it
                    # holds (names, pictures fetched from a host) is not ours to clean.
                    raise Unclean("an alternative-format chunk")


def _is_rels(name: str) -> bool:
    return name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels"


def _source_of(rels_name: str) -> str:
    """The part whose relationships a .rels part lists ("" for the package's own)."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return posixpath.join(folder, posixpath.basename(rels_name)[: -len(".rels")]).lstrip("/")


def _kind(relationship: etree._Element) -> str:
    """The last word of a relationship's type, lower-cased: "comments", "hyperlink", "attachedtemplate"…"""
    return relationship.get("Type", "").rstrip("/").rsplit("/", 1)[-1].lower()


def _target(source: str, relationship: etree._Element) -> str:
    """The member a relationship inside the package points at."""
    target = unquote(relationship.get("Target", "")).split("#", 1)[0]
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def _drop_relationships(rels: etree._Element, source: str, remove_names: bool) -> tuple[set[str], set[str]]:
    """Remove from a .rels part what points outside (but links a click follows), what acts, and with
    remove_names what names people; the removed ids, and the parts no longer wanted."""
    removed_ids, removed_parts = set(), set()
    kinds = {_kind(relationship) for relationship in rels}
    # A sheet's notes are drawn by a VML part: without the notes it would draw empty boxes.
    naming = _NAMING_TYPES | ({"vmldrawing"} if "comments" in kinds else set())
    for relationship in list(rels):
        kind = _kind(relationship)
        if relationship.get("TargetMode") == "External":
            scheme = urlsplit(relationship.get("Target", "").strip()).scheme.lower()
            if kind == "hyperlink" and scheme in _SAFE_SCHEMES:
                continue
        elif not (kind in _ACTIVE_TYPES or (remove_names and kind in naming)):
            continue
        else:
            removed_parts.add(_target(source, relationship))
        removed_ids.add(relationship.get("Id"))
        rels.remove(relationship)
    return removed_ids, removed_parts


#: Elements that hold content besides their reference: only the reference goes, the text or picture stays.
_KEEP_CONTENT = {"hyperlink", "blip", "imagedata", "hlinkClick", "hlinkHover", "hlinkMouseOver", "pageSetup"}
#: Containers that a file may not leave empty once their last reference is gone.
_EMPTY_NOT_ALLOWED = {"externalReferences", "AlternateContent", "Choice"}


def _drop_references(part: etree._Element, removed_ids: set[str]) -> None:
    """Remove the elements (or, where they hold content, the attributes) that point at removed ids."""
    for element in list(part.iter()):
        if not isinstance(element.tag, str):
            continue
        pointing = [name for name, value in element.attrib.items() if name.startswith(f"{{{R}}}")]
        if not any(element.get(name) in removed_ids for name in pointing):
            continue
        if local(element) in _KEEP_CONTENT:
            for name in pointing:
                if element.get(name) in removed_ids:
                    del element.attrib[name]
        else:
            parent = element.getparent()
            remove(element)
            while parent is not None and local(parent) in _EMPTY_NOT_ALLOWED and len(parent) == 0:
                grandparent = parent.getparent()
                remove(parent)
                parent = grandparent


def _reachable(members: dict[str, bytes]) -> dict[str, bytes]:
    """The members that the package's relationships still reach, and their .rels: an office application
    ignores the others, so they could only hide something."""
    by_lower = {name.lower(): name for name in members}
    reached, waiting = set(), [""]
    while waiting:
        source = waiting.pop()
        rels_name = posixpath.join(posixpath.dirname(source), "_rels", posixpath.basename(source) + ".rels")
        rels_name = by_lower.get(rels_name.lstrip("/").lower())
        if rels_name is None:
            continue
        reached.add(rels_name)
        for relationship in parse(members[rels_name]):
            if relationship.get("TargetMode") == "External":
                continue
            target = by_lower.get(_target(source, relationship).lower())
            if target is not None and target not in reached:
                reached.add(target)
                waiting.append(target)
    kept = {name: content for name, content in members.items() if name in reached or name == CONTENT_TYPES}
    if not any(name in kept for name in ("word/document.xml", "xl/workbook.xml", "ppt/presentation.xml")):
        raise Unclean("the main part is not reached from the package's relationships")
    return kept


def _drop_overrides(types: etree._Element, members: dict[str, bytes]) -> None:
    """Remove from [Content_Types].xml the parts that are gone."""
    present = {name.lower() for name in members}
    for element in list(types):
        if element.tag == f"{_CT}Override" and element.get("PartName", "").lstrip("/").lower() not in present:
            types.remove(element)


def _editor(root: etree._Element, remove_names: bool) -> Callable[[etree._Element], None] | None:
    """What to do to a part, told by its root element: the content types may lie, the XML cannot."""
    namespace = etree.QName(root).namespace or ""
    if namespace.startswith(_STRICT):
        # Strict Open XML names everything differently; no cleaner here reads it, so none may pass it.
        raise Unclean("a Strict Open XML part")
    if root.tag == f"{{{_CORE}}}coreProperties":
        return _clean_core
    if root.tag == f"{{{_APP}}}Properties":
        return _clean_app
    if root.tag == f"{{{_CUSTOM}}}Properties":
        return _empty
    if namespace == wordprocessing.W:
        return lambda part: wordprocessing.clean_part(part, remove_names=remove_names)
    if namespace == spreadsheet.MAIN:
        return lambda part: spreadsheet.clean_part(part, remove_names=remove_names)
    return None


#: Drawings' labels (DrawingML cNvPr and Word's docPr, in a document, a sheet, a chart or a SmartArt): the
#: description and title (alt text, into which older Word writes the inserted picture's path) are emptied,
#: the name (the picture's file name, or "Picture 1") becomes a neutral label.
_LABELLED = {"cNvPr", "docPr"}
_VML_OFFICE = "urn:schemas-microsoft-com:office:office"
#: VML's alternative text and titles (shapes, and the picture data they show).
_VML_DESCRIPTIONS = ("alt", f"{{{_VML_OFFICE}}}title")
#: A link's tooltip, which Word shows only when the pointer rests on it.
_TOOLTIP = f"{{{wordprocessing.W}}}tooltip"
#: The namespaces of Office Open XML, of Office's extensions to it and of XML itself: an attribute in any
#: other is not read by an office application, and may hold whatever the program that wrote it wanted.
_OFFICE_NAMESPACES = (
    "http://schemas.openxmlformats.org/",
    "http://schemas.microsoft.com/",
    "urn:schemas-microsoft-com:",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://purl.org/",
)


def _drop_descriptions(root: etree._Element) -> None:
    """Empty the alternative text and titles of pictures, charts and shapes, and give them neutral names;
    remove links' tooltips, and attributes in namespaces that are not Office's."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in [a for a in element.attrib if a.startswith("{")]:
            if not attribute[1:].startswith(_OFFICE_NAMESPACES):
                del element.attrib[attribute]
        element.attrib.pop(_TOOLTIP, None)
        if local(element) in _LABELLED:
            for attribute in ("descr", "title"):
                if attribute in element.attrib:
                    element.set(attribute, "")
            if "name" in element.attrib:
                element.set("name", f"Picture {element.get('id', '')}".strip())
        elif (etree.QName(element).namespace or "").startswith("urn:schemas-microsoft-com:"):
            for attribute in _VML_DESCRIPTIONS:
                if attribute in element.attrib:
                    element.set(attribute, "")


def _clean_core(root: etree._Element) -> None:
    """Core properties with no name, no print date, no revision count and no time finer than the day."""
    for element in list(root):
        if element.tag in _CORE_NAMES:
            element.text = ""
            for child in list(element):
                element.remove(child)
        elif element.tag == f"{{{_CORE}}}lastPrinted":
            remove(element)
        elif element.tag == f"{{{_CORE}}}revision":
            element.text = "1"  # the number of saves tells something about how the file was made
        elif element.tag in _CORE_DATES and element.text and len(element.text) >= 10:
            element.text = element.text.strip()[:10] + "T00:00:00Z"


def _clean_app(root: etree._Element) -> None:
    """Extended properties without the company, the manager, a base for links or the template's path."""
    for element in list(root):
        if element.tag in _APP_NAMES:
            remove(element)


def _empty(root: etree._Element) -> None:
    """docProps/custom.xml with no property left, which its schema allows."""
    for child in list(root):
        root.remove(child)
