"""PDF files: no script, no action that opens, launches, submits or fetches, no embedded file; with the
names, no annotation but links, no form field, no thread or metadata that names a person."""

import io
import struct
import zlib
from urllib.parse import urlsplit

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from consult.uploads import pictures
from consult.uploads.errors import Unclean

#: Catalog entries that act when the file is opened, fill in a form, embed files or describe the author:
#: always removed. Forms stay without names only where names may stay, and never as XFA (its own scripts).
_CATALOG_ACTIVE = ("/OpenAction", "/AA", "/AF", "/Collection", "/Metadata", "/PieceInfo", "/SpiderInfo")
#: With the names: forms (each field has a name, and its value may be one) and article threads, whose
#: information dictionary has an author like the document's.
_CATALOG_NAMING = ("/AcroForm", "/Threads")
#: The catalog's entries in the PDF standard (2.0): with the names, any other (an application's private
#: key, where it may keep a user's name or a path) goes.
_CATALOG_STANDARD = {
    "/Type", "/Version", "/Extensions", "/Pages", "/PageLabels", "/Names", "/Dests", "/ViewerPreferences",
    "/PageLayout", "/PageMode", "/Outlines", "/Threads", "/OpenAction", "/AA", "/URI", "/AcroForm",
    "/Metadata", "/StructTreeRoot", "/MarkInfo", "/Lang", "/SpiderInfo", "/OutputIntents", "/PieceInfo",
    "/OCProperties", "/Perms", "/Legal", "/Requirements", "/Collection", "/NeedsRendering", "/DSS", "/AF",
    "/DPartRoot",
}  # fmt: skip
#: Name trees of scripts, embedded files and media played from elsewhere.
_NAME_TREES_ACTIVE = ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations", "/Renditions")
#: Entries of any dictionary that act, embed or describe: additional actions (on opening a page, entering a
#: field…), associated files and XMP metadata (an image's can name its photographer).
_ANYWHERE = ("/AA", "/AF", "/Metadata", "/PieceInfo")
#: Actions that only move within the document, or that a click sends to the web or an e-mail address.
_SAFE_ACTIONS = {"/GoTo", "/Named"}
_SAFE_SCHEMES = {"http", "https", "mailto"}
#: Annotations that play media, run rich content or carry a file: removed from every PDF.
_ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
#: What a kept link annotation may still say about who made it.
_ANNOTATION_NAMES = ("/T", "/Contents", "/RC", "/NM", "/M", "/CreationDate", "/Subj", "/Popup", "/IRT")


def clean_pdf(data: bytes, *, remove_names: bool) -> bytes:
    """The PDF without scripts, actions that fire by themselves, embedded files, XFA and metadata, and, with
    remove_names, without annotations other than links, form fields and threads; Unclean if pypdf fails."""
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.metadata = None
        _clean_catalog(writer.root_object, remove_names)
        for page in writer.pages:
            _clean_annotations(page, remove_names)
            if remove_names:
                page.pop(NameObject("/B"), None)  # the beads of removed threads
                page.pop(NameObject("/Thumb"), None)  # a picture of the page, with its annotations
        _clean_everything(writer.root_object, remove_names)
        # The file's identifier, kept by the author's application, would match other copies of it.
        writer._ID = None
        first = io.BytesIO()
        writer.write(first)
        # Cloning again copies only what the cleaned document still reaches: removed scripts, annotations and
        # files are not written as orphans.
        again = PdfWriter(clone_from=PdfReader(io.BytesIO(first.getvalue())))
        again.metadata = None
        again._ID = None
        output = io.BytesIO()
        again.write(output)
        return output.getvalue()
    except Unclean:
        raise
    except Exception as error:  # pypdf raises many kinds of error on damaged or hostile files
        raise Unclean("pypdf could not rewrite the PDF") from error


def _clean_catalog(catalog: DictionaryObject, remove_names: bool) -> None:
    for key in _CATALOG_ACTIVE + (_CATALOG_NAMING if remove_names else ()):
        catalog.pop(NameObject(key), None)
    if remove_names:
        for key in [key for key in catalog if key not in _CATALOG_STANDARD]:
            del catalog[key]
        layers = catalog.get("/OCProperties")
        layers = layers.get_object() if layers is not None else None
        if isinstance(layers, DictionaryObject):
            # Optional content configurations: who made one (/Creator) and what they called it (/Name).
            configurations = [layers.get("/D"), *(layers.get("/Configs") or [])]
            for configuration in [c.get_object() for c in configurations if c is not None]:
                if isinstance(configuration, DictionaryObject):
                    configuration.pop(NameObject("/Creator"), None)
                    configuration.pop(NameObject("/Name"), None)
    form = catalog.get("/AcroForm")
    if form is not None:
        form.get_object().pop(NameObject("/XFA"), None)
    names = catalog.get("/Names")
    if names is not None:
        for key in _NAME_TREES_ACTIVE:
            names.get_object().pop(NameObject(key), None)


