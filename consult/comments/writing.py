"""The comment form's page, whatever button was pressed: nothing typed is lost. Submit, "Save as draft",
"Preview" and each file's "Remove" post the whole form; a refusal, a missing choice, a preview or a removal
brings it back with the text as typed, and the files chosen are kept for it (consult.comments.pending), shown
as attached and removable, so that nobody chooses them again.

The routes are in consult/comments/views.py; these are the steps they share."""

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult import jobs
from consult.accounts.permissions import is_signed_in
from consult.comments import pending, services
from consult.comments.forms import CommentForm
from consult.comments.models import (
    TARGET_COLUMNS,
    Assessment,
    Attachment,
    Comment,
    CommentState,
    Publication,
    TargetType,
)
from consult.comments.targets import Target, target_id_of, target_of
from consult.errors import BUSY_ERRORS, DomainError, is_overload, retry_later
from consult.extensions import db
from consult.forms import choices, form_status
from consult.i18n import current_language
from consult.organisations.models import confirmed_organisations
from consult.rounds import services as rounds
from consult.rounds.models import Round
from consult.uploads import attachments


def parse_target(value: str) -> tuple[TargetType, int | None]:
    """A form's target ("recommendation:12", "round") as its type and id."""
    kind, _sep, ident = value.partition(":")
    return TargetType(kind), int(ident) if ident else None


def target_named(target_type: TargetType, target_id: int | None) -> Target:
    """The target of this type and id, named as everywhere else (consult.comments.targets); 404 if it does not
    exist."""
    column = TARGET_COLUMNS.get(target_type)
    found = target_of(SimpleNamespace(target_type=target_type, **({column: target_id} if column else {})))
    if column and found.id is None:
        abort(404)
    return found


def build_form(round_: Round, comment: Comment | None = None) -> CommentForm:
    """The form, filled from the comment it changes, or for a new comment on the target the link named."""
    form = CommentForm(obj=None)
    organisations = confirmed_organisations(current_user) if is_signed_in(current_user) else []
    form.organisation.choices = choices([(0, _("Myself only")), *((o.id, o.name) for o in organisations)])
    if form.is_submitted():
        return form
    if comment is None:
        form.target.data = request.args.get("target", "round")
        form.language.data = current_language()
        return form
    column = TARGET_COLUMNS.get(comment.target_type)
    form.target.data = comment.target_type.value + (f":{getattr(comment, column)}" if column else "")
    form.idempotency_key.data = comment.idempotency_key
    form.body.data, form.language.data = comment.body, comment.language
    form.assessment.data = comment.assessment.value if comment.assessment else ""
    form.publication.data, form.at_risk.data = comment.publication.value, comment.at_risk
    form.organisation.data = comment.organisation_id or 0
    return form


def _publication(form: CommentForm) -> Publication:
    """The choice made: confidential when the person is at risk, or has not chosen yet (the safest)."""
    if form.at_risk.data or form.publication.data not in {p.value for p in Publication}:
        return Publication.confidential
    return Publication(form.publication.data)


def draft_of(form: CommentForm) -> services.Draft:
    """What a valid form holds."""
    target_type, target_id = parse_target(form.target.data)
    return services.Draft(
        target_type=target_type,
        target_id=target_id,
        body=form.body.data or "",
        language=form.language.data,
        publication=_publication(form),
        at_risk=form.at_risk.data,
        assessment=Assessment(form.assessment.data) if form.assessment.data else None,
        organisation_id=form.organisation.data or None,
    )


def _key(form: CommentForm) -> str | None:
    """The form's key, which files wait under, for a person signed in; None for a key it cannot have."""
    key = form.idempotency_key.data
    if not (is_signed_in(current_user) and isinstance(key, str) and len(key) == 32):
        return None
    return key if all(c in "0123456789abcdef" for c in key) else None


def _holds_a_key(form: CommentForm) -> bool:
    """Whether the form was sent with its own token and a key that files can be kept under."""
    return form.is_submitted() and not form.token_expired and _key(form) is not None


def _about(round_: Round, form: CommentForm, comment: Comment | None) -> Target | None:
    """What the form is about, named only when it is part of the round's scope (or is the target of the
    comment the form changes): a link naming anything else is answered 404, and a form sent with it comes
    back refused, naming nothing."""
    target_type, target_id = (
        parse_target(form.target.data) if form.target.validate(form) else (TargetType.round, None)
    )
    own = comment is not None and (comment.target_type, target_id_of(comment)) == (target_type, target_id)
    if own or services.in_scope(round_, target_type, target_id):
        return target_named(target_type, target_id)
    if request.method == "GET":
        abort(404)
    if str(services.NOT_IN_SCOPE) not in form.form_errors:
        form.form_errors.append(str(services.NOT_IN_SCOPE))
    return None


