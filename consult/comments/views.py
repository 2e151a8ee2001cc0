"""Writing, submitting, changing and withdrawing comments, one's own submissions, and a round's page with
its published comments. The receipt, where the author also sees the moderation decision and appeals it, is
moderation's (consult/moderation/views.py)."""

from datetime import datetime
from functools import partial
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.accounts.permissions import is_signed_in
from consult.comments import pending, services, writing
from consult.comments.forms import CommentForm
from consult.comments.loaders import ANNOUNCED_ROUND, ATTACHMENT, OWN_COMMENT
from consult.comments.models import Attachment, Comment, CommentState, TargetType
from consult.comments.permissions import can_change_comment, can_download_attachment
from consult.comments.targets import Target, as_asked, describe, key_of, target_of, targets_of
from consult.comments.writing import Saved
from consult.errors import DomainError
from consult.extensions import db
from consult.filetimes import day_of, opaque_etag
from consult.forms import checks_csrf_in_form
from consult.pagecache import for_readers
from consult.plan.models import Recommendation
from consult.rounds import services as rounds
from consult.rounds.loaders import ROUND
from consult.rounds.models import Round
from consult.rounds.permissions import can_take_part
from consult.text import safe_text
from consult.uploads import attachments
from consult.web import ensure, loads, requires

bp = Blueprint("comments", __name__)


def _write(round_: Round, key: str, earlier: Comment | None, draft: services.Draft, stored: list) -> Saved:
    """A new comment (or the draft this form saved before) saved as a draft or submitted, with its files and
    those waiting for its form."""
    earlier_files = list(earlier.attachments) if earlier else []
    names_went = earlier is None or writing.files_lose_names(earlier.publication, earlier.at_risk)
    if request.form.get("action") == "draft":
        comment = services.save_draft(current_user, round_, key, draft)
        kept = writing.attach_all(comment, key, stored)
        renewed = writing.renew_files(comment, [] if names_went else earlier_files, stored)
        return Saved(comment, renewed + writing.renew_files(comment, kept, stored), draft=True)
    comment, submitted_now = services.submit(current_user, round_, key, draft)
    if not submitted_now:  # the same form, submitted meanwhile: that submission stands, with its files
        writing.forget(stored)
        return Saved(comment, [])
    kept = writing.attach_all(comment, key, stored)
    renewed = writing.renew_files(comment, [] if names_went else earlier_files, stored)
    return Saved(comment, renewed + writing.renew_files(comment, kept, stored), submitted_now=True)


def _change(round_: Round, comment: Comment, draft: services.Draft, stored: list) -> Saved:
    """A comment changed by its author, with the files sent and those waiting for its form: a draft saved
    again or submitted, a submitted comment edited."""
    earlier_files = list(comment.attachments)
    names_went = writing.files_lose_names(comment.publication, comment.at_risk)
    kept = writing.attach_all(comment, comment.idempotency_key, stored)
    as_draft = comment.state is CommentState.draft and request.form.get("action") == "draft"
    submitted_now = False
    if comment.state is not CommentState.draft:
        services.edit(current_user, comment, draft)
    elif as_draft:
        services.save_draft(current_user, round_, comment.idempotency_key, draft)
    else:
        comment, submitted_now = services.submit(current_user, round_, comment.idempotency_key, draft)
    replaced = writing.renew_files(comment, [] if names_went else earlier_files, stored)
    replaced += writing.renew_files(comment, kept, stored)
    return Saved(comment, replaced, draft=as_draft, submitted_now=submitted_now)


def _save_new(round_: Round, form: CommentForm):
    """Submit or keep a new comment; the same form sent again after its submission finds its receipt."""
    key = form.idempotency_key.data
    earlier = services.find_by_key(current_user, key)
    if earlier is not None and earlier.state is not CommentState.draft:  # the same form, sent again
        return redirect(url_for("moderation.show_receipt", comment_public_id=earlier.public_id))
    return writing.save(round_, form, partial(_write, round_, key, earlier), holder=earlier)


@bp.route("/comments/new/<slug>", methods=["GET", "POST"])
@checks_csrf_in_form
@loads("round_", ANNOUNCED_ROUND)
def write_comment(round_: Round):
    """Write a comment on a round, or on a part of its scope; preview it, save it as a draft or submit it."""
    form = writing.build_form(round_)
    if request.method == "POST" and not is_signed_in(current_user):
        return writing.signed_out(round_, form)
    ensure(can_take_part(current_user, round_))  # someone signed out is asked to sign in, as on GET
    return writing.answer_form(round_, form, None, partial(_save_new, round_, form))


def audit_staff_view(comment: Comment) -> None:
    """A moderator looking at confidential input from here is recorded too."""
    if comment.author_id != current_user.id:
        services.record_view(current_user, comment)
        db.session.commit()


@bp.route("/comments/<public_id:comment_public_id>/edit", methods=["GET", "POST"])
@checks_csrf_in_form
@loads("comment", OWN_COMMENT, allowed=can_change_comment)
def edit_comment(comment: Comment):
    """Change a draft or a submitted comment while the round is open."""
    round_ = db.session.get(Round, comment.round_id)
    form = writing.build_form(round_, comment)
    change = partial(_change, round_, comment)
    return writing.answer_form(
        round_, form, comment, partial(writing.save, round_, form, change, holder=comment, comment=comment)
    )


