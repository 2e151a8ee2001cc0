"""The moderators' queue and a comment's moderation page."""

import hashlib
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult.comments.loaders import OWN_COMMENT
from consult.comments.models import Attachment, Comment, CommentState
from consult.comments.permissions import can_change_comment, can_view_own_comment
from consult.comments.views import audit_staff_view
from consult.database import as_id
from consult.downloads import csv_stream
from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, form_status
from consult.moderation import notifications, pages, services
from consult.moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    FlagForm,
    RedactForm,
    WithholdForm,
    queue_args,
)
from consult.moderation.models import Appeal, DecisionKind, Reason
from consult.moderation.permissions import can_export_decisions, can_flag, can_moderate
from consult.pagecache import for_readers
from consult.rounds.loaders import ROUND
from consult.rounds.models import Round
from consult.rounds.permissions import can_see_exact_figures
from consult.rounds.services import accepts_input, figures_published
from consult.web import Loader, find_public, loads, query_int, requires

bp = Blueprint("moderation", __name__)


def _submitted(_user: Any, comment: Comment) -> bool:
    """A comment past its draft: a draft is its author's alone, and its address tells moderators nothing."""
    return comment.state is not CommentState.draft


def _of_submitted(user: Any, attachment: Attachment) -> bool:
    """A file of a comment past its draft."""
    return _submitted(user, attachment.comment)


def _published(_user: Any, comment: Comment) -> bool:
    """A comment the public can read."""
    return comment.is_public


#: A comment to moderate, by its public id, with its author, organisation, files and history (a draft: 404).
SUBMITTED_COMMENT = Loader(
    "comment_public_id",
    find_public(
        Comment,
        joinedload(Comment.author),
        joinedload(Comment.organisation),
        selectinload(Comment.attachments),
        selectinload(Comment.revisions),
    ),
    _submitted,
)
#: A file to withhold, by its public id (a draft's file: 404, as for the draft).
SUBMITTED_ATTACHMENT = Loader("attachment_public_id", find_public(Attachment), _of_submitted)
#: A published comment a reader may report, by its public id (anything else: 404).
PUBLISHED_COMMENT = Loader("comment_public_id", find_public(Comment), _published)
#: A round's campaigns, by the round's id (moderators see every round).
ROUND_BY_ID = Loader("round_id", lambda round_id: db.session.get(Round, round_id))
#: An appeal, by its id.
APPEAL = Loader("appeal_id", lambda appeal_id: db.session.get(Appeal, appeal_id))


@bp.route("/moderation/")
@requires(can_moderate)
def show_queue():
    """Comments waiting for a decision (or any state), filtered, counted, a page at a time, at-risk input
    apart; nothing is ticked or chosen in advance."""
    return pages.render_queue(DecisionForm(formdata=None))


@bp.route("/moderation/comments/<public_id:comment_public_id>")
@requires(can_moderate)
@loads("comment", SUBMITTED_COMMENT)
def show_comment(comment: Comment):
    """A comment with its author, target, attachments and history, and the decisions to take on it; the
    queue's filters ride along in its query string."""
    return pages.render_comment(comment)


def _reason(form: DecisionForm) -> Reason | None:
    return Reason(form.reason.data) if form.reason.data else None


@bp.route("/moderation/comments/<public_id:comment_public_id>/decide", methods=["POST"])
@requires(can_moderate)
@checks_csrf_in_form
@loads("comment", SUBMITTED_COMMENT)
def decide(comment: Comment):
    """Approve, reject, send back or remove a comment; back to the same filtered queue, or on to the next."""
    form = DecisionForm()
    if not form.validate_on_submit():
        return pages.render_comment(comment, decision_form=form)  # nothing chosen: said, the note kept
    kind, seen = DecisionKind(form.decision.data), form.seen_version.data
    try:
        decision = services.decide(current_user, comment, kind, _reason(form), form.note.data, seen)
        db.session.commit()
    except services.DecidedMeanwhile as error:
        flash(error.message, "warning")
        return redirect(url_for("moderation.show_comment", comment_public_id=comment.public_id, **_queue()))
    except DomainError as error:
        db.session.rollback()
        form.show(error)
        return pages.render_comment(comment, decision_form=form)
    notifications.send_due_outcomes()
    flash(_decided(decision.decision.label), "success")
    return redirect(pages.after_decision(comment))


def _queue() -> dict[str, str]:
    """The queue's filters and page, as the form's address carried them."""
    return queue_args(request.args)


