"""A round's outcome report (PDF, DOCX) and its published comments and figures (CSV, XLSX, JSON), for
anyone who may see the round: they hold only public data."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from consult.i18n import requested_language
from consult.reports import exports
from consult.reports.docx import render_docx
from consult.reports.fonts import FontsMissing
from consult.reports.pdf import render_pdf
from consult.reports.report import outcome_report
from consult.rounds.models import Round
from consult.rounds.permissions import can_view_round
from consult.rounds.services import figures_published, find_round

bp = Blueprint("reports", __name__, url_prefix="/rounds")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _load(slug: str) -> Round:
    """The round at this address if the person may see it; 404 otherwise."""
    round_ = find_round(slug)
    if round_ is None or not can_view_round(current_user, round_):
        abort(404)
    return round_


def _file(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/<slug>/report.pdf")
def report_pdf(slug: str):
    """The round's outcome report as PDF; 503, naming the font packages, where the fonts are missing."""
    round_ = _load(slug)
    language = requested_language()
    try:
        data = render_pdf(outcome_report(round_, language))
    except FontsMissing as missing:
        return render_template("reports/fonts_missing.html", packages=missing.packages), 503
    return _file(data, "application/pdf", f"{round_.slug}-report-{language}.pdf")


@bp.route("/<slug>/report.docx")
def report_docx(slug: str):
    """The round's outcome report as a Word document, to paste into the national report."""
    round_ = _load(slug)
    language = requested_language()
    data = render_docx(outcome_report(round_, language))
    return _file(data, DOCX_TYPE, f"{round_.slug}-report-{language}.docx")


@bp.route("/<slug>/comments.<any(csv, json, xlsx):fmt>")
def export_comments(slug: str, fmt: str):
    """Every public comment of the round, as its public record, streamed."""
    round_ = _load(slug)
    round_id, round_slug = round_.id, round_.slug
    return exports.download(lambda: exports.comment_rows(round_id, round_slug), fmt, f"{round_slug}-comments")


@bp.route("/<slug>/figures.<any(csv, json, xlsx):fmt>")
def export_figures(slug: str, fmt: str):
    """The round's participation figures as a file."""
    round_ = _load(slug)
    round_id, language, published_now = round_.id, requested_language(), figures_published(round_)
    return exports.download(
        lambda: exports.figure_rows(round_id, language, published_now), fmt, f"{round_.slug}-figures"
    )
