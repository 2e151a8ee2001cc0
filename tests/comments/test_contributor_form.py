"""The comment form as a contributor meets it: nothing chosen for them, nothing typed lost (files included)
whatever button they press, a preview that shows what the public will read, a confirmation before a comment
is withdrawn, and every comment and every "Comment" naming what it is about."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from lxml import html
from PIL import Image
from sqlalchemy import func, select

from consult.comments.models import Comment, CommentState, PendingUpload, Publication, TargetType
from consult.comments.pending import KEPT_FOR
from consult.comments.targets import describe
from consult.extensions import db
from consult.plan.models import Recommendation
from consult.rounds.models import Round, RoundState
from tests.comments.documents import _assert_names_nobody_and_fetches_nothing, _members, reviewed_docx
from tests.factories import comment_form
from tests.helpers import submit

WRITE = "/comments/new/open-round"
PAGE = "/comments/new/open-round?target=recommendation:1"


def png(colour: str = "blue") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (12, 12), colour).save(output, "PNG")
    return output.getvalue()


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def symbol_of_recommendation(app) -> str:
    """How every surface names the round's recommendation: its document symbol and paragraph."""
    with app.test_request_context():
        return describe(TargetType.recommendation, db.session.scalar(select(Recommendation))).symbol


def publication_radios(page: str) -> list:
    return html.fromstring(page).xpath("//input[@name='publication']")


def test_no_publication_is_chosen_for_a_new_comment_and_none_chosen_keeps_everything(app, client, writer):
    radios = publication_radios(client.get(PAGE).get_data(as_text=True))
    assert len(radios) == 4 and not any(r.get("checked") is not None for r in radios)

    sent = submit(client, WRITE, comment_form(body="My careful words", publication=""), page=PAGE)
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422
    assert "Choose how your comment may be published." in page and "My careful words" in page
    assert not any(r.get("checked") is not None for r in publication_radios(page))
    assert rows(app, Comment) == 0


def test_being_at_risk_needs_no_choice_and_keeps_the_comment_confidential(app, client, writer):
    sent = submit(client, WRITE, comment_form(publication="", at_risk="y"), page=PAGE)
    assert sent.status_code == 302
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert comment.publication is Publication.confidential and comment.at_risk


def test_the_organisation_s_name_only_needs_an_organisation_to_speak_for(app, client, writer):
    sent = submit(client, WRITE, comment_form(body="Words kept", publication="organisation"), page=PAGE)
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "needs an organisation" in page and "Words kept" in page
    assert rows(app, Comment) == 0


def test_a_file_sent_with_a_refused_form_is_kept_shown_and_saved_with_the_comment(app, client, writer):
    data = comment_form(
        body="With evidence", publication="", attachments=[(io.BytesIO(png()), "evidence.png")]
    )
    refused = submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "evidence.png" in page and "With evidence" in page
    assert html.fromstring(page).xpath("//button[@name='remove']")  # shown as attached, removable
    with app.app_context():
        waiting = db.session.scalar(select(PendingUpload))
        storage_name = waiting.storage_name
    assert (Path(app.config["UPLOAD_FOLDER"]) / storage_name).exists()

    # The same form sent again with a choice and no file: the kept file is the comment's.
    sent = submit(client, WRITE, {**data, "publication": "named", "attachments": []}, page=PAGE)
    assert sent.status_code == 302
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert [a.filename for a in comment.attachments] == ["evidence.png"]
        assert comment.attachments[0].storage_name == storage_name
    assert rows(app, PendingUpload) == 0


def test_the_clock_deletes_files_nobody_came_back_for(app, client, writer):
    data = comment_form(body="Left", publication="", attachments=[(io.BytesIO(png()), "left.png")])
    submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    with app.app_context():
        waiting = db.session.scalar(select(PendingUpload))
        storage_name = waiting.storage_name
    stored = Path(app.config["UPLOAD_FOLDER"]) / storage_name
    app.test_cli_runner().invoke(args=["consult", "tick"])
    assert rows(app, PendingUpload) == 1 and stored.exists(), "a file still within its two days stays"
    with app.app_context():
        db.session.get(PendingUpload, waiting.id).created_at -= KEPT_FOR + timedelta(minutes=1)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["consult", "tick"])
    assert result.exit_code == 0, result.output
    assert rows(app, PendingUpload) == 0 and not stored.exists()


