"""Unicode that attacks or confuses: bidi overrides, zero-width characters, NUL, lone surrogates, and text at
its limit and one character over, in comments, people's names, organisations' names and file names.

What the people who use the platform expect, decided here:

- Arabic and Persian text keeps the marks it needs: the right-to-left and left-to-right marks (U+200F,
  U+200E), the zero-width joiner and non-joiner (U+200D, U+200C), and the zero-width space (U+200B) inside a
  name or a comment are accepted and kept exactly as typed. So is a bidi override (U+202E), which some
  editors paste; but a name shown on a page is isolated (`<bdi>`, or alone in its block) and a comment's
  paragraphs are blocks with their own direction, so that stored text can never reorder the page around it.
- A name or a comment made only of invisible characters is nothing: refused as empty, with the message for
  an empty field.
- A NUL character has no use in text and PostgreSQL refuses it: it is removed from what a form sends (the
  rest is kept) and refused in an address (400).
- The other characters no text needs (C0 controls but tab and line breaks, DEL and C1, the 66 non-characters:
  consult/text.py) are removed from every text field of every form too, the rest kept as typed; a field of
  choices refuses them. What is already stored is left out by every writer (test_stored_text.py).
- A lone surrogate cannot be UTF-8: sent as raw bytes in a form it is kept as the escapes that were sent
  (`%ED%A0%80`) or replaced with U+FFFD (a file upload's form); in JSON to the API (which only reads) it is
  answered in JSON. Never a server error.
- Limits count characters as the person sees them (a line break is one, as the page's counter counts it):
  text at its limit is accepted; one character over is refused with a message and the text kept.
- A file's name is cleaned of every invisible character (it names a file; tests/comments test that) and
  shortened, extension kept, past 150 characters: never refused for its name.
"""

import dataclasses
import inspect
import io
import json
import uuid
from collections.abc import Iterator

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf.file import FileField, MultipleFileField
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField
from wtforms.fields.choices import SelectFieldBase
from wtforms.fields.core import UnboundField

from consult.accounts.models import User
from consult.comments.models import Attachment, Comment
from consult.comments.services import MAX_LENGTH
from consult.extensions import db
from consult.organisations.models import Organisation
from tests.accessibility.world import _png
from tests.helpers import PASSWORD, csrf_token, next_totp_code, submit
from tests.security.forms import FORMS, text_fields_of_every_form
from tests.security.forms import NOT_TEXT as STORED_NOT_TEXT
from tests.security.forms import _ids as xss_ids
from tests.security.forms import _send as send_form
from tests.security.world import (
    AttackWorld,
    attack_site,
    fetch_every_get_route,
    free_text_columns,
    signed_in_clients,
)

RLO = "\u202e"
#: Arabic and Persian with the marks they need: a right-to-left mark, a non-joiner, a joiner.
ARABIC_NAME = "مركز\u200cحقوق\u200d الإنسان\u200f (ع.م)"
PERSIAN_TEXT = "می\u200cخواهم گزارش را بخوانم\u200f. ZWSP:\u200b."
INVISIBLE = "\u200b\u200d\ufeff\u200e\u202e \u2066"
#: The names pages show beside other words: each gets a bidi override.
PLANTED = (User.display_name, Organisation.name, Organisation.acronym, Attachment.filename)
#: Elements that start a block: text alone in one cannot reorder anything else.
BLOCKS = frozenset(
    [
        "html",
        "body",
        "main",
        "header",
        "footer",
        "nav",
        "section",
        "article",
        "aside",
        "div",
        "p",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "form",
        "fieldset",
        "legend",
        "figure",
        "figcaption",
        "details",
        "summary",
        "address",
    ]
)
#: Elements whose text is its own line, never mixed with the page's: form values and the window's title.
OWN_LINE = frozenset({"title", "option", "textarea", "script", "style"})


@pytest.fixture(scope="module")
def site(database, smtp_server, tmp_path_factory) -> Iterator[tuple[Flask, AttackWorld]]:
    """The attack world, with a bidi override in every name that pages show beside other words."""
    with attack_site(database, smtp_server, tmp_path_factory) as (app, attack):
        with app.app_context():
            mark = f" {RLO}evil "
            for column in PLANTED:
                kept = func.substr(column, 1, column.type.length - len(mark))
                db.session.execute(update(column.class_).values({column: mark + kept}))
            db.session.commit()
        yield app, attack


@pytest.fixture(scope="module")
def clients(site) -> dict[str, FlaskClient]:
    return signed_in_clients(*site, ("anonymous", "contributor", "coordinator"))


def _words(text: str) -> str:
    return " ".join(text.split())


