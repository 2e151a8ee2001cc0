"""Names an outside reviewer still found inside cleaned attachments: pictures' alternative text and titles,
hidden text, XML comments and foreign attributes, a PDF's private keys, layers' creators and structure
titles, an SVG editor's own attributes, a workbook's headers and validation prompts, and an ODT's user
fields and mail-merge source. Each file is built by the library that writes its format, with the XML it
cannot write put in, and cleaned by the kernel."""

import io
import struct

import docx
import openpyxl
from docx.shared import Inches
from fpdf import FPDF
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from consult.uploads import pictures, svg
from consult.uploads.attachments import store
from tests.comments.documents import _members, _zip, described_png

#: The name hidden in every place; the cleaned file may not hold it anywhere.
HIDDEN = "Ottilie Brennecke"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _stored(data: bytes, name: str, tmp_path) -> bytes:
    stored = store(data, name, tmp_path)
    return (tmp_path / stored.storage_name).read_bytes()


def _assert_no_name(data: bytes) -> dict[str, bytes]:
    members = _members(data)
    for member, content in members.items():
        assert HIDDEN.encode() not in content, f"{HIDDEN} in {member}"
    return members


def _docx_with_hidden_names() -> bytes:
    document = docx.Document()
    document.add_paragraph("Visible text stays.")
    document.add_picture(io.BytesIO(described_png()), width=Inches(1))
    document.sections[0].header.paragraphs[0].text = "HDR"
    output = io.BytesIO()
    document.save(output)
    members = _members(output.getvalue())
    body = members["word/document.xml"].decode()
    path = f"C:\\Users\\{HIDDEN}\\Pictures\\photo.png"
    body = body.replace('name="Picture 1"', f'name="{path}" descr="Photo by {HIDDEN}" title="{HIDDEN}"', 1)
    body = body.replace('<pic:cNvPr id="0" name="', f'<pic:cNvPr id="0" descr="{path}" name="{HIDDEN} ', 1)
    extra = (
        f"<!-- {HIDDEN} --><?editor {HIDDEN}?>"
        f'<w:p><w:r><w:t xml:space="preserve">Shown </w:t></w:r>'
        f"<w:r><w:rPr><w:vanish/></w:rPr><w:t>{HIDDEN}</w:t></w:r>"
        f'<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>not hidden</w:t></w:r></w:p>'
        f'<w:p x:author="{HIDDEN}" xmlns:x="urn:example"><w:r><w:t>foreign</w:t></w:r></w:p>'
        f'<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
        f'xmlns:o="urn:schemas-microsoft-com:office:office" alt="{HIDDEN}" o:title="{HIDDEN}" '
        f'style="width:10pt;height:10pt"/></w:pict></w:r></w:p>'
    )
    body = body.replace("<w:sectPr", extra + "<w:sectPr", 1)
    members["word/document.xml"] = body.encode()
    header = members["word/header1.xml"].decode()
    header = header.replace(
        "<w:t>HDR</w:t></w:r>",
        f"<w:t>HDR</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>{HIDDEN}</w:t></w:r>",
    )
    members["word/header1.xml"] = header.encode()
    return _zip(members)


def test_a_word_file_loses_alt_text_hidden_text_xml_comments_and_foreign_attributes(tmp_path):
    members = _assert_no_name(_stored(_docx_with_hidden_names(), "report.docx", tmp_path))

    body = members["word/document.xml"].decode()
    assert "Visible text stays." in body and "Shown" in body and "not hidden" in body and "foreign" in body
    assert "<!--" not in body and "<?editor" not in body and "Users" not in body
    assert "HDR" in members["word/header1.xml"].decode()
    assert "word/media/image1.png" in members


def test_without_the_names_removed_alt_text_and_hidden_text_stay(tmp_path):
    stored = store(_docx_with_hidden_names(), "report.docx", tmp_path, remove_names=False)
    members = _members((tmp_path / stored.storage_name).read_bytes())

    assert HIDDEN.encode() in members["word/document.xml"]


