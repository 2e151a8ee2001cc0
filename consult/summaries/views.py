"""Summaries for summarisers (the editor beside the figures), for everyone (published versions, the
round's outcome, its charts) and for coordinators (answers, follow-up)."""

from datetime import UTC, datetime, time, timedelta
from typing import Any, NamedTuple

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from consult.database import as_id
from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, choices, form_status
from consult.i18n import current_language, requested_language
from consult.organisations.models import confirmed_organisations
from consult.pagecache import for_readers
from consult.plan.loaders import RECOMMENDATION
from consult.plan.models import Recommendation
from consult.rounds.loaders import ROUND
from consult.rounds.models import Round
from consult.rounds.permissions import can_see_exact_figures
from consult.rounds.services import effective_state, figures_published, get_round_by_id, scope_of
from consult.summaries import charts, services
from consult.summaries.figures import labelled, published, round_figures
from consult.summaries.forms import (
    CitationForm,
    FollowUpForm,
    IntroductionForm,
    PublishForm,
    ResponseForm,
    SectionEditForm,
    SectionForm,
    SummaryForm,
)
from consult.summaries.models import Citation, ResponseOutcome, Summary, SummarySection
from consult.summaries.permissions import can_follow_up, can_respond, can_summarise, can_view_summary
from consult.web import Loader, ensure, get_or_404, loads, requires

bp = Blueprint("summaries", __name__)


class Place(NamedTuple):
    """What an address in a summary names: the summary, its round (which says who may see it), and the
    point or the quotation, if the address names one."""

    summary: Summary
    round: Round
    section: SummarySection | None = None
    citation: Citation | None = None


def _find_summary(summary_id: int) -> Place | None:
    """A summary with its round (its scope loaded, for the editor), or None."""
    summary = db.session.get(
        Summary, summary_id, options=[selectinload(Summary.sections).selectinload(SummarySection.citations)]
    )
    if summary is None:
        return None
    return Place(summary, get_round_by_id(summary.round_id))


def _find_section(section_id: int) -> Place | None:
    """A point with its summary and round, or None."""
    section = db.session.get(SummarySection, section_id)
    place = _find_summary(section.summary_id) if section is not None else None
    return place._replace(section=section) if place is not None else None


def _find_citation(citation_id: int) -> Place | None:
    """A quotation with its point, summary and round, or None."""
    citation = db.session.get(Citation, citation_id)
    place = _find_section(citation.section_id) if citation is not None else None
    return place._replace(citation=citation) if place is not None else None


def _may_read(user: Any, place: Place) -> bool:
    """Whether the person may know the summary exists (otherwise 404)."""
    return can_view_summary(user, place.summary, place.round)


def _may_edit(user: Any, place: Place) -> bool:
    """Whether the person may change the summary (otherwise sign in, or 403)."""
    return can_summarise(user, place.round)


#: A summary by its id, with its round: a published one for whoever may see the round, a draft for those
#: who may summarise it (anyone else: 404).
SUMMARY = Loader("summary_id", _find_summary, _may_read)
#: A point of a summary by its id, with its summary and round, for the same people.
SECTION = Loader("section_id", _find_section, _may_read)
#: A quotation in a point by its id, with its point, summary and round, for the same people.
CITATION = Loader("citation_id", _find_citation, _may_read)


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
        state=effective_state(round_),
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


def _render_editor(summary: Summary, round_: Round, **forms):
    """The editor: the working copy's forms on one side, the figures and the input on the other."""
    language = summary.language
    section_form = forms.pop("section_form", None) or SectionForm(formdata=None)
    section_form.target.choices = choices(services.target_choices(round_, language))
    introduction_form = forms.pop("introduction_form", None) or IntroductionForm(
        formdata=None, title=summary.title, introduction=summary.introduction
    )
    edit_forms = {
        s.id: SectionEditForm(formdata=None, prefix=f"section-{s.id}", heading=s.heading, body=s.body)
        for s in summary.sections
    }
    sent = forms.pop("edit_form", None)
    if sent is not None:
        edit_forms[sent[0]] = sent[1]
    cite_forms = {s.id: CitationForm(formdata=None, prefix=f"cite-{s.id}") for s in summary.sections}
    sent = forms.pop("cite_form", None)
    if sent is not None:
        cite_forms[sent[0]] = sent[1]
    publish_form = forms.pop("publish_form", None) or PublishForm(formdata=None)
    status = max(
        [200] + [form_status(f) for f in (section_form, introduction_form, publish_form) if f.is_submitted()]
    )
    status = max(
        [status] + [form_status(f) for f in (*edit_forms.values(), *cite_forms.values()) if f.errors]
    )
    return render_template(
        "summaries/edit.html",
        summary=summary,
        round=round_,
        figures=_figures(round_),
        chart_names=charts.CHARTS,
        chart_titles=charts.titles(),
        citable=services.citable_for(summary.sections),
        introduction_form=introduction_form,
        section_form=section_form,
        edit_forms=edit_forms,
        cite_forms=cite_forms,
        publish_form=publish_form,
        unpublished=services.has_unpublished_changes(summary),
    ), status


