"""Text people type cannot widen a page for everyone: one word of five thousand letters in a published
comment, a title or a name wraps inside its column, on a phone as on a desk."""

import pytest

from consult.accounts.models import User
from consult.extensions import db
from consult.rounds.models import ModerationMode
from tests.factories import CommentFactory, RoundFactory, UserFactory

WORD = "Ombudsperson" * 410  # 4,920 letters, no space


@pytest.mark.parametrize("width", [360, 1280])
def test_one_very_long_word_does_not_widen_the_round_page(live_server, browser, width):
    base, app = live_server
    with app.app_context():
        author = UserFactory(display_name="N" * 120)  # the longest name a person may give
        round_ = RoundFactory(moderation_mode=ModerationMode.post, title={"en": "T" * 200})
        CommentFactory(round=round_, author=db.session.get(User, author.id), body=f"Before {WORD} after.")
        db.session.commit()
        slug = round_.slug
    page = browser.new_context(locale="en-GB", viewport={"width": width, "height": 800}).new_page()
    assert page.goto(f"{base}/rounds/{slug}").status == 200
    assert "after." in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
