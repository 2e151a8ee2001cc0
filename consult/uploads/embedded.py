"""The members of a document that are not its own XML: pictures, SVG drawings, and documents inside it.

One rule for every such member, whatever its name or declared type says: it is cleaned by the cleaner of
what its bytes show it is. A picture loses its metadata (pictures.py), an SVG its scripts, metadata and
references (svg.py), a PDF what the PDF cleaner removes, and a Word, Excel or OpenDocument file inside the
document is cleaned like an attached one, with the same rule for its own members, down to MAX_DEPTH levels
and within the zip-bomb limit counted over all of them. Any other zip, and any file of another type where an
office application keeps the files it opens on a double-click (OOXML's embeddings/, ODF's attachments), make
the document Unclean: it is refused rather than served with something that was not looked at. What remains
(fonts, metafiles, printer settings) is not a document that opens, and stays as it is.
"""

from collections.abc import Callable

from consult.uploads import pictures, svg
from consult.uploads.errors import Unclean
from consult.uploads.pdf import clean_pdf

#: Cleans a Word, Excel or OpenDocument file found inside another one (see documents.py).
Nested = Callable[[bytes], bytes]

_ZIP = b"PK\x03\x04"


def clean_member(content: bytes, *, remove_names: bool, nested: Nested, opens: bool) -> bytes:
    """A member cleaned by what it really is; opens says whether it sits where an application keeps files
    that open on their own, where a member that cannot be cleaned makes the document Unclean."""
    if pictures.kind(content):
        return pictures.strip(content)
    if svg.is_svg(content):
        return svg.clean_svg(content)
    if content.startswith(b"%PDF-"):
        return clean_pdf(content, remove_names=remove_names)
    if content.startswith(_ZIP):
        return nested(content)
    if opens:
        raise Unclean("an embedded file of a type that cannot be cleaned")
    return content
