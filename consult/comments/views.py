"""Writing, submitting, changing and withdrawing comments, one's own submissions, and a round's page with
its published comments. The receipt, where the author also sees the moderation decision and appeals it, is
moderation's (consult/moderation/views.py)."""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple

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

from consult import jobs
from consult.accounts.permissions import is_signed_in
from consult.comments import services
from consult.comments.forms import CommentForm
from consult.comments.loaders import ANNOUNCED_ROUND, ATTACHMENT, OWN_COMMENT
from consult.comments.models import Assessment, Attachment, Comment, CommentState, Publication, TargetType
from consult.comments.permissions import can_change_comment, can_download_attachment
from consult.errors import BUSY_ERRORS, DomainError, is_overload, retry_later
from consult.extensions import db
from consult.filetimes import day_of, opaque_etag
from consult.forms import checks_csrf_in_form, choices, form_status
from consult.i18n import current_language, localized
from consult.organisations.models import confirmed_organisations
from consult.pagecache import for_readers
from consult.plan.models import Action, Cluster, Recommendation
from consult.rounds import services as rounds
from consult.rounds.loaders import ROUND
from consult.rounds.models import DocumentParagraph, GuidingQuestion, Round
from consult.rounds.permissions import can_take_part
from consult.text import safe_text
from consult.uploads import attachments
from consult.web import ensure, loads, requires

bp = Blueprint("comments", __name__)


def _parse_target(value: str) -> tuple[TargetType, int | None]:
    kind, _sep, ident = value.partition(":")
    return TargetType(kind), int(ident) if ident else None


def target_label(round_: Round, target_type: TargetType, target_id: int | None) -> str:
    """What the comment is about, in words, for the form and the receipt."""

    if target_type is TargetType.round:
        return _("The round as a whole")
    model = {
        TargetType.cluster: Cluster,
        TargetType.recommendation: Recommendation,
        TargetType.action: Action,
        TargetType.question: GuidingQuestion,
        TargetType.paragraph: DocumentParagraph,
    }[target_type]
    target = db.session.get(model, target_id)
    if target is None:
        abort(404)
    if target_type is TargetType.recommendation:
        return " ".join(filter(None, [target.body, target.symbol, target.paragraph]))
    if target_type is TargetType.paragraph:
        return _("Paragraph %(number)d", number=target.number)
    if target_type is TargetType.question:
        return localized(target.text)
    return f"{target.code} · {localized(target.title)}"


def _form(round_: Round, comment: Comment | None = None) -> CommentForm:
    form = CommentForm(obj=None)
    organisations = confirmed_organisations(current_user) if is_signed_in(current_user) else []
    form.organisation.choices = choices([(0, _("Myself only")), *((o.id, o.name) for o in organisations)])
    if not form.is_submitted():
        if comment is not None:
            form.target.data = comment.target_type.value + (
                f":{getattr(comment, services.TARGET_COLUMNS[comment.target_type])}"
                if comment.target_type in services.TARGET_COLUMNS
                else ""
            )
            form.idempotency_key.data = comment.idempotency_key
            form.body.data, form.language.data = comment.body, comment.language
            form.assessment.data = comment.assessment.value if comment.assessment else ""
            form.publication.data, form.at_risk.data = comment.publication.value, comment.at_risk
            form.organisation.data = comment.organisation_id or 0
        else:
            form.target.data = request.args.get("target", "round")
            form.language.data = current_language()
    return form


def _draft(form: CommentForm) -> services.Draft:
    target_type, target_id = _parse_target(form.target.data)
    return services.Draft(
        target_type=target_type,
        target_id=target_id,
        body=form.body.data or "",
        language=form.language.data,
        publication=Publication(form.publication.data),
        at_risk=form.at_risk.data,
        assessment=Assessment(form.assessment.data) if form.assessment.data else None,
        organisation_id=form.organisation.data or None,
    )


def _render(round_: Round, form: CommentForm, comment: Comment | None = None, status: int | None = None):
    target_type, target_id = (
        _parse_target(form.target.data) if form.target.validate(form) else (TargetType.round, None)
    )
    page = render_template(
        "comments/form.html",
        round=round_,
        form=form,
        comment=comment,
        assessable=target_type in services.ASSESSABLE,
        target_label=target_label(round_, target_type, target_id),
        state=rounds.effective_state(round_),
    )
    return page, status or form_status(form)