def render_form(
    round_: Round,
    form: CommentForm,
    comment: Comment | None = None,
    preview: Comment | None = None,
    status: int | None = None,
):
    """The form page: its target named, the files attached and waiting, and a preview when asked for."""
    about = _about(round_, form, comment)
    waiting = pending.pending_files(current_user, key) if (key := _key(form)) else []
    page = render_template(
        "comments/form.html",
        round=round_,
        form=form,
        comment=comment,
        assessable=about is not None and about.kind in services.ASSESSABLE,
        about=about,
        waiting=waiting,
        removable=comment is not None and comment.state is CommentState.draft,
        preview=preview,
        state=rounds.effective_state(round_),
    )
    return page, status or form_status(form)


def files_lose_names(publication: Publication, at_risk: bool) -> bool:
    """Whether a comment's documents lose the names inside them, under this deployment's setting."""
    return services.files_lose_names(publication, at_risk, current_app.config["ATTACHMENTS_CLEAN_ALL"])


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def store_chosen(form: CommentForm, already: int, remove_names: bool, stored: list) -> None:
    """Check, clean and store the files chosen in the form, each added to stored as it goes: every acceptable
    one, up to the limit of a comment's files (already: how many it holds). Then one refusal names each file
    not kept, and stored holds those that were, for the caller to keep or forget."""
    uploads = [u for u in (form.attachments.data or []) if u and u.filename]
    room = max(attachments.MAX_FILES - already, 0)
    refusals, over = [], []
    for upload in uploads:
        if room == 0:
            over.append(attachments.safe_filename(upload.filename))
            continue
        data = upload.stream.read(attachments.MAX_BYTES + 1)
        try:
            stored.append(attachments.store(data, upload.filename, _folder(), remove_names=remove_names))
            room -= 1
        except attachments.AttachmentRefused as refused:
            refusals.append(refused.message)
    if over:
        refusals.append(_("A comment can have at most %(n)d attachments.", n=attachments.MAX_FILES))
        refusals.append(
            ngettext(
                "This file is not kept: %(names)s.",
                "These files are not kept: %(names)s.",
                len(over),
                names=", ".join(over),
            )
        )
    if refusals:
        refusals.append(_("Your text and the other files are kept below."))
        raise DomainError(" ".join(str(r) for r in refusals), field="attachments")


def forget(stored: list) -> None:
    """Delete stored files that nothing keeps."""
    for item in stored:
        attachments.delete(item.storage_name, _folder())


def drop(storage_names: list[str]) -> None:
    """Delete the files whose rows went, once the change is committed."""
    for storage_name in storage_names:
        attachments.delete(storage_name, _folder())


def _files_on(comment: Comment | None) -> int:
    return len(comment.attachments) if comment is not None else 0


def keep_chosen(form: CommentForm, comment: Comment | None, stored: list | None = None) -> None:
    """The form comes back unsaved: keep the files chosen with it (and any in stored already) waiting for it,
    committed at once; a refused file is said on the form, the others are kept."""
    if not _holds_a_key(form):
        return
    stored = stored if stored is not None else []
    key = form.idempotency_key.data
    remove_names = files_lose_names(_publication(form), form.at_risk.data)
    try:
        already = _files_on(comment) + len(pending.pending_files(current_user, key)) + len(stored)
        store_chosen(form, already, remove_names, stored)
    except DomainError as error:
        form.show(error)
    if not stored:
        return
    try:
        pending.keep_pending(current_user, key, stored, names_removed=remove_names)
        stale = pending.forget_stale(current_user)
        db.session.commit()
    except BUSY_ERRORS:
        db.session.rollback()
        forget(stored)
        raise
    drop(stale)


def _remove(round_: Round, form: CommentForm, comment: Comment | None):
    """A file's "Remove": the file goes, everything else stays as typed (the form is not checked yet)."""
    for field in form:
        field.errors = []
    keep_chosen(form, comment)
    try:
        gone = pending.remove_file(current_user, form.idempotency_key.data, comment, request.form["remove"])
        db.session.commit()
        drop([gone])
    except DomainError as error:
        db.session.rollback()
        form.show(error)
    return render_form(round_, form, comment, status=200)


def _preview(round_: Round, form: CommentForm, comment: Comment | None):
    """The comment as the public would read it, never saved, above the form as typed."""
    keep_chosen(form, comment)
    shown = None
    try:
        shown = services.preview(current_user, round_, draft_of(form))
        shown.attachments = pending.as_preview_files(
            comment, pending.pending_files(current_user, form.idempotency_key.data)
        )
    except DomainError as error:
        form.show(error)
    return render_form(round_, form, comment, preview=shown)


#: The values of the form's buttons ("default": Enter pressed in a field). A form sent without any is
#: submitted, as a browser sends it when Enter is pressed where no button is.
BUTTONS = ("submit", "default", "draft", "preview")


def _unknown_button(round_: Round, form: CommentForm, comment: Comment | None):
    """A button the form does not have: nothing is sent or saved; the form comes back as typed, files kept."""
    keep_chosen(form, comment)
    form.form_errors.append(
        _("Nothing was sent: the form came without one of its buttons. Press one of the buttons below.")
    )
    return render_form(round_, form, comment, status=400)


