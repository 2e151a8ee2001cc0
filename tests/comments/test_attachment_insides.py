"""What documents carry inside them besides their text: pictures with their photographer's EXIF, documents
inside documents, SVG drawings that run or fetch, formulas' last values, and Word's hidden building blocks.
Each file is made by the library that writes its format; each goes through the comment form, a moderator
and a download signed out, or through the kernel where only the kernel's rule is at stake."""

import io
import re

import docx
import openpyxl
import pytest
from docx.shared import Inches
from fpdf import FPDF
from lxml import etree
from odf import draw
from odf import text as odftext
from odf.opendocument import OpenDocumentText
from openpyxl.drawing.image import Image as SheetImage
from PIL import ExifTags, Image
from pypdf import PdfReader

from consult.uploads import pictures, svg
from consult.uploads.attachments import AttachmentRefused, store
from consult.uploads.errors import Unclean
from tests.comments.documents import (
    DESCRIBED,
    HOLDER,
    NAMES,
    PHOTOGRAPHER,
    TRACKER,
    _add_overrides,
    _add_relationships,
    _assert_names_nobody_and_fetches_nothing,
    _assert_pdf_names_nobody_and_does_nothing,
    _members,
    _published_anonymously,
    _zip,
    annotated_pdf,
    described_png,
    reviewed_docx,
)

CAMERA_SERIAL, COMMENT = "ZQX-SN12345", "JPEGCOMMENT"
TRACES = (PHOTOGRAPHER, HOLDER, DESCRIBED, CAMERA_SERIAL, COMMENT, "ZQXTool", "GPS")
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def photo_jpeg(orientation: int = 1) -> bytes:
    """A JPEG as a phone writes it: EXIF with the artist, copyright, camera serial and a GPS position, XMP,
    and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = PHOTOGRAPHER
    exif[ExifTags.Base.Copyright] = f"(c) {HOLDER}"
    exif[ExifTags.Base.Model] = CAMERA_SERIAL
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (48.0, 51.0, 29.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (2.0, 17.0, 40.0),
        }
    )
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(
        output,
        "JPEG",
        exif=exif.tobytes(),
        xmp=f"<x:xmpmeta><dc:creator>{HOLDER}</dc:creator></x:xmpmeta>".encode(),
        comment=f"{COMMENT} {PHOTOGRAPHER}".encode(),
    )
    return output.getvalue()


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def _assert_no_traces(data: bytes, where: str) -> None:
    for trace in TRACES:
        assert trace.encode() not in data, f"{trace} in {where}"


# --- 1. Pictures inside documents --------------------------------------------------------------------------


def word_with_photos() -> bytes:
    """A Word file made by python-docx with the photo and the described PNG in it."""
    document = docx.Document()
    document.add_paragraph("Our photos of the site.")
    document.add_picture(io.BytesIO(photo_jpeg()), width=Inches(1))
    document.add_picture(io.BytesIO(described_png()), width=Inches(0.5))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def workbook_with_photo() -> bytes:
    """A workbook made by openpyxl with the photo on its sheet."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Site"
    workbook.active.add_image(SheetImage(io.BytesIO(photo_jpeg())), "C3")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def odt_with_photo() -> bytes:
    """An OpenDocument text made by odfpy with the photo in Pictures/."""
    document = OpenDocumentText()
    paragraph = odftext.P(text="Our photo of the site.")
    document.text.addElement(paragraph)
    href = document.addPicture("Pictures/photo.jpg", "image/jpeg", photo_jpeg())
    frame = draw.Frame(width="2cm", height="1.5cm", anchortype="paragraph")
    frame.addElement(draw.Image(href=href))
    paragraph.addElement(frame)
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


def pdf_with_photo() -> bytes:
    """A PDF made by fpdf2 with the photo, which fpdf2 embeds as the JPEG file itself (DCTDecode)."""
    page = FPDF()
    page.add_page()
    page.set_font("helvetica", size=12)
    page.cell(text="PDF with photo")
    page.image(io.BytesIO(photo_jpeg()), x=10, y=30, w=40)
    return bytes(page.output())


