"""Summaries for summarisers (the editor beside the figures), for everyone (published versions, the
round's outcome, its charts) and for coordinators (answers, follow-up)."""

from datetime import UTC, datetime, time, timedelta
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, form_status
from consult.i18n import current_language, requested_language
from consult.organisations.models import confirmed_organisations
from consult.pagecache import for_readers
from consult.plan.loaders import RECOMMENDATION
from consult.plan.models import Recommendation
from consult.rounds.loaders import ROUND
from consult.rounds.models import Round
from consult.rounds.permissions import can_see_exact_figures
from consult.rounds.services import effective_state, figures_published, get_round_by_id, scope_of
from consult.summaries import answering, charts, editing, services, workspace
from consult.summaries.figures import labelled, published, round_figures
from consult.summaries.forms import FollowUpForm, SummaryForm, TagsForm
from consult.summaries.models import Summary, SummarySection
from consult.summaries.permissions import (
    can_follow_up,
    can_respond,
    can_summarise,
    can_summarise_some,
    can_view_summary,
)
from consult.web import Loader, ensure, loads, requires

bp = Blueprint("summaries", __name__)


class Place(NamedTuple):
    """What an address in a summary names: the summary and its round (which says who may see it)."""

    summary: Summary
    round: Round


def _find_summary(summary_id: int) -> Place | None:
    """A summary with its round (its scope loaded, for the editor), or None."""
    summary = db.session.get(
        Summary, summary_id, options=[selectinload(Summary.sections).selectinload(SummarySection.citations)]
    )
    if summary is None:
        return None
    return Place(summary, get_round_by_id(summary.round_id))


def _may_read(user: Any, place: Place) -> bool:
    """Whether the person may know the summary exists (otherwise 404)."""
    return can_view_summary(user, place.summary, place.round)


def _may_edit(user: Any, place: Place) -> bool:
    """Whether the person may change the summary (otherwise sign in, or 403)."""
    return can_summarise(user, place.round)


#: A summary by its id, with its round: a published one for whoever may see the round, a draft for those
#: who may summarise it (anyone else: 404).
SUMMARY = Loader("summary_id", _find_summary, _may_read)


def _figures(round_: Round) -> dict | None:
    """The round's figures, labelled for the reader: exact and live for the round's staff, marked so; for
    everyone else, the public's, small counts withheld, once the round has closed (None before)."""
    exact = can_see_exact_figures(current_user, round_)
    public_now = figures_published(round_)
    if not (exact or public_now):
        return None
    found = round_figures(round_.id, exact=exact)
    return published(found, labelled(found, current_language())) | {"public_now": public_now}


# The summariser's work


@bp.route("/rounds/<slug>/summaries", methods=["GET", "POST"])
@checks_csrf_in_form
@for_readers
@loads("round_", ROUND)
def list_summaries(round_: Round):
    """A round's summaries: published ones for everyone; drafts and a new summary for its summarisers."""
    may_summarise = can_summarise(current_user, round_)
    form = SummaryForm(language=current_language())
    if request.method == "POST":
        ensure(may_summarise)
        if form.validate_on_submit():
            try:
                summary = _create_summary(round_, form)
            except DomainError as error:
                form.show(error, near="title")
            else:
                db.session.commit()
                return _back_to_editor(summary)
    summaries = services.summaries_of(round_.id) if may_summarise else services.published_summaries(round_.id)
    return render_template(
        "summaries/list.html",
        round=round_,
        may_write=services.may_write(round_),
        summaries=summaries,
        form=form if may_summarise else None,
    ), form_status(form)


def _create_summary(round_: Round, form: SummaryForm) -> Summary:
    """Start a summary of the round, speaking for the author's organisation."""
    organisation_id = _summariser_organisation(round_)
    return services.create_summary(current_user, round_, form.title.data, form.language.data, organisation_id)


def _summariser_organisation(round_: Round) -> int | None:
    """The organisation a summary speaks for: the round's summarising organisation (the NHRI) for its
    members, else the author's own verified organisation (the mechanism's, for a coordinator)."""
    organisations = [o for o in confirmed_organisations(current_user) if o.is_verified]
    if any(o.id == round_.summariser_organisation_id for o in organisations):
        return round_.summariser_organisation_id
    return organisations[0].id if organisations else None


def _render_editor(place: Place, page: editing.EditorPage):
    """The editor: its one form on one side, the figures of the moderated input on the other."""
    summary, language = place.summary, current_language()
    return render_template(
        "summaries/edit.html",
        summary=summary,
        round=place.round,
        page=page,
        figures=_figures(place.round),
        chart_names=charts.CHARTS,
        chart_titles=charts.titles(),
        citable=services.citable_for(summary, language),
        quoted=services.public_ids(summary),
        targets=services.section_targets(summary.sections, language),
        stakeholders=workspace.stakeholder_labels(),
        unpublished=services.has_unpublished_changes(summary),
    ), page.status


def _editor_page(place: Place, sent=None) -> editing.EditorPage:
    """The editor's forms, from what was sent or from the working copy."""
    choices_ = services.target_choices(place.round, current_language())
    return editing.editor_page(place.summary, choices_, sent)


