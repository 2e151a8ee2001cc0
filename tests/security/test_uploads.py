"""Every file upload attacked through the form that takes it: a comment's attachments, the plan's importers
and a round's documents (every FileField of consult/**/forms.py: a new one fails the first test until it is
attacked here too).

The hostile files are built here: double extensions, NUL bytes and folders in names, names of dots only,
HTML, SVG and programs dressed as documents, zip bombs (a few hundred KB that unpack to 200 MB), billion
laughs, JSON nested too deep, files over the per-file limit and requests over MAX_CONTENT_LENGTH. Each is
refused with a clear message and the person's text kept, or accepted under a clean name; nothing lands
outside the upload folder, and a file is served back as a download of an allowed type, never as a page or
an SVG shown in place. tests/comments/test_attachments.py holds the content checks themselves.
"""

import functools
import html
import importlib
import inspect
import io
import re
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from wtforms import FileField, MultipleFileField
from wtforms.fields.core import UnboundField

import consult
from consult.accounts.models import StaffRoleName
from consult.comments.models import Attachment, Comment
from consult.extensions import db
from consult.forms import Form
from consult.plan.models import Recommendation
from consult.rounds.models import ModerationMode, Round, RoundDocument
from consult.uploads.attachments import ALLOWED, MAX_BYTES
from tests.comments.documents import annotated_pdf, macro_enabled_docx
from tests.factories import comment_form, make_open_round
from tests.files import BILLION_LAUGHS, _docx, _members, _pdf, _png, _xlsx, _zip
from tests.helpers import make_user, sign_in, submit

# module_app (tests/security/conftest.py): the module's application, built once

#: Every file field of every form, and the test below that attacks it.
ATTACKED = {
    ("CommentForm", "attachments"): "test_hostile_attachments_are_refused_or_cleaned_and_the_text_is_kept",
    ("ImportForm", "files"): "test_hostile_files_import_nothing_and_say_why",
    ("DocumentForm", "file"): "test_a_hostile_document_is_refused_with_the_title_kept",
}


def test_every_file_field_is_attacked():
    found = set()
    for path in Path(consult.__file__).parent.rglob("forms.py"):
        module = importlib.import_module(
            ".".join(path.relative_to(Path(consult.__file__).parents[1]).with_suffix("").parts)
        )
        for name, form_class in vars(module).items():
            if not (inspect.isclass(form_class) and issubclass(form_class, Form)):
                continue
            for field_name, unbound in inspect.getmembers(form_class, lambda v: isinstance(v, UnboundField)):
                if issubclass(unbound.field_class, (FileField, MultipleFileField)):
                    found.add((name, field_name))
    assert found == set(ATTACKED)
    assert all(test in globals() for test in ATTACKED.values())


# --- Hostile files ------------------------------------------------------------------------------------------

MARK = "s2-escape"
TEMP = tempfile.gettempdir()
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PE_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"
ELF_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PHP = b"<?php system($_GET['c']); ?>"