def _decided(label) -> str:
    """What the moderator is told once a decision is taken: what, and that it can be undone for a while."""
    minutes = int(services.undo_window().total_seconds() // 60)
    if not minutes:
        return _("Decided: %(decision)s.", decision=label)
    return ngettext(
        "Decided: %(decision)s. You can undo it for %(num)d minute; the author is told after that.",
        "Decided: %(decision)s. You can undo it for %(num)d minutes; the author is told after that.",
        minutes,
        decision=label,
    )


def _picked() -> list[int]:
    """The ids of the comments ticked in the queue, or of every comment of its page ("select all on this
    page"), a page's worth at most; anything else sent is ignored."""
    sent = request.form.getlist("page_ids" if request.form.get("all") == "page" else "comment_ids")
    return [ident for i in sent if (ident := as_id(i)) is not None][: pages.PAGE]


def _back_to_queue():
    """Back to the queue page the decision was taken on (its filters kept), or to the page it came from."""
    if request.form.get("back") == "queue":
        return redirect(url_for("moderation.show_queue", **_queue()))
    referrer = request.referrer
    return redirect(
        referrer if referrer and referrer.startswith(request.host_url) else url_for("moderation.show_queue")
    )


def _tell_decided(taken: list, skipped: list) -> None:
    """Tell the moderator how many decisions were taken and how many could not be."""
    flash(
        _(
            "Decided on %(done)d comments; %(skipped)d could not take this decision.",
            done=len(taken),
            skipped=len(skipped),
        ),
        "success",
    )


def _refuse(form: DecisionForm, ids: list[int], message: str | None = None):
    """A bulk decision sent back: on the queue with what was typed and ticked, or told on the campaigns."""
    if message:
        form.show(DomainError(message))
    if request.form.get("back") == "queue":
        return pages.render_queue(form, frozenset(ids))
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")
    return _back_to_queue()


@bp.route("/moderation/decide", methods=["POST"])
@requires(can_moderate)
def decide_many():
    """One decision on the comments ticked in the queue, or on every comment of its page."""
    form, ids = DecisionForm(), _picked()
    if not form.validate_on_submit():
        return _refuse(form, ids)
    if not ids:
        return _refuse(form, ids, _("Tick the comments to decide on."))
    kind = DecisionKind(form.decision.data)
    try:
        taken, skipped = services.decide_many(current_user, ids, kind, _reason(form), form.note.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refuse(form, ids, error.message)
    notifications.send_due_outcomes()
    _tell_decided(taken, skipped)
    return _back_to_queue()


@bp.route("/moderation/comments/<public_id:comment_public_id>/undo", methods=["POST"])
@requires(can_moderate)
@loads("comment", SUBMITTED_COMMENT)
def undo_decision(comment: Comment):
    """Put the comment back as it was before the moderator's latest decision, while its e-mail waits."""
    try:
        decision = services.undo(current_user, comment)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(
            _(
                "Undone: %(decision)s. The author has not been e-mailed about it; their receipt showed it "
                "meanwhile as not final.",
                decision=decision.decision.label,
            ),
            "success",
        )
    return redirect(url_for("moderation.show_comment", comment_public_id=comment.public_id, **_queue()))


@bp.route("/moderation/comments/<public_id:comment_public_id>/redact", methods=["POST"])
@requires(can_moderate)
@checks_csrf_in_form
@loads("comment", SUBMITTED_COMMENT)
def redact(comment: Comment):
    """Hide a passage from the public; the original stays for staff."""
    form = RedactForm()
    if form.validate_on_submit():
        try:
            places = services.redact(current_user, comment, form.passage.data, Reason(form.reason.data))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.show(error)
        else:
            flash(ngettext("Redacted in %(num)d place.", "Redacted in %(num)d places.", places), "success")
            return redirect(
                url_for("moderation.show_comment", comment_public_id=comment.public_id, **_queue())
            )
    return pages.render_comment(comment, redact_form=form)


@bp.route("/moderation/attachments/<public_id:attachment_public_id>/withhold", methods=["POST"])
@requires(can_moderate)
@loads("attachment", SUBMITTED_ATTACHMENT)
def withhold(attachment: Attachment):
    """Keep a file from the public."""
    form = WithholdForm()
    if form.validate_on_submit():
        services.withhold_attachment(current_user, attachment, Reason(form.reason.data))
        db.session.commit()
        flash(_("The file is withheld from the public."), "success")
    return redirect(url_for("moderation.show_comment", comment_public_id=attachment.comment.public_id))


@bp.route("/moderation/appeals/<int:appeal_id>", methods=["POST"])
@requires(can_moderate)
@loads("appeal", APPEAL)
def decide_appeal(appeal: Appeal):
    """A second moderator reinstates the comment or upholds its rejection."""
    form = AppealDecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_appeal(current_user, appeal, form.outcome.data == "grant", form.note.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            services.notify_appeal_outcome(appeal)
            flash(_("The appeal is decided."), "success")
    return redirect(url_for("moderation.show_comment", comment_public_id=appeal.comment.public_id))


@bp.route("/moderation/flag/<public_id:comment_public_id>", methods=["GET", "POST"])
@checks_csrf_in_form
@loads("comment", PUBLISHED_COMMENT, allowed=can_flag)
def flag_comment(comment: Comment):
    """A reader reports a published comment to the moderators."""
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.flag(
                current_user,
                comment,
                Reason(form.reason.data),
                form.note.data,
                current_app.config["FLAG_HIDE_THRESHOLD"],
                pages.counting_age(),
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "info")
        else:
            flash(_("Thank you: a moderator will look at it."), "success")
        return redirect(url_for("comments.show_round", slug=db.session.get(Round, comment.round_id).slug))
    return render_template("moderation/flag.html", form=form, comment=comment), form_status(form)


@bp.route("/moderation/campaigns/<int:round_id>")
@requires(can_moderate)
@loads("round_", ROUND_BY_ID)
def show_campaigns(round_: Round):
    """The round's campaigns: each letter, its size, and what each supporter added."""
    return render_template(
        "moderation/campaigns.html",
        round=round_,
        campaigns=services.campaigns_of(round_.id),
        decision_form=DecisionForm(formdata=None),
    )


@bp.route("/moderation/campaigns/<int:round_id>/detect", methods=["POST"])
@requires(can_moderate)
@loads("round_", ROUND_BY_ID)
def detect_campaigns(round_: Round):
    """Look for campaigns in the round's input again."""
    found = services.detect_campaigns(current_user, round_.id)
    db.session.commit()
    flash(ngettext("%(num)d campaign found.", "%(num)d campaigns found.", found), "success")
    return redirect(url_for("moderation.show_campaigns", round_id=round_.id))


@bp.route("/moderation/decisions.csv")
@requires(can_export_decisions)
def export_decisions():
    """Every moderation decision as CSV, for an independent review (streamed)."""

    round_id = request.args.get("round", type=query_int)
    response = Response(
        stream_with_context(csv_stream(services.decisions_for_review(round_id))), mimetype="text/csv"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="moderation-decisions.csv"'
    return response


# A contribution's receipt, where its author sees and contests the decision


@bp.route("/comments/<public_id:comment_public_id>")
@loads("comment", OWN_COMMENT, allowed=can_view_own_comment)
def show_receipt(comment: Comment):
    """The receipt: what was submitted, when, under which number, and where it stands."""
    audit_staff_view(comment)
    return _receipt(comment)


def _receipt(comment: Comment, appeal_form=None):
    """The receipt page; an appeal form sent back shows its errors with the statement kept."""
    round_ = db.session.get(Round, comment.round_id)
    appeal_form = appeal_form or AppealForm(formdata=None)
    appeal = db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id))
    page = render_template(
        "comments/receipt.html",
        explained=services.explain_to_author(comment),
        appeal=appeal,
        appeal_closed=services.appeal_is_closed(appeal),
        appeal_form=appeal_form,
        comment=comment,
        round=round_,
        accepts=accepts_input(round_),
        digest=hashlib.sha256(comment.body.encode()).hexdigest(),
    )
    return page, form_status(appeal_form)


@bp.route("/comments/<public_id:comment_public_id>/appeal", methods=["POST"])
@checks_csrf_in_form
@loads("comment", OWN_COMMENT, allowed=can_change_comment)
def appeal_decision(comment: Comment):
    """The author contests a rejection, once; another moderator decides."""
    form = AppealForm()
    if not form.validate_on_submit():
        return _receipt(comment, form)  # a stale form or an empty statement: say so, keep what was written
    try:
        services.appeal(current_user, comment, form.statement.data)
        db.session.commit()
    except DomainError as error:  # too early, too late, or already contested: said, the statement kept
        db.session.rollback()
        form.show(error, near="statement")
        return _receipt(comment, form)
    flash(_("Your appeal is received. A different moderator will decide."), "success")
    return redirect(url_for("moderation.show_receipt", comment_public_id=comment.public_id))


@bp.app_template_global("decisions_for_author")
def decisions_for_author(comments: list[Comment]) -> dict[int, services.Explanation]:
    """For "my submissions" (whose view may not import moderation): why each comment that is not published
    or sent back is so, with the deadline to contest or change it, by comment id; batched."""
    return services.explain_to_authors(comments)


# A round's moderation in figures


@bp.route("/rounds/<slug>/moderation")
@for_readers
@loads("round_", ROUND)
def show_round_figures(round_: Round):
    """What moderation did in this round, in figures anyone may check once it has closed; staff see theirs,
    exact, all along."""
    exact = can_see_exact_figures(current_user, round_)
    shown = services.figures(round_.id, exact) if exact or figures_published(round_) else None
    return render_template("rounds/moderation_figures.html", round=round_, figures=shown)