def test_a_kept_file_is_removed_and_everything_typed_stays(app, client, writer):
    data = comment_form(body="Text to keep", publication="", attachments=[(io.BytesIO(png()), "wrong.png")])
    submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    with app.app_context():
        waiting = db.session.scalar(select(PendingUpload))
        public_id, storage_name = waiting.public_id, waiting.storage_name
    removed = submit(
        client, WRITE, {**data, "attachments": [], "remove": public_id, "publication": "anonymous"}, page=PAGE
    )
    page = removed.get_data(as_text=True)
    assert removed.status_code == 200 and "Text to keep" in page and "wrong.png" not in page
    checked = [r.get("value") for r in publication_radios(page) if r.get("checked") is not None]
    assert checked == ["anonymous"]
    assert rows(app, PendingUpload) == 0 and rows(app, Comment) == 0
    assert not (Path(app.config["UPLOAD_FOLDER"]) / storage_name).exists()


def test_a_draft_s_file_is_removed_from_its_form(app, client, writer):
    data = comment_form(action="draft", attachments=[(io.BytesIO(png()), "draft.png")])
    saved = submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    edit = saved.location
    form_page = client.get(edit).get_data(as_text=True)
    remove = html.fromstring(form_page).xpath("//button[@name='remove']/@value")
    assert "draft.png" in form_page and len(remove) == 1
    with app.app_context():
        key = db.session.scalar(select(Comment)).idempotency_key
    removed = submit(
        client, edit, {**data, "idempotency_key": key, "attachments": [], "remove": remove[0], "body": "Now"}
    )
    assert removed.status_code == 200 and "draft.png" not in removed.get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(select(Comment))
        assert draft.state is CommentState.draft and draft.attachments == []
        assert draft.body == "Detention conditions improved."  # nothing saved but the file's removal


@pytest.mark.parametrize(
    ("choice", "shown", "hidden"),
    [
        ("named", ["Nadia Named"], []),
        ("anonymous", ["Anonymous contributor"], ["Nadia Named", "Named Rights Network"]),
    ],
)
def test_a_preview_shows_the_public_card_and_saves_nothing(app, client, writer, choice, shown, hidden):
    data = comment_form(body="Previewed words", publication=choice, action="preview")
    answer = submit(client, WRITE, data, page=PAGE)
    tree = html.fromstring(answer.get_data(as_text=True))
    card = tree.xpath("//section[@id='preview']//article")
    assert answer.status_code == 200 and len(card) == 1
    text = card[0].text_content()
    assert "Previewed words" in text and symbol_of_recommendation(app) in text
    assert all(word in text for word in shown) and not any(word in text for word in hidden)
    assert tree.xpath("//textarea[@name='body']")[0].text_content().lstrip("\n") == "Previewed words"
    assert rows(app, Comment) == 0


def test_a_confidential_preview_says_nobody_outside_will_read_it(app, client, writer):
    answer = submit(client, WRITE, comment_form(publication="confidential", action="preview"), page=PAGE)
    page = answer.get_data(as_text=True)
    assert "Nobody outside the mechanism will read it" in page
    assert not html.fromstring(page).xpath("//section[@id='preview']//article")


def test_withdrawing_asks_first_and_the_receipt_only_links_to_the_question(app, client, writer):
    sent = submit(client, WRITE, comment_form(), page=PAGE)
    receipt = html.fromstring(client.get(sent.location).get_data(as_text=True))
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        confirm = f"/comments/{comment.public_id}/withdraw"
    assert not receipt.xpath(f"//form[@action='{confirm}']")
    assert receipt.xpath(f"//a[@href='{confirm}']")
    question = client.get(confirm)
    assert question.status_code == 200 and "Withdraw this comment?" in question.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Comment)).state is CommentState.published
    assert submit(client, confirm, {}, page=confirm).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Comment)).state is CommentState.withdrawn