@bp.route("/summaries/<int:summary_id>/edit", methods=["GET", "POST"])
@checks_csrf_in_form
@loads("place", SUMMARY, allowed=_may_edit)
def edit_summary(place: Place):
    """The editor, one form: every button saves everything typed on the page, then does its own work."""
    sent = request.form if request.method == "POST" else None
    page = _editor_page(place, sent)
    action = editing.parse_action(request.form.get("action"))
    if sent is None or not editing.validate(page, action):
        return _render_editor(place, page)
    try:
        message, section = editing.apply(current_user, place.round, page, action)
    except DomainError as error:
        db.session.rollback()
        editing.show(page, action, error)
        return _render_editor(place, page)
    db.session.commit()
    flash(message, "success")
    if action.verb == "publish":
        return redirect(url_for("summaries.show_summary", summary_id=place.summary.id))
    kept = editing.kept(page, action)
    if kept:  # something typed is not saved yet: the page itself comes back, with it
        return _render_editor(place, editing.carried(_editor_page(place), kept))
    return _back_to_editor(place.summary, section)


def _back_to_editor(summary: Summary, section: SummarySection | None = None):
    """Back to the editor, at the point just changed."""
    anchor = f"section-{section.id}" if section is not None else None
    return redirect(url_for("summaries.edit_summary", summary_id=summary.id, _anchor=anchor))


def _render_reading(
    place: Place, args, form: TagsForm, typed: dict | None = None, errors: dict | None = None
):
    """The reading list as filtered by args, its tags as saved, or as typed when they could not be."""
    filters = workspace.reading_form(place.summary, place.round, args)
    found, total = services.reading_list(
        place.summary, workspace.filters(filters, place.summary), current_language()
    )
    return render_template(
        "summaries/reading.html",
        summary=place.summary,
        round=place.round,
        filters=filters,
        form=form,
        entries=found,
        total=total,
        back=workspace.query(filters),
        typed=typed or {},
        tag_errors=errors or {},
        stakeholders=workspace.stakeholder_labels(),
    ), (422 if errors else form_status(form))


@bp.route("/summaries/<int:summary_id>/reading")
@loads("place", SUMMARY, allowed=_may_edit)
def read_input(place: Place):
    """The summariser's reading list: the round's published input, filtered, with the summariser's tags."""
    return _render_reading(place, request.args, TagsForm(formdata=None))


@bp.route("/summaries/<int:summary_id>/tags", methods=["POST"])
@checks_csrf_in_form
@loads("place", SUMMARY, allowed=_may_edit)
def tag_comments(place: Place):
    """Save the tags typed on the reading list, then back to it as it was filtered; tags that cannot be
    saved come back as typed, with what is wrong, and nothing is saved."""
    form, args = TagsForm(), MultiDict(parse_qsl(request.form.get("back", "")))
    typed = workspace.sent_tags(request.form)
    errors = services.tag_errors(typed)
    if not form.validate_on_submit() or errors:
        return _render_reading(place, args, form, workspace.typed_tags(request.form), errors)
    changed = services.set_tags(current_user, place.summary, services.by_row_id(place.round.id, typed))
    db.session.commit()
    flash(
        ngettext(
            "The tags of %(num)d comment are saved.", "The tags of %(num)d comments are saved.", changed
        ),
        "success",
    )
    back = workspace.back_to(place.summary, place.round, request.form.get("back"))
    return redirect(
        url_for("summaries.read_input", summary_id=place.summary.id) + (f"?{back}" if back else "")
    )


@bp.route("/summaries/mine")
@requires(can_summarise_some)
def my_summaries():
    """The rounds this person summarises, with their summaries and drafts."""
    return render_template(
        "summaries/mine.html", rounds=services.rounds_to_summarise(current_user), may_write=services.may_write
    )


@bp.route("/summaries/<int:summary_id>/preview")
@loads("place", SUMMARY, allowed=_may_edit)
def preview_summary(place: Place):
    """The working copy exactly as the public would read it once published."""
    summary, round_ = place.summary, place.round
    return render_template(
        "summaries/show.html",
        summary=summary,
        round=round_,
        content=(content := services.render(summary)),
        targets=services.content_targets([content]),
        version=None,
        preview=True,
        responses={},
    )


# What everyone reads


@bp.route("/summaries/<int:summary_id>", defaults={"number": None})
@bp.route("/summaries/<int:summary_id>/versions/<int:number>")
@for_readers
@loads("place", SUMMARY)
def show_summary(place: Place, number: int | None):
    """A published summary: its latest version, or an earlier one, with the list of versions."""
    summary, round_ = place.summary, place.round
    version = services.get_version(summary, number)
    if version is None:
        if number is None and can_summarise(current_user, round_):
            return _back_to_editor(summary)
        abort(404)
    outcome = services.outcome_of(round_.id)
    return render_template(
        "summaries/show.html",
        summary=summary,
        round=round_,
        content=(content := services.public_content(version)),
        targets=services.content_targets([content]),
        version=version,
        preview=False,
        responses=outcome["by_section"],
    )