@bp.route("/comments/<public_id:comment_public_id>/withdraw")
@loads("comment", OWN_COMMENT, allowed=can_change_comment)
def confirm_withdrawal(comment: Comment):
    """Ask before a comment is withdrawn (or a draft deleted): the page says what goes, a button does it."""
    round_ = db.session.get(Round, comment.round_id)
    return render_template(
        "comments/withdraw.html", comment=comment, round=round_, accepts=rounds.accepts_input(round_)
    )


@bp.route("/comments/<public_id:comment_public_id>/withdraw", methods=["POST"])
@loads("comment", OWN_COMMENT, allowed=can_change_comment)
def withdraw_comment(comment: Comment):
    """Take a comment back (or throw a draft away) while the round is open, once confirmed."""
    try:
        if comment.state is CommentState.draft:
            files = [a.storage_name for a in comment.attachments]
            files += [f.storage_name for f in pending.claim_pending(current_user, comment.idempotency_key)]
            services.discard_draft(current_user, comment)
            message = _("The draft is deleted.")
        else:
            files = []
            services.withdraw(current_user, comment)
            message = _("Your comment is withdrawn.")
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("moderation.show_receipt", comment_public_id=comment.public_id))
    db.session.commit()
    writing.drop(files)
    flash(message, "success")
    return redirect(url_for("comments.my_comments"))


@bp.route("/comments/attachments/<public_id:attachment_public_id>")
@loads("attachment", ATTACHMENT, allowed=can_download_attachment)
def download(attachment: Attachment):
    """A file attached to a comment, as a download under its cleaned name, to those who may see it."""
    if not attachment.comment.is_public:
        audit_staff_view(attachment.comment)
    path = attachments.path_of(attachment.storage_name, Path(current_app.config["UPLOAD_FOLDER"]))
    if not path.exists():
        abort(404)
    return send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        # A header is one line of what any text may hold: a name stored before names were cleaned may not
        # fail the download.
        download_name=" ".join(safe_text(attachment.public_name(attachment.comment.publication)).split()),
        max_age=0,
        # The day only, and a tag of no time or row id: the file's stamp must not date the comment finer.
        last_modified=day_of(attachment.created_at),
        etag=opaque_etag(attachment.public_id, path.stat().st_size),
    )


@bp.route("/comments/mine")
@requires(is_signed_in)
def my_comments():
    """Everything the person wrote, with receipts and where each stands."""
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == current_user.id).order_by(Comment.updated_at.desc())
    ).all()
    round_ids = {c.round_id for c in comments}
    rounds_by_id = {r.id: r for r in db.session.scalars(select(Round).where(Round.id.in_(round_ids)))}
    return render_template(
        "comments/mine.html", comments=comments, rounds=rounds_by_id, comment_targets=targets_of(comments)
    )


# A round's page and feed: the round with its published comments


def _cursor(round_: Round, value: str | None) -> tuple[datetime, str] | None:
    """A page position from the query string: the public id of the last public comment of the page before.
    Its publication time is looked up, never written in the link: a link must not tell when an anonymous
    comment was published."""
    if not (value and len(value) == 22 and value.isascii()):
        return None
    comment = db.session.scalar(select(Comment).where(Comment.public_id == value))
    if comment is None or comment.round_id != round_.id or not comment.is_public:
        return None
    return comment.published_at, comment.public_id


@bp.route("/rounds/<slug>")
@for_readers
@loads("round_", ROUND)
def show_round(round_: Round):
    """A round: introduction, deadline, scope, guiding questions, documents, and its published comments."""
    comments = services.published_comments(
        round_.id, _cursor(round_, request.args.get("before")), services.PAGE_SIZE + 1
    )
    more = len(comments) > services.PAGE_SIZE
    comments = comments[: services.PAGE_SIZE]
    return render_template(
        "rounds/show.html",
        round=round_,
        state=rounds.effective_state(round_),
        scope=rounds.scope_of(round_),
        comments=comments,
        supporters=services.supporters([c.id for c in comments]),
        comment_targets=targets_of(comments),
        questions_as_asked=as_asked(comments),
        next_page=comments[-1].public_id if more else None,
        may_take_part=can_take_part(current_user, round_),
    )


@bp.route("/rounds/<slug>/feed.atom")
@for_readers
@loads("round_", ROUND)
def feed(round_: Round):
    """The round's published comments as an Atom feed, newest first."""
    comments = services.published_comments(round_.id, None, 50)
    updated = comments[0].published_at if comments else round_.updated_at
    body = render_template("rounds/feed.xml", round=round_, comments=comments, updated=updated)
    return Response(body, mimetype="application/atom+xml")


# What templates of other features ask of comments


@bp.app_template_global()
def comment_target(comment, known: object = None) -> Target:
    """What a comment (or a preview of one) is about; known: what targets_of found for the page's comments,
    so that a list reads no more."""
    if isinstance(known, dict) and key_of(comment) in known:
        return known[key_of(comment)]
    return target_of(comment)


@bp.app_template_global()
def target_named(kind: str, found) -> Target:
    """A loaded part of a round's scope (kind: "recommendation", "cluster"…) named as a comment's target."""
    return describe(TargetType(kind), found)


@bp.app_template_global()
def open_rounds_on(recommendation: Recommendation) -> list[Round]:
    """The rounds open now on a recommendation that the reader may take part in; a reader not signed in is
    offered them too, and asked to sign in."""
    return [
        round_
        for round_ in services.open_rounds_on(recommendation)
        if not is_signed_in(current_user) or can_take_part(current_user, round_)
    ]
