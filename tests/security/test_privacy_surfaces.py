"""What tests/test_privacy.py does not sweep: every page as another contributor, files as a coordinator (they
leave the mechanism), the JSON API read with a staff session's cookie, searches for an author, the page
after the first of a round, the e-mails other people get, the time of day of an anonymous comment; every
public page and the files it loads for a host other than this one; and the client's address, which no row
of any table and no stored file may keep, whatever a person does.

The world is the accessibility tests' (tests/accessibility/world.py: every page has something on it), with an
anonymous and a confidential comment by Hidden Person in both rounds, enough newer comments that the closed
round's first page ends at the anonymous one, and an organisation with a website.
"""

import csv
import dataclasses
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import User
from consult.api import services as api_services
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.organisations.models import Organisation
from consult.rounds import notifications
from consult.rounds import services as rounds
from consult.rounds.models import ModerationMode, Round
from tests.accessibility.world import World, _urls, build_world
from tests.conftest import link_in
from tests.factories import CommentFactory, RoundFactory, UserFactory, comment_form, made_final
from tests.files import _pdf, png_with_gps
from tests.helpers import PASSWORD, make_user, sign_in, submit
from tests.reports.readable import readable, xlsx_cells

# module_app (tests/security/conftest.py): the module's application, built once

HOST = "consult.test"
HIDDEN = "Hidden Person"
CONFIDENTIAL = "A guard threatened me after my visit. Secret witness account."
#: When the anonymous comment of the closed round was published: a time of day nobody else has.
ANONYMOUS_AT = datetime(2026, 3, 4, 3, 17, 29, 123456, tzinfo=UTC)


@dataclass(frozen=True)
class PrivacyWorld:
    """The accessibility world and what no public surface may show."""

    world: World
    secrets: tuple[str, ...]


def _hidden_person() -> User:
    return db.session.scalar(select(User).where(User.display_name == HIDDEN))


def _newer_comments(round_: Round, count: int, after: datetime) -> None:
    """count named comments published after a moment, each by a person of its own. The moments are the
    test's, not the clock's: the comments are written as rows."""
    for number in range(count):
        author = UserFactory(
            display_name=f"Reader {number}", email=f"reader{number}@example.org", email_verified_at=after
        )
        published = after + timedelta(minutes=number + 1)
        db.session.add(
            Comment(
                round_id=round_.id,
                author_id=author.id,
                idempotency_key=uuid.uuid4().hex,
                target_type=TargetType.round,
                body=f"Another voice {number}.",
                language="en",
                publication=Publication.named,
                receipt_number=f"R-N{number}",
                state=CommentState.published,
                submitted_at=published,
                published_at=published,
            )
        )


def build_privacy_world(app: Flask) -> PrivacyWorld:
    world = build_world(app)
    with app.test_request_context():
        hidden = _hidden_person()
        closed = db.session.scalar(select(Round).where(Round.slug == world.closed_slug))
        opened = db.session.scalar(select(Round).where(Round.slug == world.open_slug))
        anonymous = db.session.scalar(
            select(Comment).where(Comment.round_id == closed.id, Comment.publication == Publication.anonymous)
        )
        # Newest of the round's first input, with nineteen newer: the first page (20) ends with it.
        anonymous.submitted_at = anonymous.published_at = ANONYMOUS_AT
        older = ANONYMOUS_AT - timedelta(days=1)
        for comment in db.session.scalars(select(Comment).where(Comment.round_id == closed.id)):
            if comment.id != anonymous.id:
                comment.submitted_at = comment.published_at = older
        _newer_comments(closed, 19, ANONYMOUS_AT)
        for publication, body in (
            (Publication.anonymous, "Nobody inspects the north."),
            (Publication.confidential, CONFIDENTIAL),
        ):
            CommentFactory(
                round=opened,
                author=hidden,
                body=body,
                publication=publication,
                at_risk=publication is Publication.confidential,
            )
        ngo = db.session.get(Organisation, world.values["organisation_id"])
        ngo.website = "https://legal-aid.example.org/"
        rounds.set_invitations(None, opened, [ngo.id])
        db.session.commit()
        secrets = (HIDDEN, hidden.email, CONFIDENTIAL, *_moments(ANONYMOUS_AT))
    return PrivacyWorld(world, secrets)