def unisolated(page: str, values: set[str]) -> list[str]:
    """Text with a bidi override that is neither isolated (`<bdi>`, an inline element with `dir`) nor one of
    the stored values alone in its block, where it would reorder the words around it."""
    found = []
    for element in lxml.html.document_fromstring(page).iter():
        if not isinstance(element.tag, str):
            continue
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            if text and RLO in text and holder is not None and not _isolated(holder, values):
                found.append(lxml.html.tostring(holder, encoding="unicode")[:160])
    return found


def _isolated(holder, values: set[str]) -> bool:
    node = holder
    while node is not None:
        if node.tag in OWN_LINE:
            return True
        if node.tag in BLOCKS:
            return _words(node.text_content()) in values
        if node.tag == "bdi" or node.get("dir"):
            return True
        node = node.getparent()
    return False


def test_isolation_is_what_the_check_says():
    olga = {f"Olga{RLO}x"}
    assert unisolated(f"<p><bdi>Olga{RLO}x</bdi> · NGO</p>", olga) == []
    assert unisolated(f"<table><tr><td><a href='/'>Olga{RLO}x</a></td></tr></table>", olga) == []
    assert unisolated(f"<p><span dir='auto'>Olga{RLO}x</span> · NGO</p>", olga) == []
    assert unisolated(f"<p>Olga{RLO}x · NGO</p>", olga) != []
    assert unisolated(f"<div dir='ltr'><strong>Olga{RLO}x</strong> · NGO</div>", olga) != []


def _planted(app: Flask) -> set[str]:
    """Every stored value that carries a bidi override, as its words."""
    with app.app_context():
        return {
            _words(value)
            for column in PLANTED
            for value in db.session.scalars(select(column))
            if value and RLO in value
        }


def test_a_bidi_override_in_a_name_never_reorders_a_page(site, clients):
    app, attack = site
    values = _planted(app)
    problems, seen = [], 0
    for role, _endpoint, path, response, _parameters in fetch_every_get_route(app, attack, clients):
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        page = response.get_data(as_text=True)
        seen += RLO in page
        problems += [f"{role} {path}: {html}" for html in unisolated(page, values)]
    assert problems == [], "\n".join(problems)
    assert seen >= 20


def _token(client: FlaskClient) -> str:
    return csrf_token(client, "/accounts/settings")


def _comment(client: FlaskClient, slug: str, body: str | bytes, files=None):
    """The contributor's comment form, sent as the browser sends it."""
    data = {
        "csrf_token": _token(client),
        "target": "round",
        "idempotency_key": uuid.uuid4().hex,
        "body": body,
        "language": "ar",
        "publication": "named",
        "organisation": "0",
    }
    if files:
        data["attachments"] = files
    return client.post(f"/comments/new/{slug}", data=data)


def _stored_comment(app: Flask, response) -> Comment:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        public_id = response.location.rsplit("/", 1)[1]
        return db.session.scalar(
            select(Comment).where(Comment.public_id == public_id).options(selectinload(Comment.attachments))
        )


def _settings(client: FlaskClient, name: str):
    data = {"csrf_token": _token(client), "display_name": name, "locale": "", "timezone": ""}
    return client.post("/accounts/settings", data=data)


def _propose(client: FlaskClient, name: str):
    data = {"propose-csrf_token": _token(client), "propose-name": name, "propose-type": "ngo"}
    return client.post("/organisations/propose", data=data)


def _named(app: Flask, model, column, value: str):
    with app.app_context():
        return db.session.scalar(select(model).where(column == value))


def test_arabic_and_persian_text_keeps_its_marks_exactly(site, clients):
    app, attack = site
    contributor = clients["contributor"]
    assert _settings(contributor, ARABIC_NAME).status_code == 302
    assert _named(app, User, User.display_name, ARABIC_NAME) is not None
    assert _propose(contributor, ARABIC_NAME).status_code == 302
    assert _named(app, Organisation, Organisation.name, ARABIC_NAME) is not None
    comment = _stored_comment(app, _comment(contributor, attack.world.open_slug, PERSIAN_TEXT))
    assert comment.body == PERSIAN_TEXT


def test_a_name_or_a_comment_of_invisible_characters_only_is_refused_as_empty(site, clients):
    app, attack = site
    contributor = clients["contributor"]
    for response in (_settings(contributor, INVISIBLE), _propose(contributor, INVISIBLE)):
        assert response.status_code == 422
        assert "This field is required." in response.get_data(as_text=True)
    response = _comment(contributor, attack.world.open_slug, INVISIBLE + "\r\n\t")
    assert response.status_code == 422 and "Write your comment." in response.get_data(as_text=True)
    visitor = app.test_client()
    visitor.environ_base["REMOTE_ADDR"] = "10.9.0.1"
    registration = {
        "csrf_token": csrf_token(visitor, "/accounts/register"),
        "display_name": INVISIBLE,
        "email": "invisible@example.org",
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    response = visitor.post("/accounts/register", data=registration)
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)
    assert _named(app, User, User.email, "invisible@example.org") is None