def _clean_annotations(page: DictionaryObject, remove_names: bool) -> None:
    """Keep the annotations that may stay; empty the others in place, since the structure tree of a tagged
    PDF may still point at them."""
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject()
    for reference in annotations.get_object():
        annotation = reference.get_object()
        if not isinstance(annotation, DictionaryObject):
            continue
        subtype = annotation.get("/Subtype")
        if subtype in _ACTIVE_ANNOTATIONS or (remove_names and subtype != "/Link"):
            annotation.clear()
            continue
        action = annotation.get("/A")
        if action is not None and not _safe(action.get_object()):
            del annotation["/A"]
        if subtype == "/Link" and "/A" not in annotation and "/Dest" not in annotation:
            annotation.clear()  # a link that only launched, submitted or ran something: nothing to follow
            continue
        if remove_names:
            for key in _ANNOTATION_NAMES:
                annotation.pop(NameObject(key), None)
        kept.append(reference)
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page["/Annots"]


def _clean_everything(root: DictionaryObject, remove_names: bool) -> None:
    """Walk every object the document reaches: remove additional actions, associated files and XMP, and
    every action but a move within the document or a link to the web or an e-mail address; with the names,
    the application that made an optional content group (/CreatorInfo, which may name a user) and the titles
    and alternative text of the structure tree's elements (which Word fills from the pictures' alt text)."""
    seen: set[int] = set()
    waiting: list = [root]
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, StreamObject) and item.get("/Subtype") == "/Image":
            _strip_jpeg_stream(item)
        if isinstance(item, DictionaryObject):
            for key in _ANYWHERE:
                item.pop(NameObject(key), None)
            action = item.get("/A")
            if action is not None and not _safe(action.get_object()):
                del item["/A"]
            if item.get("/S") is not None:
                item.pop(NameObject("/Next"), None)  # an action's chain of further actions
            if remove_names:
                item.pop(NameObject("/CreatorInfo"), None)
                if item.get("/Type") == "/StructElem" or ("/S" in item and "/P" in item and "/K" in item):
                    item.pop(NameObject("/T"), None)
                    item.pop(NameObject("/Alt"), None)
            waiting.extend(item.values())
        elif isinstance(item, ArrayObject):
            waiting.extend(item)


def _strip_jpeg_stream(image: StreamObject) -> None:
    """An image stored as a JPEG file (DCTDecode) without its EXIF, XMP, IPTC and comments, as a JPEG
    attachment loses them; compressed again if it was (FlateDecode first), its other entries unchanged."""
    filters = image.get("/Filter")
    filters = [str(name) for name in filters] if isinstance(filters, ArrayObject) else [str(filters)]
    if "/DCTDecode" not in filters:
        return
    flated = filters[:-1]
    if (
        filters[-1] != "/DCTDecode"
        or any(name != "/FlateDecode" for name in flated)
        or (flated and image.get("/DecodeParms") is not None)
    ):
        raise Unclean("a JPEG image behind a filter that cannot be undone")
    try:
        data = image._data
        for _ in flated:
            data = zlib.decompress(data)
        if pictures.kind(data) != "jpeg":
            raise Unclean("a DCTDecode image that is not a JPEG file")
        data = pictures.strip_jpeg(data)
    except (zlib.error, IndexError, ValueError, struct.error) as error:
        raise Unclean("a JPEG image cannot be read") from error
    for _ in flated:
        data = zlib.compress(data)
    image._data = data
    image[NameObject("/Length")] = NumberObject(len(data))


def _safe(action: object) -> bool:
    """Whether an action only moves within the document, or sends a click to the web or an e-mail address."""
    if not isinstance(action, DictionaryObject):
        return False
    kind = action.get("/S")
    if kind in _SAFE_ACTIONS:
        return True
    if kind == "/URI":
        target = action.get("/URI")
        return target is not None and urlsplit(str(target).strip()).scheme.lower() in _SAFE_SCHEMES
    return False
