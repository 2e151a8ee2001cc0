"""Writing, submitting, changing and withdrawing comments; receipts and one's own submissions."""

import hashlib
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult import jobs
from consult.accounts.permissions import is_signed_in
from consult.comments import services
from consult.comments.forms import CommentForm
from consult.comments.models import Assessment, Attachment, Comment, CommentState, Publication, TargetType
from consult.comments.permissions import can_change_comment, can_download_attachment, can_view_own_comment
from consult.errors import BUSY_ERRORS, DomainError, is_overload, retry_later
from consult.extensions import db
from consult.filetimes import day_of, opaque_etag
from consult.forms import checks_csrf_in_form, choices, form_status
from consult.i18n import current_language, localized
from consult.organisations.models import confirmed_organisations
from consult.rounds import services as rounds
from consult.rounds.models import Round
from consult.rounds.permissions import can_take_part
from consult.text import safe_text
from consult.uploads import attachments
from consult.web import ensure, get_public_or_404

bp = Blueprint("comments", __name__, url_prefix="/comments")


def _parse_target(value: str) -> tuple[TargetType, int | None]:
    kind, _sep, ident = value.partition(":")
    return TargetType(kind), int(ident) if ident else None


def _target_label(round_: Round, target_type: TargetType, target_id: int | None) -> str:
    """What the comment is about, in words, for the form and the receipt."""
    from consult.plan.models import Action, Cluster, Recommendation
    from consult.rounds.models import DocumentParagraph, GuidingQuestion

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
        target_label=_target_label(round_, target_type, target_id),
        state=rounds.effective_state(round_),
    )
    return page, status or form_status(form)


