"""What the comment form refuses, and what it keeps when it does: every acceptable file of those sent with a
refused one or over the limit; nothing about a target outside the round's scope (not even its name); nothing
sent for a button the form does not have. And what it shows: a file's public name in the preview is the one
it has once saved, and a target's text keeps its own direction in an interface of the other."""

import io
import re

import pytest
from lxml import html
from sqlalchemy import func, select

from consult.comments.models import Comment, CommentState, PendingUpload, Publication
from consult.extensions import db
from consult.rounds.models import (
    DocumentParagraph,
    GuidingQuestion,
    Round,
    RoundDocument,
    RoundState,
)
from tests.factories import RoundFactory, comment_form
from tests.files import _pdf, _png
from tests.helpers import submit

WRITE = "/comments/new/open-round"
PAGE = "/comments/new/open-round?target=recommendation:1"
FAKE_PDF = b"Just some words typed into a file that calls itself a PDF.\n"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def waiting_names(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(PendingUpload.filename).order_by(PendingUpload.id)))


def attached_on(page: str) -> list[str]:
    """The files the form shows as attached and removable, by name."""
    tree = html.fromstring(page)
    return [" ".join(li.xpath("string(./bdi)").split()) for li in tree.xpath("//div[@id='attached']//li")]


def files(*named: tuple[bytes, str]) -> list:
    return [(io.BytesIO(data), name) for data, name in named]


# 1. A refusal of files keeps the acceptable ones


@pytest.mark.parametrize("action", ["submit", "draft", "preview"])
def test_a_refused_file_keeps_the_acceptable_ones_sent_with_it_before_or_after(app, client, writer, action):
    chosen = files((FAKE_PDF, "fake.pdf"), (_png(), "photo.png"), (_pdf(), "testimony.pdf"))
    data = comment_form(body="My careful words", action=action, attachments=chosen)
    answer = submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "fake.pdf" in page and "Your text and the other files are kept below." in page
    assert "My careful words" in page
    assert attached_on(page) == ["photo.png", "testimony.pdf"]
    assert waiting_names(app) == ["photo.png", "testimony.pdf"] and count(app, Comment) == 0

    # Sent again without choosing anything: the comment has both files.
    sent = submit(client, WRITE, {**data, "action": "submit", "attachments": []}, page=PAGE)
    assert sent.status_code == 302
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert sorted(a.filename for a in comment.attachments) == ["photo.png", "testimony.pdf"]
    assert count(app, PendingUpload) == 0


@pytest.mark.parametrize("publication", ["named", ""])  # "": the form comes back for a missing choice too
def test_over_the_limit_the_first_files_are_kept_and_the_others_named(app, client, writer, publication):
    chosen = files(*((_png(), f"page-{n}.png") for n in range(1, 7)))
    data = comment_form(body="Six pages", publication=publication, attachments=chosen)
    answer = submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    kept = [f"page-{n}.png" for n in range(1, 6)]
    assert attached_on(page) == kept and waiting_names(app) == kept
    message = " ".join(html.fromstring(page).xpath("string(//p[@id='attachments-error'])").split())
    assert "at most 5 attachments" in message and "page-6.png" in message
    assert count(app, Comment) == 0

    # One more file on the form that holds five already: refused, named, the five stay.
    more = {**data, "publication": "named", "attachments": files((_png(), "late.png"))}
    again = submit(client, WRITE, more, page=PAGE, content_type="multipart/form-data")
    assert again.status_code == 422 and "late.png" in again.get_data(as_text=True)
    assert waiting_names(app) == kept and count(app, Comment) == 0


# 2. Nothing about a target outside the round's scope


SECRET_QUESTION, SECRET_PARAGRAPH = "SECRET QUESTION of a round not yet announced", "SECRET PARAGRAPH text"


@pytest.fixture
def hidden_targets(app, writer) -> dict[str, str]:
    """A guiding question and a document paragraph of a draft round: targets the open round's form must not
    name."""
    with app.app_context():
        draft = RoundFactory(slug="draft-round", state=RoundState.draft)
        db.session.flush()
        question = GuidingQuestion(round_id=draft.id, text={"en": SECRET_QUESTION})
        document = RoundDocument(round_id=draft.id, title={"en": "SECRET DOCUMENT"}, language="en")
        document.paragraphs.append(DocumentParagraph(number=8, text=SECRET_PARAGRAPH))
        db.session.add_all([question, document])
        db.session.commit()
        return {"question": f"question:{question.id}", "paragraph": f"paragraph:{document.paragraphs[0].id}"}


