"""Rounds for everyone (the list, a round's document) and for coordinators (set-up, schedule). A round's
page, which shows its comments, is the comments feature's (consult/comments/views.py)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, choices, form_status, render_form
from consult.i18n import localized, with_isolated
from consult.organisations.models import Organisation, OrganisationState
from consult.pagecache import for_readers
from consult.plan.forms import LANGUAGE_LABELS
from consult.plan.models import Action, Cluster, PlanVersion, Recommendation
from consult.rounds import editing, notifications, services, setup
from consult.rounds.forms import (
    CancelForm,
    CheckForm,
    DocumentForm,
    ExtendForm,
    MoveForm,
    QuestionForm,
    RoundForm,
    RoundTextsForm,
    SummariserForm,
)
from consult.rounds.loaders import ROUND
from consult.rounds.models import Round, RoundDocument, RoundInvitation, Stage
from consult.rounds.permissions import can_manage_rounds
from consult.uploads.attachments import safe_filename
from consult.web import get_or_404, loads, query_enum, query_int, requires

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


@bp.route("/")
@for_readers
def list_rounds():
    """Open, upcoming and past rounds, by stage and cycle."""
    stage = request.args.get("stage", type=query_enum(Stage))
    cycle = request.args.get("cycle", type=query_int)
    return render_template(
        "rounds/list.html",
        groups=services.public_rounds(stage, cycle),
        stage=stage,
        cycle=cycle,
        stages=list(Stage),
    )


@bp.route("/<slug>/documents/<int:document_id>")
@for_readers
@loads("round_", ROUND)
def show_document(round_: Round, document_id: int):
    """A round's document, paragraph by numbered paragraph."""
    document = get_or_404(RoundDocument, document_id)
    if document.round_id != round_.id:
        abort(404)
    return render_template("rounds/document.html", round=round_, document=document)


@bp.route("/<slug>/changes")
@for_readers
@loads("round_", ROUND)
def show_changes(round_: Round):
    """What changed in the round's texts, questions and documents after it opened, day by day."""
    entries = [
        (change, editing.describe(change, localized), editing.rewording(change)) for change in round_.changes
    ]
    return render_template("rounds/changes.html", round=round_, entries=entries)


# Coordinators


def _round_form(round_: Round | None) -> RoundForm:
    form = RoundForm(obj=round_)
    versions = db.session.scalars(select(PlanVersion).order_by(PlanVersion.number.desc()))
    form.plan_version.choices = choices(
        [(0, _("None")), *((v.id, f"{v.number} · {v.label}") for v in versions)]
    )
    organisations = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.state == OrganisationState.verified)
            .order_by(Organisation.name)
        )
    )
    form.summariser_organisation.choices = choices([(0, _("None")), *((o.id, o.name) for o in organisations)])
    form.invited.choices = choices((o.id, o.name) for o in organisations)
    clusters = db.session.scalars(select(Cluster).order_by(Cluster.position, Cluster.code))
    form.clusters.choices = choices((c.id, f"{c.code} · {localized(c.title)}") for c in clusters)
    planned = db.session.scalars(
        select(Recommendation).where(Recommendation.cluster_id.is_not(None)).order_by(Recommendation.id)
    )
    form.recommendations.choices = choices(
        (r.id, " ".join(filter(None, [r.body, r.symbol, r.paragraph]))) for r in planned
    )
    actions = db.session.scalars(select(Action).order_by(Action.code))
    form.actions.choices = choices((a.id, f"{a.code} · {localized(a.title)}") for a in actions)
    if round_ is not None and not form.is_submitted():
        form.fill_translated("title", round_.title)
        form.fill_translated("description", round_.description)
        form.stage.data, form.eligibility.data = round_.stage.value, round_.eligibility.value
        form.moderation_mode.data = round_.moderation_mode.value
        form.plan_version.data = round_.plan_version_id or 0
        form.summariser_organisation.data = round_.summariser_organisation_id or 0
        form.opens_at.data = services.local_time(round_.opens_at, round_.timezone)
        form.closes_at.data = services.local_time(round_.closes_at, round_.timezone)
        form.clusters.data = [c.id for c in round_.clusters]
        form.recommendations.data = [r.id for r in round_.recommendations]
        form.actions.data = [a.id for a in round_.actions]
        form.invited.data = list(
            db.session.scalars(
                select(RoundInvitation.organisation_id).where(RoundInvitation.round_id == round_.id)
            )
        )
    elif round_ is None and not form.is_submitted():
        _fill_defaults(form)
    return form


