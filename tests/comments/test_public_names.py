"""A comment that stops being named stops being findable under what it was called: new public ids for it
and its files, and files shown under a neutral name, since people name their files after themselves."""

import io
import re

from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind
from consult.rounds.models import ModerationMode
from tests.factories import comment_form, make_open_round
from tests.files import _pdf
from tests.helpers import csrf_token, make_user, sign_in, submit

AUTHOR = "Ana Ruiz"
FILE = f"{AUTHOR} - detention report.pdf"


def _public(app) -> tuple[str, str, str]:
    """(the round page, the comment's public id, its file's public id) as a reader finds them."""
    page = app.test_client().get("/rounds/open-round").get_data(as_text=True)
    (comment_id,) = re.findall(r'id="comment-([A-Za-z0-9_-]{22})"', page)
    (file_id,) = re.findall(r'href="/comments/attachments/([A-Za-z0-9_-]{22})"', page)
    return page, comment_id, file_id


def _published(app) -> None:
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        if comment.state is not CommentState.published:
            moderator = db.session.get(User, make_user(app, roles=(StaffRoleName.moderator,)).id)
            moderation.decide(moderator, comment, DecisionKind.approve)
        db.session.commit()


def test_a_named_comment_made_anonymous_gets_new_ids_and_its_file_a_neutral_name(app, client):
    with app.app_context():
        make_open_round(mode=ModerationMode.post)
        db.session.commit()
    sign_in(client, app, make_user(app, name=AUTHOR))
    sent = submit(
        client,
        "/comments/new/open-round",
        comment_form(target="round", body="Our report.", attachments=[(io.BytesIO(_pdf()), FILE)]),
        page="/comments/new/open-round?target=round",
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    _published(app)
    page, named_id, named_file_id = _public(app)
    assert FILE in page and AUTHOR in page

    edit = f"/comments/{named_id}/edit"
    changed = client.post(
        edit,
        data={
            **comment_form(target="round", body="Our report.", publication="anonymous"),
            "csrf_token": csrf_token(client, edit),
        },
    )
    assert changed.status_code == 302
    _published(app)
    page, anonymous_id, anonymous_file_id = _public(app)
    assert anonymous_id != named_id and anonymous_file_id != named_file_id
    assert AUTHOR not in page and FILE not in page and re.search(r"attachment-[\w-]{8}\.pdf", page)
    reader = app.test_client()
    for old in (f"/comments/attachments/{named_file_id}", f"/comments/{named_id}"):
        assert reader.get(old).status_code in (302, 404)
    with reader.get(f"/comments/attachments/{anonymous_file_id}") as download:
        assert download.status_code == 200 and AUTHOR not in download.headers["Content-Disposition"]
    # The author still finds their file under the name they gave it.
    assert FILE in client.get(f"/comments/{anonymous_id}").get_data(as_text=True)
