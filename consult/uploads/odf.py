"""OpenDocument files: tracked changes accepted, annotations and the fields that show the author removed,
and nothing left that runs a script or fetches from elsewhere."""

import posixpath
import re
from urllib.parse import urlsplit

from lxml import etree

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

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
XLINK = "http://www.w3.org/1999/xlink"
CONFIG = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#: LibreOffice's revision-session ids (officeooo:rsid), the counterpart of Word's w:rsid.
_OFFICEOOO = "http://openoffice.org/2009/office"

#: Members that are scripts: the file is refused.
_SCRIPT_MEMBER = re.compile(r"(^|/)(Basic|Scripts)/", re.I)
#: What identifies a person, or their computer, in meta.xml: always removed, as for every attachment.
_META_TAGS = {
    f"{{{META}}}{tag}"
    for tag in ("initial-creator", "printed-by", "keyword", "user-defined", "template", "generator")
} | {f"{{{_DC}}}{tag}" for tag in ("creator", "title", "description", "subject")}
#: With the names: when it was printed, how long it was edited and how many times it was saved.
_META_HISTORY = {f"{{{META}}}{tag}" for tag in ("print-date", "editing-duration", "editing-cycles")}
#: Elements that run a script, or fetch a section, a table, data or a frame from elsewhere: always removed.
_ACTIVE = {
    (OFFICE, "scripts"),
    (OFFICE, "event-listeners"),
    ("urn:oasis:names:tc:opendocument:xmlns:script:1.0", "event-listener"),
    ("urn:oasis:names:tc:opendocument:xmlns:presentation:1.0", "event-listener"),
    (TEXT, "section-source"),
    (OFFICE, "dde-source"),
    (TEXT, "dde-connection-decls"),
    ("urn:oasis:names:tc:opendocument:xmlns:table:1.0", "dde-links"),
    ("urn:oasis:names:tc:opendocument:xmlns:table:1.0", "table-source"),
    ("urn:oasis:names:tc:opendocument:xmlns:table:1.0", "cell-range-source"),
    ("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "applet"),
    ("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "plugin"),
    ("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "floating-frame"),
}
#: Pictures and objects that would be loaded from their address: removed when it is outside the file.
_LOADED = {"image", "object", "object-ole", "fill-image", "background-image"}
#: Links that a click follows: kept to the web and e-mail, their text kept without the link otherwise.
_LINKS = {"a"}
_SAFE_SCHEMES = {"http", "https", "mailto"}
#: Tracked changes (the region that keeps deleted text, its authors and dates, and the marks in the text)
#: and annotations (comments with their author, date and initials).
_HISTORY = {
    (TEXT, "tracked-changes"),
    (TEXT, "change"),
    (TEXT, "change-start"),
    (TEXT, "change-end"),
    (OFFICE, "annotation"),
    (OFFICE, "annotation-end"),
    # Text hidden from whoever reviews the file before sending it: fields that hide text or a paragraph,
    # and frames' titles and descriptions (alternative text).
    (TEXT, "hidden-text"),
    (TEXT, "hidden-paragraph"),
    (_SVG, "title"),
    (_SVG, "desc"),
}
#: Fields that show the author's or the sender's name, filled from the user's profile.
_NAMING_FIELDS = re.compile(r"author-name|author-initials|initial-creator|creator|sender-.*")
#: Folders of the document's own pictures, previews, settings and fonts; members elsewhere that are not XML
#: are files it carries (an attached PDF): they must be documents that can be cleaned.
_OWN_FOLDERS = {"Pictures", "Thumbnails", "ObjectReplacements", "Configurations2", "Fonts", "META-INF"}
#: Settings that name the office's printer, and the database a mail merge last used (a name or a path).
_PRINTER_SETTINGS = {
    "PrinterName",
    "PrinterSetup",
    "PrinterPaperFromSetup",
    "CurrentDatabaseDataSource",
    "CurrentDatabaseCommand",
}


def clean_odf(data: bytes, *, remove_names: bool, nested: Nested) -> bytes:
    """An OpenDocument file without what runs or fetches, and, with remove_names, without tracked changes,
    annotations, author fields, revision ids, printer names and the thumbnail; its pictures and the
    documents inside it cleaned (nested cleans those); ActiveContent for scripts."""
    members = read_members(data)
    if any(_SCRIPT_MEMBER.search(name) for name in members):
        raise ActiveContent("a Basic or Scripts folder")
    if holds_ole_object(members):
        raise ActiveContent("an OLE object")
    if "mimetype" not in members:
        raise Unclean("no mimetype")
    if remove_names:
        # A picture of the first page, with the changes and annotations it showed when saved.
        members = {name: part for name, part in members.items() if not name.startswith("Thumbnails/")}
    for name in list(members):
        if not name.endswith(".xml"):
            if name != "mimetype":
                members[name] = clean_member(
                    members[name], remove_names=remove_names, nested=nested, opens=_opens(name)
                )
            continue
        root = parse(members[name])
        base = posixpath.basename(name)
        if base == "meta.xml":
            _clean_meta(root, remove_names)
        elif base == "manifest.xml":
            _clean_manifest(root, members)
        elif base == "settings.xml" and remove_names:
            _clean_settings(root)
        else:
            _clean_content(root, remove_names)
        if remove_names:
            drop_comments(root)
        members[name] = serialize(root)
    # ODF requires `mimetype` first and stored, so that the type can be read at a fixed offset.
    ordered = {"mimetype": members.pop("mimetype"), **members}
    return write_members(ordered, stored=("mimetype",))


def _opens(name: str) -> bool:
    """Whether a member is a file the document carries for its reader to open, not a part of its own."""
    return name.split("/", 1)[0] not in _OWN_FOLDERS and name not in ("layout-cache", "manifest.rdf")


def _clean_meta(root: etree._Element, remove_names: bool) -> None:
    tags = _META_TAGS | (_META_HISTORY if remove_names else set())
    for element in [e for e in root.iter() if e.tag in tags]:
        remove(element)


def _clean_manifest(root: etree._Element, members: dict[str, bytes]) -> None:
    """The manifest without the entries of removed members (LibreOffice calls the file damaged otherwise)."""
    for entry in list(root.iter(f"{{{MANIFEST}}}file-entry")):
        path = entry.get(f"{{{MANIFEST}}}full-path", "")
        if path != "/" and not path.endswith("/") and path not in members:
            remove(entry)


def _clean_settings(root: etree._Element) -> None:
    for item in list(root.iter(f"{{{CONFIG}}}config-item")):
        if item.get(f"{{{CONFIG}}}name") in _PRINTER_SETTINGS:
            remove(item)


def _clean_content(root: etree._Element, remove_names: bool) -> None:
    """content.xml, styles.xml and the parts of embedded objects."""
    if remove_names:
        _drop_hidden(root)
    for element in [e for e in root.iter() if isinstance(e.tag, str)]:
        name = etree.QName(element)
        naming = (name.namespace, name.localname) in _HISTORY or (
            name.namespace == TEXT and _NAMING_FIELDS.fullmatch(name.localname)
        )
        if (name.namespace, name.localname) in _ACTIVE or (remove_names and naming):
            remove(element)
        else:
            _unlink(element)
        if remove_names:
            for attribute in [a for a in element.attrib if a.startswith(f"{{{_OFFICEOOO}}}") and "rsid" in a]:
                del element.attrib[attribute]


def _drop_hidden(root: etree._Element) -> None:
    """Remove the text in styles that hide it (text:display="none"), and give frames neutral names (the
    name is the picture's file name, or whatever its author typed), the same wherever they are named."""
    hidden = {
        style.get(f"{{{_STYLE}}}name")
        for style in root.iter(f"{{{_STYLE}}}style")
        if any(p.get(f"{{{TEXT}}}display") == "none" for p in style.iter(f"{{{_STYLE}}}text-properties"))
    }
    for element in list(root.iter(f"{{{TEXT}}}span", f"{{{TEXT}}}p", f"{{{TEXT}}}h")):
        if element.getparent() is not None and element.get(f"{{{TEXT}}}style-name") in hidden:
            if local(element) == "span":
                remove(element)
            else:
                for child in list(element):
                    element.remove(child)
                element.text = None
    for declaration in root.iter(f"{{{TEXT}}}user-field-decl"):
        # A user field's value (the ODF form of Word's document variables) is kept where the text shows it.
        if f"{{{OFFICE}}}string-value" in declaration.attrib:
            declaration.set(f"{{{OFFICE}}}string-value", "")
    for link in root.iter(f"{{{TEXT}}}a"):
        # A link's title (its tooltip) and name, which only a pointer resting on it shows.
        for attribute in ("title", "name"):
            link.attrib.pop(f"{{{OFFICE}}}{attribute}", None)
    names: dict[str, str] = {}
    for element in root.iter(f"{{{_DRAW}}}frame"):
        old = element.get(f"{{{_DRAW}}}name")
        if old is not None:
            names[old] = names.get(old) or f"Object {len(names) + 1}"
            element.set(f"{{{_DRAW}}}name", names[old])
    for element in root.iter(f"{{{_DRAW}}}text-box"):
        following = element.get(f"{{{_DRAW}}}chain-next-name")
        if following is not None:
            element.set(f"{{{_DRAW}}}chain-next-name", names.get(following, ""))


def _unlink(element: etree._Element) -> None:
    """A reference outside the file goes: a link keeps its text, a picture or object loaded from it goes."""
    target = element.get(f"{{{XLINK}}}href")
    if target is None or not _outside(target):
        return
    if local(element) in _LINKS and urlsplit(target.strip()).scheme.lower() in _SAFE_SCHEMES:
        return
    if local(element) in _LOADED:
        remove(element)
        return
    for attribute in [a for a in element.attrib if a.startswith(f"{{{XLINK}}}")]:
        del element.attrib[attribute]


def _outside(target: str) -> bool:
    """Whether an xlink:href leaves the file: a scheme, an absolute or network path, or a climb out."""
    target = target.strip()
    if target.startswith("#"):
        return False
    return bool(urlsplit(target).scheme) or target.startswith(("/", "\\", "../")) or "/../" in target