def _fill_defaults(form: RoundForm) -> None:
    """A new round starts from the current cycle and its next stage, the newest version of the plan and the
    deployment's time zone, opening in a week."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    stage, form.cycle.data = setup.next_stage_and_cycle()
    form.timezone.data, form.stage.data = zone, stage.value
    version = setup.latest_plan_version()
    form.plan_version.data = version.id if version else 0
    form.opens_at.data, form.closes_at.data = setup.default_times(utcnow(), zone)


@bp.route("/new", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
def edit_round(slug: str | None):
    """Set up a round, or change one that has not opened; once open, correct its title and introduction."""
    round_ = ROUND.load(slug) if slug else None
    if round_ is not None and services.has_opened(round_):
        return _correct_texts(round_)
    form = _round_form(round_)
    if form.validate_on_submit():
        try:
            round_ = _save_round(round_, form)
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The round is saved."), "success")
            return redirect(url_for("rounds.check_round", slug=round_.slug))
    return render_form("rounds/edit.html", form, round=round_)


def _correct_texts(round_: Round):
    """The title and introduction of a round that has opened, corrected or translated in each language."""
    form = RoundTextsForm()
    if not form.is_submitted():
        form.fill_translated("title", round_.title)
        form.fill_translated("description", round_.description)
    if form.validate_on_submit():
        try:
            editing.correct_texts(
                current_user, round_, form.translated("title"), form.translated("description")
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The round's texts are saved."), "success")
            return redirect(url_for("rounds.manage_round", slug=round_.slug))
    return render_form("rounds/texts.html", form, round=round_)


def _save_round(round_: Round | None, form: RoundForm) -> Round:
    """Save the round as the form sets it up, its times in UTC, with its scope and its invitations; an
    empty address is made from the title."""
    values = form.values()
    if not values["slug"]:
        values["slug"] = round_.slug if round_ is not None else setup.suggest_slug(values["title"])
    for field in ("opens_at", "closes_at"):
        values[field] = services.to_utc(values[field], values["timezone"], field)
    round_ = services.save_round(current_user, round_, form.scope(), **values)
    db.session.flush()
    services.set_invitations(current_user, round_, form.invited.data)
    return round_


def _languages() -> tuple[str, ...]:
    """The deployment's languages, which a round's texts are checked in."""
    return tuple(current_app.config["LANGUAGES"])


@bp.route("/<slug>/check", methods=["GET", "POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
@loads("round_", ROUND)
def check_round(round_: Round):
    """Check the round's set-up, what is set and what is missing, and schedule it from here."""
    form = CheckForm()
    if form.validate_on_submit():
        try:
            setup.schedule_checked(current_user, round_, form.checked.data, _languages())
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The round is scheduled: it opens by itself at its time."), "success")
            return redirect(url_for("rounds.manage_round", slug=round_.slug))
    return _render_check(round_, form)


def _render_check(round_: Round, form: CheckForm):
    """The check page: every part of the set-up with what is missing, and the fingerprint of what it shows."""
    db.session.refresh(round_)  # what the page shows, and the fingerprint it sends back, are as stored now
    form.checked.data = setup.fingerprint(round_)
    organisation_id = round_.summariser_organisation_id
    page = render_template(
        "rounds/check.html",
        round=round_,
        form=form,
        problems=setup.check_round(round_, _languages()),
        check_languages=[code for code in LANGUAGE_LABELS if code in _languages()],
        check_language_names=LANGUAGE_LABELS,
        state=services.effective_state(round_),
        invited=len(services.invited_organisation_ids(round_)),
        summariser_organisation=db.session.get(Organisation, organisation_id) if organisation_id else None,
    )
    return page, form_status(form)


