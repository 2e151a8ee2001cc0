"""Files sent with a comment form that came back unsaved: a refusal, a missing choice, a preview, a file
removed. They are checked, cleaned and stored at once and kept under the form's key, so that the person never
chooses them again; saving the comment turns them into its attachments. A draft's own files can be removed
from its form too.

Flush, never commit; the caller deletes the stored files these functions name once the change is committed.
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.accounts.models import User
from consult.comments.models import Attachment, Comment, CommentState, PendingUpload
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.uploads.attachments import StoredFile

#: How long a file waits for its form: a person who never came back leaves nothing behind for long.
KEPT_FOR = timedelta(days=2)


def pending_files(user: User, key: str) -> list[PendingUpload]:
    """The files waiting for this person's form with this key, oldest first."""
    return list(
        db.session.scalars(
            select(PendingUpload)
            .where(PendingUpload.author_id == user.id, PendingUpload.idempotency_key == key)
            .order_by(PendingUpload.id)
        )
    )


def keep_pending(user: User, key: str, stored: list[StoredFile], names_removed: bool) -> list[PendingUpload]:
    """Keep files just stored for the form with this key, until its comment is saved; names_removed: whether
    they were stored without the names inside them."""
    kept = [
        PendingUpload(
            author_id=user.id,
            idempotency_key=key,
            storage_name=item.storage_name,
            filename=item.filename,
            content_type=item.content_type,
            size_bytes=item.size_bytes,
            sha256=item.sha256,
            names_removed=names_removed,
        )
        for item in stored
    ]
    db.session.add_all(kept)
    db.session.flush()
    return kept


def claim_pending(user: User, key: str) -> list[PendingUpload]:
    """The files waiting for this form, taken off the waiting list: the caller attaches them (their stored
    files stay; they now belong to the comment)."""
    waiting = pending_files(user, key)
    for upload in waiting:
        db.session.delete(upload)
    return waiting


def remove_file(user: User, key: str, comment: Comment | None, public_id: str) -> str:
    """Take a file off a form: one waiting for it, or one of the draft it edits. The stored name, to delete
    once committed; DomainError if the form holds no such file."""
    for upload in pending_files(user, key):
        if upload.public_id == public_id:
            db.session.delete(upload)
            return upload.storage_name
    if comment is not None and comment.author_id == user.id and comment.state is CommentState.draft:
        for attachment in comment.attachments:
            if attachment.public_id == public_id:
                comment.attachments.remove(attachment)
                return attachment.storage_name
    raise DomainError(_("This file is no longer attached."), field="attachments")


def forget_stale(user: User | None, now: datetime | None = None) -> list[str]:
    """Drop the files that waited longer than KEPT_FOR for this person's forms (everyone's, with None: the
    clock's sweep); their stored names."""
    before = (now or utcnow()) - KEPT_FOR
    query = select(PendingUpload).where(PendingUpload.created_at < before)
    if user is not None:
        query = query.where(PendingUpload.author_id == user.id)
    stale = list(db.session.scalars(query))
    if stale:
        db.session.execute(delete(PendingUpload).where(PendingUpload.id.in_([u.id for u in stale])))
    return [upload.storage_name for upload in stale]


def as_preview_files(comment: Comment | None, waiting: list[PendingUpload]) -> list[Attachment]:
    """The files a preview shows, as unsaved attachments: the draft's or comment's own (but those withheld)
    and those waiting for the form. Never the saved attachments themselves, which would change hands."""
    own = [a for a in comment.attachments if a.withheld_at is None] if comment is not None else []
    return [
        Attachment(
            public_id=f.public_id, filename=f.filename, content_type=f.content_type, size_bytes=f.size_bytes
        )
        for f in (*own, *waiting)
    ]


def forget_all(user: User) -> list[str]:
    """Drop every file waiting for this person's forms (their account is erased); their stored names."""
    return forget_stale(user, utcnow() + KEPT_FOR + timedelta(days=1))