def test_pictures_inside_word_excel_odt_and_pdf_lose_their_metadata_but_not_a_pixel(app):
    assert PHOTOGRAPHER.encode() in pdf_with_photo()  # the PDF really carries the photo's EXIF

    word, workbook, text, pdf = _published_anonymously(
        app,
        [
            (word_with_photos(), "photos.docx"),
            (workbook_with_photo(), "site.xlsx"),
            (odt_with_photo(), "site.odt"),
            (pdf_with_photo(), "site.pdf"),
        ],
    )

    for served, folder in ((word, "word/media/"), (workbook, "xl/media/"), (text, "Pictures/")):
        members = _members(served)
        photos = {name: content for name, content in members.items() if name.startswith(folder)}
        assert photos, folder
        for name, content in members.items():
            _assert_no_traces(content, name)
        for name, content in photos.items():
            original = photo_jpeg() if name.endswith((".jpg", ".jpeg")) else described_png()
            assert _pixels(content) == _pixels(original), name
            if pictures.kind(content) == "jpeg":  # the compressed picture itself is the same bytes
                assert photo_jpeg()[-200:] == content[-200:], name
    _assert_no_traces(pdf, "the PDF")
    reader = PdfReader(io.BytesIO(pdf))
    (image,) = reader.pages[0].images
    assert image.image.size == (64, 48)
    assert docx.Document(io.BytesIO(word)).inline_shapes[0].width == Inches(1)


def test_a_turned_photo_stays_turned_with_its_orientation_and_nothing_else():
    turned = pictures.strip(photo_jpeg(orientation=6))

    with Image.open(io.BytesIO(turned)) as image:
        assert dict(image.getexif()) == {ExifTags.Base.Orientation: 6}
    _assert_no_traces(turned, "the turned photo")


@pytest.mark.parametrize("kind", ["GIF", "WEBP", "TIFF"])
def test_gif_webp_and_tiff_pictures_lose_their_metadata_too(kind):
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = PHOTOGRAPHER
    output = io.BytesIO()
    options = {
        "GIF": {"comment": PHOTOGRAPHER.encode()},
        "WEBP": {"exif": exif.tobytes(), "xmp": HOLDER.encode(), "lossless": True},
        "TIFF": {"exif": exif.tobytes(), "description": HOLDER},
    }[kind]
    Image.new("RGB", (20, 10), (1, 120, 3)).save(output, kind, **options)
    original = output.getvalue()
    assert PHOTOGRAPHER.encode() in original

    stripped = pictures.strip(original)

    _assert_no_traces(stripped, kind)
    assert HOLDER.encode() not in stripped
    assert _pixels(stripped) == _pixels(original)


def test_a_picture_too_damaged_to_walk_makes_the_document_unclean():
    with pytest.raises(Unclean):
        pictures.strip(photo_jpeg()[:300])


# --- 2. Documents inside documents -------------------------------------------------------------------------

_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_carrying(inner: dict[str, bytes]) -> bytes:
    """A Word file made by python-docx, carrying files in word/embeddings/ by package relationships, as
    Word embeds a document shown as an icon."""
    document = docx.Document()
    document.add_paragraph("The reports are attached inside.")
    output = io.BytesIO()
    document.save(output)
    members = _members(output.getvalue())
    relationships = []
    for number, (name, content) in enumerate(inner.items()):
        members[f"word/embeddings/{name}"] = content
        relationships.append(
            f'<Relationship Id="rIdInner{number}" Type="{R}/package" Target="embeddings/{name}"/>'
        )
    members["word/_rels/document.xml.rels"] = _add_relationships(
        members["word/_rels/document.xml.rels"], *relationships
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Default Extension="pdf" ContentType="application/pdf"/><Default Extension="docx" '
        f'ContentType="{_WORD}"/><Default Extension="txt" ContentType="text/plain"/></Types>'.encode(),
    )
    return _zip(members)


def odt_carrying_pdf(pdf: bytes) -> bytes:
    """An OpenDocument text made by odfpy with a PDF in Attachments/, listed in its manifest."""
    document = OpenDocumentText()
    document.text.addElement(odftext.P(text="The report is attached inside."))
    output = io.BytesIO()
    document.write(output)
    members = _members(output.getvalue())
    members["Attachments/Inner.pdf"] = pdf
    members["META-INF/manifest.xml"] = members["META-INF/manifest.xml"].replace(
        b"</manifest:manifest>",
        b'<manifest:file-entry manifest:full-path="Attachments/Inner.pdf" '
        b'manifest:media-type="application/pdf"/></manifest:manifest>',
    )
    return _zip(members)