def _files_lose_names(publication: Publication, at_risk: bool) -> bool:
    """Whether a comment's documents lose the names inside them, under this deployment's setting."""
    return services.files_lose_names(publication, at_risk, current_app.config["ATTACHMENTS_CLEAN_ALL"])


def _store_uploads(form: CommentForm, already: int, draft: services.Draft) -> list:
    """Check, clean and store the files sent with the form; nothing is kept if one is refused."""
    uploads = [u for u in (form.attachments.data or []) if u and u.filename]
    if already + len(uploads) > attachments.MAX_FILES:
        raise DomainError(
            _("A comment can have at most %(n)d attachments.", n=attachments.MAX_FILES), field="attachments"
        )
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    remove_names = _files_lose_names(draft.publication, draft.at_risk)
    stored = []
    try:
        for upload in uploads:
            data = upload.stream.read(attachments.MAX_BYTES + 1)
            stored.append(attachments.store(data, upload.filename, folder, remove_names=remove_names))
    except attachments.AttachmentRefused as refused:
        _forget(stored)
        raise DomainError(
            refused.message
            + " "
            + _("Nothing was saved yet: your text is kept below; choose the files again."),
            field="attachments",
        ) from refused
    return stored


def _renew_files(comment: Comment, earlier: list[Attachment], names_went: bool, stored: list) -> list[str]:
    """Clean a comment's earlier files of the names inside them when it has just become anonymous or
    confidential and they were kept for a named comment. The cleaned copies join stored, forgotten if the
    comment is not saved; the replaced files' names are returned, to delete once it is."""
    if names_went or not _files_lose_names(comment.publication, comment.at_risk):
        return []
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    replaced = []
    try:
        for attachment in earlier:
            cleaned = attachments.clean_stored(
                attachment.storage_name, attachment.filename, attachment.content_type, folder
            )
            stored.append(cleaned)
            replaced.append(services.replace_file(attachment, cleaned))
    except attachments.AttachmentRefused as refused:
        raise DomainError(refused.message, field="attachments") from refused
    return replaced


def _drop(replaced: list[str]) -> None:
    """Delete the files that cleaned copies replaced, once the change is committed."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    for storage_name in replaced:
        attachments.delete(storage_name, folder)


def _forget(stored: list) -> None:
    """Delete stored files whose comment was not saved."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    for item in stored:
        attachments.delete(item.storage_name, folder)


def _busy(round_: Round, form: CommentForm, stored: list, comment: Comment | None = None):
    """The database is too busy to save the comment now: nothing is kept, the form comes back with the
    person's text (files must be chosen again), and the answer is a 503 that says when to send again."""
    db.session.rollback()
    _forget(stored)
    form.form_errors.append(
        _(
            "The site is too busy to save your comment just now. Nothing was saved: your text is kept "
            "below; send it again in a minute."
        )
    )
    page, _status = _render(round_, form, comment)
    return retry_later(page)


def _send_receipt(comment: Comment) -> None:
    """Queue the author's receipt by e-mail (sent in the background where a queue is configured). The comment
    is saved and its page shows the receipt: an e-mail that cannot be prepared now (a busy database) is
    logged by jobs.enqueue, never answered as if the comment were lost."""
    jobs.enqueue("consult.comments.notifications.send_receipt", comment_id=comment.id)


class Saved(NamedTuple):
    """A comment saved from its form, and what follows once the change is committed."""

    comment: Comment
    #: The stored names of the files that cleaned copies replace: deleted once committed.
    replaced: list[str]
    #: Kept a draft: its form comes back; otherwise its receipt.
    draft: bool = False
    #: Submitted by this very request: its author's receipt is sent.
    submitted_now: bool = False


def _write(round_: Round, key: str, earlier: Comment | None, draft: services.Draft, stored: list) -> Saved:
    """A new comment (or the draft this form saved before) saved as a draft or submitted, with its files."""
    earlier_files = list(earlier.attachments) if earlier else []
    names_went = earlier is None or _files_lose_names(earlier.publication, earlier.at_risk)
    if request.form.get("action") == "draft":
        comment = services.save_draft(current_user, round_, key, draft)
        services.attach(current_user, comment, stored)
        return Saved(comment, _renew_files(comment, earlier_files, names_went, stored), draft=True)
    comment, submitted_now = services.submit(current_user, round_, key, draft)
    if not submitted_now:  # the same form, submitted meanwhile: that submission stands, with its files
        _forget(stored)
        return Saved(comment, [])
    services.attach(current_user, comment, stored)
    return Saved(comment, _renew_files(comment, earlier_files, names_went, stored), submitted_now=True)


