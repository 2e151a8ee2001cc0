"""Files built for the tests, each carrying what an upload must lose: authors, places, properties."""

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from flask import Flask
from PIL import ExifTags, Image, ImageCms
from pypdf import PdfWriter

from consult.uploads import attachments

AUTHOR = "Jane Defender"


COMPANY = "Defenders Network of Somewhere"


def _exif() -> Image.Exif:
    """EXIF with an author, a GPS position and the orientation of a phone held upright."""
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = AUTHOR
    exif[ExifTags.Base.Orientation] = 6  # turn 90° clockwise to show
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (46.0, 3.0, 1.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (14.0, 30.0, 2.5),
    }
    return exif


def _icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _png(size: tuple[int, int] = (40, 30)) -> bytes:
    """A picture with EXIF (author, GPS, orientation), an ICC profile and an author text chunk."""
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", AUTHOR)
    output = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(
        output, "PNG", exif=_exif(), icc_profile=_icc(), pnginfo=text
    )
    return output.getvalue()


def _pdf(*, password: str | None = None) -> bytes:
    """A one-page PDF whose /Info and XMP name the author."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": AUTHOR, "/Title": "Testimony", "/Creator": "Jane's laptop"})
    writer.xmp_metadata = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc>{AUTHOR}</dc></x:xmpmeta>'.encode()
    if password is not None:
        writer.encrypt(password, algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes], *, stored: tuple[str, ...] = ()) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return output.getvalue()


def _docx() -> bytes:
    """A Word file whose core properties, company and custom properties name the author."""
    document = docx.Document()
    document.add_paragraph("The text stays.")
    properties = document.core_properties
    properties.author = properties.last_modified_by = AUTHOR
    properties.comments, properties.title, properties.keywords = AUTHOR, "Testimony", AUTHOR
    properties.revision = 7
    output = io.BytesIO()
    document.save(output)
    members = _members(output.getvalue())
    app = members["docProps/app.xml"]
    members["docProps/app.xml"] = app.replace(
        b"</Properties>", f"<Company>{COMPANY}</Company></Properties>".encode()
    )
    members["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
        f"<vt:lpwstr>{AUTHOR}</vt:lpwstr></property></Properties>"
    ).encode()
    return _zip(members)


def _xlsx() -> bytes:
    """A workbook with a value and a formula, whose properties name the author."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "kept", "=1+1"
    workbook.properties.creator = workbook.properties.lastModifiedBy = AUTHOR
    workbook.properties.title, workbook.properties.description = "Testimony", AUTHOR
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Types>&lol3;</Types>'
)


def png_with_gps() -> bytes:
    """A small photo carrying an author and a GPS position in its EXIF."""
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x013B] = "Photographer Name"  # Artist
    exif[0x8825] = {1: "N", 2: (46.0, 3.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _store(app: Flask, name: str) -> attachments.StoredFile:
    return attachments.store(_pdf(), name, Path(app.config["UPLOAD_FOLDER"]))
