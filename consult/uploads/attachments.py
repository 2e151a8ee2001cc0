"""Uploaded files (a comment's attachments, a round's documents, an imported workbook): checked by
content, stripped of metadata, cleaned of the names inside documents and of what acts when they are opened
(the cleaners beside this module), stored under random names.

Some people who comment are human-rights defenders at risk, so an author's name in a document's properties,
a reviewer's in its tracked changes, or the GPS position in a photo must not reach the public. Cleaning
happens once, here, when a file is stored: the stored copy is the only one, and the one everybody
downloads. Everything here is pure: the caller stores the returned StoredFile in the Attachment model and
enforces MAX_FILES.
"""

import hashlib
import io
import logging
import os
import re
import secrets
import unicodedata
import xml.sax
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import defusedxml.sax
import docx
from flask_babel import gettext as _
from lxml import etree
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter

from consult import uploads
from consult.errors import DomainError
from consult.uploads.packages import (  # noqa: F401 - the limits are part of this module's interface
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_GRACE_BYTES,
)
from consult.uploads.packages import too_much as _too_much

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"

#: Content type → the extension a stored file's name gets.
ALLOWED = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt", XLSX: ".xlsx", PNG: ".png", JPEG: ".jpg"}
#: Every spelling of an extension that already says the truth, so "photo.jpeg" keeps its name.
_SPELLINGS = {**{kind: (extension,) for kind, extension in ALLOWED.items()}, JPEG: (".jpg", ".jpeg", ".jpe")}

MAX_PIXELS = 50_000_000
NAME_LENGTH = 150

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"
#: What Pillow calls each image type; phones save many JPEGs as MPO (a JPEG with a second picture).
_PILLOW_FORMATS = {PNG: {"PNG"}, JPEG: {"JPEG", "MPO"}}
#: Parts an office file cannot be read without, besides the main part that detect_type looked for.
_REQUIRED_PARTS = {DOCX: "[Content_Types].xml", XLSX: "[Content_Types].xml", ODT: "content.xml"}
#: Macros, ActiveX controls and OLE objects run code when opened; no comment needs them.
_ACTIVE_PART = re.compile(
    r"(^|/)vbaProject\.bin$|(^|/)activeX/|/embeddings/[^/]*\.bin$|^(Basic|Scripts)/", re.I
)
#: Final extensions that make a file run when it is opened, whatever its content says.
_PROGRAM_WORDS = (
    "exe com scr pif bat cmd msi msp mst msc dll cpl ocx sys drv jar js jse vbs vbe vb wsf wsh ws wsc sct "
    "ps1 psm1 psd1 ps1xml hta lnk url scf reg inf chm hlp gadget application appref-ms settingcontent-ms "
    "library-ms sh bash zsh csh ksh command run bin out elf appimage app apk ipa dmg pkg mpkg deb rpm iso "
    "img vhd vhdx xll xlam docm dotm xlsm xltm pptm potm ppam sldm svg svgz htm html xhtml shtml mht mhtml "
    "py pyc pyw pl rb php"
)
_PROGRAM_EXTENSIONS = frozenset(_PROGRAM_WORDS.split())
#: An extension worth replacing when it lies: up to four ASCII letters or digits, at least one a letter.
_EXTENSION = re.compile(r"\.(?=[A-Za-z0-9]{0,3}[A-Za-z])[A-Za-z0-9]{1,4}$")
_STORAGE_NAME = re.compile(r"[0-9a-f]{32}")
_LINE_BREAKS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")

_ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
#: What identifies a person, or their computer, in an ODT's meta.xml.
_ODT_META_TAGS = {
    f"{{{_ODF_META}}}{tag}"
    for tag in ("initial-creator", "printed-by", "keyword", "user-defined", "template", "generator")
} | {f"{{{_DC}}}{tag}" for tag in ("creator", "title", "description", "subject")}
_EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
#: The organisation and the manager in docProps/app.xml name the author's employer as well as a name would.
_APP_TAGS = {f"{{{_EXTENDED_PROPERTIES}}}{tag}" for tag in ("Company", "Manager", "HyperlinkBase")}
_DOCX_TEXT_PROPERTIES = (
    "author",
    "category",
    "comments",
    "content_status",
    "identifier",
    "keywords",
    "language",
    "last_modified_by",
    "subject",
    "title",
    "version",
)
_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
#: What names a person, or their work, in docProps/core.xml.
_XLSX_CORE_TAGS = {
    f"{{{_DC}}}{tag}" for tag in ("creator", "title", "description", "subject", "identifier", "language")
} | {
    f"{{{_CORE_PROPERTIES}}}{tag}"
    for tag in ("lastModifiedBy", "keywords", "category", "contentStatus", "version")
}