def test_a_pdf_or_a_word_file_inside_a_document_is_cleaned_by_its_own_cleaner(app):
    word, text = _published_anonymously(
        app,
        [
            (word_carrying({"Inner.pdf": annotated_pdf(), "Inner.docx": reviewed_docx()}), "outer.docx"),
            (odt_carrying_pdf(annotated_pdf()), "outer.odt"),
        ],
    )

    members = _assert_names_nobody_and_fetches_nothing(word)
    _assert_pdf_names_nobody_and_does_nothing(members["word/embeddings/Inner.pdf"])
    inner_word = members["word/embeddings/Inner.docx"]
    _assert_names_nobody_and_fetches_nothing(inner_word)
    assert "Detention conditions have improved since 2023." in [
        paragraph.text for paragraph in docx.Document(io.BytesIO(inner_word)).paragraphs
    ]
    carried = _assert_names_nobody_and_fetches_nothing(text)["Attachments/Inner.pdf"]
    reader = _assert_pdf_names_nobody_and_does_nothing(carried)
    assert "Visible testimony about detention." in reader.pages[0].extract_text()


def _nested(depth: int) -> bytes:
    document = reviewed_docx()
    for _ in range(depth):
        document = word_carrying({"Inner.docx": document})
    return document


@pytest.mark.parametrize(
    "make",
    [
        lambda: word_carrying({"notes.txt": f"Notes by {NAMES[0]}".encode()}),
        lambda: word_carrying({"Inner.docx": _zip({"notes.txt": b"a zip that is no document"})}),
        lambda: _nested(4),
    ],
    ids=["a-text-file", "a-plain-zip", "four-documents-deep"],
)
def test_a_document_carrying_what_cannot_be_cleaned_is_refused(tmp_path, make):
    with pytest.raises(AttachmentRefused) as refusal:
        store(make(), "outer.docx", tmp_path)

    assert "could not be cleaned of the names and links inside it" in refusal.value.message
    assert not any(tmp_path.iterdir())


def test_three_documents_deep_is_still_cleaned(tmp_path):
    stored = store(_nested(3), "outer.docx", tmp_path)

    document = (tmp_path / stored.storage_name).read_bytes()
    for _ in range(3):
        document = _assert_names_nobody_and_fetches_nothing(document)["word/embeddings/Inner.docx"]
    _assert_names_nobody_and_fetches_nothing(document)


# --- 3. SVG drawings ---------------------------------------------------------------------------------------

