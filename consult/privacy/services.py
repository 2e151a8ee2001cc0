"""Erasing an account, and the download of everything the platform holds about a person.

Erasure keeps what the public was given and forgets who gave it. Published comments stay published, made
anonymous (no author, no organisation; named and organisation-only become anonymous, confidential stays
confidential); every other comment (drafts, awaiting moderation, changes requested, not published, withdrawn)
is deleted with its files. Summaries' citations of the person's comments are re-attributed as anonymous in
the working copies and in every published version, whose frozen content would otherwise keep the name. The
audit trail keeps every event and its actor's number, with the person's name and address taken out of what
the events recorded, and one `user.erase` event that says an account was erased, by whom and on which
reference. The account row stays as an empty shell (so that the audit trail's numbers still point at
something), with no address, name or password: the address can register again.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, cast, delete, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from consult import audit
from consult.accounts import passwords
from consult.accounts.models import PendingNotice, StaffRole, StaffRoleName, User, UserSession
from consult.api.models import ApiToken
from consult.audit import AuditEvent
from consult.comments import pending as pending_files
from consult.comments.models import Comment, CommentState, Publication
from consult.comments.services import rename_publicly
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.models import Flag
from consult.rounds.models import Round, RoundSummariser
from consult.summaries.models import Summary, SummarySection, SummaryVersion
from consult.uploads import attachments

#: What replaces the person's name or address wherever another record had written it down.
ERASED = "[erased]"
MAX_REFERENCE = 300
#: The longest receipt number looked up (the column's width).
MAX_RECEIPT = 24
#: Names shorter than this are not searched for in other records: they would match ordinary words.
SHORTEST_NAME = 3
#: The keys under which events about an account recorded who it was.
IDENTITY_KEYS = ("display_name", "email", "name")
#: What an audit event about a deleted comment keeps: its states, not what its files or text were called.
KEPT_ABOUT_DELETED = frozenset({"state", "reason"})


@dataclass
class Erasure:
    """What an erasure did; the files are deleted by the caller once the transaction is committed."""

    anonymised: int = 0
    deleted: int = 0
    files: list[str] = field(default_factory=list)


def erase_own_account(person: User, password: str) -> Erasure:
    """The person erases their own account, proving their password once more."""
    if not passwords.verify_password(person.password_hash, password):
        raise DomainError(_("The password is not right."), field="password")
    return erase_account(person, person, None)


def erase_account(actor: User, person: User, reference: str | None) -> Erasure:
    """Erase an account: by its owner, or by a coordinator carrying out a written request (the reference
    names the request, never the person). Flushes; the caller commits, then deletes `files`."""
    reference = (reference or "").strip()
    if person.erased_at is not None:
        raise DomainError(_("This account is erased already."))
    if actor.id != person.id and not reference:
        raise DomainError(_("Give the reference of the written request."), field="reference")
    if len(reference) > MAX_REFERENCE:
        raise DomainError(
            _("A reference can be at most %(n)d characters.", n=MAX_REFERENCE), field="reference"
        )
    if person.has_role(StaffRoleName.coordinator) and _other_coordinators(person) == 0:
        raise DomainError(_("This is the last coordinator. Make someone else coordinator first."))
    words = identities_of(person)
    identity = _identity_pattern(words)
    comments = list(
        db.session.scalars(
            select(Comment).where(Comment.author_id == person.id).options(selectinload(Comment.attachments))
        )
    )
    kept = [c for c in comments if c.state is CommentState.published]
    gone = [c for c in comments if c.state is not CommentState.published]
    # People name their files after themselves: the names the kept files were sent under go as well.
    file_names = {a.filename for c in comments for a in c.attachments if len(a.filename) >= SHORTEST_NAME}
    identity = _identity_pattern(sorted(set(words) | file_names, key=len, reverse=True))
    _scrub_audit_trail(person, identity, {str(c.id) for c in comments}, {str(c.id) for c in gone})
    _reattribute_summaries(actor, {c.round_id for c in comments}, {c.id for c in kept}, {c.id for c in gone})
    _scrub_summaries_text({c.round_id for c in comments}, identity)
    _scrub_others_notices(person, words, identity)
    done = Erasure(anonymised=len(kept), deleted=len(gone))
    for comment in kept:
        _anonymise(comment)
    for comment in gone:
        done.files += [item.storage_name for item in comment.attachments]
        audit.record(actor, "comment.erase", comment, before={"state": comment.state.value})
        db.session.delete(comment)
    done.files += pending_files.forget_all(person)  # files kept for comment forms never saved
    tokens = _forget_links(person)
    _empty_account(person)
    audit.record(
        actor,
        "user.erase",
        person,
        after={
            "by": "owner" if actor.id == person.id else "coordinator",
            "reference": _scrubbed(reference, identity) or None,
            "comments_anonymised": done.anonymised,
            "comments_deleted": done.deleted,
            "files_deleted": len(done.files),
            "api_tokens_removed": tokens,
        },
    )
    db.session.flush()
    return done


def receipt_proof(number: str) -> dict[str, Any] | None:
    """What a receipt number proves, to whoever holds it (after an erasure, the author has no account to
    see their receipt): the round, the day the comment was received, whether it is published, and the
    SHA-256 digest of each text submitted, as the receipt e-mail gave it. No author, no text."""
    number = number.strip().upper()
    if not number or len(number) > MAX_RECEIPT:
        return None
    comment = db.session.scalar(
        select(Comment)
        .where(Comment.receipt_number == number, Comment.state != CommentState.draft)
        .options(selectinload(Comment.revisions))
    )
    if comment is None:
        return None
    return {
        "number": comment.receipt_number,
        "round": db.session.get(Round, comment.round_id),
        "received_on": comment.submitted_at,  # shown as its day only
        "published": comment.state is CommentState.published,
        "digests": [hashlib.sha256(r.body.encode()).hexdigest() for r in comment.revisions],
    }


def delete_files(erasure: Erasure, folder: Path) -> None:
    """Delete the erased comments' files: after the commit, so that a failed erasure loses no file."""
    for storage_name in erasure.files:
        attachments.delete(storage_name, folder)


