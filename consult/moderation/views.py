"""The moderators' queue and a comment's moderation page."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult.comments import services as comments
from consult.comments.models import Attachment, Comment, CommentState
from consult.database import as_id
from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, choices, form_status
from consult.i18n import localized
from consult.moderation import services
from consult.moderation.forms import (
    AppealDecisionForm,
    DecisionForm,
    QueueFilterForm,
    RedactForm,
    WithholdForm,
)
from consult.moderation.models import Appeal, DecisionKind, Flag, Reason
from consult.moderation.permissions import can_export_decisions, can_moderate
from consult.rounds.models import Round
from consult.web import get_or_404, get_public_or_404, query_int, requires

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

PAGE = 50


def _counting_age() -> timedelta:
    """How long before a report an account's address must have been confirmed for the report to count."""
    return timedelta(days=current_app.config["FLAG_COUNTING_DAYS"])


def _filters() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    form.round.choices = choices(
        [
            (0, _("All rounds")),
            *(
                (r.id, localized(r.title))
                for r in db.session.scalars(select(Round).order_by(Round.opens_at.desc()))
            ),
        ]
    )
    from consult.comments.models import TargetType
    from consult.organisations.models import OrganisationType

    form.target.choices = choices([("", _("All")), *((t.value, t.label) for t in TargetType)])
    form.stakeholder.choices = choices([("", _("All")), *((t.value, t.label) for t in OrganisationType)])
    form.state.choices = choices(
        [("", _("All")), *((s.value, s.label) for s in CommentState if s is not CommentState.draft)]
    )
    return form


@bp.route("/")
@requires(can_moderate)
def show_queue():
    """Comments waiting for a decision (or any state), newest first, at-risk input apart."""
    form = _filters()
    form.validate()
    state = request.args.get("state", CommentState.submitted.value)
    state = CommentState(state) if state in CommentState._value2member_map_ else None
    at_risk = {"yes": True, "no": False}.get(request.args.get("at_risk", ""))
    before = request.args.get("before", type=query_int)
    flagged = request.args.get("flagged") == "yes"
    if flagged and "state" not in request.args:
        state = None
    from consult.comments.models import TargetType
    from consult.organisations.models import OrganisationType

    target = request.args.get("target", "")
    stakeholder = request.args.get("stakeholder", "")
    found = services.queue(
        None if form.round.errors else form.round.data or None,  # a round the list does not offer: all
        state,
        at_risk,
        form.language.data or None,
        before,
        PAGE + 1,
        flagged,
        TargetType(target) if target in TargetType._value2member_map_ else None,
        OrganisationType(stakeholder) if stakeholder in OrganisationType._value2member_map_ else None,
        {"yes": True, "no": False}.get(request.args.get("campaign", "")),
        request.args.get("order") == "oldest",
    )
    more = len(found) > PAGE
    found = found[:PAGE]
    round_id = None if form.round.errors else form.round.data or None
    hidden = [] if before else services.hidden_by_reports(round_id)
    return render_template(
        "moderation/queue.html",
        filters=form,
        state=state,
        at_risk_comments=[c for c in found if c.needs_care],
        comments=[c for c in found if not c.needs_care and c not in hidden],
        older=url_for("moderation.show_queue", **{**request.args.to_dict(), "before": found[-1].id})
        if more
        else None,
        decision_form=DecisionForm(formdata=None),
        rounds={r.id: r for r in db.session.scalars(select(Round))},
        appeals=services.pending_appeals(),
        flagged=flagged,
        hidden=hidden,
        reports=services.report_tally([c.id for c in [*hidden, *found]], _counting_age()),
    )


def _load(public_id: str) -> Comment:
    comment = get_public_or_404(
        Comment,
        public_id,
        options=(
            joinedload(Comment.author),
            joinedload(Comment.organisation),
            selectinload(Comment.attachments),
            selectinload(Comment.revisions),
        ),
    )
    if comment.state is CommentState.draft:
        abort(404)  # drafts are their author's alone
    return comment


def _render(comment: Comment, decision_form=None, redact_form=None):
    comments.record_view(current_user, comment)
    db.session.commit()
    decision_form = decision_form or DecisionForm(formdata=None, seen_version=comment.version)
    redact_form = redact_form or RedactForm(formdata=None)
    flags = db.session.scalars(
        select(Flag).where(Flag.comment_id == comment.id).order_by(Flag.created_at, Flag.id)
    ).all()
    page = render_template(
        "moderation/comment.html",
        comment=comment,
        round=db.session.get(Round, comment.round_id),
        decisions=services.history(comment),
        appeal=db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id)),
        flags=flags,
        counting_flags=services.counting_flag_ids(flags, _counting_age()),
        appeal_form=AppealDecisionForm(formdata=None),
        decision_form=decision_form,
        redact_form=redact_form,
        withhold_form=WithholdForm(formdata=None),
    )
    return page, max(form_status(decision_form), form_status(redact_form))


@bp.route("/comments/<public_id:comment_public_id>")
@requires(can_moderate)
def show_comment(comment_public_id: str):
    """A comment with its author, attachments and history, and the decisions to take on it."""
    return _render(_load(comment_public_id))


def _reason(form: DecisionForm) -> Reason | None:
    return Reason(form.reason.data) if form.reason.data else None


