"""The contributor's journey where work is easily lost or a choice easily made for them, in a real
browser: the "Comment" buttons say what they comment on; the publication choice starts empty; a refusal keeps
the text and the file; a wrong file is removed without losing anything; the preview reads exactly as the
public page does once the comment is published; withdrawing asks first. Screenshots of the form, the preview,
the receipt, "my submissions" and the withdrawal's question in English, Arabic and Chinese."""

import re

from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from sqlalchemy import select

from consult.comments.models import TargetType
from consult.comments.targets import describe
from consult.extensions import db
from consult.plan.models import Recommendation
from tests.browser.support import screenshots, sign_in
from tests.factories import mid_term_round, person
from tests.files import _pdf

#: WCAG 2.1 A and AA, as tests/accessibility runs it on every page.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BODY = "Nobody has visited the women's prison since the review; the NGO asked three times."


def picture(folder, name: str, colour: str) -> str:
    path = folder / name
    Image.new("RGB", (24, 24), colour).save(path)
    return str(path)


def assert_axe_clean(page) -> None:
    """No WCAG 2.1 A/AA violation on the page as it stands (also the answer to a POST: a form come back)."""
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def photograph_preview(page, app, account) -> None:
    """The preview (the answer to a POST, which a reload would send again) in each journey language:
    "Preview" pressed again keeps everything as typed."""

    def preview_again(again) -> None:
        again.click("button[value=preview]")
        assert BODY in again.locator("#preview").inner_text()

    screenshots(page, app, account, "contributor-preview", show=preview_again)


def test_the_preview_is_what_the_public_reads_and_nothing_typed_is_lost(live_server, browser, tmp_path):
    base, app = live_server
    mid_term_round(app)
    olga = person(app, "Olga Petrova", organisation="Women's Rights Network")
    with app.test_request_context():
        symbol = describe(TargetType.recommendation, db.session.scalar(select(Recommendation))).symbol
    page = browser.new_page(locale="en-GB")
    sign_in(page, base, app, olga)

    page.goto(f"{base}/rounds/mid-term")
    page.click("summary")
    offer = page.get_by_role("link", name=re.compile(re.escape(f"Comment on {symbol}")))
    assert offer.count() == 1  # a screen reader hears which recommendation the button is about
    assert page.locator("article.recommendation", has=offer).count() == 1  # inside its card
    offer.click()
    assert symbol in page.locator(".comment-about").inner_text()
    assert page.locator("input[name=publication]:checked").count() == 0
    screenshots(page, app, olga, "contributor-form")

    page.fill("#body", BODY)
    page.select_option("#assessment", "not_started")
    assert page.is_disabled("input[name=publication][value=organisation]")  # "Myself only" is chosen
    page.set_input_files("#attachments", picture(tmp_path, "evidence.png", "blue"))
    page.click("button[value=submit]")  # no publication chosen: refused, nothing lost
    assert "Choose how your comment may be published." in page.locator(".error-summary").inner_text()
    assert page.input_value("#body") == BODY and page.input_value("#assessment") == "not_started"
    assert "evidence.png" in page.locator("#attached").inner_text()
    assert_axe_clean(page)  # the form come back with its error and its kept file

    page.select_option("#organisation", label="Women's Rights Network")
    page.check("input[name=publication][value=named]")
    page.set_input_files("#attachments", picture(tmp_path, "wrong.png", "red"))
    page.click("button[value=preview]")
    assert "wrong.png" in page.locator("#attached").inner_text()
    page.click("#attached li:has-text('wrong.png') button[name=remove]")
    attached = page.locator("#attached").inner_text()
    assert "wrong.png" not in attached and "evidence.png" in attached
    assert page.input_value("#body") == BODY and page.is_checked("input[name=publication][value=named]")
    assert page.input_value("#organisation") != "0"

    page.click("button[value=preview]")
    previewed = page.locator("#preview article").inner_text()
    assert BODY in previewed and "Olga Petrova" in previewed and symbol in previewed
    assert "evidence.png" in previewed and "wrong.png" not in previewed
    assert_axe_clean(page)
    photograph_preview(page, app, olga)
    assert page.locator("#preview article").inner_text() == previewed

    page.click("button[value=submit]")
    page.wait_for_selector("text=Your comment is received")
    assert symbol in page.locator(".comment-target").inner_text()
    assert "evidence.png" in page.content()
    screenshots(page, app, olga, "contributor-receipt")
    receipt = page.url

    reader = browser.new_page(locale="en-GB")
    reader.goto(f"{base}/rounds/mid-term")
    published = reader.locator("article.comment-card", has_text=BODY)
    assert published.count() == 1
    assert published.inner_text() == previewed  # the preview showed exactly what the public reads

    page.goto(f"{base}/comments/mine")
    assert symbol in page.locator("td.comment-target").inner_text()
    assert_axe_clean(page)
    screenshots(page, app, olga, "contributor-mine")

    page.goto(receipt)
    page.click("main a.button-danger")  # "Withdraw" asks first
    assert "Withdraw this comment?" in page.locator("h1").inner_text()
    assert_axe_clean(page)
    screenshots(page, app, olga, "contributor-withdraw")
    page.click("text=No, keep it")
    assert page.url == receipt
    page.click("main a.button-danger")
    page.click("main button.button-danger")
    page.wait_for_selector("text=Your comment is withdrawn.")
    reader.reload()
    assert BODY not in reader.content()


def test_a_refused_file_leaves_the_good_ones_attached(live_server, browser, tmp_path):
    base, app = live_server
    mid_term_round(app)
    olga = person(app, "Olga Petrova", organisation="Women's Rights Network")
    page = browser.new_page(locale="en-GB")
    sign_in(page, base, app, olga)
    page.goto(f"{base}/comments/new/mid-term")
    fake = tmp_path / "fake.pdf"
    fake.write_text("Plain words in a file named like a PDF.\n")
    real = tmp_path / "testimony.pdf"
    real.write_bytes(_pdf())

    page.fill("#body", BODY)
    page.check("input[name=publication][value=named]")
    page.set_input_files("#attachments", [str(fake), picture(tmp_path, "photo.png", "green"), str(real)])
    page.click("button[value=submit]")
    assert "fake.pdf" in page.locator(".error-summary").inner_text()
    attached = page.locator("#attached").inner_text()
    assert "photo.png" in attached and "testimony.pdf" in attached and "fake.pdf" not in attached
    assert page.input_value("#body") == BODY
    assert_axe_clean(page)

    page.click("button[value=submit]")
    page.wait_for_selector("text=Your comment is received")
    assert "photo.png" in page.content() and "testimony.pdf" in page.content()