class AttachmentRefused(DomainError):
    """A file that cannot be attached; the message says why, in the person's language."""


@dataclass(frozen=True)
class StoredFile:
    """What the Attachment model keeps of a stored file."""

    storage_name: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str


def safe_filename(name: str) -> str:
    """The name without folders, control, bidi or zero-width characters, fit to show and to download."""
    # Tabs and line breaks separate words, so they become spaces; every other control (Cc), format
    # character (Cf: bidi controls, zero-width characters) and lone surrogate (Cs) goes.
    kept = "".join(
        " " if char in _LINE_BREAKS else char
        for char in unicodedata.normalize("NFC", name)
        if char in _LINE_BREAKS or unicodedata.category(char) not in ("Cc", "Cf", "Cs")
    )
    # Both separators, whatever the uploader's system: only the last part is a file name.
    base = re.split(r"[\\/]", kept)[-1]
    # Leading dots hide files on Unix; Windows drops trailing dots and spaces, which may reveal an extension.
    cleaned = unicodedata.normalize("NFC", " ".join(base.split())).strip(" .")
    return _shorten(cleaned, NAME_LENGTH) or "attachment"


def _split_extension(name: str) -> tuple[str, str]:
    """The name's stem and its extension, if it has one that looks like an extension."""
    match = _EXTENSION.search(name)
    if match is None or match.start() == 0:
        return name, ""
    return name[: match.start()], match.group()


def _shorten(name: str, limit: int) -> str:
    """The name cut to limit characters, keeping its extension and never parting a letter from its accent."""
    if len(name) <= limit:
        return name
    stem, extension = _split_extension(name)
    cut = limit - len(extension)
    while cut > 0 and unicodedata.category(stem[cut]) in ("Mn", "Mc", "Me"):
        cut -= 1
    return stem[:cut].rstrip(" .") + extension


def _display_name(declared_name: str, content_type: str) -> str:
    """The safe name with the extension of what the file really is."""
    name = safe_filename(declared_name)
    stem, extension = _split_extension(name)
    if extension.lower() in _SPELLINGS[content_type]:
        return name
    return _shorten((stem.rstrip(" .") or "attachment") + ALLOWED[content_type], NAME_LENGTH)


def detect_type(data: bytes) -> str | None:
    """The allowed content type that the bytes themselves show, or None; the name is never consulted."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_ZIP_SIGNATURE):
        return _detect_office(data)
    return None


def _detect_office(data: bytes) -> str | None:
    """DOCX, XLSX or ODT by the parts the zip holds; None for any other zip, or one that claims two types."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            found = {
                kind
                for kind, part in ((DOCX, "word/document.xml"), (XLSX, "xl/workbook.xml"))
                if part in names
            }
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                # Read only a member small enough to be a type name: detect_type may run before check().
                if info.file_size <= 100 and archive.read(info) == ODT.encode("ascii"):
                    found.add(ODT)
    except Exception:  # zipfile raises many kinds of error on hostile input; each means "not an office file"
        return None
    return found.pop() if len(found) == 1 else None


def check(data: bytes, declared_name: str) -> str:
    """The content type of an acceptable file; AttachmentRefused, with a message for the person, otherwise."""
    name = safe_filename(declared_name)
    if not data:
        raise AttachmentRefused(_("%(name)s is empty.", name=name))
    if len(data) > MAX_BYTES:
        raise AttachmentRefused(_("%(name)s is larger than 10 MB.", name=name))
    if "." in name and name.rsplit(".", 1)[1].lower() in _PROGRAM_EXTENSIONS:
        raise AttachmentRefused(
            _("%(name)s has the name of a program. Only documents and pictures can be attached.", name=name)
        )
    if data.startswith(_ZIP_SIGNATURE):
        _check_zip(data, name)  # before detect_type reads any member
    content_type = detect_type(data)
    if content_type is None:
        raise AttachmentRefused(
            _(
                "%(name)s cannot be attached: only PDF, Word (.docx), OpenDocument text (.odt), "
                "Excel (.xlsx), PNG and JPEG files are accepted.",
                name=name,
            )
        )
    if content_type == PDF:
        _check_pdf(data, name)
    elif content_type in (PNG, JPEG):
        _check_image(data, name, content_type)
    else:
        _check_office(data, name, content_type)
    return content_type