def _moments(moment: datetime) -> tuple[str, ...]:
    """The ways a page could write a moment's time of day: clock time, epoch seconds and microseconds."""
    return (
        moment.strftime("%H:%M:%S"),
        moment.strftime("%H%M%S"),
        str(int(moment.timestamp())),
        str(int(moment.timestamp() * 1_000_000)),
    )


@pytest.fixture(scope="module")
def privacy_world(module_app) -> PrivacyWorld:
    return build_privacy_world(module_app)


@pytest.fixture(scope="module")
def readers(module_app, privacy_world) -> dict[str, FlaskClient]:
    """A visitor, a contributor who wrote none of it, and a coordinator."""
    browsers = {"visitor": module_app.test_client()}
    for who, roles in (("stranger", ()), ("coordinator", None)):
        browsers[who] = module_app.test_client()
        account = (
            privacy_world.world.accounts["coordinator"] if roles is None else make_user(module_app, roles)
        )
        sign_in(browsers[who], module_app, account)
    return browsers


def _leaks(text_read: str, secrets: tuple[str, ...]) -> list[str]:
    return [secret for secret in secrets if secret in text_read]


def _round_pages(client: FlaskClient, world: World) -> list[str]:
    """The rounds' pages after the first, by the links their first pages give."""
    found = []
    for slug in world.slugs:
        page = client.get(f"/rounds/{slug}").get_data(as_text=True)
        found += [
            link.replace("&amp;", "&") for link in re.findall(r'href="(/rounds/[^"]*before=[^"]*)"', page)
        ]
    return found


def test_no_page_or_file_shows_an_anonymous_authors_name_or_when_they_wrote(
    module_app, privacy_world, readers
):
    """Every GET route of the URL map on the world's objects, and the rounds' next pages: as a visitor and as
    a contributor who wrote none of it, nothing of Hidden Person's; as a coordinator, nothing in any file,
    feed, chart or JSON answer, which leave the mechanism."""
    world = privacy_world.world
    urls = [path for _endpoint, path in _urls(module_app, world)] + _round_pages(readers["visitor"], world)
    assert any("before=" in url for url in urls)  # the closed round has a second page
    found, read = [], 0
    for url in urls:
        for who, client in readers.items():
            with client.get(url) as response:
                if response.status_code != 200 or (who == "coordinator" and response.mimetype == "text/html"):
                    continue
                leaked = _leaks(readable(response), privacy_world.secrets)
            read += 1
            if leaked:
                found.append(f"{url} as {who}: {leaked}")
    assert read > 150
    assert not found, "\n".join(found)


def test_the_api_reads_as_the_public_whatever_session_asks(module_app, privacy_world, readers):
    """A signed-in coordinator's cookie opens nothing more in the API than no cookie: every endpoint answers
    the same, and confidential input needs a token, never a session."""
    api = [path for endpoint, path in _urls(module_app, privacy_world.world) if endpoint.startswith("api.")]
    assert len(api) > 10
    for path in api:
        with readers["visitor"].get(path) as public, readers["coordinator"].get(path) as staff:
            assert (staff.status_code, staff.get_json()) == (public.status_code, public.get_json()), path
    for slug in privacy_world.world.slugs:
        for who in ("stranger", "coordinator"):
            response = readers[who].get(f"/api/v1/rounds/{slug}/comments?include=confidential")
            assert response.status_code == 403