_PNG_URI = "data:image/png;base64,iVBORw0KGgo="
HOSTILE_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="10" height="10" onload="fetch('http://{TRACKER}/load')">
<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{NAMES[0]}</rdf:RDF></metadata>
<title>Drawn by {NAMES[1]}</title><desc>{NAMES[2]}</desc>
<style>@import url(http://{TRACKER}/style.css);</style>
<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
<image xlink:href="http://{TRACKER}/beacon.png" width="10" height="10"/>
<image href="https://{TRACKER}/beacon2.png" width="10" height="10"/>
<image xlink:href="{_PNG_URI}" width="1" height="1"/>
<rect width="5" height="5" fill="url(#g)" onclick="alert(1)"/>
<rect width="5" height="5" fill="url(http://{TRACKER}/paint#p)"/>
<use xlink:href="#g"/><a xlink:href="javascript:alert(1)"><text>link</text></a>
<set attributeName="xlink:href" to="http://{TRACKER}/set"/>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">{NAMES[3]}</div></foreignObject>
<script>fetch("http://{TRACKER}/js")</script></svg>"""


def word_with_svg() -> bytes:
    """A Word file made by python-docx with the SVG among its media, related to the document."""
    members = _members(word_carrying({}))
    members["word/media/image9.svg"] = HOSTILE_SVG.encode()
    members["word/_rels/document.xml.rels"] = _add_relationships(
        members["word/_rels/document.xml.rels"],
        f'<Relationship Id="rIdSvg" Type="{R}/image" Target="media/image9.svg"/>',
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="svg" ContentType="image/svg+xml"/></Types>'
    )
    return _zip(members)


def odt_with_svg() -> bytes:
    """An OpenDocument text made by odfpy with the SVG in Pictures/."""
    document = OpenDocumentText()
    paragraph = odftext.P(text="A drawing.")
    document.text.addElement(paragraph)
    href = document.addPicture("Pictures/drawing.svg", "image/svg+xml", HOSTILE_SVG.encode())
    frame = draw.Frame(width="2cm", height="2cm", anchortype="paragraph")
    frame.addElement(draw.Image(href=href))
    paragraph.addElement(frame)
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


def test_svg_drawings_name_nobody_run_nothing_and_fetch_nothing_but_keep_their_shapes(app):
    word, text = _published_anonymously(app, [(word_with_svg(), "drawing.docx"), (odt_with_svg(), "d.odt")])

    for served, name in ((word, "word/media/image9.svg"), (text, "Pictures/drawing.svg")):
        drawing = _assert_names_nobody_and_fetches_nothing(served)[name]
        root = etree.fromstring(drawing)
        elements = [etree.QName(element).localname for element in root.iter()]
        for gone in ("metadata", "title", "desc", "script", "style", "foreignObject", "set"):
            assert gone not in elements, gone
        attributes = [(etree.QName(a).localname, v) for element in root.iter() for a, v in element.items()]
        assert not [a for a, _ in attributes if a.lower().startswith("on")]
        assert {v for a, v in attributes if a == "href"} == {_PNG_URI, "#g"}
        assert ("fill", "url(#g)") in attributes and b"javascript" not in drawing
        assert elements.count("rect") == 2 and elements.count("image") == 3


def test_an_svg_with_a_doctype_is_cleaned_but_one_that_uses_an_entity_is_refused():
    doctype = (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"'
    )
    plain = f'<?xml version="1.0"?>{doctype}><svg xmlns="{svg.SVG}"><metadata>{NAMES[0]}</metadata></svg>'
    entity = f'{doctype} [<!ENTITY who "{NAMES[0]}">]><svg xmlns="{svg.SVG}"><text>&who;</text></svg>'

    cleaned = svg.clean_svg(plain.encode())

    assert b"DOCTYPE" not in cleaned and NAMES[0].encode() not in cleaned and svg.is_svg(cleaned)
    with pytest.raises(Unclean):
        svg.clean_svg(entity.encode())


# --- 4. Formulas that fetch keep what they last showed ------------------------------------------------------


def fetching_workbook() -> bytes:
    """A workbook made by openpyxl with formulas that fetch (a number and a text) and one that only adds,
    with the values Excel last calculated for them, which openpyxl does not write."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B2"] = "Figures", f'=WEBSERVICE("http://{TRACKER}/n")'
    sheet["B3"], sheet["B4"] = f'=WEBSERVICE("http://{TRACKER}/s")', "=SUM(1,2)"
    output = io.BytesIO()
    workbook.save(output)
    members = _members(output.getvalue())
    part = members["xl/worksheets/sheet1.xml"].decode()
    part = re.sub(r'(<c r="B2"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?', r"\1\2<v>42.5</v>", part)
    part = re.sub(
        r'<c r="B3"([^>]*)>(<f>[^<]*</f>)<v\s*/?>(</v>)?', r'<c r="B3" t="str">\2<v>cached text</v>', part
    )
    part = re.sub(r'(<c r="B4"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?', r"\1\2<v>3</v>", part)
    assert part.count("<v>") == 3, part
    members["xl/worksheets/sheet1.xml"] = part.encode()
    return _zip(members)


def test_a_formula_that_fetches_leaves_its_last_value_of_the_right_type_and_others_keep_theirs(app):
    (served,) = _published_anonymously(app, [(fetching_workbook(), "figures.xlsx")])

    members = _assert_names_nobody_and_fetches_nothing(served)
    assert b"WEBSERVICE" not in members["xl/worksheets/sheet1.xml"]
    values = openpyxl.load_workbook(io.BytesIO(served), data_only=True).active
    assert (values["B2"].value, values["B3"].value, values["B4"].value) == (42.5, "cached text", 3)
    assert values["B2"].data_type == "n" and values["B3"].data_type == "s"
    assert openpyxl.load_workbook(io.BytesIO(served)).active["B4"].value == "=SUM(1,2)"