def _show_error(form: CommentForm, error: DomainError) -> None:
    """Put a service's refusal next to the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    (field.errors if field is not None else form.form_errors).append(error.message)


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


@bp.route("/new/<slug>", methods=["GET", "POST"])
@checks_csrf_in_form
def write_comment(slug: str):
    """Write a comment on a round, or on a part of its scope; save it as a draft or submit it."""
    round_ = rounds.find_round(slug)
    if round_ is None or round_.state.value in ("draft", "cancelled"):
        abort(404)
    form = _form(round_)
    if request.method == "GET":
        ensure(is_signed_in(current_user))
        ensure(can_take_part(current_user, round_))
        return _render(round_, form)
    if not is_signed_in(current_user):
        # The session ended while the person was writing: keep the text, say what to do.
        flash(
            _(
                "You were signed out while writing. Sign in (in another tab or window), then send again: "
                "your text is still here."
            ),
            "warning",
        )
        return _render(round_, form, status=401)
    ensure(can_take_part(current_user, round_))
    if form.validate_on_submit():
        earlier = services.find_by_key(current_user, form.idempotency_key.data)
        if earlier is not None and earlier.state is not CommentState.draft:  # the same form, sent again
            return redirect(url_for("comments.show_comment", comment_public_id=earlier.public_id))
        stored = []
        earlier_files = list(earlier.attachments) if earlier else []
        names_went = earlier is None or _files_lose_names(earlier.publication, earlier.at_risk)
        try:
            draft = _draft(form)
            stored = _store_uploads(form, len(earlier_files), draft)
            if request.form.get("action") == "draft":
                comment = services.save_draft(current_user, round_, form.idempotency_key.data, draft)
                services.attach(current_user, comment, stored)
                replaced = _renew_files(comment, earlier_files, names_went, stored)
                db.session.commit()
                _drop(replaced)
                flash(_("Your draft is saved. Only you can see it."), "success")
                return redirect(url_for("comments.edit_comment", comment_public_id=comment.public_id))
            comment, submitted_now = services.submit(current_user, round_, form.idempotency_key.data, draft)
            if submitted_now:
                services.attach(current_user, comment, stored)
            else:
                _forget(stored)
            replaced = _renew_files(comment, earlier_files, names_went, stored) if submitted_now else []
            db.session.commit()
            _drop(replaced)
        except DomainError as error:
            db.session.rollback()
            _forget(stored)
            _show_error(form, error)
        except BUSY_ERRORS as error:
            if not is_overload(error):
                raise
            return _busy(round_, form, stored)
        else:
            if submitted_now:
                _send_receipt(comment)
            return redirect(url_for("comments.show_comment", comment_public_id=comment.public_id))
    return _render(round_, form)


def _audit_staff_view(comment: Comment) -> None:
    """A moderator looking at confidential input from here is recorded too."""
    if comment.author_id != current_user.id:
        services.record_view(current_user, comment)
        db.session.commit()


def _own(public_id: str) -> Comment:
    """The comment, with what its pages show, if the person may see it as its author (or a moderator)."""
    comment = get_public_or_404(
        Comment,
        public_id,
        options=(
            selectinload(Comment.attachments),
            selectinload(Comment.revisions),
            joinedload(Comment.organisation),
        ),
    )
    ensure(can_view_own_comment(current_user, comment))
    return comment


@bp.route("/<public_id:comment_public_id>")
def show_comment(comment_public_id: str):
    """The receipt: what was submitted, when, under which number, and where it stands."""
    comment = _own(comment_public_id)
    _audit_staff_view(comment)
    return _receipt(comment)


def _receipt(comment: Comment, appeal_form=None):
    """The receipt page; an appeal form sent back shows its errors with the statement kept."""
    from consult.moderation.forms import AppealForm
    from consult.moderation.models import Appeal

    round_ = db.session.get(Round, comment.round_id)
    target_id = (
        getattr(comment, services.TARGET_COLUMNS[comment.target_type])
        if comment.target_type in services.TARGET_COLUMNS
        else None
    )
    appeal_form = appeal_form or AppealForm(formdata=None)
    page = render_template(
        "comments/receipt.html",
        appeal=db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id)),
        appeal_form=appeal_form,
        comment=comment,
        round=round_,
        accepts=rounds.accepts_input(round_),
        target_label=_target_label(round_, comment.target_type, target_id),
        digest=hashlib.sha256(comment.body.encode()).hexdigest(),
    )
    return page, form_status(appeal_form)


@bp.route("/<public_id:comment_public_id>/edit", methods=["GET", "POST"])
@checks_csrf_in_form
def edit_comment(comment_public_id: str):
    """Change a draft or a submitted comment while the round is open."""
    comment = _own(comment_public_id)
    ensure(can_change_comment(current_user, comment))
    round_ = db.session.get(Round, comment.round_id)
    form = _form(round_, comment)
    if form.validate_on_submit():
        stored = []
        earlier_files = list(comment.attachments)
        names_went = _files_lose_names(comment.publication, comment.at_risk)
        try:
            draft = _draft(form)
            stored = _store_uploads(form, len(comment.attachments), draft)
            services.attach(current_user, comment, stored)
            if comment.state is CommentState.draft:
                if request.form.get("action") == "draft":
                    services.save_draft(current_user, round_, comment.idempotency_key, draft)
                    replaced = _renew_files(comment, earlier_files, names_went, stored)
                    db.session.commit()
                    _drop(replaced)
                    flash(_("Your draft is saved. Only you can see it."), "success")
                    return redirect(url_for("comments.edit_comment", comment_public_id=comment.public_id))
                comment, submitted_now = services.submit(current_user, round_, comment.idempotency_key, draft)
            else:
                services.edit(current_user, comment, draft)
                submitted_now = False
            replaced = _renew_files(comment, earlier_files, names_went, stored)
            db.session.commit()
            _drop(replaced)
        except DomainError as error:
            db.session.rollback()
            _forget(stored)
            _show_error(form, error)
        except BUSY_ERRORS as error:
            if not is_overload(error):
                raise
            return _busy(round_, form, stored, comment)
        else:
            if submitted_now:
                _send_receipt(comment)
            flash(_("Your comment is saved."), "success")
            return redirect(url_for("comments.show_comment", comment_public_id=comment.public_id))
    return _render(round_, form, comment)


@bp.route("/<public_id:comment_public_id>/withdraw", methods=["POST"])
def withdraw_comment(comment_public_id: str):
    """Take a comment back (or throw a draft away) while the round is open."""
    comment = _own(comment_public_id)
    ensure(can_change_comment(current_user, comment))
    try:
        if comment.state is CommentState.draft:
            services.discard_draft(current_user, comment)
            message = _("The draft is deleted.")
        else:
            services.withdraw(current_user, comment)
            message = _("Your comment is withdrawn.")
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("comments.show_comment", comment_public_id=comment.public_id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("comments.my_comments"))


@bp.route("/attachments/<public_id:attachment_public_id>")
def download(attachment_public_id: str):
    """A file attached to a comment, as a download under its cleaned name, to those who may see it."""
    attachment = get_public_or_404(Attachment, attachment_public_id)
    ensure(can_download_attachment(current_user, attachment))
    if not attachment.comment.is_public:
        _audit_staff_view(attachment.comment)
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


@bp.route("/mine")
def my_comments():
    """Everything the person wrote, with receipts and where each stands."""
    ensure(is_signed_in(current_user))
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == current_user.id).order_by(Comment.updated_at.desc())
    ).all()
    round_ids = {c.round_id for c in comments}
    rounds_by_id = {r.id: r for r in db.session.scalars(select(Round).where(Round.id.in_(round_ids)))}
    return render_template("comments/mine.html", comments=comments, rounds=rounds_by_id)


@bp.route("/<public_id:comment_public_id>/appeal", methods=["POST"])
@checks_csrf_in_form
def appeal(comment_public_id: str):
    """The author contests a rejection, once; another moderator decides."""
    from consult.moderation import services as moderation
    from consult.moderation.forms import AppealForm

    comment = _own(comment_public_id)
    ensure(can_change_comment(current_user, comment))
    form = AppealForm()
    if not form.validate_on_submit():
        return _receipt(comment, form)  # a stale form or an empty statement: say so, keep what was written
    try:
        moderation.appeal(current_user, comment, form.statement.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Your appeal is received. A different moderator will decide."), "success")
    return redirect(url_for("comments.show_comment", comment_public_id=comment.public_id))