@bp.route("/summaries/<int:summary_id>/edit", methods=["GET", "POST"])
@checks_csrf_in_form
@loads("place", SUMMARY, allowed=_may_edit)
def edit_summary(place: Place):
    """The editor; a POST changes the title and introduction."""
    summary, round_ = place.summary, place.round
    if request.method == "GET":
        return _render_editor(summary, round_)
    form = IntroductionForm()
    if form.validate_on_submit():
        services.update_summary(current_user, summary, form.title.data, form.introduction.data)
        db.session.commit()
        flash(_("The introduction is saved."), "success")
        return _back_to_editor(summary)
    return _render_editor(summary, round_, introduction_form=form)


@bp.route("/summaries/<int:summary_id>/sections", methods=["POST"])
@checks_csrf_in_form
@loads("place", SUMMARY, allowed=_may_edit)
def add_section(place: Place):
    """Add a point about a part of the round."""
    summary, round_ = place.summary, place.round
    form = SectionForm()
    form.target.choices = choices(services.target_choices(round_, summary.language))
    if form.validate_on_submit():
        target = services.parse_target(form.target.data)
        try:
            if target is None:
                raise DomainError(_("Choose a part of this round's scope."), field="target")
            section = services.add_section(
                current_user, summary, *target, form.heading.data, form.body.data or ""
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The point is added."), "success")
            return _back_to_editor(summary, section)
    return _render_editor(summary, round_, section_form=form)


def _back_to_editor(summary: Summary, section: SummarySection | None = None):
    """Back to the editor, at the point just changed."""
    anchor = f"section-{section.id}" if section is not None else None
    return redirect(url_for("summaries.edit_summary", summary_id=summary.id, _anchor=anchor))


@bp.route("/summaries/sections/<int:section_id>", methods=["POST"])
@checks_csrf_in_form
@loads("place", SECTION, allowed=_may_edit)
def update_section(place: Place):
    """Change a point's heading and text."""
    summary, round_, section = place.summary, place.round, place.section
    form = SectionEditForm(prefix=f"section-{section.id}")
    if form.validate_on_submit():
        services.update_section(current_user, section, form.heading.data, form.body.data or "")
        db.session.commit()
        flash(_("The point is saved."), "success")
        return _back_to_editor(summary, section)
    return _render_editor(summary, round_, edit_form=(section.id, form))


@bp.route("/summaries/sections/<int:section_id>/remove", methods=["POST"])
@loads("place", SECTION, allowed=_may_edit)
def remove_section(place: Place):
    """Take a point out of the working copy."""
    summary, section = place.summary, place.section
    try:
        services.remove_section(current_user, section)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The point is removed."), "success")
    return _back_to_editor(summary)


@bp.route("/summaries/sections/<int:section_id>/citations", methods=["POST"])
@checks_csrf_in_form
@loads("place", SECTION, allowed=_may_edit)
def cite(place: Place):
    """Quote a published comment in a point."""
    summary, round_, section = place.summary, place.round, place.section
    form = CitationForm(prefix=f"cite-{section.id}")
    if form.validate_on_submit():
        comment = services.citable(round_.id, form.comment.data)
        try:
            services.cite(current_user, section, comment, form.quote.data)
        except DomainError as error:
            form.show(error, near="quote")
        else:
            db.session.commit()
            flash(_("The quotation is added."), "success")
            return _back_to_editor(summary, section)
    return _render_editor(summary, round_, cite_form=(section.id, form))


@bp.route("/summaries/citations/<int:citation_id>/remove", methods=["POST"])
@loads("place", CITATION, allowed=_may_edit)
def uncite(place: Place):
    """Remove a quotation from a point."""
    services.uncite(current_user, place.citation)
    db.session.commit()
    flash(_("The quotation is removed."), "success")
    return _back_to_editor(place.summary, place.section)


@bp.route("/summaries/<int:summary_id>/preview")
@loads("place", SUMMARY, allowed=_may_edit)
def preview_summary(place: Place):
    """The working copy exactly as the public would read it once published."""
    summary, round_ = place.summary, place.round
    return render_template(
        "summaries/show.html",
        summary=summary,
        round=round_,
        content=services.render(summary),
        version=None,
        preview=True,
        responses={},
    )


@bp.route("/summaries/<int:summary_id>/publish", methods=["POST"])
@checks_csrf_in_form
@loads("place", SUMMARY, allowed=_may_edit)
def publish_summary(place: Place):
    """Publish the working copy as the next version."""
    summary, round_ = place.summary, place.round
    form = PublishForm()
    if form.validate_on_submit():
        try:
            version = services.publish_summary(current_user, summary, form.change_note.data)
        except DomainError as error:
            form.show(error, near="change_note")
        else:
            db.session.commit()
            flash(_("Version %(number)d is published.", number=version.number), "success")
            return redirect(url_for("summaries.show_summary", summary_id=summary.id))
    return _render_editor(summary, round_, publish_form=form)


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
        content=services.public_content(version),
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


def _render_responses(round_: Round, sent: tuple[str, ResponseForm] | None = None):
    """The answer form for each published point and each recommendation of the round."""
    outcome = services.outcome_of(round_.id)
    scope = scope_of(round_)
    recommendations = [r for c in scope["clusters"] for r in c.recommendations] + scope["recommendations"]
    forms = {}
    for _summary, _version, content in outcome["summaries"]:
        for section in content["sections"]:
            answered = outcome["by_section"].get(section["id"])
            forms[f"section-{section['id']}"] = _response_form(f"section-{section['id']}", answered)
    for recommendation in recommendations:
        answered = outcome["by_recommendation"].get(recommendation.id)
        forms[f"recommendation-{recommendation.id}"] = _response_form(
            f"recommendation-{recommendation.id}", answered
        )
    if sent is not None:
        forms[sent[0]] = sent[1]
    status = form_status(sent[1]) if sent is not None else 200
    return render_template(
        "summaries/responses.html",
        round=round_,
        outcome=outcome,
        recommendations=recommendations,
        forms=forms,
    ), status


def _response_form(prefix: str, answered) -> ResponseForm:
    if answered is None:
        return ResponseForm(formdata=None, prefix=prefix)
    return ResponseForm(
        formdata=None,
        prefix=prefix,
        outcome=answered.outcome.value,
        explanation=answered.explanation.get(current_language())
        or next(iter(answered.explanation.values()), ""),
        responsible_entity=answered.responsible_entity,
    )


#: What the mechanism answers, by the first word of an answer's target ("section-3", "recommendation-7").
ANSWERABLE = {"section": SummarySection, "recommendation": Recommendation}


def _response_target(target: str) -> tuple[str, int]:
    """The kind and the id an answer's target names; 400 for any other target."""
    kind, _sep, ident = target.partition("-")
    if kind not in ANSWERABLE or as_id(ident) is None:
        abort(400)
    return kind, int(ident)


@bp.route("/rounds/<slug>/responses", methods=["GET", "POST"])
@requires(can_respond)
@checks_csrf_in_form
@loads("round_", ROUND)
def respond(round_: Round):
    """Answer the summaries' points and the round's recommendations, one at a time."""
    if request.method == "GET":
        return _render_responses(round_)
    target = request.form.get("target", "")
    kind, ident = _response_target(target)
    form = ResponseForm(prefix=target)
    if form.validate_on_submit():
        try:
            services.respond(
                current_user,
                round_,
                ResponseOutcome(form.outcome.data),
                form.explanation.data,
                current_language(),
                form.responsible_entity.data,
                **{kind: get_or_404(ANSWERABLE[kind], ident)},
            )
        except DomainError as error:
            form.show(error, near="explanation")
        else:
            db.session.commit()
            flash(_("The answer is recorded."), "success")
            return redirect(url_for("summaries.respond", slug=round_.slug, _anchor=target))
    return _render_responses(round_, (target, form))


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