def _unsafe(name: str) -> AttachmentRefused:
    """The refusal of a file built in a way that only an attack needs."""
    return AttachmentRefused(
        _("%(name)s could not be read safely. Save it again, or send it as PDF.", name=name)
    )


def _check_zip(data: bytes, name: str) -> None:
    """Refuse zip bombs and members that would land outside a folder, from the central directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # a damaged zip is refused, whatever zipfile calls the damage
        raise _unsafe(name) from error
    names = [member.filename for member in members]
    if len(members) > MAX_MEMBERS or len(set(names)) != len(names):
        raise _unsafe(name)
    if any(_escapes(member.filename) or member.flag_bits & 0x1 for member in members):  # bit 0: encrypted
        raise _unsafe(name)
    if _too_much(members, MAX_UNPACKED_BYTES):
        raise AttachmentRefused(
            _(
                "%(name)s unpacks to too much data to be accepted. Save it again, or send it as PDF.",
                name=name,
            )
        )


def unpacks_too_much(source: bytes | Path, limit: int | None = MAX_UNPACKED_BYTES) -> bool:
    """Whether a zip (an office file) is a zip bomb, told from its central directory before anything is
    unpacked: more than limit bytes in all (None: no total), or a member that inflates more than MAX_RATIO
    times. A zip that cannot be read is not judged here: whoever opens it refuses it. The plan's importers
    and a round's documents ask this before they open an office file."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            members = archive.infolist()
    except Exception:  # zipfile raises many kinds of error on damaged input; the reader reports it
        return False
    return _too_much(members, limit)


def _escapes(member_name: str) -> bool:
    """Whether a member's path is absolute or climbs out of the folder it would be unpacked to."""
    parts = member_name.replace("\\", "/").split("/")
    return member_name.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:", member_name)) or ".." in parts


def _check_office(data: bytes, name: str, content_type: str) -> None:
    """Refuse office files with macros or embedded programs, and any XML part that declares entities."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if any(_ACTIVE_PART.search(member) for member in names):
                raise AttachmentRefused(
                    _(
                        "%(name)s contains macros or embedded programs. "
                        "Save it again without them, or send it as PDF.",
                        name=name,
                    )
                )
            if _REQUIRED_PARTS[content_type] not in names:
                raise _unsafe(name)
            # Every XML part, not only [Content_Types].xml and the main part: whoever opens the file later
            # parses them all. SAX streams, so even 100 MB of XML takes little memory.
            for info in archive.infolist():
                if info.filename.lower().endswith((".xml", ".rels", ".rdf")):
                    with archive.open(info) as stream:
                        defusedxml.sax.parse(stream, xml.sax.ContentHandler())
    except AttachmentRefused:
        raise
    except Exception as error:
        # defusedxml's refusals (DefusedXmlException), malformed XML, and the many errors that zipfile and
        # its decompressors (zlib, bz2, lzma) raise on damaged or hostile members.
        raise _unsafe(name) from error


def _check_pdf(data: bytes, name: str) -> None:
    """Refuse a PDF that pypdf cannot open, or one protected by a password."""
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if not encrypted:
            len(reader.pages)  # reads the page tree, where most damage shows
    except Exception as error:  # pypdf raises many kinds of error on damaged or hostile files
        raise AttachmentRefused(
            _("%(name)s could not be opened as a PDF; it may be damaged.", name=name)
        ) from error
    if encrypted:
        raise AttachmentRefused(
            _("%(name)s is protected by a password. Remove the protection and attach it again.", name=name)
        )


def _check_image(data: bytes, name: str, content_type: str) -> None:
    """Refuse a picture that Pillow cannot verify and decode, or one with more than MAX_PIXELS pixels."""
    too_large = AttachmentRefused(
        _("%(name)s has more than 50 megapixels. Make the picture smaller and attach it again.", name=name)
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:  # from the header, before a single pixel is decoded
                raise too_large
            if image.format not in _PILLOW_FORMATS[content_type]:
                raise ValueError(f"{image.format} is not {content_type}")
            image.verify()
        # verify() leaves the image unusable, and checks little of a JPEG: decoding it all also means that
        # strip_metadata() will not fail, and fall back to the original, on this picture.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except AttachmentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own limit is above MAX_PIXELS; it warns (an error where warnings are errors) or raises.
        raise too_large from error
    except Exception as error:  # Pillow's decoders raise many kinds of error on damaged or hostile files
        raise AttachmentRefused(
            _("%(name)s could not be opened as a picture; it may be damaged.", name=name)
        ) from error


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The file without the metadata that could identify its author; data must have passed check()."""
    if detect_type(data) != content_type:
        raise ValueError(f"strip_metadata() needs a file that check() accepted as {content_type}")
    try:
        stripped = _STRIPPERS[content_type](data)
        if detect_type(stripped) != content_type:
            raise ValueError(f"stripping {content_type} gave a file of another type")
        return stripped
    except Exception as error:
        # The original passed check(), so it is a file of an allowed type and safe to serve: keeping it with
        # its metadata is better than losing the person's comment. Logged without the name, which may
        # identify the person.
        logger.warning("Could not strip the metadata of a %s attachment: %r", content_type, error)
        return data