def _found(response) -> list[int]:
    """The recommendations a list answer shows: the page's links to them, or the API's ids."""
    with response:
        if response.is_json:
            return [row["id"] for row in response.get_json()["data"]]
        return [
            int(i) for i in re.findall(r'href="/plan/recommendations/(\d+)"', response.get_data(as_text=True))
        ]


def test_searching_for_an_author_finds_nothing(module_app, privacy_world, readers):
    """A search by an anonymous author's name or address, or by confidential words, finds what a search for
    nonsense finds: nothing says what they wrote about (while a search for a recommendation's words does)."""
    visitor = readers["visitor"]
    for path in ("/plan/recommendations", "/api/v1/recommendations"):
        assert _found(visitor.get(path, query_string={"q": "OPCAT"}))
        assert _found(visitor.get(path, query_string={"q": uuid.uuid4().hex})) == []
        for secret in privacy_world.secrets[:3]:
            assert _found(visitor.get(path, query_string={"q": secret})) == [], (path, secret)


def test_no_email_to_someone_else_tells_of_an_anonymous_or_confidential_comment(
    module_app, privacy_world, smtp_server
):
    """Everything the mechanism tells people about a round (opened, closing, extended) reaches invited members
    and every author; only Hidden Person's own e-mails may speak of their comments."""
    inbox = smtp_server[1]
    inbox.clear()
    world = privacy_world.world
    coordinator = module_app.test_client()
    sign_in(coordinator, module_app, world.accounts["coordinator"])
    with module_app.app_context():
        opened = db.session.scalar(select(Round).where(Round.slug == world.open_slug))
        round_id, closes_at = opened.id, opened.closes_at
        hidden_email = _hidden_person().email
    later = (closes_at + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = submit(
        coordinator,
        f"/rounds/{world.open_slug}/extend",
        {"closes_at": later},
        page=f"/rounds/{world.open_slug}/manage",
    )
    assert response.status_code == 302
    with module_app.test_request_context():
        notifications.send_round_opened(round_id)
        notifications.send_round_closing(round_id)
    messages = [m for m in inbox.messages if m["To"] != hidden_email]
    assert len(messages) >= 3  # a member of the invited organisation, who also wrote in the round
    for message in messages:
        assert _leaks(message.get_content(), privacy_world.secrets) == [], message["To"]


# --- Nothing from elsewhere ---------------------------------------------------------------------------------

#: Attributes that load, send or follow to an address.
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "background", "xlink:href", "cite"}


