"""Attachments: every file is built here, checked by its content, stripped of metadata and stored safely."""

import io
import stat
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from PIL import ExifTags, Image
from pypdf import PdfReader

from consult.uploads import attachments
from consult.uploads.attachments import (
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    XLSX,
    AttachmentRefused,
    check,
    delete,
    detect_type,
    path_of,
    safe_filename,
    store,
    strip_metadata,
)
from tests.files import AUTHOR, BILLION_LAUGHS, COMPANY, _docx, _exif, _icc, _members, _pdf, _png, _xlsx, _zip

# --- Files built for the tests -----------------------------------------------------------------------------


def _jpeg() -> bytes:
    """A 40×30 photo with EXIF (author, GPS, orientation), XMP, an ICC profile and a comment."""
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(
        output,
        "JPEG",
        exif=_exif(),
        xmp=f"<x>{AUTHOR}</x>".encode(),
        icc_profile=_icc(),
        comment=AUTHOR.encode(),
    )
    return output.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, written by hand: all-zero rows compress to almost nothing."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = zlib.compress(bytes((width + 7) // 8 + 1) * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


ODT_META = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3"><office:meta>
<meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>{AUTHOR}</dc:creator>
<meta:printed-by>{AUTHOR}</meta:printed-by><dc:title>Testimony of {AUTHOR}</dc:title>
<dc:description>{AUTHOR}</dc:description><meta:keyword>{AUTHOR}</meta:keyword>
<meta:user-defined meta:name="Phone">{AUTHOR}</meta:user-defined>
<meta:creation-date>2025-03-01T10:00:00</meta:creation-date>
</office:meta></office:document-meta>"""


def _odt(mimetype: bytes = ODT.encode()) -> bytes:
    """An OpenDocument text, `mimetype` first and stored, whose meta.xml names the author."""
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    text = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    return _zip(
        {
            "mimetype": mimetype,
            "content.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {office} {text}>'
                "<office:body><office:text><text:p>The text stays.</text:p></office:text></office:body>"
                "</office:document-content>"
            ).encode(),
            "meta.xml": ODT_META.encode(),
            "META-INF/manifest.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="'
                + ODT
                + '"/></manifest:manifest>'
            ).encode(),
        },
        stored=("mimetype",),
    )


def _with_members(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """An office file with some members replaced or added; `mimetype` stays stored."""
    return _zip({**_members(data), **replaced}, stored=("mimetype",))


def _docx_like(members: dict[str, bytes]) -> bytes:
    """A zip that detect_type takes for a Word file, with whatever else a test needs."""
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>", **members})


def _docx_bomb(megabytes: int) -> bytes:
    """A Word-looking zip whose main part is megabytes of zeros, deflated in chunks: ~1 KB per MB."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return output.getvalue()


@pytest.fixture
def folder(tmp_path) -> Path:
    """Where files are stored; store() creates it."""
    return tmp_path / "attachments"


def _refused(data: bytes, name: str, folder: Path) -> str:
    """The refusal's message, after making sure that store() wrote nothing at all."""
    with pytest.raises(AttachmentRefused) as refusal:
        store(data, name, folder)
    assert not folder.exists() or not any(folder.iterdir())
    return refusal.value.message


# --- Accepted files lose their metadata --------------------------------------------------------------------


def _read_back(folder: Path, stored: attachments.StoredFile) -> bytes:
    data = path_of(stored.storage_name, folder).read_bytes()
    assert len(data) == stored.size_bytes
    assert attachments.hashlib.sha256(data).hexdigest() == stored.sha256
    return data


def test_a_jpeg_loses_exif_gps_xmp_icc_and_comment_but_stays_upright(folder):
    original = _jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    stored = store(original, "IMG_0001.JPG", folder)

    assert (stored.content_type, stored.filename) == (JPEG, "IMG_0001.JPG")
    data = _read_back(folder, stored)
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    assert AUTHOR.encode() not in data
    assert image.size == (30, 40)  # the orientation was applied, not dropped