# --- 5. Word's hidden building blocks and content controls' labels ------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SIGNER = "فاطمة الزهراء"


def word_with_building_blocks() -> bytes:
    """A Word file made by python-docx with a content control labelled with its author's name and a
    glossary part (building blocks, with its own relationships) holding a signature."""
    members = _members(word_carrying({}))
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr",
        f'<w:sdt><w:sdtPr><w:alias w:val="Author {NAMES[0]}"/><w:tag w:val="{NAMES[1]}"/></w:sdtPr>'
        "<w:sdtContent><w:p><w:r><w:t>Controlled text.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:sectPr".encode(),
        1,
    )
    members["word/glossary/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:glossaryDocument xmlns:w="{_W}">'
        '<w:docParts><w:docPart><w:docPartPr><w:name w:val="Signature"/></w:docPartPr><w:docPartBody>'
        f"<w:p><w:r><w:t>Signed {_SIGNER}</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts>"
        "</w:glossaryDocument>"
    ).encode()
    members["word/glossary/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{R}/styles" Target="styles.xml"/></Relationships>'
    ).encode()
    members["word/glossary/styles.xml"] = members["word/styles.xml"]
    members["word/_rels/document.xml.rels"] = _add_relationships(
        members["word/_rels/document.xml.rels"],
        f'<Relationship Id="rIdGlossary" Type="{R}/glossaryDocument" Target="glossary/document.xml"/>',
    )
    members["[Content_Types].xml"] = _add_overrides(
        members["[Content_Types].xml"],
        ("/word/glossary/document.xml", f"{_WORD[:-9]}.document.glossary+xml"),
        ("/word/glossary/styles.xml", f"{_WORD[:-9]}.styles+xml"),
    )
    return _zip(members)


def test_word_building_blocks_and_content_control_labels_name_nobody(app):
    (served,) = _published_anonymously(app, [(word_with_building_blocks(), "letter.docx")])

    members = _assert_names_nobody_and_fetches_nothing(served)
    assert not [name for name in members if "glossary" in name]
    assert _SIGNER.encode() not in b"".join(members.values())
    assert b"glossary" not in members["[Content_Types].xml"]
    assert b"glossary" not in members["word/_rels/document.xml.rels"]
    assert b"<w:sdtContent><w:p><w:r><w:t>Controlled text.</w:t>" in members["word/document.xml"]


def word_with_alt_chunk() -> bytes:
    """A Word file made by python-docx with an HTML chunk (w:altChunk), which Word merges in when it opens the
    file: the chunk names its author and shows a picture fetched from a host."""
    document = docx.Document()
    document.add_paragraph("The statement follows.")
    output = io.BytesIO()
    document.save(output)
    members = _members(output.getvalue())
    members["word/afchunk.htm"] = (
        f'<html><head><meta name="author" content="{NAMES[0]}"></head>'
        f'<body><img src="http://{TRACKER}/chunk.png"></body></html>'
    ).encode()
    members["word/_rels/document.xml.rels"] = _add_relationships(
        members["word/_rels/document.xml.rels"],
        f'<Relationship Id="rIdAlt" Type="{R}/aFChunk" Target="afchunk.htm"/>',
    )
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr", b'<w:altChunk r:id="rIdAlt"/><w:sectPr', 1
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="htm" ContentType="application/xhtml+xml"/></Types>'
    )
    return _zip(members)


def test_a_word_file_that_merges_in_another_document_when_opened_is_refused(tmp_path):
    """An outside reviewer's file: the chunk came back byte for byte, with its author and its tracker."""
    with pytest.raises(AttachmentRefused) as refusal:
        store(word_with_alt_chunk(), "statement.docx", tmp_path)

    assert "could not be cleaned of the names and links inside it" in refusal.value.message
    assert not any(tmp_path.iterdir())