class _References(HTMLParser):
    """Every address an HTML page names, with the tag and attribute that names it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.found.append((tag, name, value, attributes))
            elif name in ("srcset", "imagesrcset"):
                self.found += [
                    (tag, name, part.split()[0], attributes) for part in value.split(",") if part.strip()
                ]
            elif name == "style":
                self.found += [(tag, name, url, attributes) for url in _css_urls(value)]
            elif name == "content" and attributes.get("http-equiv", "").lower() == "refresh":
                self.found.append((tag, name, value.partition("=")[2].strip(" '\""), attributes))

    handle_startendtag = handle_starttag


def _css_urls(css: str) -> list[str]:
    return [u.strip(" '\"") for u in re.findall(r"url\(([^)]*)\)", css)] + re.findall(
        r"@import\s+['\"]([^'\"]+)", css
    )


def _off_site(address: str) -> bool:
    """Whether an address reaches another host (a scheme other than this site's, or another host)."""
    parts = urlsplit(address.strip())
    if parts.scheme in ("", "http", "https"):
        return parts.netloc not in ("", HOST)
    return parts.scheme not in ("data", "mailto")


def _allowed_link(tag: str, name: str, attributes: dict) -> bool:
    """The one address of another host a page may name: an organisation's website, a link a reader chooses
    to follow, which loads nothing and carries no referrer (templates/organisations/show.html)."""
    return tag == "a" and name == "href" and "noreferrer" in attributes.get("rel", "").split()


def test_no_page_loads_anything_from_another_host(module_app, privacy_world, readers):
    """Every page a visitor can open, the stylesheets, scripts and icons they load: only this site."""
    visitor = readers["visitor"]
    urls = [path for _e, path in _urls(module_app, privacy_world.world)] + ["/no-such-page"]
    found, pages, assets, links = [], 0, set(), 0
    for url in urls:
        with visitor.get(url) as response:
            if response.mimetype != "text/html":
                continue
            parser = _References()
            parser.feed(response.get_data(as_text=True))
        pages += 1
        for tag, name, address, attributes in parser.found:
            if not _off_site(address):
                if tag in ("link", "script", "img") and address.startswith("/static/"):
                    assets.add(address.split("?")[0])
            elif _allowed_link(tag, name, attributes):
                links += 1
            else:
                found.append(f"{url}: <{tag} {name}={address!r}>")
    assert pages > 40 and links >= 1  # the organisation's website was seen, as the one allowed link
    assert {a for a in assets if a.endswith(".css")}
    static = Path(module_app.static_folder)
    for path in sorted(set(static.rglob("*.css")) | set(static.rglob("*.js")) | set(static.rglob("*.svg"))):
        content = path.read_text(encoding="utf-8")
        addresses = _css_urls(content) + re.findall(r"""(?:https?:)?//[^\s'"()<>]+""", content)
        found += [f"{path.name}: {a}" for a in addresses if _off_site(a) and "www.w3.org" not in a]
    assert not found, "\n".join(found)


# --- No address is kept -------------------------------------------------------------------------------------

CLIENT_ADDRESS = "203.0.113.77"
FORWARDED_FOR = "198.51.100.23"


def test_no_client_address_is_stored_with_anything_a_person_does(module_app, privacy_world, smtp_server):
    """Register, confirm, sign in, comment with a file, report a comment, contest a rejection, ask for a new
    password, read the API with a token: all from one address behind a proxy that names another. Then no
    column of any table and no stored file holds either address. (The rate limiter counts requests per
    address in its own store, memory or Redis, apart from the database and from any comment.)"""
    inbox = smtp_server[1]
    inbox.clear()
    # Every request from one address, through a proxy that names another in each header proxies use.
    environ = {
        "REMOTE_ADDR": CLIENT_ADDRESS,
        "HTTP_X_FORWARDED_FOR": FORWARDED_FOR,
        "HTTP_X_REAL_IP": FORWARDED_FOR,
        "HTTP_FORWARDED": f"for={FORWARDED_FOR}",
    }
    person = module_app.test_client()
    person.environ_base.update(environ)
    email = "address@example.org"
    registration = {
        "display_name": "Ada Address",
        "email": email,
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    assert submit(person, "/accounts/register", registration).status_code == 302
    confirm = link_in(inbox.last_to(email))
    assert submit(person, confirm).status_code == 302
    assert submit(person, "/accounts/sign-in", {"email": email, "password": PASSWORD}).status_code == 302
    world = privacy_world.world
    answer = submit(
        person,
        f"/comments/new/{world.open_slug}",
        comment_form(
            target="round", body="Written from a cafe.", attachments=[(io.BytesIO(_pdf()), "notes.pdf")]
        ),
        page=f"/comments/new/{world.open_slug}?target=round",
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    answer.request.input_stream.close()
    flagged = submit(
        person, f"/moderation/flag/{world.values['comment_public_id']}", {"reason": "personal_data"}
    )
    assert flagged.status_code == 302
    with module_app.test_request_context():
        mine = db.session.scalar(select(Comment).join(User).where(User.email == email))
        moderation.decide(
            db.session.get(User, world.accounts["coordinator"].id),
            mine,
            DecisionKind.remove,
            Reason.off_topic,
        )
        made_final(mine)  # its author may contest it
        db.session.commit()
        public_id = mine.public_id
    appealed = submit(
        person,
        f"/comments/{public_id}/appeal",
        {"statement": "Please look again."},
        page=f"/comments/{public_id}",
    )
    assert appealed.status_code == 302
    assert submit(person, "/accounts/sign-out", page="/accounts/settings").status_code == 302
    assert submit(person, "/accounts/reset", {"email": email}).status_code == 302
    with module_app.app_context():
        _token, secret = api_services.issue_token(None, "Address test", False)
        db.session.commit()
    api = module_app.test_client()
    api.environ_base.update(environ)
    assert api.get("/api/v1/rounds", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    with module_app.app_context():
        holding = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(table.select()):
                for column, value in row._mapping.items():
                    if any(address in repr(value) for address in (CLIENT_ADDRESS, FORWARDED_FOR)):
                        holding.append(f"{table.name}.{column}")
    stored = [
        path.name
        for path in Path(module_app.config["UPLOAD_FOLDER"]).iterdir()
        if any(address.encode() in path.read_bytes() for address in (CLIENT_ADDRESS, FORWARDED_FOR))
    ]
    assert holding == [] and stored == []


# --- No timing or ordering that links people ----------------------------------------------------------------

LINKED = "linked-round"
LINKED_PERSON = "Linda Linked"
#: Attribute values and JSON keys by which a public surface names a comment or a file.
REFERENCES = (
    re.compile(r"/comments/attachments/([^\"'\s<>?#&]+)"),
    re.compile(r"/comments/(?!attachments/|new/|mine\b)([^/\"'\s<>?#&]+)"),
    re.compile(r"/moderation/(?:flag|comments)/([^/\"'\s<>?#&]+)"),
    re.compile(r"#comment-([^\"'\s<>&]+)"),
    re.compile(r"\bid=\"comment-([^\"]+)\""),
    re.compile(r"[?&;]before=([^\"'\s<>#&]+)"),
    re.compile(r"/comments\?(?:[^\"'\s<>#]*?&(?:amp;)?)?after=([^\"'\s<>#&]+)"),
)
OPAQUE = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass(frozen=True)
class Sent:
    """One comment of the journey as the database holds it: what no public surface may give away."""

    row_id: int
    public_id: str
    publication: Publication
    receipt: str
    moments: tuple[datetime, ...]
    #: Of its attachments: public ids and stored names.
    file_ids: tuple[str, ...]
    storage_names: tuple[str, ...]


def _send(client: FlaskClient, body: str, publication: str, files: list[tuple[bytes, str]]) -> None:
    """The comment form, as a person fills it in: the round as a whole, with files."""
    answer = submit(
        client,
        f"/comments/new/{LINKED}",
        comment_form(
            target="round",
            body=body,
            publication=publication,
            attachments=[(io.BytesIO(data), name) for data, name in files],
        ),
        page=f"/comments/new/{LINKED}?target=round",
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    answer.request.input_stream.close()


@pytest.fixture(scope="module")
def linked_journey(module_app, privacy_world) -> dict[str, Sent]:
    """A public, post-moderated round where Linda Linked sends named and anonymous comments with files, one
    right after the other, between other people's comments: by body, what the database holds of each."""
    with module_app.app_context():
        now = datetime.now(UTC)
        RoundFactory(
            slug=LINKED,
            title={"en": "Linked consultation"},
            # Half an hour off the clock of the comments sent below, so that the round's own times (which
            # the API and pages show to the second) can never read as one of theirs.
            opens_at=now - timedelta(days=1, minutes=30),
            closes_at=now + timedelta(days=9, minutes=30),
            moderation_mode=ModerationMode.post,
        )
        db.session.commit()
    linda, others = module_app.test_client(), [module_app.test_client() for _ in range(2)]
    sign_in(linda, module_app, make_user(module_app, name=LINKED_PERSON))
    for number, other in enumerate(others):
        sign_in(other, module_app, make_user(module_app, name=f"Other Voice {number}"))
    journey = [
        (others[0], "Others: the prisons are full.", "named", []),
        (linda, "Linda named: I visited the north.", "named", [(png_with_gps(), "visit.jpg")]),
        (linda, "Linda anonymous: the guard hit him.", "anonymous", [(_pdf(), "statement.pdf")]),
        (others[1], "Others: the courts are slow.", "anonymous", []),
        (linda, "Linda named: the reforms are late.", "named", []),
        (linda, "Linda anonymous: the doctor saw it.", "anonymous", [(png_with_gps(), "wound.jpg")]),
        (others[0], "Others: legal aid is missing.", "named", []),
        (others[1], "Others: families cannot visit.", "named", []),
    ]
    for client, body, publication, files in journey:
        _send(client, body, publication, files)
    sent = {}
    with module_app.app_context():
        round_id = db.session.scalar(select(Round.id).where(Round.slug == LINKED))
        folder = Path(module_app.config["UPLOAD_FOLDER"])
        for comment in db.session.scalars(select(Comment).where(Comment.round_id == round_id)):
            files = comment.attachments
            mtimes = [datetime.fromtimestamp((folder / a.storage_name).stat().st_mtime, UTC) for a in files]
            sent[comment.body] = Sent(
                row_id=comment.id,
                public_id=comment.public_id,
                publication=comment.publication,
                receipt=comment.receipt_number,
                moments=(comment.submitted_at, comment.published_at, *(a.created_at for a in files), *mtimes),
                file_ids=tuple(a.public_id for a in files),
                storage_names=tuple(a.storage_name for a in files),
            )
    assert len(sent) == len(journey) and all(s.publication.value != "confidential" for s in sent.values())
    return sent


def _linda(sent: dict[str, Sent], publication: Publication) -> list[Sent]:
    return [s for body, s in sent.items() if body.startswith("Linda") and s.publication is publication]


@pytest.fixture(scope="module")
def public_surfaces(module_app, privacy_world, linked_journey) -> dict[str, object]:
    return _public_surfaces(module_app, privacy_world.world)


def _public_surfaces(app: Flask, world: World) -> dict[str, object]:
    """Every answer an outsider can fetch signed out, by address: every GET route of the URL map on the
    world's objects and on the linked round, the rounds' later pages, the API's next pages and every file
    a page links to (with its headers)."""
    visitor = app.test_client()
    everywhere = dataclasses.replace(world, slugs=(*world.slugs, LINKED))
    queue = [path for _endpoint, path in _urls(app, everywhere)] + _round_pages(visitor, everywhere)
    queue.append(f"/api/v1/rounds/{LINKED}/comments?limit=3")
    found = {}
    while queue:
        url = queue.pop()
        if url in found:
            continue
        response = visitor.get(url)
        response.get_data()  # read whole, a streamed export too, before the answer is closed
        response.close()
        if response.status_code != 200:
            continue
        found[url] = response
        if response.is_json and isinstance(response.get_json(), dict) and response.get_json().get("next"):
            next_url = urlsplit(response.get_json()["next"])
            queue.append(f"{next_url.path}?{next_url.query}")
        if response.mimetype == "text/html":
            queue += [
                u.replace("&amp;", "&")
                for u in re.findall(r'href="(/comments/attachments/[^"]+)"', _text(response))
            ]
    return found


def _text(response) -> str:
    return response.get_data().decode("utf-8", errors="replace")


def _comment_ids_in_data(value: object) -> list[object]:
    """The ids by which JSON (the API, exports) names comments: a record's id where it has a publication
    choice, and a quotation's comment_id (not the OpenAPI document's schemas of them)."""
    found = []
    if isinstance(value, dict):
        if "publication" in value and "id" in value and not isinstance(value["id"], dict):
            found.append(value["id"])
        if "comment_id" in value and not isinstance(value["comment_id"], dict):
            found.append(value["comment_id"])
        for item in value.values():
            found += _comment_ids_in_data(item)
    elif isinstance(value, list):
        for item in value:
            found += _comment_ids_in_data(item)
    return found


def _records(response) -> list[dict] | None:
    """The comment records of an export or an API list, in the order given; None for any other answer."""
    if response.mimetype == "text/csv":
        rows = list(csv.DictReader(io.StringIO(_text(response).lstrip("\ufeff"))))
    elif response.mimetype.endswith("spreadsheetml.sheet"):
        cells = xlsx_cells(response.get_data())
        rows = [dict(zip(cells[0], row, strict=True)) for row in cells[1:]] if cells else []
    elif response.is_json:
        data = response.get_json()
        rows = data.get("data") if isinstance(data, dict) else data
    else:
        return None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return None
    return rows if all("publication" in r and "id" in r for r in rows) else None


def test_no_public_surface_names_a_comment_or_a_file_by_its_row_id(public_surfaces, linked_journey):
    """Every address, anchor, page link and JSON or export id by which the public can name a comment or a
    file is its random public id, never a sequential row id (which would show that an anonymous comment was
    sent right after its author's named one); no receipt number and no stored name leaves."""
    surfaces = public_surfaces
    assert any(LINKED in url and "feed" in url for url in surfaces)
    downloads = [url for url in surfaces if url.startswith("/comments/attachments/")]
    assert len(downloads) >= 3  # the world's photo and Linda's three files
    rows = {str(s.row_id) for s in linked_journey.values()}
    wrong, named = [], 0
    for url, response in surfaces.items():
        text = _text(response) if not response.mimetype.startswith(("image/", "application/pdf")) else ""
        references = [m for pattern in REFERENCES for m in pattern.findall(url + "\n" + text)]
        records = _records(response)
        if response.is_json:
            references += _comment_ids_in_data(response.get_json())
        elif records:
            references += [r["id"] for r in records]
        named += len(references)
        wrong += [f"{url}: {ref!r}" for ref in references if not OPAQUE.fullmatch(str(ref))]
        for sent in linked_journey.values():
            for secret in (sent.receipt, *sent.storage_names):
                if secret in text:
                    wrong.append(f"{url}: shows {secret}")
        if records:
            wrong += [f"{url}: a row id" for r in records if str(r["id"]) in rows]
    assert named > 50
    assert not wrong, "\n".join(sorted(set(wrong)))


def _zip_times(data: bytes) -> list[str]:
    """Every time an archive (XLSX, DOCX) holds: its members' dates and its core properties' times."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        times = [datetime(*info.date_time).strftime("%Y-%m-%dT%H:%M:%S") for info in archive.infolist()]
        if "docProps/core.xml" in archive.namelist():
            core = archive.read("docProps/core.xml").decode()
            times += re.findall(r"<(?:dcterms:created|dcterms:modified|cp:lastPrinted)[^>]*>([^<]*)<", core)
    return times


def test_no_public_surface_dates_an_anonymous_comment_finer_than_the_day(public_surfaces, linked_journey):
    """Beside Linda's anonymous comments and files, nothing an outsider reads holds a time finer than the
    day: no clock time or epoch of their sending, publication or upload in any page, feed, API answer,
    export or report; every Last-Modified at midnight; no ETag made of a file's time; every member and core
    property of a served archive, and a PDF's creation date, dated at the day's start."""
    surfaces = public_surfaces
    moments = tuple(
        clue
        for sent in _linda(linked_journey, Publication.anonymous)
        for m in sent.moments
        for clue in _moments(m)
    )
    assert moments
    wrong = []
    for url, response in surfaces.items():
        headers = f"{response.headers.get('ETag', '')} {response.headers.get('Last-Modified', '')}"
        leaked = _leaks(readable(response) + " " + _text(response) + " " + headers, moments)
        if leaked:
            wrong.append(f"{url}: {leaked}")
        modified = response.headers.get("Last-Modified")
        if modified and not modified.endswith(" 00:00:00 GMT"):
            wrong.append(f"{url}: Last-Modified {modified}")
        if response.mimetype.endswith(("spreadsheetml.sheet", "wordprocessingml.document")):
            wrong += [
                f"{url}: {t}" for t in _zip_times(response.get_data()) if not re.search(r"T00:00:00Z?$", t)
            ]
        if response.mimetype == "application/pdf":
            dates = re.findall(rb"/(?:CreationDate|ModDate) ?\(D:\d{8}(\d{6})", response.get_data())
            wrong += [f"{url}: PDF dated {d!r}" for d in dates if d != b"000000"]
    assert any(url.endswith("comments.xlsx") for url in surfaces)
    assert not wrong, "\n".join(wrong)


def test_an_anonymous_comment_shares_no_token_with_its_authors_named_one(public_surfaces, linked_journey):
    """What the public sees of Linda's anonymous comments and files (their ids, addresses, ETags, names) has
    nothing in common with what it sees of her named ones: no shared upload token, receipt or stored name."""
    surfaces = public_surfaces
    named, anonymous = (_linda(linked_journey, p) for p in (Publication.named, Publication.anonymous))

    def shown(group: list[Sent]) -> set[str]:
        tokens = {s.public_id for s in group} | {f for s in group for f in s.file_ids}
        for sent in group:
            for file_id in sent.file_ids:
                response = surfaces.get(f"/comments/attachments/{file_id}")
                assert response is not None, "a file is served at its public id, linked from the round"
                tokens.add(response.headers["ETag"].strip('W/"'))
                tokens.update(re.findall(r"[A-Za-z0-9_-]{6,}", response.headers["Content-Disposition"]))
        return tokens - {"attachment", "filename"}

    mine, hidden = shown(named), shown(anonymous)
    assert mine and hidden
    shared = {a for a in hidden for b in mine if a in b or b in a}
    assert not shared, shared


def test_no_public_list_is_in_the_order_comments_were_sent(module_app, public_surfaces, linked_journey):
    """Every public list of the linked round (its page, its feed, the API and the three exports) orders its
    comments by the day of publication and then by their random public ids: never by time or row id, so
    that a list cannot show that Linda's anonymous comment came right after her named one."""
    surfaces = public_surfaces
    with module_app.app_context():
        days = {
            c.public_id: c.published_at.date()
            for c in db.session.scalars(
                select(Comment).where(Comment.public_id.in_([s.public_id for s in linked_journey.values()]))
            )
        }
    oldest_first = sorted(days, key=lambda public_id: (days[public_id], public_id))
    newest_first = sorted(days, key=lambda public_id: (days[public_id], public_id), reverse=True)
    sent_order = [s.public_id for s in sorted(linked_journey.values(), key=lambda s: s.row_id)]
    page = _text(surfaces[f"/rounds/{LINKED}"])
    feed = _text(surfaces[f"/rounds/{LINKED}/feed.atom"])
    api = [
        r["id"]
        for url, response in surfaces.items()
        if url.startswith(f"/api/v1/rounds/{LINKED}/comments?")
        for r in response.get_json()["data"]
    ]
    lists = {
        "page": re.findall(r'id="comment-([A-Za-z0-9_-]{22})"', page),
        "feed": re.findall(r"<id>[^<]*#comment-([A-Za-z0-9_-]{22})</id>", feed),
        "api": api,
        **{
            fmt: [r["id"] for r in _records(surfaces[f"/rounds/{LINKED}/comments.{fmt}"])]
            for fmt in ("csv", "json", "xlsx")
        },
    }
    expected = {"page": newest_first, "feed": newest_first}
    for name, found in lists.items():
        assert sorted(found) == sorted(days), name  # each public comment once
        assert found == expected.get(name, oldest_first), name
    # The lists give nothing the sending order would: not it, nor its reverse (eight comments: one chance in
    # 20,160 that random ids happen to fall in either).
    assert lists["csv"] not in (sent_order, sent_order[::-1])