def answer_form(round_: Round, form: CommentForm, comment: Comment | None, save: Callable):
    """The form shown, or posted with one of its buttons: save is called for Submit and "Save as draft" on a
    valid form."""
    valid = form.validate_on_submit()
    if not form.is_submitted():  # shown: nothing of a form is read from the address
        keep_chosen(form, comment)
        return render_form(round_, form, comment)
    if request.form.get("action", BUTTONS[0]) not in BUTTONS:
        return _unknown_button(round_, form, comment)
    if request.form.get("remove") and _holds_a_key(form):
        return _remove(round_, form, comment)
    if not valid:
        keep_chosen(form, comment)
        return render_form(round_, form, comment)
    if request.form.get("action") == "preview":
        return _preview(round_, form, comment)
    return save()


def renew_files(comment: Comment, files: list[Attachment], stored: list) -> list[str]:
    """Clean files of the names inside them when the comment they now belong to is anonymous or confidential
    and they kept them. The cleaned copies join stored, forgotten if the comment is not saved; the replaced
    files' names are returned, to delete once it is."""
    if not files or not files_lose_names(comment.publication, comment.at_risk):
        return []
    replaced = []
    try:
        for attachment in files:
            cleaned = attachments.clean_stored(
                attachment.storage_name, attachment.filename, attachment.content_type, _folder()
            )
            stored.append(cleaned)
            replaced.append(services.replace_file(attachment, cleaned))
    except attachments.AttachmentRefused as refused:
        raise DomainError(refused.message, field="attachments") from refused
    return replaced


def attach_all(comment: Comment, key: str, stored: list) -> list[Attachment]:
    """Attach the files waiting for the form and those just stored; the attachments made from waiting files
    that kept the names inside them (renew_files cleans them if the comment needs it)."""
    waiting = pending.claim_pending(current_user, key)
    added = services.attach(current_user, comment, [*waiting, *stored])
    return [
        attachment for attachment, upload in zip(added, waiting, strict=False) if not upload.names_removed
    ]


class Saved(NamedTuple):
    """A comment saved from its form, and what follows once the change is committed."""

    comment: Comment
    #: The stored names of the files that cleaned copies replace: deleted once committed.
    replaced: list[str]
    #: Kept a draft: its form comes back; otherwise its receipt.
    draft: bool = False
    #: Submitted by this very request: its author's receipt is sent.
    submitted_now: bool = False


def _busy(round_: Round, form: CommentForm, stored: list, comment: Comment | None = None):
    """The database is too busy to save the comment now: nothing is kept, the form comes back with the
    person's text (files must be chosen again), and the answer is a 503 that says when to send again."""
    db.session.rollback()
    forget(stored)
    form.form_errors.append(
        _(
            "The site is too busy to save your comment just now. Nothing was saved: your text is kept "
            "below; send it again in a minute."
        )
    )
    page, _status = render_form(round_, form, comment)
    return retry_later(page)


def save(
    round_: Round,
    form: CommentForm,
    change: Callable[[services.Draft, list], Saved],
    holder: Comment | None = None,
    comment: Comment | None = None,
):
    """Store the files sent, make the change, commit once, then say where it stands. A refusal comes back on
    the form with the text as typed and the files kept for it; a busy database, as a 503 with the text kept.
    holder: the comment (or draft) whose files count too; comment: the one the form changes (None for new)."""
    uploaded: list = []
    stored: list = []  # what the change attaches: the files uploaded, then any cleaned copies it makes
    draft = draft_of(form)
    try:
        already = _files_on(holder) + len(pending.pending_files(current_user, form.idempotency_key.data))
        store_chosen(form, already, files_lose_names(draft.publication, draft.at_risk), uploaded)
        stored.extend(uploaded)
        saved = change(draft, stored)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        forget([item for item in stored if item not in uploaded])
        form.attachments.data = []  # the accepted are in uploaded, kept for the form; a refused one is named
        keep_chosen(form, comment, uploaded)
        form.show(error)
        return render_form(round_, form, comment)
    except BUSY_ERRORS as error:
        if not is_overload(error):
            raise
        return _busy(round_, form, stored, comment)
    drop(saved.replaced)
    return answer_saved(saved, changed=comment is not None)


def answer_saved(saved: Saved, changed: bool):
    """A draft goes back to its form; a comment to its receipt (sent by e-mail when submitted just now)."""
    public_id = saved.comment.public_id
    if saved.draft:
        flash(_("Your draft is saved. Only you can see it."), "success")
        return redirect(url_for("comments.edit_comment", comment_public_id=public_id))
    if saved.submitted_now:
        # Queued (sent in the background where a queue is configured): an e-mail that cannot be prepared now
        # is logged by jobs.enqueue, never answered as if the comment were lost.
        jobs.enqueue("consult.comments.notifications.send_receipt", comment_id=saved.comment.id)
    if changed:
        flash(_("Your comment is saved."), "success")
    return redirect(url_for("moderation.show_receipt", comment_public_id=public_id))


def signed_out(round_: Round, form: CommentForm):
    """The session ended while the person was writing: keep the text, say what to do."""
    flash(
        _(
            "You were signed out while writing. Sign in (in another tab or window), then send again: "
            "your text is still here."
        ),
        "warning",
    )
    return render_form(round_, form, status=401)