def test_a_workbook_loses_drawing_alt_text_headers_validation_prompts_and_names_comments(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = 42
    sheet.oddHeader.center.text = f"Prepared by {HIDDEN}"
    sheet.oddFooter.left.text = HIDDEN
    validation = DataValidation(
        type="whole",
        prompt=HIDDEN,
        promptTitle=HIDDEN,
        error=HIDDEN,
        errorTitle=HIDDEN,
        showInputMessage=True,
    )
    validation.add("A1")
    sheet.add_data_validation(validation)
    sheet.add_image(openpyxl.drawing.image.Image(io.BytesIO(described_png())), "C3")
    workbook.defined_names["Total"] = openpyxl.workbook.defined_name.DefinedName(
        "Total", attr_text="Sheet!$A$1", comment=HIDDEN
    )
    output = io.BytesIO()
    workbook.save(output)
    members = _members(output.getvalue())
    drawing = members["xl/drawings/drawing1.xml"].decode()
    members["xl/drawings/drawing1.xml"] = drawing.replace(
        'descr="Picture"', f'descr="{HIDDEN}" title="{HIDDEN}"', 1
    ).encode()
    assert HIDDEN in members["xl/drawings/drawing1.xml"].decode()
    assert HIDDEN in members["xl/workbook.xml"].decode()

    cleaned = _stored(_zip(members), "figures.xlsx", tmp_path)
    _assert_no_name(cleaned)

    assert openpyxl.load_workbook(io.BytesIO(cleaned)).active["A1"].value == 42


NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3"'
)


def _odt_with_hidden_names() -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>'
        '<style:style style:name="H" style:family="text"><style:text-properties text:display="none"/>'
        "</style:style></office:automatic-styles><office:body><office:text>"
        '<text:user-field-decls><text:user-field-decl office:value-type="string" '
        f'office:string-value="{HIDDEN}" text:name="owner"/></text:user-field-decls>'
        f'<!-- {HIDDEN} --><text:p>Visible <text:span text:style-name="H">{HIDDEN}</text:span>after</text:p>'
        f'<text:p><text:hidden-text text:condition="true" text:string-value="{HIDDEN}"/>'
        '<text:hidden-paragraph text:condition="true"/>kept</text:p>'
        f'<text:p><text:a xlink:href="https://example.org/" office:title="{HIDDEN}">link</text:a></text:p>'
        f'<text:p><draw:frame draw:name="{HIDDEN}" svg:width="1cm" svg:height="1cm">'
        '<draw:image xlink:href="Pictures/p.png" xlink:type="simple"/>'
        f"<svg:title>{HIDDEN}</svg:title><svg:desc>{HIDDEN}</svg:desc></draw:frame></text:p>"
        "</office:text></office:body></office:document-content>"
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {NS}><office:settings>'
        '<config:config-item-set config:name="ooo:configuration-settings">'
        f'<config:config-item config:name="CurrentDatabaseDataSource" config:type="string">{HIDDEN}s_contacts'
        "</config:config-item></config:config-item-set></office:settings></office:document-settings>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="Pictures/p.png" manifest:media-type="image/png"/>'
        "</manifest:manifest>"
    )
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": manifest.encode(),
            "content.xml": content.encode(),
            "settings.xml": settings.encode(),
            "Pictures/p.png": described_png(),
        }
    )


def test_an_odt_loses_hidden_text_frame_titles_user_field_values_and_the_merge_source(tmp_path):
    members = _assert_no_name(_stored(_odt_with_hidden_names(), "statement.odt", tmp_path))

    content = members["content.xml"].decode()
    assert "Visible" in content and "after" in content and "kept" in content and "link" in content
    assert 'draw:name="Object 1"' in content and "<!--" not in content
    assert "Pictures/p.png" in members