def _bombed(office_file: bytes, member: str, megabytes: int) -> bytes:
    """An office file whose member is replaced by megabytes of zeros, deflated in 1 MB pieces (~1 KB each)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(office_file)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as zip_,
    ):
        for info in source.infolist():
            if info.filename != member:
                zip_.writestr(info.filename, source.read(info))
                continue
            with zip_.open(member, "w") as stream:
                for _ in range(megabytes):
                    stream.write(bytes(1024 * 1024))
    return output.getvalue()


@functools.cache
def docx_bomb() -> bytes:
    """A real Word file whose text part unpacks to 200 MB."""
    return _bombed(_docx(), "word/document.xml", 200)


@functools.cache
def xlsx_bomb() -> bytes:
    """A real workbook whose sheet unpacks to 200 MB."""
    return _bombed(_xlsx(), "xl/worksheets/sheet1.xml", 200)


def _broken_content_types() -> bytes:
    """A Word file whose list of parts is an element of no namespace: python-docx cannot read it."""
    return _zip({**_members(_docx()), "[Content_Types].xml": b"<Types/>"})


def _laughing(office_file: bytes, member: str, root: bytes) -> bytes:
    """An office file whose member declares the billion laughs and uses them in its root element."""
    return _zip({**_members(office_file), member: BILLION_LAUGHS.replace(b"Types", root)})


def test_the_bombs_are_small_and_unpack_to_hundreds_of_megabytes():
    for bomb in (docx_bomb(), xlsx_bomb()):
        with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        assert len(bomb) < 300_000 and unpacked > 200_000_000


@dataclass(frozen=True)
class Hostile:
    """A file sent to a form: its name, its bytes, and whether the form must refuse it."""

    name: str
    data: bytes
    refused: bool


def hostile_attachments() -> dict[str, Hostile]:
    """What a comment's attachments field is sent, and what it must do with each."""
    png, pdf = _png(), _pdf()
    return {
        "a program behind a document's extension": Hostile("report.pdf.exe", pdf, True),
        "a PHP script named .pdf": Hostile("evil.php.pdf", PHP, True),
        "a real PDF named .php.pdf": Hostile("evil.php.pdf", pdf, False),
        "a NUL before a program's extension": Hostile("photo.png\x00.exe", png, True),
        "a NUL inside a picture's name": Hostile(f"{MARK}-nul\x00.png", png, False),
        "climbing folders": Hostile(f"../../{MARK}-1.png", png, False),
        "climbing Windows folders": Hostile(f"..\\..\\{MARK}-2.png", png, False),
        "an absolute path": Hostile(f"{TEMP}/{MARK}-3.png", png, False),
        "a Windows drive": Hostile(f"C:\\Windows\\{MARK}-4.png", png, False),
        "a name of one dot": Hostile(".", png, False),
        "a name of two dots": Hostile("..", png, False),
        "a name of dots": Hostile("....", png, False),
        "HTML named .pdf": Hostile("page.pdf", HTML_PAGE, True),
        "an SVG with script named .png": Hostile("image.png", SVG_WITH_SCRIPT, True),
        "an SVG with script named .svg": Hostile("image.svg", SVG_WITH_SCRIPT, True),
        "a Windows program named .docx": Hostile("letter.docx", PE_PROGRAM, True),
        "a Linux program named .docx": Hostile("letter.docx", ELF_PROGRAM, True),
        "a zip bomb named .docx": Hostile("bomb.docx", docx_bomb(), True),
        "a zip bomb named .xlsx": Hostile("bomb.xlsx", xlsx_bomb(), True),
        "a macro-enabled Word file named .docx": Hostile("letter.docx", macro_enabled_docx(), True),
        "a PDF that runs scripts and embeds a file": Hostile("scripted.pdf", annotated_pdf(), False),
        "the billion laughs in a Word file": Hostile(
            "laughs.docx", _laughing(_docx(), "word/document.xml", b"w:document"), True
        ),
        "the billion laughs in a workbook": Hostile(
            "laughs.xlsx", _laughing(_xlsx(), "xl/workbook.xml", b"workbook"), True
        ),
        "one byte over 10 MB": Hostile("big.pdf", pdf + b"\n%" + b"0" * (MAX_BYTES - len(pdf) - 1), True),
    }


# --- Where files may land -----------------------------------------------------------------------------------


