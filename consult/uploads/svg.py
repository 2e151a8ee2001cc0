"""SVG pictures inside documents: drawn as they were, but naming nobody, running nothing and fetching nothing.

An SVG is a web page of its own: it can hold its author's name in <metadata>, run a <script>, embed HTML in
a <foreignObject>, and load a picture, a style or a font from any host when it is shown, which tells a
tracker the address of everyone who opens the document. The SVG is kept (Word's PNG fallback may be
missing, and ODF has none) and cleaned: those elements, every event attribute, and every reference that is
not to a place in the same picture or a picture written into it (data:image/png, jpeg, gif, webp) go.
"""

import io
import re

from lxml import etree

from consult.uploads.errors import Unclean
from consult.uploads.packages import remove

SVG = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

#: Elements that name people (metadata, title and description, which only tooltips show), run code, embed
#: HTML, or style the picture from a sheet that may import another from anywhere.
_REMOVED = {"metadata", "title", "desc", "script", "foreignObject", "handler", "listener", "style"}
#: Animations that set a reference, which would fetch whatever they set it to.
_ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}
#: A reference that stays within the picture, or a picture written into it.
_SAFE_REFERENCE = re.compile(r"#|data:image/(png|jpeg|gif|webp)[;,]", re.I)
#: url(...) in an attribute (fill, filter, mask, style…) that points anywhere but a place in the picture.
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)
#: The drawing programs' own namespaces (Inkscape's file name, export path and window; Sodipodi's document
#: name), which the picture does not need to be drawn.
_EDITORS = (
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
)
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
)


def is_svg(data: bytes) -> bool:
    """Whether the bytes are an XML document whose root is <svg>, however much comes before the root (only
    the start of the document up to its root is read)."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return False
    try:
        for _, element in etree.iterparse(
            io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        ):
            return etree.QName(element).localname == "svg"
    except etree.XMLSyntaxError:
        return False
    return False


def clean_svg(data: bytes) -> bytes:
    """The SVG without metadata, scripts, event attributes and references outside it; Unclean if it is not
    well-formed, or uses an entity (an SVG's DOCTYPE is dropped; the entities it declared would be lost)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise Unclean("an SVG is not well-formed XML") from error
    if etree.QName(root).localname != "svg" or any(isinstance(e, etree._Entity) for e in root.iter()):
        raise Unclean("an SVG whose root is not <svg>, or that uses entities")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            if isinstance(element, etree._ProcessingInstruction | etree._Comment):
                remove(element)  # an xml-stylesheet that fetches, or a comment that names someone
            continue
        name = etree.QName(element).localname
        target = (element.get("attributeName") or "").rsplit(":", 1)[-1]
        namespace = etree.QName(element).namespace or ""
        if name in _REMOVED or (name in _ANIMATIONS and target == "href") or namespace in _EDITORS:
            remove(element)
            continue
        for attribute, value in list(element.attrib.items()):
            local = etree.QName(attribute).localname
            reference = local == "href" or attribute == _XLINK_HREF
            if (
                local.lower().startswith(("on", "data-", "aria-"))
                or (etree.QName(attribute).namespace or "") in _EDITORS
                or (reference and not _SAFE_REFERENCE.match(value.strip()))
                or _OUTSIDE_URL.search(value)
            ):
                del element.attrib[attribute]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
