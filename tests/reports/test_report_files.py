"""The outcome report of a round as PDF and as a Word document: the summary, its quotations attributed as
published, the mechanism's answers, and the figures; Chinese and Arabic set in real fonts."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image

from consult.reports import fonts
from tests.reports.fixtures import published_round
from tests.reports.readable import docx_text, pdf_text

CONFIDENTIAL = "Secret witness account"
ANONYMOUS_QUOTE = "Detainees fear speaking to inspectors."
ROUND_TITLE = {"zh": "中期协商", "ar": "مشاورة منتصف المدة", "en": "Mid-term consultation"}


def holds(text: str, sentence: str) -> bool:
    """Whether a PDF's text layer holds a sentence. A line set right to left is extracted by pypdf in
    logical order when it is all Arabic, but a line that mixes directions comes out in visual order, its
    words reversed, and its final full stop at the front: so the words are compared, in either order."""
    words = sentence.strip(".。،").split()
    return " ".join(words) in text or " ".join(reversed(words)) in text


def test_the_set_up_installed_the_report_fonts():
    assert fonts.missing() == []
    assert fonts.preferred_missing() == []


@pytest.mark.parametrize("language", ["zh", "ar"])
def test_the_pdf_report_in_chinese_and_arabic_holds_its_text_and_shows_it(app, client, language, tmp_path):
    built = published_round(app, language)
    response = client.get(f"/rounds/{built.round.slug}/report.pdf?lang={language}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"{built.round.slug}-report-{language}.pdf" in response.headers["Content-Disposition"]

    text = pdf_text(response.data)
    for key in ("title", "introduction", "heading", "body", "explanation", "responsible"):
        assert holds(text, built.texts[key]), f"{key} missing from the text layer"
    assert holds(text, built.texts["about_recommendation"])
    assert holds(text, ROUND_TITLE[language])
    with app.test_request_context(), force_locale(language):
        anonymous_label = _("Anonymous contributor")
    assert holds(text, anonymous_label)
    assert ANONYMOUS_QUOTE in text
    assert built.named_author in text and built.organisation in text
    assert built.anonymous_author not in text
    assert CONFIDENTIAL not in text

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the text layer was checked, not the image")
    (tmp_path / "report.pdf").write_bytes(response.data)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "report.pdf", "page"], cwd=tmp_path, check=True
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > image.width * image.height * 0.005, "page 1 is blank"


def test_the_pdf_report_names_the_font_packages_when_a_font_is_missing(app, client, monkeypatch):
    built = published_round(app, "zh")
    absent = tuple(
        fonts.Script(s.name, (fonts.FontFile(fonts.NOTO_CJK / "absent.ttc", "fonts-noto-cjk"),), ())
        if s.name == "cjk"
        else s
        for s in fonts.SCRIPTS
    )
    monkeypatch.setattr(fonts, "SCRIPTS", absent)
    response = client.get(f"/rounds/{built.round.slug}/report.pdf?lang=zh")
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_word_report_holds_the_summary_the_answers_and_the_anonymous_quote_without_a_name(
    app, client, language
):
    built = published_round(app, language)
    response = client.get(f"/rounds/{built.round.slug}/report.docx?lang={language}")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    text = docx_text(response.data)
    for key, sentence in built.texts.items():
        assert sentence in text, key
    assert f"“{ANONYMOUS_QUOTE}”" in text
    with app.test_request_context(), force_locale(language):
        assert f"— {_('Anonymous contributor')}" in text
    assert f"— {built.named_author}, {built.organisation}" in text
    assert built.anonymous_author not in text
    assert CONFIDENTIAL not in text

    document = Document(io.BytesIO(response.data))
    body = next(p for p in document.paragraphs if p.text == built.texts["body"])
    right_to_left = body._p.pPr is not None and body._p.pPr.find(qn("w:bidi")) is not None
    assert right_to_left is (language == "ar")
    normal_fonts = document.styles["Normal"].element.rPr.rFonts
    assert normal_fonts.get(qn("w:cs")) == "Noto Naskh Arabic"


def test_a_round_without_a_summary_has_a_report_that_says_so(app, client):
    from tests.summaries.fixtures import closed_round_with_input

    built = closed_round_with_input(app)
    text = docx_text(client.get(f"/rounds/{built.slug}/report.docx?lang=en").data)
    assert "No summary of this round has been published yet." in text
    pdf = pdf_text(client.get(f"/rounds/{built.slug}/report.pdf?lang=en").data)
    assert "Mid-term consultation" in pdf and "No summary of this round has been published yet." in pdf
