"""Office files as zips of XML parts: read within limits, edited as trees, written back byte for byte the same
for the same content."""

import io
import zipfile
from collections.abc import Iterable

from lxml import etree

from consult.uploads.errors import Unclean

#: Limits against zip bombs, read from the central directory before anything is decompressed.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
#: Members smaller than this are not held to MAX_RATIO, as in Apache POI's ZipSecureFile: a small, very
#: repetitive XML part compresses well without being a threat, and the total limit still holds.
RATIO_GRACE_BYTES = 100 * 1024
MAX_MEMBERS = 2000

#: Every member of a written zip is dated this day at midnight: a member's time is the author's local time,
#: or the upload's, and either hints at who and where they are.
MEMBER_TIME = (1980, 1, 1, 0, 0, 0)

#: The start of an OLE compound file: an embedded object from an older Office (a .doc or .xls with its
#: macros, an equation editor object, a package wrapping a program), which runs code when opened.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
)


def too_much(members: list[zipfile.ZipInfo], limit: int | None = MAX_UNPACKED_BYTES) -> bool:
    """Whether members unpack to more than limit bytes in all, or one of them inflates too much."""
    # The sizes in the central directory are the most zipfile will ever inflate: it stops at file_size.
    too_large = limit is not None and sum(member.file_size for member in members) > limit
    return too_large or any(_inflates(member) for member in members)


def _inflates(member: zipfile.ZipInfo) -> bool:
    """Whether a member inflates more than MAX_RATIO times its compressed size."""
    if member.file_size <= RATIO_GRACE_BYTES:
        return False
    return member.file_size > MAX_RATIO * max(member.compress_size, 1)


def read_members(data: bytes) -> dict[str, bytes]:
    """Every member of a zip, in its order; Unclean for a zip bomb, an encrypted or a duplicated member."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            names = [info.filename for info in infos]
            if len(infos) > MAX_MEMBERS or len(set(names)) != len(names) or too_much(infos):
                raise Unclean("the zip is too large, or names a member twice")
            if any(info.flag_bits & 0x1 for info in infos):  # bit 0: encrypted
                raise Unclean("an encrypted member")
            return {info.filename: archive.read(info) for info in infos}
    except Unclean:
        raise
    except Exception as error:  # zipfile and its decompressors raise many kinds of error on damaged input
        raise Unclean("the zip cannot be read") from error


def holds_ole_object(members: dict[str, bytes]) -> bool:
    """Whether a member of the package is an OLE compound file, whatever its name."""
    return any(content.startswith(_OLE_SIGNATURE) for content in members.values())


def write_members(members: dict[str, bytes], stored: Iterable[str] = ()) -> bytes:
    """A zip of the members in their order, each dated MEMBER_TIME, with no extra fields or comment; the
    members named in stored are not compressed (ODF's `mimetype` must not be)."""
    uncompressed = set(stored)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            entry = zipfile.ZipInfo(name, date_time=MEMBER_TIME)
            entry.compress_type = zipfile.ZIP_STORED if name in uncompressed else zipfile.ZIP_DEFLATED
            # The same host system and permissions whoever uploaded the file, so that nothing of theirs shows.
            entry.create_system = 0
            entry.external_attr = 0
            archive.writestr(entry, content)
    return output.getvalue()


def parse(part: bytes) -> etree._Element:
    """An XML part as a tree: no entity resolved, nothing fetched, and no DTD at all (no office part has
    one, and an entity bomb needs one)."""
    try:
        root = etree.fromstring(part, _PARSER)
    except etree.XMLSyntaxError as error:
        raise Unclean("a part is not well-formed XML") from error
    if root.getroottree().docinfo.doctype:
        raise Unclean("a part declares a DTD")
    return root


def serialize(root: etree._Element) -> bytes:
    """A tree as an XML part, declared UTF-8 and standalone as office applications write them."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def drop_comments(root: etree._Element) -> None:
    """Remove the XML comments and processing instructions inside a part: they are never content, and
    whatever wrote them may have put a name or a path there (those before the root are not serialized)."""
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        remove(element)


def local(element: etree._Element | None) -> str:
    """The element's name without its namespace ("" for none, comments and processing instructions)."""
    return etree.QName(element).localname if element is not None and isinstance(element.tag, str) else ""


def remove(element: etree._Element) -> None:
    """Take an element out with everything in it, keeping the text that followed it (ODF's mixed content)."""
    parent = element.getparent()
    if parent is None:
        return
    _keep_tail(element)
    parent.remove(element)


def unwrap(element: etree._Element) -> None:
    """Replace an element by its content: its text, its children and its tail stay where it was."""
    parent = element.getparent()
    if parent is None:
        return
    position = parent.index(element)
    children = list(element)
    if element.text:
        _append_text(parent, position, element.text)
    for offset, child in enumerate(children):
        parent.insert(position + 1 + offset, child)  # lxml moves each child, its tail with it
    if children and element.tail:
        children[-1].tail = (children[-1].tail or "") + element.tail
        element.tail = None
    _keep_tail(element)
    parent.remove(element)


def _keep_tail(element: etree._Element) -> None:
    """Move an element's tail to what precedes it, before the element goes."""
    if element.tail:
        _append_text(element.getparent(), element.getparent().index(element), element.tail)
        element.tail = None


def _append_text(parent: etree._Element, position: int, text: str) -> None:
    """Add text where the child at position starts: after the previous sibling, or at the parent's start."""
    if position == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[position - 1]
        previous.tail = (previous.tail or "") + text