def names_nothing_secret(page: str) -> bool:
    return not any(secret in page for secret in (SECRET_QUESTION, SECRET_PARAGRAPH, "SECRET DOCUMENT"))


@pytest.mark.parametrize("kind", ["question", "paragraph"])
def test_a_link_to_another_round_s_target_is_not_found(app, client, hidden_targets, kind):
    answer = client.get(f"{WRITE}?target={hidden_targets[kind]}")
    assert answer.status_code == 404 and names_nothing_secret(answer.get_data(as_text=True))


@pytest.mark.parametrize("kind", ["question", "paragraph"])
@pytest.mark.parametrize(
    "values",
    [
        {"action": "submit"},
        {"action": "draft"},
        {"action": "preview"},
        {"action": "submit", "publication": ""},  # the form comes back for a missing choice
        {"action": "bogus"},
    ],
)
def test_a_form_sent_with_another_round_s_target_is_refused_naming_nothing(
    app, client, hidden_targets, kind, values
):
    data = comment_form(target=hidden_targets[kind], body="Trying", **values)
    answer = submit(client, WRITE, data, page=PAGE)
    page = answer.get_data(as_text=True)
    assert answer.status_code in (400, 422)
    assert names_nothing_secret(page), page
    assert "This is not open for comment in this round." in page and "Trying" in page
    assert count(app, Comment) == 0


def test_a_target_of_the_round_s_own_scope_is_named(app, client, writer):
    with app.app_context():
        round_id = db.session.scalar(select(Round.id).where(Round.slug == "open-round"))
        question = GuidingQuestion(round_id=round_id, text={"en": "Do you agree with the plan?"})
        db.session.add(question)
        db.session.commit()
        target = f"question:{question.id}"
    answer = client.get(f"{WRITE}?target={target}")
    assert answer.status_code == 200 and "Do you agree with the plan?" in answer.get_data(as_text=True)


# 3. A file's public name: the same in the preview and once saved


def test_an_anonymous_comment_s_file_has_the_same_public_name_in_its_preview_and_once_saved(
    app, client, writer
):
    data = comment_form(publication="anonymous", action="preview", attachments=files((_pdf(), "my-name.pdf")))
    preview = submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    card = html.fromstring(preview.get_data(as_text=True)).xpath("//section[@id='preview']//article")[0]
    shown = re.findall(r"attachment-[A-Za-z0-9_-]{8}\.pdf", card.text_content())
    assert len(shown) == 1 and "my-name" not in card.text_content()

    sent = submit(client, WRITE, {**data, "action": "submit", "attachments": []}, page=PAGE)
    assert sent.status_code == 302
    with app.app_context():
        attachment = db.session.scalar(select(Comment)).attachments[0]
        assert attachment.public_name(Publication.anonymous) == shown[0]
        public_id = attachment.public_id
    with client.get(f"/comments/attachments/{public_id}") as download:
        assert download.status_code == 200 and shown[0] in download.headers["Content-Disposition"]


# 4. A target's text in its own direction


def test_a_target_s_text_keeps_its_own_direction_in_an_arabic_interface(app, client, writer):
    sent = submit(client, WRITE, comment_form(), page=PAGE)
    for path in (PAGE, sent.location, "/comments/mine", "/rounds/open-round"):
        tree = html.fromstring(client.get(path, headers={"Accept-Language": "ar"}).get_data(as_text=True))
        assert tree.xpath("/html/@dir") == ["rtl"], path
        texts = tree.xpath("//span[contains(@class, 'target-text')]")
        assert texts and all(t.get("dir") == "auto" for t in texts), path


# 5. A button the form does not have


def test_a_button_the_form_does_not_have_sends_nothing_and_keeps_everything(app, client, writer):
    data = comment_form(body="Kept as typed", action="bogus", attachments=files((_png(), "photo.png")))
    answer = submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Kept as typed" in page
    assert attached_on(page) == ["photo.png"] and count(app, Comment) == 0


def test_a_draft_sent_with_a_button_its_form_does_not_have_stays_a_draft(app, client, writer):
    saved = submit(client, WRITE, comment_form(action="draft"), page=PAGE)
    with app.app_context():
        key = db.session.scalar(select(Comment)).idempotency_key
    answer = submit(client, saved.location, comment_form(idempotency_key=key, body="Changed", action="bogus"))
    assert answer.status_code == 400 and "Changed" in answer.get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(select(Comment))
        assert draft.state is CommentState.draft and draft.body == "Detention conditions improved."


def test_a_form_sent_without_a_button_is_submitted_as_enter_sends_it(app, client, writer):
    data = comment_form()
    del data["action"]
    assert submit(client, WRITE, data, page=PAGE).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Comment)).state is CommentState.published