def test_nul_is_removed_from_a_form_and_refused_in_an_address(site, clients):
    app, attack = site
    contributor = clients["contributor"]
    comment = _stored_comment(app, _comment(contributor, attack.world.open_slug, "Before\x00 after"))
    assert comment.body == "Before after"
    assert _settings(contributor, "Ol\x00ga").status_code == 302
    assert _named(app, User, User.display_name, "Olga") is not None
    for path in ("/plan/recommendations?q=%00", "/rounds/?stage=%00", "/api/v1/recommendations?q=a%00"):
        assert clients["anonymous"].get(path).status_code == 400, path


def test_a_lone_surrogate_is_kept_as_sent_or_replaced_never_a_server_error(site, clients):
    app, attack = site
    contributor = clients["contributor"]
    slug = attack.world.open_slug
    token, key = _token(contributor), uuid.uuid4().hex
    form = (
        f"csrf_token={token}&target=round&idempotency_key={key}&language=ar&publication=named"
        "&organisation=0&body=Before%ED%A0%80after"
    )
    response = contributor.post(
        f"/comments/new/{slug}", data=form, content_type="application/x-www-form-urlencoded"
    )
    assert _stored_comment(app, response).body == "Before%ED%A0%80after"
    fields = {"csrf_token": token, "target": "round", "idempotency_key": uuid.uuid4().hex}
    fields |= {"language": "ar", "publication": "named", "organisation": "0"}
    parts = [
        f'--b\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        b'--b\r\nContent-Disposition: form-data; name="body"\r\n\r\nBefore\xed\xa0\x80after\r\n--b--\r\n'
    )
    response = contributor.post(
        f"/comments/new/{slug}", data=b"".join(parts), content_type="multipart/form-data; boundary=b"
    )
    assert "\ufffd" in _stored_comment(app, response).body
    visitor = clients["anonymous"]
    assert visitor.get("/plan/recommendations?q=%ED%A0%80").status_code == 200
    answer = visitor.get("/api/v1/recommendations?q=%ED%A0%80")
    assert answer.status_code == 200 and answer.get_json()["data"] == []
    posted = visitor.post("/api/v1/rounds", data='{"q": "\\ud800"}', content_type="application/json")
    assert posted.status_code == 405 and posted.get_json()["error"]["code"] == "method_not_allowed"


def test_text_at_its_limit_is_accepted_and_one_character_over_is_refused_with_the_text_kept(site, clients):
    app, attack = site
    contributor = clients["contributor"]
    # A browser sends each line break as CR LF; the page's counter, and the person, count it as one.
    at_limit = "\r\n".join(["ع" * 99] * 50) + "ع"
    assert len(at_limit.replace("\r\n", "\n")) == MAX_LENGTH
    comment = _stored_comment(app, _comment(contributor, attack.world.open_slug, at_limit))
    assert comment.body == at_limit.replace("\r\n", "\n")
    over = at_limit + "ع"
    response = _comment(contributor, attack.world.open_slug, over)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"The comment is {MAX_LENGTH + 1} characters long; the limit is {MAX_LENGTH}." in page
    assert over.replace("\r\n", "\n") in page

    for send, limit, model, column in (
        (_settings, 120, User, User.display_name),
        (_propose, 200, Organisation, Organisation.name),
    ):
        name = "ن" * (limit - 1) + "\u200c"
        assert send(contributor, name).status_code == 302
        assert _named(app, model, column, name) is not None
        response = send(contributor, name + "ن")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f"Field cannot be longer than {limit} characters." in page and name + "ن" in page

    # A file's name is shortened past 150 characters, its extension kept: never refused for its name.
    for stem_length, kept in ((146, "م" * 146 + ".png"), (147, "م" * 146 + ".png")):
        files = [(io.BytesIO(_png()), "م" * stem_length + ".png")]
        comment = _stored_comment(app, _comment(contributor, attack.world.open_slug, "A map.", files))
        assert [a.filename for a in comment.attachments] == [kept]


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_a_second_factor_code_in_arabic_indic_digits_is_accepted_and_other_digits_are_refused(site):
    """A phone set to Arabic types ٠١٢٣٤٥٦٧٨٩; a superscript "²" is a digit to Python's isdigit but no
    number: refused like a wrong code, never a server error."""
    app, attack = site
    moderator = attack.world.accounts["moderator"]
    for number, (code, signed_in) in enumerate(
        (("²²²²²²", False), (next_totp_code(app, moderator).translate(ARABIC_INDIC), True))
    ):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.9.1.{number}"
        credentials = {"email": moderator.email, "password": moderator.password}
        assert submit(client, "/accounts/sign-in", credentials).status_code == 302
        if signed_in:  # the code is read now: a step the server has not seen yet
            code = next_totp_code(app, moderator).translate(ARABIC_INDIC)
        response = submit(client, "/accounts/sign-in/code", {"code": code})
        assert response.status_code == (302 if signed_in else 422), code