def test_a_png_loses_exif_icc_and_text_chunks_and_keeps_transparency(folder):
    stored = store(_png(), "diagram.png", folder)

    data = _read_back(folder, stored)
    image = Image.open(io.BytesIO(data))
    assert stored.content_type == PNG
    assert dict(image.getexif()) == {}
    assert not {"exif", "icc_profile", "Author"} & set(image.info)
    assert AUTHOR.encode() not in data
    assert image.size == (30, 40)
    assert image.mode == "RGBA" and image.getpixel((0, 0)) == (0, 0, 255, 128)


def test_a_pdf_loses_its_info_and_xmp_metadata(folder):
    original = _pdf()
    assert PdfReader(io.BytesIO(original)).metadata["/Author"] == AUTHOR

    stored = store(original, "testimony.pdf", folder)

    data = _read_back(folder, stored)
    reader = PdfReader(io.BytesIO(data))
    assert stored.content_type == PDF
    assert not reader.metadata
    assert reader.xmp_metadata is None
    assert len(reader.pages) == 1
    assert AUTHOR.encode() not in data


def test_a_docx_loses_core_properties_company_and_custom_properties(folder):
    stored = store(_docx(), "testimony.docx", folder)

    data = _read_back(folder, stored)
    document = docx.Document(io.BytesIO(data))
    properties = document.core_properties
    assert stored.content_type == DOCX
    assert (
        properties.author == properties.last_modified_by == properties.comments == properties.keywords == ""
    )
    assert properties.title == "" and properties.revision == 1
    assert [paragraph.text for paragraph in document.paragraphs] == ["The text stays."]
    for name, content in _members(data).items():
        assert AUTHOR.encode() not in content, name
        assert COMPANY.encode() not in content, name


def test_an_xlsx_loses_its_properties_and_keeps_its_data(folder):
    stored = store(_xlsx(), "figures.xlsx", folder)

    data = _read_back(folder, stored)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert stored.content_type == XLSX
    assert not workbook.properties.creator and not workbook.properties.lastModifiedBy
    assert not workbook.properties.title and not workbook.properties.description
    assert (workbook.active["A1"].value, workbook.active["B1"].value) == ("kept", "=1+1")
    for name, content in _members(data).items():
        assert AUTHOR.encode() not in content, name


def test_an_odt_loses_the_people_in_meta_xml_and_keeps_mimetype_first_and_stored(folder):
    stored = store(_odt(), "testimony.odt", folder)

    data = _read_back(folder, stored)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        meta = archive.read("meta.xml")
        content = archive.read("content.xml")
    assert stored.content_type == ODT
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert AUTHOR.encode() not in meta
    assert b"creator" not in meta and b"user-defined" not in meta and b"printed-by" not in meta
    assert b"<meta:creation-date>2025-03-01T10:00:00</meta:creation-date>" in meta
    assert b"The text stays." in content
    assert detect_type(data) == ODT


def test_a_file_that_python_docx_cannot_open_is_still_cleaned_and_kept(folder):
    # A real Word file whose list of parts is of no namespace: python-docx cannot open it, so its core
    # properties are not stripped by the library; the package-level cleaner still empties them.
    original = _zip({**_members(_docx()), "[Content_Types].xml": b"<Types/>"})
    with pytest.raises(Exception):  # noqa: B017 - whatever python-docx raises on it
        docx.Document(io.BytesIO(original))

    stored = store(original, "odd.docx", folder)

    members = _members(_read_back(folder, stored))
    assert b"The text stays." in members["word/document.xml"]
    for name, content in members.items():
        assert AUTHOR.encode() not in content, name
        assert COMPANY.encode() not in content, name


def test_a_zip_that_only_looks_like_a_word_file_is_refused_rather_than_kept_uncleaned(folder):
    # No relationships lead to its text: no office application opens it, and nothing in it can be cleaned.
    original = _docx_like({"docProps/core.xml": f"<core>{AUTHOR}</core>".encode()})

    assert "could not be cleaned of the names and links inside it" in _refused(original, "odd.docx", folder)