def _change(round_: Round, comment: Comment, draft: services.Draft, stored: list) -> Saved:
    """A comment changed by its author, with the files sent: a draft saved again or submitted, a submitted
    comment edited."""
    earlier_files = list(comment.attachments)
    names_went = _files_lose_names(comment.publication, comment.at_risk)
    services.attach(current_user, comment, stored)
    as_draft = comment.state is CommentState.draft and request.form.get("action") == "draft"
    submitted_now = False
    if comment.state is not CommentState.draft:
        services.edit(current_user, comment, draft)
    elif as_draft:
        services.save_draft(current_user, round_, comment.idempotency_key, draft)
    else:
        comment, submitted_now = services.submit(current_user, round_, comment.idempotency_key, draft)
    replaced = _renew_files(comment, earlier_files, names_went, stored)
    return Saved(comment, replaced, draft=as_draft, submitted_now=submitted_now)


def _save(
    round_: Round,
    form: CommentForm,
    change: Callable[[services.Draft, list], Saved],
    files_before: int,
    comment: Comment | None = None,
):
    """Store the files sent, make the change, commit once, then say where it stands. A refusal comes back on
    the form with nothing kept; a busy database, as a 503 with the text kept. comment: the one the form
    changes (None for a new one)."""
    stored: list = []
    try:
        draft = _draft(form)
        stored.extend(_store_uploads(form, files_before, draft))
        saved = change(draft, stored)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        _forget(stored)
        form.show(error)
        return _render(round_, form, comment)
    except BUSY_ERRORS as error:
        if not is_overload(error):
            raise
        return _busy(round_, form, stored, comment)
    _drop(saved.replaced)
    return _answer_saved(saved, changed=comment is not None)


def _answer_saved(saved: Saved, changed: bool):
    """A draft goes back to its form; a comment to its receipt (sent by e-mail when submitted just now)."""
    public_id = saved.comment.public_id
    if saved.draft:
        flash(_("Your draft is saved. Only you can see it."), "success")
        return redirect(url_for("comments.edit_comment", comment_public_id=public_id))
    if saved.submitted_now:
        _send_receipt(saved.comment)
    if changed:
        flash(_("Your comment is saved."), "success")
    return redirect(url_for("moderation.show_receipt", comment_public_id=public_id))


def _signed_out(round_: Round, form: CommentForm):
    """The session ended while the person was writing: keep the text, say what to do."""
    flash(
        _(
            "You were signed out while writing. Sign in (in another tab or window), then send again: "
            "your text is still here."
        ),
        "warning",
    )
    return _render(round_, form, status=401)


@bp.route("/comments/new/<slug>", methods=["GET", "POST"])
@checks_csrf_in_form
@loads("round_", ANNOUNCED_ROUND)
def write_comment(round_: Round):
    """Write a comment on a round, or on a part of its scope; save it as a draft or submit it."""
    form = _form(round_)
    if request.method == "POST" and not is_signed_in(current_user):
        return _signed_out(round_, form)
    ensure(can_take_part(current_user, round_))  # someone signed out is asked to sign in, as on GET
    if not form.validate_on_submit():
        return _render(round_, form)
    key = form.idempotency_key.data
    earlier = services.find_by_key(current_user, key)
    if earlier is not None and earlier.state is not CommentState.draft:  # the same form, sent again
        return redirect(url_for("moderation.show_receipt", comment_public_id=earlier.public_id))
    files_before = len(earlier.attachments) if earlier else 0
    return _save(round_, form, partial(_write, round_, key, earlier), files_before)


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
    form = _form(round_, comment)
    if not form.validate_on_submit():
        return _render(round_, form, comment)
    return _save(round_, form, partial(_change, round_, comment), len(comment.attachments), comment)


@bp.route("/comments/<public_id:comment_public_id>/withdraw", methods=["POST"])
@loads("comment", OWN_COMMENT, allowed=can_change_comment)
def withdraw_comment(comment: Comment):
    """Take a comment back (or throw a draft away) while the round is open."""
    try:
        if comment.state is CommentState.draft:
            services.discard_draft(current_user, comment)
            message = _("The draft is deleted.")
        else:
            services.withdraw(current_user, comment)
            message = _("Your comment is withdrawn.")
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("moderation.show_receipt", comment_public_id=comment.public_id))
    db.session.commit()
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
    return render_template("comments/mine.html", comments=comments, rounds=rounds_by_id)


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