# Control characters and non-characters: removed from every text field of every form, the rest kept

#: Inside every value sent: all the characters forms remove (tests/security/test_stored_text.py lists them).
SENT = "Be" + "".join(STORED_NOT_TEXT) + "fore"


def _every_form_class() -> list[type]:
    """Every form class of the app (each feature's forms module imported)."""
    import importlib
    import pkgutil

    import consult
    from consult.forms import Form

    for module in pkgutil.walk_packages(consult.__path__, "consult."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, classes = [], [Form]
    while classes:
        form_class = classes.pop()
        classes += form_class.__subclasses__()
        found.append(form_class)
    return found


def test_every_text_field_of_every_form_removes_them_and_keeps_the_rest(site):
    """Derived from the forms: each field of each form is sent a value with every one of the characters.
    A text field reads it without them (a password excepted: it is never written out, and must match as
    typed); a field of choices refuses it; no other field reads it as text."""
    app, _attack = site
    problems, text_fields = [], 0
    with app.test_request_context(method="POST"):
        for form_class in _every_form_class():
            names = [n for n, _v in inspect.getmembers(form_class, lambda v: isinstance(v, UnboundField))]
            form = form_class(formdata=MultiDict({name: SENT for name in names}), meta={"csrf": False})
            for field in form:
                where = f"{form_class.__name__}.{field.name}"
                if isinstance(field, PasswordField | FileField | MultipleFileField):
                    continue
                if isinstance(field, StringField):
                    text_fields += 1
                    if field.data != "Before":
                        problems.append(f"{where} read {field.data!r}")
                elif isinstance(field, SelectFieldBase):
                    field.choices = field.choices or []  # a view gives some their choices
                    if field.validate(form):
                        problems.append(f"{where} accepted {field.data!r}")
                elif isinstance(field.data, str) and field.data != "Before":
                    problems.append(f"{where} ({type(field).__name__}) read {field.data!r}")
    assert problems == [], "\n".join(problems)
    assert text_fields >= 60


def _stored_with_them() -> list[str]:
    """Every stored free-text value (JSON as its text) that holds one of the characters."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in free_text_columns(table):
            for value in db.session.scalars(select(column)):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if text and any(char in text for char in STORED_NOT_TEXT):
                    found.append(f"{table.name}.{column.name}: {text[:60]!r}")
    return found


def test_what_every_form_saves_holds_none_of_them(site, clients):
    """The same through the real POST of every form (tests/security/test_xss.py sends each): what the
    database holds afterwards has none of the characters, and the text around them is there."""
    app, attack = site
    everyone = {**clients, **signed_in_clients(app, attack, ("moderator",))}
    forms = text_fields_of_every_form()
    assert set(forms) == set(FORMS)
    failed, sent = [], {}
    for form_name, groups in sorted(forms.items()):
        post = FORMS[form_name]
        for group in groups:
            number = 500 + len(sent)
            values = {**xss_ids(app, attack), "n": number, "key": uuid.uuid4().hex}
            marks = {name: f"M{number}{name[-2:]}" for name in group}
            data = {k: v.format(**values) for k, v in post.data.items()}
            data |= {name: f"{mark[:3]}{SENT}{mark[3:]}" for name, mark in marks.items()}
            response, _client = send_form(app, everyone, dataclasses.replace(post, data=data), values, number)
            if response.status_code >= 500:
                failed.append(f"{form_name}.{group[0]}: {response.status_code}")
            sent |= {mark: f"{form_name}.{name}" for name, mark in marks.items()}
    with app.app_context():
        stored = _stored_with_them()
        everything = " ".join(
            str(value)
            for table in db.metadata.sorted_tables
            for column in free_text_columns(table)
            for value in db.session.scalars(select(column))
        )
    assert failed == [] and stored == [], "\n".join(failed + stored)
    kept = {name for mark, name in sent.items() if f"{mark[:3]}Before{mark[3:]}" in everything}
    assert len(kept) >= 40, sorted(set(sent.values()) - kept)