def test_strip_metadata_refuses_bytes_of_another_type():
    with pytest.raises(ValueError):
        strip_metadata(b"MZ\x90\x00", PDF)


# --- Refused files leave nothing behind --------------------------------------------------------------------


def test_a_renamed_program_is_refused(folder):
    message = _refused(b"MZ\x90\x00\x03" + bytes(2000), "report.pdf", folder)

    assert "report.pdf" in message and "only PDF" in message


def test_an_svg_named_svg_is_refused_by_its_name_and_its_content(folder):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    assert "name of a program" in _refused(svg, "drawing.svg", folder)
    assert detect_type(svg) is None


@pytest.mark.parametrize("name", ["invoice.pdf.exe", "invoice.pdf.EXE ", "invoice.pdf.scr.", "\u202efdp.exe"])
def test_a_name_that_hides_a_program_is_refused_even_over_a_real_pdf(folder, name):
    message = _refused(_pdf(), name, folder)

    assert "name of a program" in message
    assert "\u202e" not in message


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "a.docx"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "drawing.png"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "drawing"),
        (_zip({"notes.txt": b"hello"}), "x.docx"),
        (_docx_like({"xl/workbook.xml": b"<workbook/>"}), "both.docx"),
        (_odt(b"application/vnd.oasis.opendocument.spreadsheet"), "sheet.odt"),
        (b"%!PS-Adobe-3.0\n", "print.pdf"),
    ],
    ids=["html", "svg-as-png", "svg", "plain-zip", "docx-and-xlsx", "ods-as-odt", "postscript"],
)
def test_a_type_that_is_not_allowed_is_refused_whatever_its_name(folder, data, name):
    message = _refused(data, name, folder)

    assert "only PDF, Word (.docx), OpenDocument text (.odt), Excel (.xlsx), PNG and JPEG" in message


def test_a_zip_bomb_disguised_as_docx_is_refused_without_being_unpacked(folder, monkeypatch):
    bomb = _docx_bomb(200)
    assert len(bomb) < 1024 * 1024

    def unpack(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", unpack)
    message = _refused(bomb, "report.docx", folder)

    assert "unpacks to too much data" in message


def test_a_member_that_inflates_more_than_a_hundredfold_is_refused(folder):
    # 20 MB is under the total limit: only the ratio, about 1000:1, refuses it.
    message = _refused(_docx_bomb(20), "report.docx", folder)

    assert "unpacks to too much data" in message


@pytest.mark.parametrize(
    "members",
    [
        {"../../etc/cron.d/job": b"x"},
        {"word/../../evil.xml": b"<x/>"},
        {"/etc/passwd": b"x"},
        {"C:/Windows/evil.xml": b"<x/>"},
        {f"word/media/{number}.xml": b"<x/>" for number in range(2001)},
    ],
    ids=["dot-dot", "dot-dot-inside", "absolute", "drive", "too-many-members"],
)
def test_a_zip_with_members_outside_its_folder_or_too_many_is_refused(folder, members):
    message = _refused(_docx_like(members), "report.docx", folder)

    assert "could not be read safely" in message


@pytest.mark.parametrize(
    "replaced",
    [{"[Content_Types].xml": BILLION_LAUGHS}, {"word/document.xml": BILLION_LAUGHS.replace(b"Types", b"w")}],
    ids=["content-types", "main-part"],
)
def test_a_docx_with_an_xml_entity_bomb_is_refused(folder, replaced):
    bomb = _with_members(_docx(), replaced)

    message = _refused(bomb, "laughs.docx", folder)

    assert "could not be read safely" in message
    with pytest.raises(AttachmentRefused) as refusal:
        check(bomb, "laughs.docx")
    assert isinstance(refusal.value.__cause__, EntitiesForbidden)


def test_a_zip_with_two_members_of_the_same_name_is_refused(folder):
    # Two readers may pick different ones: the checked part need not be the part that is opened.
    output = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(output, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is told to write
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<document>checked</document>")
        archive.writestr("word/document.xml", b"<document>opened</document>")

    assert "could not be read safely" in _refused(output.getvalue(), "twice.docx", folder)


def test_an_xml_bomb_in_an_odt_is_refused(folder):
    bomb = _with_members(_odt(), {"meta.xml": BILLION_LAUGHS})

    assert "could not be read safely" in _refused(bomb, "laughs.odt", folder)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (_with_members(_docx(), {"word/vbaProject.bin": b"macro"}), "macro.docx"),
        (_with_members(_docx(), {"word/activeX/activeX1.xml": b"<ax/>"}), "activex.docx"),
        (_with_members(_xlsx(), {"xl/embeddings/oleObject1.bin": b"program"}), "ole.xlsx"),
        (_with_members(_odt(), {"Basic/Standard/Module1.xml": b"<script/>"}), "basic.odt"),
    ],
    ids=["vba", "activex", "ole-object", "odf-basic"],
)
def test_office_files_with_macros_or_embedded_programs_are_refused(folder, data, name):
    message = _refused(data, name, folder)

    assert "macros or embedded programs" in message


