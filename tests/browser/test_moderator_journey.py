"""The moderator's journey in a real browser, as on a Friday with a full queue: sign in with the second
factor, filter the queue by language and kind of target, decide ten comments in a row with "decide and go to
the next" and from the queue without ever filtering again (filters, order and page kept; nothing chosen or
ticked in advance), redact a telephone number written in Arabic-Indic digits that the page suggests, undo a
decision. Screenshots of the queue and of a comment's page in English, Arabic and Chinese."""

from urllib.parse import parse_qs, urlsplit

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Comment, CommentState, TargetType
from consult.extensions import db
from consult.moderation.models import ModerationDecision
from tests.browser.support import screenshots, sign_in
from tests.factories import ClusterFactory, CommentFactory, RecommendationFactory, RoundFactory
from tests.helpers import make_user

#: What the moderator asks of the queue, as the address keeps it.
FILTERS = {"language": ["fr"], "target": ["recommendation"], "order": ["oldest"]}
AXE = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _world(app) -> None:
    """Fourteen French comments on recommendations (one with a telephone number, one with a long address),
    English ones, and French ones on the round as a whole: the filter must keep only the first fourteen."""
    author = make_user(app, email="author@example.org", name="Ana Author")
    with app.app_context():
        person = db.session.get(User, author.id)
        cluster = ClusterFactory(code="C1", title={"en": "Detention"})
        recommendations = [
            RecommendationFactory(cluster=cluster, paragraph=f"115.{n}", text=f"Ratify OPCAT ({n}).")
            for n in (1, 2)
        ]
        round_ = RoundFactory(slug="friday", title={"en": "Friday round"}, clusters=[cluster])
        for n in range(14):
            body = f"Avis numéro {n}." if n else "Le directeur répond au ٠٥٥ ١٢٣ ٤٥٦٧ seulement."
            if n == 3:  # a long address with nothing to break it at: the queue's table wraps it
                body = "https://www.example.org/rapports/2026/detention/" + "annexestatistique" * 8
            on = recommendations[n % 2]
            CommentFactory(
                round=round_,
                author=person,
                body=body,
                language="fr",
                target_type=TargetType.recommendation,
                target_id=on.id,
            )
        for n in range(3):
            CommentFactory(
                round=round_,
                author=person,
                body=f"English {n}",
                language="en",
                target_type=TargetType.recommendation,
                target_id=recommendations[0].id,
            )
            CommentFactory(round=round_, author=person, body=f"Sur le cycle {n}", language="fr")
        db.session.commit()


def _kept(url: str) -> None:
    """The page's address still holds the queue's filters."""
    query = parse_qs(urlsplit(url).query)
    assert {key: query.get(key) for key in FILTERS} == FILTERS, url


def _nothing_chosen(page) -> None:
    assert page.eval_on_selector("#decision", "e => e.value") == ""
    assert page.locator("input[type=checkbox]:checked").count() == 0


def _fits(page) -> None:
    """At 1280 pixels the queue's table shows every column: it wraps its cells rather than cut them off."""
    page.set_viewport_size({"width": 1280, "height": 800})
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), (
        "the queue's table is wider than the page"
    )
    last = page.locator("thead th").last.bounding_box()
    assert last is not None and last["x"] + last["width"] <= 1280


def test_a_moderator_decides_ten_comments_in_a_filtered_queue_without_filtering_again(live_server, browser):
    base, app = live_server
    _world(app)
    moderator = make_user(app, (StaffRoleName.moderator,), email="mod@example.org")
    page = browser.new_page(locale="en-GB")
    sign_in(page, base, app, moderator)

    page.click("nav >> text=Moderation")
    page.select_option("#language", label="French")
    page.select_option("#target", label="A recommendation")
    page.select_option("#order", label="Oldest first")
    page.click("form[role=search] button[type=submit]")
    _kept(page.url)
    assert "14 comments match" in page.content()
    text = page.locator("main").inner_text()
    assert "English 0" not in text and "Sur le cycle" not in text and "A/HRC/40/8 115.1" in text
    _nothing_chosen(page)
    _fits(page)
    screenshots(page, app, moderator, "moderation-queue")

    # The first comment: its telephone number is suggested for redaction, and redacted in one click.
    page.click("tr:has-text('répond au') >> a")
    _kept(page.url)
    assert page.locator("mark.personal-data").inner_text() == "٠٥٥ ١٢٣ ٤٥٦٧"
    assert "A/HRC/40/8 115.1" in page.locator("main dl").inner_text()  # what it is about
    page.click("ul.suggestions button")
    assert "Redacted in 1 place." in page.content()
    _kept(page.url)
    screenshots(page, app, moderator, "moderation-comment")

    # Sending without choosing is refused, with the note kept; then ten decisions in a row.
    page.fill("#note", "Merci pour ce témoignage.")
    page.click("button[value=next]")
    assert "Choose a decision" in page.content()
    assert page.input_value("#note") == "Merci pour ce témoignage."
    decided = []
    for n in range(8):
        _nothing_chosen(page)
        decided.append(page.locator("h1").inner_text())
        if n % 3 == 2:
            page.select_option("#decision", "reject")
            page.select_option("#reason", "off_topic")
        else:
            page.select_option("#decision", "approve")
        page.click("button[value=next]")
        _kept(page.url)
        assert "/moderation/comments/" in page.url and page.locator("h1").inner_text() not in decided

    # Back on the same filtered queue, the last two from the queue itself.
    page.click("text=Back to the queue")
    _kept(page.url)
    assert page.eval_on_selector("#language", "e => e.value") == "fr"
    assert "6 comments match" in page.content()
    _nothing_chosen(page)
    page.locator("tbody input[type=checkbox]").nth(0).check()
    page.locator("tbody input[type=checkbox]").nth(1).check()
    page.select_option("#decision", "approve")
    page.click("text=Decide on the ticked comments >> nth=-1")
    _kept(page.url)
    assert "Decided on 2 comments" in page.content() and "4 comments match" in page.content()
    _nothing_chosen(page)
    assert Axe().run(page, options=AXE).response["violations"] == []  # the queue, with its undo offer

    # The last decision is undone: that comment waits again, its author never told.
    page.click("text=Undo this decision")
    _kept(page.url)
    assert "The author has not been e-mailed about it" in page.content()
    assert "Awaiting moderation" in page.locator("main dl").inner_text()
    assert Axe().run(page, options=AXE).response["violations"] == []

    with app.app_context():
        states = [c.state for c in db.session.scalars(select(Comment).where(Comment.language == "fr"))]
        undone = db.session.scalars(
            select(ModerationDecision).where(ModerationDecision.undone_at.is_not(None))
        )
        assert len(list(undone)) == 1
        assert states.count(CommentState.published) == 7 and states.count(CommentState.rejected) == 2
        assert all(d.notified_at is None for d in db.session.scalars(select(ModerationDecision)))
