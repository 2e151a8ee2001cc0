"""A round's outcome report (PDF, DOCX) and its published comments and figures (CSV, XLSX, JSON), for
anyone who may see the round: they hold only public data."""

from flask import Blueprint, Response, render_template

from consult.downloads import FileFormat, download
from consult.i18n import requested_language
from consult.reports import exports
from consult.reports.docx import render_docx
from consult.reports.fonts import FontsMissing
from consult.reports.pdf import render_pdf
from consult.reports.report import outcome_report
from consult.rounds.loaders import ROUND_RECORD
from consult.rounds.models import Round
from consult.rounds.services import figures_published
from consult.web import loads

bp = Blueprint("reports", __name__, url_prefix="/rounds")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/<slug>/report.pdf")
@loads("round_", ROUND_RECORD)
def report_pdf(round_: Round):
    """The round's outcome report as PDF; 503, naming the font packages, where the fonts are missing."""
    language = requested_language()
    try:
        data = render_pdf(outcome_report(round_, language))
    except FontsMissing as missing:
        return render_template("reports/fonts_missing.html", packages=missing.packages), 503
    return _file(data, "application/pdf", f"{round_.slug}-report-{language}.pdf")


@bp.route("/<slug>/report.docx")
@loads("round_", ROUND_RECORD)
def report_docx(round_: Round):
    """The round's outcome report as a Word document, to paste into the national report."""
    language = requested_language()
    data = render_docx(outcome_report(round_, language))
    return _file(data, DOCX_TYPE, f"{round_.slug}-report-{language}.docx")


@bp.route("/<slug>/comments.<file_format:fmt>")
@loads("round_", ROUND_RECORD)
def export_comments(round_: Round, fmt: FileFormat):
    """Every public comment of the round, as its public record, streamed."""
    round_id, round_slug = round_.id, round_.slug
    return download(lambda: exports.comment_rows(round_id, round_slug), fmt, f"{round_slug}-comments")


@bp.route("/<slug>/figures.<file_format:fmt>")
@loads("round_", ROUND_RECORD)
def export_figures(round_: Round, fmt: FileFormat):
    """The round's participation figures as a file."""
    round_id, language, published_now = round_.id, requested_language(), figures_published(round_)
    return download(
        lambda: exports.figure_rows(round_id, language, published_now), fmt, f"{round_.slug}-figures"
    )