def test_an_encrypted_pdf_is_refused(folder):
    assert "protected by a password" in _refused(_pdf(password="secret"), "locked.pdf", folder)


def test_a_pdf_with_an_empty_password_is_refused_too(folder):
    assert "protected by a password" in _refused(_pdf(password=""), "locked.pdf", folder)


def test_a_pdf_that_pypdf_cannot_open_is_refused(folder):
    assert "could not be opened as a PDF" in _refused(b"%PDF-1.7\nnot really a pdf", "broken.pdf", folder)


def test_a_file_over_10_mb_is_refused_before_its_type_is_read(folder):
    too_large = b"\x89PNG\r\n\x1a\n" + bytes(11 * 1024 * 1024)

    assert _refused(too_large, "big.png", folder) == "big.png is larger than 10 MB."
    assert _refused(b"MZ" + bytes(11 * 1024 * 1024), "big.exe", folder) == "big.exe is larger than 10 MB."


def test_exactly_10_mb_is_not_refused_for_its_size():
    with pytest.raises(AttachmentRefused) as refusal:
        check(b"\x89PNG\r\n\x1a\n" + bytes(attachments.MAX_BYTES - 8), "limit.png")

    assert "10 MB" not in refusal.value.message


def test_an_empty_file_is_refused(folder):
    assert _refused(b"", "nothing.pdf", folder) == "nothing.pdf is empty."


def test_a_decompression_bomb_png_is_refused(folder):
    bomb = _png_header_only(10_000, 10_000)  # 100 megapixels in about 15 KB
    assert len(bomb) < 100_000

    assert "more than 50 megapixels" in _refused(bomb, "bomb.png", folder)


def test_a_png_over_50_megapixels_is_refused_below_pillows_own_limit(folder):
    assert "more than 50 megapixels" in _refused(_png_header_only(8_000, 7_500), "large.png", folder)


def test_a_png_just_under_50_megapixels_is_accepted():
    assert check(_png_header_only(8_000, 6_000), "fine.png") == PNG


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"not a png", b"\xff\xd8\xff\xe0" + b"not a jpeg", _jpeg()[:200]],
    ids=["png", "jpeg", "truncated-jpeg"],
)
def test_a_damaged_picture_is_refused(folder, data):
    assert "could not be opened as a picture" in _refused(data, "photo.jpg", folder)


# --- Types are read from the content -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_pdf(), PDF),
        (_png(), PNG),
        (_jpeg(), JPEG),
        (_docx(), DOCX),
        (_xlsx(), XLSX),
        (_odt(), ODT),
        (_zip({"notes.txt": b"hello"}), None),
        (b"MZ\x90\x00", None),
        (b"PK\x03\x04 not a zip at all", None),
        (b"", None),
    ],
)
def test_detect_type_reads_the_content(data, expected):
    assert detect_type(data) == expected