@bp.route("/rounds/<slug>/outcome")
@for_readers
@loads("round_", ROUND)
def show_outcome(round_: Round):
    """What we heard, what we did: the figures, the summaries and the mechanism's answers."""
    outcome = services.outcome_of(round_.id)
    scope = scope_of(round_)
    recommendations = [r for c in scope["clusters"] for r in c.recommendations] + scope["recommendations"]
    return render_template(
        "summaries/outcome.html",
        round=round_,
        state=effective_state(round_),
        figures=_figures(round_),
        chart_names=charts.CHARTS,
        chart_titles=charts.titles(),
        outcome=outcome,
        targets=services.content_targets([content for _s, _v, content in outcome["summaries"]]),
        answered=[r for r in recommendations if r.id in outcome["by_recommendation"]],
        downloads=_downloads(round_),
    )


def _downloads(round_: Round) -> list[tuple[str, str]]:
    """The round's outcome report and its public data, in the reader's language: (label, address)."""
    language = current_language()
    links = [
        (_("Outcome report (PDF)"), url_for("reports.report_pdf", slug=round_.slug, lang=language)),
        (_("Outcome report (Word)"), url_for("reports.report_docx", slug=round_.slug, lang=language)),
    ]
    for fmt in ("csv", "xlsx", "json"):
        links.append(
            (
                _("Published comments (%(format)s)", format=fmt.upper()),
                url_for("reports.export_comments", slug=round_.slug, fmt=fmt, lang=language),
            )
        )
    # The figures files are the public's figures: there are none until the round has closed.
    for fmt in ("csv", "xlsx", "json") if figures_published(round_) else ():
        links.append(
            (
                _("Figures (%(format)s)", format=fmt.upper()),
                url_for("reports.export_figures", slug=round_.slug, fmt=fmt, lang=language),
            )
        )
    return links


@bp.route("/rounds/<slug>/charts/<any(stakeholders, clusters, languages, assessments):name>.svg")
@for_readers
@loads("round_", ROUND)
def chart(round_: Round, name: str):
    """One chart of a round's figures, as an SVG image in the reader's language."""
    language = requested_language()
    with force_locale(language):
        # A chart is published as it is: the public's figures whoever asks, so that no copy shows more; and
        # only once the round has closed.
        if figures_published(round_):
            found = round_figures(round_.id)
            svg = charts.draw(name, published(found, labelled(found, language))["breakdowns"])
        else:
            svg = charts.not_yet(name)
    response = Response(svg, mimetype="image/svg+xml")
    # Shown as an image: its own styles only, no script, nothing from elsewhere.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Vary"] = "Cookie, Accept-Language"
    return response


# The mechanism's answers


def _render_responses(round_: Round, page: answering.AnswersPage):
    """The answers page: one form, an answer's fields under each point and each recommendation."""
    return render_template(
        "summaries/responses.html",
        round=round_,
        page=page,
        outcome=page.outcome,
        targets=answering.targets(page),
    ), page.status


@bp.route("/rounds/<slug>/responses", methods=["GET", "POST"])
@requires(can_respond)
@checks_csrf_in_form
@loads("round_", ROUND)
def respond(round_: Round):
    """Answer the summaries' points and the round's recommendations: every answer filled in is saved at
    once; one half filled in comes back as typed, with what it lacks."""
    unanswered = request.args.get("unanswered") == "1"
    sent = request.form if request.method == "POST" else None
    page = answering.answers_page(round_, sent, unanswered)
    if sent is None or not page.token.validate():
        return _render_responses(round_, page)
    answering.save(current_user, round_, page)
    db.session.commit()
    if page.saved:
        flash(ngettext("%(num)d answer is recorded.", "%(num)d answers are recorded.", page.saved), "success")
    if page.status != 200:  # what was typed comes back, the answers just recorded counted
        return _render_responses(round_, answering.carried(round_, sent, unanswered, page))
    return redirect(url_for("summaries.respond", slug=round_.slug, unanswered="1" if unanswered else None))


@bp.route("/follow-up")
@requires(can_follow_up)
def follow_up():
    """Recommendations with new input since a date (a fortnight ago unless chosen)."""
    form = FollowUpForm(request.args)
    form.validate()
    since = form.since.data or (datetime.now(UTC) - timedelta(days=14)).date()
    if not form.since.data:
        form.since.data = since
    moment = datetime.combine(since, time.min, tzinfo=UTC)
    return render_template(
        "summaries/follow_up.html", form=form, rows=services.follow_up(moment), since=since
    )


# A recommendation's page, with what every round heard about it


@bp.route("/plan/recommendations/<int:recommendation_id>")
@for_readers
@loads("recommendation", RECOMMENDATION)
def show_recommendation(recommendation: Recommendation):
    """A recommendation: its texts, position, tags, cluster, actions and indicators, and what every round of
    the cycle heard about it, summarised and answered."""
    return render_template(
        "plan/recommendation.html",
        recommendation=recommendation,
        heard=services.heard_about(recommendation.id),
    )