def _pdf_with_hidden_names() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Visible text stays.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    root = writer.root_object
    root[NameObject("/PrivateOwner")] = TextStringObject(HIDDEN)
    group = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/OCG"),
                NameObject("/Name"): TextStringObject("Layer"),
                NameObject("/Usage"): DictionaryObject(
                    {
                        NameObject("/CreatorInfo"): DictionaryObject(
                            {NameObject("/Creator"): TextStringObject(HIDDEN)}
                        )
                    }
                ),
            }
        )
    )
    root[NameObject("/OCProperties")] = DictionaryObject(
        {
            NameObject("/OCGs"): ArrayObject([group]),
            NameObject("/D"): DictionaryObject(
                {
                    NameObject("/Name"): TextStringObject(HIDDEN),
                    NameObject("/Creator"): TextStringObject(HIDDEN),
                }
            ),
        }
    )
    tree = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")}))
    element = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Figure"),
                NameObject("/P"): tree,
                NameObject("/T"): TextStringObject(HIDDEN),
                NameObject("/Alt"): TextStringObject(HIDDEN),
                NameObject("/K"): ArrayObject(),
            }
        )
    )
    tree.get_object()[NameObject("/K")] = element
    root[NameObject("/StructTreeRoot")] = tree
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _pdf_strings(reader: PdfReader) -> str:
    seen, waiting, found = set(), [reader.trailer["/Root"]], []
    while waiting:
        item = waiting.pop()
        if hasattr(item, "get_object"):
            item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
        elif isinstance(item, str):
            found.append(str(item))
    return "\n".join(found)


def test_a_pdf_loses_private_catalog_keys_layer_creators_and_structure_titles(tmp_path):
    data = _pdf_with_hidden_names()
    assert HIDDEN in _pdf_strings(PdfReader(io.BytesIO(data)))

    reader = PdfReader(io.BytesIO(_stored(data, "report.pdf", tmp_path)))

    assert HIDDEN not in _pdf_strings(reader)
    assert "/PrivateOwner" not in reader.trailer["/Root"]
    assert "Visible text stays." in reader.pages[0].extract_text()


def test_an_svg_loses_its_editors_attributes_and_data_attributes():
    picture = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
        f'sodipodi:docname="{HIDDEN}.svg" inkscape:export-filename="/home/{HIDDEN}/a.png" '
        f'width="10" height="10"><sodipodi:namedview inkscape:window-width="9" id="v"/>'
        f'<rect width="5" height="5" data-owner="{HIDDEN}" aria-label="{HIDDEN}" fill="red"/></svg>'
    ).encode()

    cleaned = svg.clean_svg(picture)

    assert HIDDEN.encode() not in cleaned and b"namedview" not in cleaned
    assert b'fill="red"' in cleaned


def _emf() -> bytes:
    """An EMF whose header's description and a comment record name the author, with an EMF+ record."""
    description = f"Drawn by {HIDDEN}\0drawing.emf\0\0".encode("utf-16-le")
    header_size = 88 + len(description)
    text = f"{HIDDEN} private".encode() + b"\0"
    text += bytes(-len(text) % 4)
    comment = struct.pack("<III", 70, 12 + len(text), len(text)) + text
    plus = struct.pack("<III", 70, 16, 4) + b"EMF+"
    end = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    total = header_size + len(comment) + len(plus) + len(end)
    header = struct.pack(
        "<II4i4iIIIIHHIIIiiii",
        *(1, header_size, 0, 0, 10, 10, 0, 0, 1000, 1000, 0x464D4520, 0x10000, total, 4, 1, 0),
        *(len(description) // 2, 88, 0, 1920, 1080, 508, 285),
    )
    return header + description + comment + plus + end


def test_an_emf_loses_its_description_and_comments_but_keeps_its_drawing():
    cleaned = pictures.strip(_emf())

    assert HIDDEN.encode("utf-16-le") not in cleaned and HIDDEN.encode() not in cleaned
    assert b"EMF+" in cleaned
    assert struct.unpack_from("<II", cleaned, 48) == (len(cleaned), 3)
    assert Image.open(io.BytesIO(cleaned)).format == "WMF"  # Pillow reads EMF as its WMF format