# --- File names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("/var/www/../uploads/report.pdf", "report.pdf"),
        ("re\x00po\x07rt\x1b\x7f\x80\x9f.pdf", "report.pdf"),
        ("\u202egnp.exe", "gnp.exe"),
        ("a\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069b.pdf", "ab.pdf"),
        ("zero\u200b\u200c\u200d\u2060\ufeffwidth.pdf", "zerowidth.pdf"),
        ("تقرير.pdf", "تقرير.pdf"),
        ("报告.pdf", "报告.pdf"),
        ("Доклад о правах.docx", "Доклад о правах.docx"),
        ("Cafe\u0301.pdf", "Caf\u00e9.pdf"),
        ("  my   annual\treport\n.pdf  ", "my annual report .pdf"),
        ("..", "attachment"),
        ("", "attachment"),
        ("\x00\u202e\u200b", "attachment"),
        (".hidden.pdf", "hidden.pdf"),
        ("report.pdf. . ", "report.pdf"),
        ("bad\ud800surrogate.pdf", "badsurrogate.pdf"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_a_long_name_is_cut_to_150_characters_keeping_its_extension():
    assert safe_filename("x" * 300 + ".pdf") == "x" * 146 + ".pdf"
    assert safe_filename("ت" * 300 + ".docx") == "ت" * 145 + ".docx"
    assert safe_filename("y" * 300) == "y" * 150


def test_a_long_name_is_never_cut_between_a_letter_and_its_accent():
    name = safe_filename("x" * 145 + "a\u0301\u0302" * 3 + ".pdf")  # no composed form: the marks stay apart

    assert len(name) <= 150 and name.endswith("x.pdf")


@pytest.mark.parametrize(
    ("make", "declared", "expected"),
    [
        (_png, "photo.pdf", "photo.png"),
        (_png, "photo.PNG", "photo.PNG"),
        (_jpeg, "photo.jpeg", "photo.jpeg"),
        (_jpeg, "photo.png", "photo.jpg"),
        (_pdf, "scan", "scan.pdf"),
        (_pdf, "report v2.1", "report v2.1.pdf"),
        (_docx, "notes.doc", "notes.docx"),
        (_pdf, "../../.pdf", "pdf.pdf"),
        (_pdf, "x" * 300 + ".txt", "x" * 146 + ".pdf"),
    ],
)
def test_the_stored_name_has_the_extension_of_the_content(folder, make, declared, expected):
    assert store(make(), declared, folder).filename == expected


def test_the_message_names_the_file_by_its_safe_name():
    with pytest.raises(AttachmentRefused) as refusal:
        check(b"", "../../\u202esecret\x00.pdf")

    assert refusal.value.message == "secret.pdf is empty."


# --- Storage -----------------------------------------------------------------------------------------------


def test_stored_files_have_random_private_names_in_a_private_folder(folder):
    first = store(_pdf(), "report.pdf", folder)
    second = store(_pdf(), "report.pdf", folder)

    assert first.storage_name != second.storage_name
    for stored in (first, second):
        assert len(stored.storage_name) == 32 and int(stored.storage_name, 16) >= 0
        assert "report" not in stored.storage_name
        assert stat.S_IMODE(path_of(stored.storage_name, folder).stat().st_mode) == 0o600
    assert sorted(path.name for path in folder.iterdir()) == sorted([first.storage_name, second.storage_name])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "name",
    ["../x", "A" * 32, "a" * 31, "a" * 33, "g" * 32, "a" * 31 + "/", "a" * 32 + "\n", "../" + "a" * 29, ""],
)
def test_path_of_refuses_names_that_store_could_not_have_made(folder, name):
    with pytest.raises(ValueError):
        path_of(name, folder)
    with pytest.raises(ValueError):
        delete(name, folder)


def test_path_of_and_delete(folder):
    stored = store(_png(), "photo.png", folder)
    path = path_of(stored.storage_name, folder)
    assert path == folder / stored.storage_name and path.exists()

    delete(stored.storage_name, folder)
    delete(stored.storage_name, folder)  # already gone: not an error

    assert not path.exists()


def test_the_limits_are_exposed():
    assert attachments.MAX_BYTES == 10 * 1024 * 1024
    assert attachments.MAX_FILES == 5
    assert set(attachments.ALLOWED) == {PDF, DOCX, ODT, XLSX, PNG, JPEG}