@bp.route("/comments/<public_id:comment_public_id>/decide", methods=["POST"])
@requires(can_moderate)
@checks_csrf_in_form
def decide(comment_public_id: str):
    """Approve, reject, send back or remove a comment; the author is told."""
    comment = _load(comment_public_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            decision = services.decide(
                current_user,
                comment,
                DecisionKind(form.decision.data),
                _reason(form),
                form.note.data,
                form.seen_version.data,
            )
            db.session.commit()
        except services.DecidedMeanwhile as error:
            flash(error.message, "warning")
            return redirect(url_for("moderation.show_comment", comment_public_id=comment_public_id))
        except DomainError as error:
            db.session.rollback()
            form.show(error)
        else:
            services.notify_author(decision)
            flash(_("Decided: %(decision)s.", decision=decision.decision.label), "success")
            return redirect(url_for("moderation.show_queue"))
    return _render(comment, decision_form=form)


@bp.route("/decide", methods=["POST"])
@requires(can_moderate)
def decide_many():
    """One decision on the comments ticked in the queue."""
    form = DecisionForm()
    ids = [ident for i in request.form.getlist("comment_ids") if (ident := as_id(i)) is not None][:PAGE]
    if not ids:
        flash(_("Tick the comments to decide on."), "error")
    elif form.validate_on_submit():
        try:
            taken, skipped = services.decide_many(
                current_user, ids, DecisionKind(form.decision.data), _reason(form), form.note.data
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            for decision in taken:
                services.notify_author(decision)
            flash(
                _(
                    "Decided on %(done)d comments; %(skipped)d could not take this decision.",
                    done=len(taken),
                    skipped=len(skipped),
                ),
                "success",
            )
    return redirect(
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("moderation.show_queue")
    )


@bp.route("/comments/<public_id:comment_public_id>/redact", methods=["POST"])
@requires(can_moderate)
@checks_csrf_in_form
def redact(comment_public_id: str):
    """Hide a passage from the public; the original stays for staff."""
    comment = _load(comment_public_id)
    form = RedactForm()
    if form.validate_on_submit():
        try:
            places = services.redact(current_user, comment, form.passage.data, Reason(form.reason.data))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.passage.errors.append(error.message)
        else:
            flash(ngettext("Redacted in %(num)d place.", "Redacted in %(num)d places.", places), "success")
            return redirect(url_for("moderation.show_comment", comment_public_id=comment.public_id))
    return _render(comment, redact_form=form)


@bp.route("/attachments/<public_id:attachment_public_id>/withhold", methods=["POST"])
@requires(can_moderate)
def withhold(attachment_public_id: str):
    """Keep a file from the public."""
    attachment = get_public_or_404(Attachment, attachment_public_id)
    _load(attachment.comment.public_id)  # 404 for a draft's file, as for the draft
    form = WithholdForm()
    if form.validate_on_submit():
        services.withhold_attachment(current_user, attachment, Reason(form.reason.data))
        db.session.commit()
        flash(_("The file is withheld from the public."), "success")
    return redirect(url_for("moderation.show_comment", comment_public_id=attachment.comment.public_id))


@bp.route("/appeals/<int:appeal_id>", methods=["POST"])
@requires(can_moderate)
def decide_appeal(appeal_id: int):
    """A second moderator reinstates the comment or upholds its rejection."""
    from consult.moderation.forms import AppealDecisionForm
    from consult.moderation.models import Appeal

    item = get_or_404(Appeal, appeal_id)
    form = AppealDecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_appeal(current_user, item, form.outcome.data == "grant", form.note.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            services.notify_appeal_outcome(item)
            flash(_("The appeal is decided."), "success")
    return redirect(url_for("moderation.show_comment", comment_public_id=item.comment.public_id))


@bp.route("/flag/<public_id:comment_public_id>", methods=["GET", "POST"])
@checks_csrf_in_form
def flag_comment(comment_public_id: str):
    """A reader reports a published comment to the moderators."""
    from consult.moderation.forms import FlagForm
    from consult.moderation.permissions import can_flag
    from consult.web import ensure

    comment = get_public_or_404(Comment, comment_public_id)
    if not comment.is_public:
        abort(404)
    ensure(can_flag(current_user, comment))
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.flag(
                current_user,
                comment,
                Reason(form.reason.data),
                form.note.data,
                current_app.config["FLAG_HIDE_THRESHOLD"],
                _counting_age(),
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "info")
        else:
            flash(_("Thank you: a moderator will look at it."), "success")
        return redirect(url_for("rounds.show_round", slug=db.session.get(Round, comment.round_id).slug))
    return render_template("moderation/flag.html", form=form, comment=comment), form_status(form)


@bp.route("/campaigns/<int:round_id>")
@requires(can_moderate)
def show_campaigns(round_id: int):
    """The round's campaigns: each letter, its size, and what each supporter added."""
    round_ = get_or_404(Round, round_id)
    return render_template(
        "moderation/campaigns.html",
        round=round_,
        campaigns=services.campaigns_of(round_id),
        decision_form=DecisionForm(formdata=None),
    )


@bp.route("/campaigns/<int:round_id>/detect", methods=["POST"])
@requires(can_moderate)
def detect_campaigns(round_id: int):
    """Look for campaigns in the round's input again."""
    get_or_404(Round, round_id)
    found = services.detect_campaigns(current_user, round_id)
    db.session.commit()
    flash(ngettext("%(num)d campaign found.", "%(num)d campaigns found.", found), "success")
    return redirect(url_for("moderation.show_campaigns", round_id=round_id))


@bp.route("/decisions.csv")
@requires(can_export_decisions)
def export_decisions():
    """Every moderation decision as CSV, for an independent review (streamed)."""
    from flask import Response, stream_with_context

    from consult.plan.exports import csv_stream

    round_id = request.args.get("round", type=query_int)
    response = Response(
        stream_with_context(csv_stream(services.decisions_for_review(round_id))), mimetype="text/csv"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="moderation-decisions.csv"'
    return response