def _other_coordinators(person: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(StaffRole)
        .where(StaffRole.name == StaffRoleName.coordinator, StaffRole.user_id != person.id)
    )


def identities_of(person: User) -> list[str]:
    """The person's name and address, and every name they went by before (their settings' changes are in
    the audit trail): what is taken out of what others wrote down."""
    former = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.subject_type == User.__tablename__, AuditEvent.subject_id == str(person.id)
        )
    ).all()
    words = {person.display_name.strip(), person.email or ""}
    for event in former:
        for details in (event.before, event.after):
            if isinstance(details, dict):
                words |= {str(details[key]).strip() for key in IDENTITY_KEYS if details.get(key)}
    return sorted((word for word in words if len(word) >= SHORTEST_NAME), key=len, reverse=True)


def _identity_pattern(words: list[str]) -> re.Pattern | None:
    """The words as whole words in any case."""
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _scrubbed(value: Any, identity: re.Pattern | None) -> Any:
    """value (text, or a JSON structure of them) with the person's name and address replaced."""
    if identity is None:
        return value
    if isinstance(value, str):
        return identity.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrubbed(item, identity) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, identity) for key, item in value.items()}
    return value


def _json_forms(text: str) -> set[str]:
    """How text may appear inside a stored JSON document: as is, and with its non-ASCII escaped."""
    return {text, json.dumps(text)[1:-1]}


def _scrub_audit_trail(person: User, identity: re.Pattern | None, comment_ids: set, gone_ids: set) -> None:
    """The events by the person, about their account or their comments, and any event that wrote down their
    address keep their action, subject, time and actor's number, without the name or address."""
    conditions = [
        AuditEvent.actor_id == person.id,
        (AuditEvent.subject_type == User.__tablename__) & (AuditEvent.subject_id == str(person.id)),
    ]
    if comment_ids:
        conditions.append(
            (AuditEvent.subject_type == Comment.__tablename__) & AuditEvent.subject_id.in_(comment_ids)
        )
    if person.email:
        conditions += [
            cast(column, String).contains(form, autoescape=True)
            for column in (AuditEvent.before, AuditEvent.after)
            for form in _json_forms(person.email)
        ]
    for event in db.session.scalars(select(AuditEvent).where(or_(*conditions))).all():
        before, after = _scrubbed(event.before, identity), _scrubbed(event.after, identity)
        if event.subject_type == Comment.__tablename__ and event.subject_id in gone_ids:
            before, after = _kept_about_deleted(before), _kept_about_deleted(after)
        if before != event.before:
            event.before = before
        if after != event.after:
            event.after = after


def _kept_about_deleted(details: Any) -> Any:
    if not isinstance(details, dict):
        return details
    return {key: value for key, value in details.items() if key in KEPT_ABOUT_DELETED} or None