@bp.route("/<slug>/cancel", methods=["GET", "POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
@loads("round_", ROUND)
def cancel_round(round_: Round):
    """Call a round off, once the coordinator has read what it means and confirmed."""
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_round(current_user, round_)
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The round is cancelled."), "success")
            return redirect(url_for("rounds.manage_round", slug=round_.slug))
    state = services.effective_state(round_)
    return render_form("rounds/cancel.html", form, round=round_, state=state)


#: Moves along the lifecycle made by a button. Scheduling is done from the check page, and cancelling from
#: its confirmation page: neither is a single click.
TRANSITIONS = {
    "unschedule": (services.unschedule_round, _("The round is back to draft.")),
    "summarise": (services.start_summarising, _("The summarisers can start.")),
}


@bp.route("/<slug>/<any(unschedule, summarise):verb>", methods=["POST"])
@requires(can_manage_rounds)
@loads("round_", ROUND)
def change_state(round_: Round, verb: str):
    """Move a round along its lifecycle."""
    transition, message = TRANSITIONS[verb]
    try:
        transition(current_user, round_)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("comments.show_round", slug=round_.slug))


def _render_manage(
    round_: Round, extend_form=None, question_form=None, document_form=None, summariser_form=None
):
    """The round's management page, with whichever of its forms was sent back."""
    forms = {
        "extend_form": extend_form or ExtendForm(formdata=None),
        "question_form": question_form or QuestionForm(formdata=None),
        "document_form": document_form or DocumentForm(formdata=None),
        "summariser_form": summariser_form or _summariser_form(round_, formdata=None),
    }
    page = render_template(
        "rounds/manage.html",
        round=round_,
        state=services.effective_state(round_),
        move_form=MoveForm(formdata=None),
        **forms,
    )
    return page, max(form_status(form) for form in forms.values())


@bp.route("/<slug>/manage")
@requires(can_manage_rounds)
@loads("round_", ROUND)
def manage_round(round_: Round):
    """Schedule, extend or cancel a round; add guiding questions and documents."""
    return _render_manage(round_)


@bp.route("/<slug>/extend", methods=["POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
@loads("round_", ROUND)
def extend_round(round_: Round):
    """Give an open round more time."""
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            services.extend_round(
                current_user, round_, services.to_utc(form.closes_at.data, round_.timezone, "closes_at")
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            notifications.extended.send(round_)
            flash(_("The round is extended."), "success")
            return redirect(url_for("rounds.manage_round", slug=round_.slug))
    return _render_manage(round_, extend_form=form)


def _summariser_form(round_: Round, **kwargs) -> SummariserForm:
    """The form naming a summariser, its list the eligible people by name."""
    form = SummariserForm(**kwargs)
    form.person.choices = choices(
        [
            (0, _("Choose a person")),
            *((u.id, f"{u.display_name} · {label}") for u, label in setup.eligible_summarisers(round_)),
        ]
    )
    return form


@bp.route("/<slug>/summarisers", methods=["POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
@loads("round_", ROUND)
def name_summariser(round_: Round):
    """Name a person to summarise the round's input, chosen by name or by e-mail address."""
    form = _summariser_form(round_)
    if form.validate_on_submit():
        try:
            user = setup.choose_summariser(current_user, round_, form.person.data, form.email.data)
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(
                with_isolated(_("%(name)s may now summarise this round."), name=user.display_name), "success"
            )
            return redirect(url_for("rounds.manage_round", slug=round_.slug, _anchor="summarisers"))
    return _render_manage(round_, summariser_form=form)


@bp.route("/<slug>/summarisers/<int:user_id>/remove", methods=["POST"])
@requires(can_manage_rounds)
@loads("round_", ROUND)
def remove_summariser(round_: Round, user_id: int):
    """No longer count a person among the round's summarisers."""
    try:
        services.remove_summariser(current_user, round_, user_id)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The summariser is removed."), "success")
    return redirect(url_for("rounds.manage_round", slug=round_.slug, _anchor="summarisers"))


@bp.route("/<slug>/questions", methods=["POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
@loads("round_", ROUND)
def save_question(round_: Round):
    """Ask a guiding question, or correct one (the form names it)."""
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            _save_question(round_, form)
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The question is saved."), "success")
            return redirect(url_for("rounds.manage_round", slug=round_.slug, _anchor="questions"))
    if form.question.data:
        return _render_question(round_, form)
    return _render_manage(round_, question_form=form)


def _save_question(round_: Round, form: QuestionForm) -> None:
    if form.question.data:
        editing.correct_question(current_user, round_, form.question.data, form.translated("text"))
    else:
        services.add_question(current_user, round_, form.translated("text"))


def _render_question(round_: Round, form: QuestionForm):
    """The page correcting one guiding question in each language."""
    question = next((q for q in round_.questions if q.id == form.question.data), None)
    if question is None and round_.questions:
        abort(404)
    if question is not None and not form.is_submitted():
        form.fill_translated("text", question.text)
    number = round_.questions.index(question) + 1 if question is not None else 0
    return render_form("rounds/question.html", form, round=round_, question=question, number=number)


@bp.route("/<slug>/questions/edit")
@requires(can_manage_rounds)
@loads("round_", ROUND)
def edit_question(round_: Round):
    """Correct a guiding question or its translations; `?question=` names it (the first by default)."""
    question_id = request.args.get("question", type=query_int)
    if question_id is None and round_.questions:
        question_id = round_.questions[0].id
    return _render_question(round_, QuestionForm(formdata=None, question=question_id))


@bp.route("/<slug>/questions/move", methods=["POST"])
@requires(can_manage_rounds)
@loads("round_", ROUND)
def move_question(round_: Round):
    """Move a guiding question one place up or down."""
    form = MoveForm()
    if form.validate_on_submit():
        try:
            editing.move_question(
                current_user, round_, form.question.data, -1 if form.direction.data == "up" else 1
            )
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The questions are in their new order."), "success")
    return redirect(url_for("rounds.manage_round", slug=round_.slug, _anchor="questions"))


def _read_upload(form: DocumentForm) -> tuple[list[str], str | None]:
    """The paragraphs a document form carries, from its file or its pasted text, and the file's name."""
    upload = form.file.data
    if upload and upload.filename:
        data = upload.read()
        is_docx = upload.filename.lower().endswith(".docx")
        paragraphs = services.docx_paragraphs(data) if is_docx else services.text_paragraphs(data)
        return paragraphs, safe_filename(upload.filename)  # no folders, no control characters
    return services.split_paragraphs(form.text.data or ""), None


@bp.route("/<slug>/documents", methods=["POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
@loads("round_", ROUND)
def add_document(round_: Round):
    """Put a draft text up for comment, pasted or as a .docx or .txt file."""
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            paragraphs, source_name = _read_upload(form)
            services.add_document(
                current_user, round_, form.translated("title"), form.language.data, paragraphs, source_name
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The document is added."), "success")
            return redirect(url_for("rounds.manage_round", slug=round_.slug, _anchor="documents"))
    return _render_manage(round_, document_form=form)


@bp.route("/<slug>/documents/<int:document_id>/replace", methods=["GET", "POST"])
@requires(can_manage_rounds)
@checks_csrf_in_form
@loads("round_", ROUND)
def replace_document(round_: Round, document_id: int):
    """Put a new text in a document's place; after opening, the old one stays with its comments."""
    document = next((d for d in round_.documents if d.id == document_id), None) or abort(404)
    form = DocumentForm(language=document.language)
    if not form.is_submitted():
        form.fill_translated("title", document.title)
    if form.validate_on_submit():
        try:
            paragraphs, source_name = _read_upload(form)
            editing.replace_document(
                current_user,
                round_,
                document,
                form.translated("title"),
                form.language.data,
                paragraphs,
                source_name,
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The document is replaced."), "success")
            return redirect(url_for("rounds.manage_round", slug=round_.slug, _anchor="documents"))
    return render_form("rounds/replace.html", form, round=round_, document=document)