def accessible_name(element) -> str:
    """The text a screen reader reads for a link: its text without what is hidden from it."""
    copy = html.fromstring(html.tostring(element))
    for hidden in copy.xpath(".//*[@aria-hidden='true']"):
        hidden.drop_tree()
    return " ".join(copy.text_content().split())


def test_every_comment_link_on_the_round_page_names_its_target(app, client, writer):
    symbol = symbol_of_recommendation(app)
    tree = html.fromstring(client.get("/rounds/open-round").get_data(as_text=True))
    links = tree.xpath("//a[contains(@href, '/comments/new/open-round?target=')]")
    targets = {re.search(r"target=([a-z]+)", link.get("href")).group(1) for link in links}
    assert {"round", "cluster", "recommendation"} <= targets
    for link in links:
        name = accessible_name(link)
        kind = re.search(r"target=([a-z]+)", link.get("href")).group(1)
        assert name.startswith("Comment"), name
        if kind == "recommendation":
            assert symbol in name, name
            card = link.xpath("ancestor::article")
            assert card and symbol.split()[0] in card[0].text_content()  # inside the recommendation's card
        elif kind == "cluster":
            assert "C1" in name, name


def test_the_receipt_my_submissions_and_the_public_card_name_the_target(app, client, writer):
    symbol = symbol_of_recommendation(app)
    sent = submit(client, WRITE, comment_form(body="Named target"), page=PAGE)
    assert symbol in client.get(sent.location).get_data(as_text=True)
    mine = html.fromstring(client.get("/comments/mine").get_data(as_text=True))
    assert symbol in mine.xpath("//td[contains(@class, 'comment-target')]")[0].text_content()
    public = html.fromstring(app.test_client().get("/rounds/open-round").get_data(as_text=True))
    card = public.xpath("//article[contains(@class, 'comment-card')]")[0]
    assert symbol in card.xpath(".//*[contains(@class, 'comment-target')]")[0].text_content()


def test_a_recommendation_s_page_offers_comment_while_a_round_is_open_on_it(app, client, writer):
    with app.app_context():
        recommendation_id = db.session.scalar(select(Recommendation.id))
    page = f"/plan/recommendations/{recommendation_id}"
    offer = f"/comments/new/open-round?target=recommendation:{recommendation_id}"
    tree = html.fromstring(client.get(page).get_data(as_text=True))
    links = tree.xpath(f"//a[@href='{offer}']")
    assert len(links) == 1 and symbol_of_recommendation(app) in accessible_name(links[0])
    with app.app_context():
        db.session.scalar(select(Round)).state = RoundState.closed
        db.session.commit()
    assert offer not in client.get(page).get_data(as_text=True)


def test_a_kept_file_that_kept_its_names_loses_them_when_the_comment_goes_out_anonymously(
    app, client, writer
):
    app.config["ATTACHMENTS_CLEAN_ALL"] = False  # a named comment's documents keep their tracked changes
    data = comment_form(body=" ", publication="named", attachments=[(io.BytesIO(reviewed_docx()), "t.docx")])
    refused = submit(client, WRITE, data, page=PAGE, content_type="multipart/form-data")
    assert refused.status_code == 422 and "Write your comment." in refused.get_data(as_text=True)
    with app.app_context():
        waiting = db.session.scalar(select(PendingUpload))
        assert not waiting.names_removed
        kept = waiting.storage_name
    assert b"w:ins " in _members((Path(app.config["UPLOAD_FOLDER"]) / kept).read_bytes())["word/document.xml"]

    sent = submit(
        client,
        WRITE,
        {**data, "body": "Now anonymous", "publication": "anonymous", "attachments": []},
        page=PAGE,
    )
    assert sent.status_code == 302
    with app.app_context():
        attachment = db.session.scalar(select(Comment)).attachments[0]
        assert attachment.storage_name != kept
        stored = (Path(app.config["UPLOAD_FOLDER"]) / attachment.storage_name).read_bytes()
    _assert_names_nobody_and_fetches_nothing(stored)
    assert not (Path(app.config["UPLOAD_FOLDER"]) / kept).exists()