def _reattribute_summaries(actor: User, round_ids: set[int], kept: set[int], gone: set[int]) -> None:
    """Every published version quoting the person shows the quotation as anonymous (a deleted comment's
    quotation leaves the version): a frozen version is changed for an erasure only, and the audit trail
    says so."""
    if not round_ids:
        return
    versions = db.session.scalars(
        select(SummaryVersion)
        .join(Summary, Summary.id == SummaryVersion.summary_id)
        .where(Summary.round_id.in_(round_ids))
        .options(joinedload(SummaryVersion.summary))
    ).all()
    for version in versions:
        content = reattributed(version.content, kept, gone)
        if content != version.content:
            version.content = content
            audit.record(actor, "summary.reattribute", version.summary, after={"version": version.number})


def reattributed(content: dict[str, Any], kept: set[int], gone: set[int]) -> dict[str, Any]:
    """A version's content with the citations of kept comments made anonymous and those of gone ones left
    out."""
    sections = []
    for section in content.get("sections", []):
        citations = []
        for citation in section.get("citations", []):
            if citation.get("comment_id") in gone:
                continue
            if citation.get("comment_id") in kept:
                citation = {
                    **citation,
                    "author": None,
                    "organisation": None,
                    "publication": _anonymous(citation.get("publication")),
                }
            citations.append(citation)
        sections.append({**section, "citations": citations})
    return {**content, "sections": sections}


def _anonymous(publication: str | None) -> str | None:
    named = {Publication.named.value, Publication.organisation.value}
    return Publication.anonymous.value if publication in named else publication


def _scrub_summaries_text(round_ids: set[int], identity: re.Pattern | None) -> None:
    """Summarisers' own words about the rounds the person took part in, should they name the person: the
    working copies and the published versions."""
    if not round_ids or identity is None:
        return
    summaries = db.session.scalars(
        select(Summary)
        .where(Summary.round_id.in_(round_ids))
        .options(selectinload(Summary.sections), selectinload(Summary.versions))
    ).all()
    for summary in summaries:
        if summary.introduction:
            summary.introduction = _scrubbed(summary.introduction, identity)
        section: SummarySection
        for section in summary.sections:
            section.heading = _scrubbed(section.heading, identity)
            section.body = _scrubbed(section.body, identity)
        for version in summary.versions:
            content = _scrubbed(version.content, identity)
            if content != version.content:
                version.content = content


def _scrub_others_notices(person: User, words: list[str], identity: re.Pattern | None) -> None:
    """Notices waiting for other people's digests that mention the person."""
    if identity is None:
        return
    found = db.session.scalars(
        select(PendingNotice).where(
            PendingNotice.user_id != person.id,
            or_(
                *(
                    column.contains(word, autoescape=True)
                    for word in words
                    for column in (PendingNotice.subject, PendingNotice.body)
                )
            ),
        )
    ).all()
    for notice in found:
        notice.subject = _scrubbed(notice.subject, identity)
        notice.body = _scrubbed(notice.body, identity)


def _anonymise(comment: Comment) -> None:
    """A published comment stays, with no author, no organisation, and no name on any surface."""
    comment.author = None
    comment.organisation = None
    comment.publication = Publication(_anonymous(comment.publication.value))
    rename_publicly(comment)
    for attachment in comment.attachments:
        attachment.filename = attachment.public_name(comment.publication)


def _forget_links(person: User) -> int:
    """Memberships, roles, summarising, sessions, recovery codes, notices, reports' authorship and the API
    tokens the person issued; returns how many tokens were removed."""
    person.memberships.clear()
    person.staff_roles.clear()
    person.recovery_codes.clear()
    db.session.execute(delete(RoundSummariser).where(RoundSummariser.user_id == person.id))
    db.session.execute(delete(UserSession).where(UserSession.user_id == person.id))
    db.session.execute(delete(PendingNotice).where(PendingNotice.user_id == person.id))
    for report in db.session.scalars(select(Flag).where(Flag.user_id == person.id)):
        report.user_id = None
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.created_by_id == person.id)).all()
    for token in tokens:
        db.session.delete(token)
    return len(tokens)


def _empty_account(person: User) -> None:
    """The account row without anything that says who it was; it can never sign in again."""
    person.email = None
    person.password_hash = None
    person.display_name = ""
    person.locale = None
    person.timezone = None
    person.email_verified_at = None
    person.totp_secret = None
    person.totp_last_step = None
    person.last_sign_in_at = None
    person.notification_digest = False
    person.failed_sign_ins = 0
    person.failed_sign_ins_since = None
    person.sign_in_paused_until = None
    person.second_factor_failures = 0
    person.active = False
    person.erased_at = utcnow()