def _escapes(app: Flask) -> list[Path]:
    """Files named after the marked names anywhere an unchecked name could have put them."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    places = [folder, *folder.parents[:3], Path.cwd(), Path(app.instance_path), Path(TEMP), Path("/")]
    found = []
    for place in places:
        if place.is_dir():
            found += [p for p in place.glob(f"*{MARK}*")] + [p for p in place.glob(f"*/*{MARK}*")]
    return found


def _stored_names(app: Flask) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- A comment's attachments --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contributor(module_app) -> FlaskClient:
    """A contributor signed in, and an open post-moderated round for them to comment on."""
    with module_app.app_context():
        make_open_round(mode=ModerationMode.post)
    client = module_app.test_client()
    sign_in(client, module_app, make_user(module_app, name="Uma Uploader"))
    return client


def _read(response) -> tuple[int, str]:
    """The status and text of an answer, closed (the test client's request body is a temporary file)."""
    with response:
        answer = response.status_code, html.unescape(response.get_data(as_text=True))
    response.request.input_stream.close()  # the client closes it only when it follows redirects
    return answer


def _send_comment(
    client: FlaskClient, body: str, files: list[tuple[bytes, str]], edit: str | None = None
) -> tuple[int, str]:
    """Send the comment form with files: a new comment, or a change to the comment whose public id is edit."""
    path, page = (
        (f"/comments/{edit}/edit", f"/comments/{edit}/edit")
        if edit
        else ("/comments/new/open-round", "/comments/new/open-round?target=round")
    )
    attached = [(io.BytesIO(data), name) for data, name in files]
    form = comment_form(body=body, attachments=attached)
    return _read(submit(client, path, form, page=page, content_type="multipart/form-data"))


def test_hostile_attachments_are_refused_or_cleaned_and_the_text_is_kept(module_app, contributor):
    wrong = []
    for label, hostile in hostile_attachments().items():
        body = f"My testimony {uuid.uuid4().hex}"
        with module_app.app_context():
            comments_before, stored_before = _count(Comment), _stored_names(module_app)
        status, page = _send_comment(contributor, body, [(hostile.data, hostile.name)])
        with module_app.app_context():
            comments_after, stored_after = _count(Comment), _stored_names(module_app)
        if hostile.refused:
            message = re.search(r'id="attachments-error">([^<]+)<', page)
            if status != 422 or message is None:
                wrong.append(f"{label}: {status}, no message by the field")
            elif body not in page:
                wrong.append(f"{label}: the text is lost")
            if comments_after != comments_before or stored_after != stored_before:
                wrong.append(f"{label}: something was saved")
            continue
        if status != 302 or comments_after != comments_before + 1:
            wrong.append(f"{label}: not accepted ({status})")
            continue
        new = stored_after - stored_before
        if len(new) != 1 or not re.fullmatch(r"[0-9a-f]{32}", next(iter(new))):
            wrong.append(f"{label}: stored as {new}")
        with module_app.app_context():
            attachment = db.session.scalar(select(Attachment).order_by(Attachment.id.desc()))
            shown_name = attachment.filename
        if re.search(r"[\\/\x00-\x1f]|^\.", shown_name) or not shown_name.endswith((".png", ".pdf")):
            wrong.append(f"{label}: shown as {shown_name!r}")
    assert _escapes(module_app) == []
    assert not wrong, "\n".join(wrong)


def test_the_same_files_are_refused_when_a_comment_is_changed(module_app, contributor):
    """The form's other route: a comment changed with a hostile file is refused there too, the new text
    shown again, the comment and its files as they were."""
    status, _page = _send_comment(contributor, "A comment to change", [])
    assert status == 302
    with module_app.app_context():
        comment = db.session.scalar(select(Comment).order_by(Comment.id.desc()))
        comment_id, public_id, files_before = comment.id, comment.public_id, len(comment.attachments)
    wrong = []
    for label, hostile in hostile_attachments().items():
        if not hostile.refused:
            continue
        body = f"Changed text {uuid.uuid4().hex}"
        status, page = _send_comment(contributor, body, [(hostile.data, hostile.name)], edit=public_id)
        if status != 422 or body not in page or 'id="attachments-error"' not in page:
            wrong.append(f"{label}: {status}")
    with module_app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert comment.body == "A comment to change" and len(comment.attachments) == files_before
    assert not wrong, "\n".join(wrong)


def test_every_attachment_is_served_as_a_download_of_an_allowed_type(module_app, contributor):
    """Whatever was accepted, to anyone who may see it: a download, never a page or a picture in place."""
    with module_app.app_context():
        ids = list(db.session.scalars(select(Attachment.public_id)))
    assert len(ids) >= 5
    for attachment_id in ids:
        with module_app.test_client().get(f"/comments/attachments/{attachment_id}") as response:
            assert response.status_code == 200
            disposition = response.headers["Content-Disposition"]
            assert disposition.startswith("attachment;")
            assert response.mimetype in ALLOWED and response.mimetype not in ("text/html", "image/svg+xml")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert not re.search(r'filename="?[^;]*[\\/]', disposition)


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(module_app, contributor):
    """Over MAX_CONTENT_LENGTH the request is refused unread (its text with it: the server never sees it),
    with a page that says nothing was saved; nothing is."""
    limit = module_app.config["MAX_CONTENT_LENGTH"]
    module_app.config["MAX_CONTENT_LENGTH"] = 200_000
    try:
        with module_app.app_context():
            before = _count(Comment), _stored_names(module_app)
        status, page = _send_comment(contributor, "Lost in transit", [(_pdf() + bytes(250_000), "big.pdf")])
        with module_app.app_context():
            after = _count(Comment), _stored_names(module_app)
    finally:
        module_app.config["MAX_CONTENT_LENGTH"] = limit
    assert status == 413 and "nothing was saved" in page and after == before


# --- The plan's importers -----------------------------------------------------------------------------------

TEMPLATE = (
    Path(consult.__file__).parent / "static" / "downloads" / "recommendations-template.csv"
).read_bytes()


def hostile_imports() -> dict[str, tuple[str, Hostile]]:
    """What the import form is sent: (kind of import, file)."""
    xlsx_with_laughs = _laughing(_xlsx(), "xl/worksheets/sheet1.xml", b"worksheet")
    return {
        "a program behind a CSV's extension": (
            "template",
            Hostile("recommendations.csv.exe", TEMPLATE, True),
        ),
        "a PHP script named .csv": ("template", Hostile("evil.php.csv", PHP, True)),
        "a NUL in the name": ("template", Hostile(f"{MARK}\x00.exe.csv", PHP, True)),
        "climbing folders": ("template", Hostile(f"../../{MARK}-5.csv", PHP, True)),
        "climbing Windows folders": ("template", Hostile(f"..\\..\\{MARK}-6.csv", PHP, True)),
        "an absolute path": ("template", Hostile(f"{TEMP}/{MARK}-7.csv", PHP, True)),
        "a name of dots": ("template", Hostile("...", TEMPLATE, True)),
        "HTML named .xlsx": ("uhri", Hostile("export.xlsx", HTML_PAGE, True)),
        "a Windows program named .docx": ("ohchr-matrix", Hostile("matrix.docx", PE_PROGRAM, True)),
        "a Linux program named .json": ("uhri", Hostile("export.json", ELF_PROGRAM, True)),
        "an SVG named .xlsx": ("template", Hostile("sheet.xlsx", SVG_WITH_SCRIPT, True)),
        "a zip bomb named .docx": ("ohchr-matrix", Hostile("matrix.docx", docx_bomb(), True)),
        "a zip bomb named .xlsx (UHRI)": ("uhri", Hostile("export.xlsx", xlsx_bomb(), True)),
        "a zip bomb named .xlsx (template)": ("template", Hostile("sheet.xlsx", xlsx_bomb(), True)),
        "the billion laughs in a workbook": ("uhri", Hostile("export.xlsx", xlsx_with_laughs, True)),
        "the billion laughs in a Word file": (
            "ohchr-matrix",
            Hostile("matrix.docx", _laughing(_docx(), "word/document.xml", b"w:document"), True),
        ),
        "JSON nested too deep": ("uhri", Hostile("export.json", b"[" * 200_000 + b"]" * 200_000, True)),
        "a Word file with a broken list of parts": (
            "ohchr-matrix",
            Hostile("matrix.docx", _broken_content_types(), True),
        ),
    }


@pytest.fixture(scope="module")
def coordinator(module_app) -> FlaskClient:
    client = module_app.test_client()
    sign_in(client, module_app, make_user(module_app, (StaffRoleName.coordinator,)))
    return client


def _import(client: FlaskClient, kind: str, hostile: Hostile) -> tuple[int, str]:
    data = {"kind": kind, "files": (io.BytesIO(hostile.data), hostile.name)}
    return _read(submit(client, "/plan/import", data, content_type="multipart/form-data"))


def test_hostile_files_import_nothing_and_say_why(module_app, coordinator):
    wrong = []
    with module_app.app_context():
        before = _count(Recommendation)
    for label, (kind, hostile) in hostile_imports().items():
        status, page = _import(coordinator, kind, hostile)
        said = "Nothing was imported" in page if status == 200 else status == 422 and "error-summary" in page
        if not said:
            wrong.append(f"{label}: {status} without a message")
    with module_app.app_context():
        assert _count(Recommendation) == before
    assert _escapes(module_app) == []
    assert not wrong, "\n".join(wrong)


def test_a_good_file_under_a_climbing_name_is_imported_and_written_nowhere(module_app, coordinator):
    _status, page = _import(coordinator, "template", Hostile(f"../../{MARK}-8.csv", TEMPLATE, False))
    assert "The recommendations are imported." in page
    assert _escapes(module_app) == []


# --- A round's documents ------------------------------------------------------------------------------------


def hostile_documents() -> dict[str, Hostile]:
    return {
        "a program behind a document's extension": Hostile("text.docx.exe", _docx(), True),
        "a name of one dot": Hostile(".", b"A paragraph.", True),
        "HTML named .docx": Hostile("text.docx", HTML_PAGE, True),
        "a Windows program named .txt": Hostile("text.txt", PE_PROGRAM, True),
        "a Linux program named .txt": Hostile("text.txt", ELF_PROGRAM, True),
        "a zip bomb named .docx": Hostile("bomb.docx", docx_bomb(), True),
        "the billion laughs in a Word file": Hostile(
            "laughs.docx", _laughing(_docx(), "word/document.xml", b"w:document"), True
        ),
        "a Word file with a broken list of parts": Hostile("text.docx", _broken_content_types(), True),
        "text longer than a pasted text may be": Hostile("long.txt", b"A sentence.\n\n" * 50_000, True),
        "a name longer than the column": Hostile("n" * 250 + ".txt", b"First paragraph.\n\nSecond.", False),
        "a NUL in the name": Hostile(f"{MARK}\x00.txt", b"First paragraph.\n\nSecond.", False),
        "climbing folders": Hostile(f"../../{MARK}-9.txt", b"First paragraph.\n\nSecond.", False),
    }


def test_a_hostile_document_is_refused_with_the_title_kept(module_app, coordinator):
    wrong = []
    for label, hostile in hostile_documents().items():
        title = f"Draft law {uuid.uuid4().hex[:8]}"
        with module_app.app_context():
            before = _count(RoundDocument)
        status, page = _read(
            submit(
                coordinator,
                "/rounds/open-round/documents",
                {"title_en": title, "language": "en", "file": (io.BytesIO(hostile.data), hostile.name)},
                page="/rounds/open-round/manage",
                content_type="multipart/form-data",
            )
        )
        with module_app.app_context():
            added = _count(RoundDocument) - before
            latest = db.session.scalar(select(RoundDocument).order_by(RoundDocument.id.desc()))
            source = latest.source_name if latest else None
        if hostile.refused:
            if status != 422 or 'class="error-summary"' not in page or added:
                wrong.append(f"{label}: {status}, {added} added")
            elif title not in page:
                wrong.append(f"{label}: the title is lost")
        elif status != 302 or added != 1 or re.search(r"[\\/\x00-\x1f]", source or "") or len(source) > 150:
            wrong.append(f"{label}: {status}, {added} added, named {source!r}")
    assert _escapes(module_app) == []
    assert not wrong, "\n".join(wrong)


def test_the_round_holds_only_what_was_accepted(module_app):
    with module_app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.slug == "open-round"))
        texts = [p.text for document in round_.documents for p in document.paragraphs]
    assert texts and all("\ufffd" not in text and "ELF" not in text for text in texts)
