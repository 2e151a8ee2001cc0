"""Comments and files are named in public by random ids, listed by day and then by those ids, and served
with no time finer than the day: sequential ids, a list in the order of sending or a file's minute would
let a reader see that an anonymous comment was sent right after a named one."""

import csv
import io
import os
import re
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from consult.accounts.models import User
from consult.comments import services as comments
from consult.comments.models import Attachment, Comment, CommentState, Publication, TargetType
from consult.extensions import db
from consult.filetimes import zip_at_day
from consult.rounds.models import ModerationMode, Round, RoundState, Stage
from consult.uploads import attachments
from tests.files import png_with_gps
from tests.helpers import make_user, sign_in

#: Three days, and times of day on each: several comments share a moment, as a burst before a deadline does.
DAYS = [datetime(2026, 3, day, tzinfo=UTC) for day in (2, 3, 5)]


def _round(mode: ModerationMode = ModerationMode.post) -> Round:
    now = datetime.now(UTC)
    round_ = Round(
        slug=f"r-{uuid.uuid4().hex[:6]}",
        stage=Stage.mid_term,
        cycle=4,
        title={"en": "Mid-term"},
        state=RoundState.open,
        opens_at=now - timedelta(days=40),
        closes_at=now + timedelta(days=5),
        moderation_mode=mode,
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def _published(app, count: int = 45) -> tuple[str, list[Comment]]:
    """A round with count published comments, named and anonymous by turns, over three days."""
    with app.app_context():
        round_ = _round()
        authors = [User(display_name=f"Person {n}", email=f"p{n}@example.org") for n in range(count)]
        db.session.add_all(authors)
        db.session.flush()
        made = []
        for number, author in enumerate(authors):
            moment = DAYS[number % 3] + timedelta(hours=number % 4, seconds=number // 8)
            made.append(
                Comment(
                    round_id=round_.id,
                    author_id=author.id,
                    idempotency_key=uuid.uuid4().hex,
                    target_type=TargetType.round,
                    body=f"Voice {number}.",
                    language="en",
                    publication=Publication.anonymous if number % 2 else Publication.named,
                    receipt_number=comments.new_receipt_number(),
                    state=CommentState.published,
                    submitted_at=moment,
                    published_at=moment,
                )
            )
        db.session.add_all(made)
        db.session.commit()
        return round_.slug, [(c.public_id, c.published_at.date()) for c in made]


def _by_day_then_id(made, newest_first: bool) -> list[str]:
    return [p for p, _day in sorted(made, key=lambda m: (m[1], m[0]), reverse=newest_first)]


def test_a_rounds_pages_and_feed_list_by_day_then_public_id_each_comment_once(app, client):
    slug, made = _published(app)
    shown, url, pages = [], f"/rounds/{slug}", 0
    while url:
        page = client.get(url).get_data(as_text=True)
        shown += re.findall(r'id="comment-([A-Za-z0-9_-]{22})"', page)
        older = re.search(r'href="(/rounds/[^"]*before=([^"&#]+))[^"]*"', page)
        assert older is None or re.fullmatch(r"[A-Za-z0-9_-]{22}", older.group(2))  # the link names no time
        url, pages = (older.group(1).replace("&amp;", "&") if older else None), pages + 1
    assert pages == 3
    assert shown == _by_day_then_id(made, newest_first=True)
    feed = client.get(f"/rounds/{slug}/feed.atom").get_data(as_text=True)
    assert re.findall(r"<id>[^<]*#comment-([A-Za-z0-9_-]{22})</id>", feed) == shown
    assert set(re.findall(r"<updated>[^<]*T([0-9:]+)Z</updated>", feed)) == {"00:00:00"}


def test_the_api_and_the_exports_list_oldest_day_first_then_by_public_id(app, client):
    slug, made = _published(app)
    expected = _by_day_then_id(made, newest_first=False)
    found, url = [], f"/api/v1/rounds/{slug}/comments?limit=7"
    while url:
        body = client.get(url).get_json()
        found += [row["id"] for row in body["data"]]
        url = body["next"]
        assert url is None or re.search(r"after=[A-Za-z0-9_-]{22}(&|$)", url)
    assert found == expected
    exported = client.get(f"/rounds/{slug}/comments.csv").get_data(as_text=True).removeprefix("\ufeff")
    assert [row["id"] for row in csv.DictReader(io.StringIO(exported))] == expected
    assert [row["id"] for row in client.get(f"/rounds/{slug}/comments.json").get_json()] == expected
    assert client.get(f"/api/v1/rounds/{slug}/comments?after=12").status_code == 400


def test_a_row_id_addresses_no_comment_and_no_file(app):
    author = make_user(app, name="Ana Ruiz")
    with app.app_context():
        round_ = _round()
        draft = comments.Draft(TargetType.round, None, "Cells are cold.", "en", Publication.anonymous)
        comment, _ = comments.submit(db.session.get(User, author.id), round_, uuid.uuid4().hex, draft)
        folder = Path(app.config["UPLOAD_FOLDER"])
        comments.attach(None, comment, [attachments.store(png_with_gps(), "cell.jpg", folder)])
        db.session.commit()
        row, public, file_row, file_public = (
            comment.id,
            comment.public_id,
            comment.attachments[0].id,
            comment.attachments[0].public_id,
        )
    browser = app.test_client()
    sign_in(browser, app, author)
    assert browser.get(f"/comments/{public}").status_code == 200
    assert browser.get(f"/comments/{row}").status_code == 404
    assert browser.get(f"/comments/{row}/edit").status_code == 404
    assert browser.get(f"/moderation/flag/{row}").status_code == 404
    with browser.get(f"/comments/attachments/{file_public}") as response:
        assert response.status_code == 200
    assert browser.get(f"/comments/attachments/{file_row}").status_code == 404
    assert browser.get(f"/comments/{public[:-1]}").status_code == 404  # 21 characters: no match


def test_a_download_is_dated_by_its_day_and_tagged_by_nothing_that_moves(app):
    author = make_user(app, name="Ana Ruiz")
    uploaded = datetime(2026, 3, 4, 15, 47, 12, tzinfo=UTC)
    with app.app_context():
        round_ = _round()
        draft = comments.Draft(TargetType.round, None, "See the photo.", "en", Publication.anonymous)
        comment, _ = comments.submit(db.session.get(User, author.id), round_, uuid.uuid4().hex, draft)
        folder = Path(app.config["UPLOAD_FOLDER"])
        comments.attach(None, comment, [attachments.store(png_with_gps(), "cell.jpg", folder)])
        db.session.flush()
        attachment = comment.attachments[0]
        attachment.created_at = uploaded
        db.session.commit()
        url, stored = f"/comments/attachments/{attachment.public_id}", folder / attachment.storage_name
    reader = app.test_client()
    with reader.get(url) as first:
        assert first.status_code == 200
        assert first.headers["Last-Modified"] == "Wed, 04 Mar 2026 00:00:00 GMT"
        etag = first.headers["ETag"]
    assert "1547" not in etag and str(int(stored.stat().st_mtime)) not in etag
    os.utime(stored, (uploaded.timestamp() + 3600, uploaded.timestamp() + 3600))  # a copy, a restore
    with reader.get(url) as again:
        assert (again.headers["ETag"], again.headers["Last-Modified"]) == (
            etag,
            first.headers["Last-Modified"],
        )
    with reader.get(url, headers={"If-None-Match": etag}) as cached:
        assert cached.status_code == 304


def test_an_archive_the_site_writes_is_dated_at_the_day(tmp_path):
    workbook = Workbook()
    workbook.active.append(["id", "text"])
    workbook.active.append(["aBcDeFgHiJkLmNoPqRsTuV", "Cells are cold."])
    workbook.save(tmp_path / "written.xlsx")
    zip_at_day(tmp_path / "written.xlsx", tmp_path / "served.xlsx", datetime(2026, 3, 4, 15, 47, tzinfo=UTC))
    with zipfile.ZipFile(tmp_path / "served.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 3, 4, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2026-03-04T00:00:00Z"] * 2
    served = load_workbook(tmp_path / "served.xlsx")
    assert [list(r) for r in served.active.iter_rows(values_only=True)][1] == [
        "aBcDeFgHiJkLmNoPqRsTuV",
        "Cells are cold.",
    ]


def test_receipt_numbers_and_public_ids_follow_no_order(app):
    receipts = [comments.new_receipt_number() for _ in range(200)]
    assert len(set(receipts)) == 200
    assert all(
        re.fullmatch(rf"R-{datetime.now(UTC).year}-[2-9A-HJ-NP-Z]{{4}}-[2-9A-HJ-NP-Z]{{4}}", r)
        for r in receipts
    )
    assert receipts not in (sorted(receipts), sorted(receipts, reverse=True))
    account = make_user(app)
    with app.app_context():
        round_ = _round()
        author = db.session.get(User, account.id)
        ids = []
        for number in range(20):
            draft = comments.Draft(TargetType.round, None, f"Voice {number}.", "en", Publication.named)
            ids.append(comments.submit(author, round_, uuid.uuid4().hex, draft)[0].public_id)
        db.session.commit()
        files = db.session.scalars(select(Attachment.public_id)).all()
    assert ids not in (sorted(ids), sorted(ids, reverse=True)) and not files
    assert all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]{21}", i) for i in ids)  # never a leading minus
