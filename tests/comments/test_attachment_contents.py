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
from odf import dc, draw, office, teletype
from odf import text as odftext
from odf.namespaces import TEXTNS, XMLNS
from odf.opendocument import OpenDocumentText, load
from openpyxl.comments import Comment as Note
from pypdf import PdfReader
from sqlalchemy import select

from consult.comments.models import Attachment, Comment
from consult.extensions import db
from consult.rounds.models import ModerationMode
from consult.uploads.attachments import DOCX, ODT, PDF, XLSX, AttachmentRefused, store
from tests.comments.documents import (
    COMMENTER,
    COMMENTER_ARABIC,
    RELS,
    REVIEWER,
    REVIEWER_HAN,
    REVIEWER_INITIALS,
    TRACKER,
    R,
    _add_overrides,
    _add_relationships,
    _assert_names_nobody_and_fetches_nothing,
    _assert_pdf_names_nobody_and_does_nothing,
    _downloads_signed_out,
    _members,
    _pdf_strings,
    _published_anonymously,
    _send,
    _zip,
    annotated_pdf,
    macro_enabled_docx,
    reviewed_docx,
)
from tests.factories import comment_form, make_open_round
from tests.helpers import make_user, sign_in, submit

# --- A Word file reviewed by two people ---------------------------------------------------------------------


# --- A PDF annotated, scripted and carrying a file ----------------------------------------------------------


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


# --- Through the form, a moderator and a download signed out ----------------------------------------------


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