def _strip_image(data: bytes) -> bytes:
    """The picture re-encoded upright, without EXIF (and so without GPS), XMP, ICC profile or text chunks."""
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        upright = ImageOps.exif_transpose(image)  # a new image: the orientation tag is applied, not kept
    transparency = upright.info.get("transparency")
    # Pillow writes some of info back (the ICC profile, a JPEG comment), so the new image keeps none of it.
    upright.info = {}
    output = io.BytesIO()
    if kind == "PNG":
        upright.save(output, format="PNG", **({} if transparency is None else {"transparency": transparency}))
    else:
        if upright.mode not in ("L", "RGB", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(output, format="JPEG", quality=90)
    return output.getvalue()


def _strip_pdf(data: bytes) -> bytes:
    """The PDF rewritten without its /Info dictionary and XMP metadata, of the document and of each page."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # Cloning copies only what the document reaches, so metadata of earlier incremental saves is gone too.
    writer.metadata = None
    writer.xmp_metadata = None
    for holder in (writer.root_object, *writer.pages):
        for key in ("/Metadata", "/PieceInfo"):
            if key in holder:
                del holder[key]
    # The metadata streams are unreferenced now, but pypdf would still write them.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _strip_docx(data: bytes) -> bytes:
    """The Word file with blank core properties, and no company, manager or custom properties."""
    document = docx.Document(io.BytesIO(data))
    properties = document.core_properties
    for field in _DOCX_TEXT_PROPERTIES:
        setattr(properties, field, "")
    properties.revision = 1  # the number of saves tells something about how the file was made
    output = io.BytesIO()
    document.save(output)
    return _rewrite_zip(output.getvalue(), _OOXML_EXTENDED_EDITS)


def _strip_xlsx(data: bytes) -> bytes:
    """The workbook without the properties that name people, and no custom properties; formulas, the values
    they last gave, pictures and charts are kept, since the parts are edited and not rewritten by openpyxl
    (which writes every formula without its last value)."""
    core = {"docProps/core.xml": _emptied_core_properties}
    return _rewrite_zip(data, {**_OOXML_EXTENDED_EDITS, **core})


def _emptied_core_properties(part: bytes) -> bytes:
    """docProps/core.xml with the properties that name people emptied: readers such as openpyxl fill in a
    name of their own where the element is missing."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(part, parser)
    for element in [element for element in root.iter() if element.tag in _XLSX_CORE_TAGS]:
        element.text = ""
        for child in list(element):
            element.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _strip_odt(data: bytes) -> bytes:
    """The ODT with the elements of meta.xml that name people removed."""
    return _rewrite_zip(data, {"meta.xml": lambda part: _without_elements(part, _ODT_META_TAGS)})


def _without_elements(part: bytes, tags: set[str]) -> bytes:
    """The XML part without the elements of the given tags ("{namespace}name"); prefixes are kept."""
    # check() has parsed this part with defusedxml; lxml is told not to resolve entities or fetch anything.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(part, parser)
    for element in [element for element in root.iter() if element.tag in tags]:
        element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _without_custom_properties(part: bytes) -> bytes:
    """docProps/custom.xml with no property left, which its schema allows."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(part, parser)
    for child in list(root):
        root.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


_OOXML_EXTENDED_EDITS: Mapping[str, Callable[[bytes], bytes]] = {
    "docProps/app.xml": lambda part: _without_elements(part, _APP_TAGS),
    "docProps/custom.xml": _without_custom_properties,
}


def _rewrite_zip(data: bytes, edits: Mapping[str, Callable[[bytes], bytes]]) -> bytes:
    """The zip with some members rewritten; every member keeps its place, so ODT's `mimetype` stays first."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in edits:
                content = edits[info.filename](content)
            # A fresh entry, dated 1980-01-01: a member's time is the author's local time, which hints at
            # where they are. The compression is kept, so `mimetype` stays STORED as ODF requires.
            entry = zipfile.ZipInfo(info.filename)
            entry.compress_type = (
                zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
            )
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return output.getvalue()


_STRIPPERS: Mapping[str, Callable[[bytes], bytes]] = {
    PDF: _strip_pdf,
    DOCX: _strip_docx,
    ODT: _strip_odt,
    XLSX: _strip_xlsx,
    PNG: _strip_image,
    JPEG: _strip_image,
}


#: The cleaner of each type of document (consult.uploads); pictures have nothing more than metadata to lose.
_CLEANERS: Mapping[str, Callable[..., bytes]] = {
    PDF: uploads.clean_pdf,
    DOCX: uploads.clean_ooxml,
    XLSX: uploads.clean_ooxml,
    ODT: uploads.clean_odf,
}


def clean(data: bytes, content_type: str, declared_name: str, *, remove_names: bool = True) -> bytes:
    """The file without what acts or fetches when opened, and with remove_names without the names inside
    it (tracked changes, comments, notes, annotations); AttachmentRefused for macros, or for a file that
    cannot be cleaned: unlike metadata, what is inside a document is never kept for want of cleaning."""
    cleaner = _CLEANERS.get(content_type)
    if cleaner is None:
        return data
    name = safe_filename(declared_name)
    unclean = AttachmentRefused(
        _(
            "%(name)s could not be cleaned of the names and links inside it. "
            "Save it again, or send it as PDF.",
            name=name,
        )
    )
    try:
        cleaned = cleaner(data, remove_names=remove_names)
    except uploads.ActiveContent as error:
        raise AttachmentRefused(
            _(
                "%(name)s contains macros or embedded programs. "
                "Save it again without them, or send it as PDF.",
                name=name,
            )
        ) from error
    except uploads.Unclean as error:
        # Logged without the name, which may identify the person.
        logger.warning("Could not clean a %s attachment: %r", content_type, error)
        raise unclean from error
    if detect_type(cleaned) != content_type:
        raise unclean
    return cleaned


def store(data: bytes, declared_name: str, folder: Path, *, remove_names: bool = True) -> StoredFile:
    """Check, strip, clean and write a file under a random name in folder; AttachmentRefused writes nothing.
    remove_names=False keeps the names inside a document (its tracked changes, comments, annotations) for a
    named comment where the deployment allows it; metadata and active content go whatever it says."""
    content_type = check(data, declared_name)
    stored = clean(strip_metadata(data, content_type), content_type, declared_name, remove_names=remove_names)
    return _write(stored, _display_name(declared_name, content_type), content_type, folder)


def clean_stored(
    storage_name: str, filename: str, content_type: str, folder: Path, *, remove_names: bool = True
) -> StoredFile:
    """A stored file cleaned again, written under a new name: its comment has become anonymous or
    confidential, or it was stored before today's cleaners. The caller deletes the old file once the change
    is committed; AttachmentRefused if it cannot be cleaned."""
    data = path_of(storage_name, folder).read_bytes()
    cleaned = clean(data, content_type, filename, remove_names=remove_names)
    return _write(cleaned, filename, content_type, folder)


def _write(stored: bytes, filename: str, content_type: str, folder: Path) -> StoredFile:
    """Write the bytes under a random name in folder."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    storage_name = secrets.token_hex(16)
    path = path_of(storage_name, folder)
    # O_EXCL: never overwrite a file; O_NOFOLLOW: never write through a link someone placed there.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(stored)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredFile(
        storage_name=storage_name,
        filename=filename,
        content_type=content_type,
        size_bytes=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(),
    )


def path_of(storage_name: str, folder: Path) -> Path:
    """The path of a stored file; ValueError for any name that store() could not have made."""
    if not isinstance(storage_name, str) or not _STORAGE_NAME.fullmatch(storage_name):
        raise ValueError("a storage name is 32 lowercase hexadecimal characters")
    return folder / storage_name


def delete(storage_name: str, folder: Path) -> None:
    """Remove a stored file; removing one that is already gone is not an error."""
    path_of(storage_name, folder).unlink(missing_ok=True)
