"""Moderation: decisions with reasons, redaction instead of deletion, the audited view of confidential input.

Two moderators deciding the same comment at the same moment: the comment's version counter (SQLAlchemy's
version_id_col) and the unique (comment, sequence) of decisions let exactly one win; the other is told.
"""

import re
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from consult import audit, disclosure, jobs
from consult.accounts.models import User
from consult.comments.models import Attachment, Comment, CommentState, Publication
from consult.comments.public import campaign_sizes, first_of_campaign, public_conditions, readable_input
from consult.comments.services import COMMENT_LIFECYCLE
from consult.database import utcnow
from consult.disclosure import Mark
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.models import DecisionKind, Flag, ModerationDecision, Reason, Redaction
from consult.organisations.models import Membership, confirmed_organisations

#: What each decision does to a comment, from the states it may be taken in.
OUTCOMES = {
    DecisionKind.approve: {
        CommentState.submitted: CommentState.published,
        CommentState.changes_requested: CommentState.published,
        CommentState.published: CommentState.published,
    },
    DecisionKind.reject: {
        CommentState.submitted: CommentState.rejected,
        CommentState.changes_requested: CommentState.rejected,
    },
    DecisionKind.request_changes: {
        CommentState.submitted: CommentState.changes_requested,
        CommentState.published: CommentState.changes_requested,
    },
    DecisionKind.remove: {CommentState.published: CommentState.rejected},
}

#: Shown to the public in place of a redacted passage.
REDACTION_MARK = "█████"


class DecidedMeanwhile(DomainError):
    """Another moderator decided the same comment first."""


def _check_reason(decision: DecisionKind, reason: Reason | None, note: str | None) -> None:
    if (
        decision in (DecisionKind.reject, DecisionKind.request_changes, DecisionKind.remove)
        and reason is None
    ):
        raise DomainError(_("Give the reason: the author is told it."), field="reason")
    if reason is Reason.other and not (note or "").strip():
        raise DomainError(_("Explain the reason in the note."), field="note")


def decide(
    moderator: Any,
    comment: Comment,
    decision: DecisionKind,
    reason: Reason | None = None,
    note: str | None = None,
    seen_version: int | None = None,
) -> ModerationDecision:
    """Approve, reject, send back or remove a comment, recording who, when and why; flushes, so that a
    decision taken meanwhile by another moderator raises DecidedMeanwhile here."""
    _check_reason(decision, reason, note)
    if seen_version is not None and comment.version != seen_version:
        raise DecidedMeanwhile(
            _("Another moderator changed this comment while you were reading it. Look at it again.")
        )
    target = OUTCOMES[decision].get(comment.state)
    if target is None:
        raise DomainError(
            _("This decision cannot be taken on a comment that is %(state)s.", state=str(comment.state.label))
        )
    sequence = (
        db.session.scalar(
            select(func.max(ModerationDecision.sequence)).where(ModerationDecision.comment_id == comment.id)
        )
        or 0
    ) + 1
    record = ModerationDecision(
        comment_id=comment.id,
        sequence=sequence,
        moderator_id=moderator.id,
        decision=decision,
        reason=reason,
        note=(note or "").strip() or None,
    )
    db.session.add(record)
    COMMENT_LIFECYCLE.apply(
        comment,
        target,
        moderator,
        f"comment.moderate.{decision.value}",
        reason=reason.value if reason else None,
    )
    if target is CommentState.published:
        comment.published_at = comment.published_at or utcnow()
        comment.hidden_at = None
    elif comment.published_at is not None:
        comment.published_at = None
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise DecidedMeanwhile(
            _("Another moderator decided this comment at the same moment. Look at it again.")
        ) from error
    resolve_flags(moderator, comment)  # after the flush: its query must not flush a lost race unguarded
    return record


def decide_many(
    moderator: Any,
    comment_ids: list[int],
    decision: DecisionKind,
    reason: Reason | None = None,
    note: str | None = None,
) -> tuple[list[ModerationDecision], list[int]]:
    """One decision on a selection: the decisions taken, and the ids of comments it does not apply to."""
    _check_reason(decision, reason, note)
    taken, skipped = [], []
    for comment in db.session.scalars(
        select(Comment).where(Comment.id.in_(comment_ids)).order_by(Comment.id)
    ):
        if OUTCOMES[decision].get(comment.state) is None:
            skipped.append(comment.id)
            continue
        taken.append(decide(moderator, comment, decision, reason, note))
    return taken, skipped


def notify_author(decision: ModerationDecision) -> None:
    """Queue the e-mail that tells the author the outcome and, if any, the reason."""
    if decision.decision in (
        DecisionKind.approve,
        DecisionKind.reject,
        DecisionKind.request_changes,
        DecisionKind.remove,
    ):
        jobs.enqueue("consult.moderation.notifications.send_outcome", decision_id=decision.id)


# Redaction


def public_text(body: str, redactions: list[Redaction]) -> str:
    """The text with every redacted passage replaced by the mark."""
    pieces, position = [], 0
    for redaction in sorted(redactions, key=lambda r: r.start_offset):
        if redaction.start_offset < position:
            continue
        pieces += [body[position : redaction.start_offset], REDACTION_MARK]
        position = redaction.end_offset
    pieces.append(body[position:])
    return "".join(pieces)


def redact(moderator: Any, comment: Comment, passage: str, reason: Reason) -> int:
    """Hide every occurrence of a passage (a name, a phone number) from the public; the original stays for
    staff. Returns how many places were redacted."""
    passage = passage.strip()
    if not passage:
        raise DomainError(_("Copy the passage to redact from the text."), field="passage")
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(passage), comment.body)]
    if not spans:
        raise DomainError(_("This passage is not in the comment's text."), field="passage")
    existing = list(db.session.scalars(select(Redaction).where(Redaction.comment_id == comment.id)))
    for start, end in spans:
        redaction = Redaction(
            comment_id=comment.id,
            moderator_id=moderator.id,
            start_offset=start,
            end_offset=end,
            original=comment.body[start:end],
            reason=reason,
        )
        db.session.add(redaction)
        existing.append(redaction)
    comment.public_body = public_text(comment.body, existing)
    audit.record(moderator, "comment.redact", comment, after={"places": len(spans), "reason": reason.value})
    return len(spans)


def withhold_attachment(moderator: Any, attachment: Attachment, reason: Reason) -> None:
    """Keep a file from the public; staff still see it."""
    attachment.withheld_at, attachment.withheld_by_id, attachment.withheld_reason = (
        utcnow(),
        moderator.id,
        reason.value,
    )
    audit.record(moderator, "attachment.withhold", attachment, after={"reason": reason.value})


# The queue


def queue(
    round_id: int | None = None,
    state: CommentState | None = CommentState.submitted,
    at_risk: bool | None = None,
    language: str | None = None,
    before: int | None = None,
    limit: int = 50,
    flagged: bool = False,
    target_type: Any = None,
    stakeholder_type: Any = None,
    in_campaign: bool | None = None,
    oldest_first: bool = False,
) -> list[Comment]:
    """Comments to moderate, newest first, 50 at a time (keyset on id); flagged: only those reported."""
    query = (
        select(Comment)
        .where(Comment.state != CommentState.draft)
        .options(
            joinedload(Comment.author), joinedload(Comment.organisation), selectinload(Comment.attachments)
        )
        .order_by(Comment.id if oldest_first else Comment.id.desc())
        .limit(limit)
    )
    if state is not None:
        query = query.where(Comment.state == state)
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    if at_risk is not None:
        query = query.where(Comment.at_risk == at_risk)
    if language:
        query = query.where(Comment.language == language)
    if before:  # the keyset position: past it in the order of the page
        query = query.where(Comment.id > before if oldest_first else Comment.id < before)
    if flagged:
        from consult.moderation.models import Flag

        query = query.where(
            select(Flag.id).where(Flag.comment_id == Comment.id, Flag.resolved_at.is_(None)).exists()
        )
    if target_type is not None:
        query = query.where(Comment.target_type == target_type)
    if stakeholder_type is not None:
        from consult.organisations.models import Organisation

        query = query.where(
            Comment.organisation_id.in_(select(Organisation.id).where(Organisation.type == stakeholder_type))
        )
    if in_campaign is not None:
        query = query.where(
            Comment.campaign_id.is_not(None) if in_campaign else Comment.campaign_id.is_(None)
        )
    return list(db.session.scalars(query))


def history(comment: Comment) -> list[ModerationDecision]:
    """The decisions on a comment, first to last."""
    return list(
        db.session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.comment_id == comment.id)
            .order_by(ModerationDecision.sequence)
        )
    )


# Readers' flags
#
# Reports cannot silence: a report hides a comment only when it comes from an account that counts (staff; a
# confirmed member of a verified organisation; or an address confirmed FLAG_COUNTING_DAYS before the report),
# so that a mob of fresh accounts reaches the moderators without hiding anything. Once a moderator has
# looked at a comment's reports and kept it, reports no longer hide it: several old accounts of one person
# can take a comment down once, until a moderator looks (hidden comments top the queue), never again.


def report_counts(reader: User | None, reported_at: datetime, counting_age: timedelta) -> bool:
    """Whether a report made by reader at reported_at may hide a comment."""
    if reader is None or reader.erased_at is not None or not reader.is_active:
        return False
    if reader.roles:
        return True
    if any(organisation.is_verified for organisation in confirmed_organisations(reader)):
        return True
    verified = reader.email_verified_at
    return verified is not None and verified <= reported_at - counting_age


def report_tally(comment_ids: list[int], counting_age: timedelta) -> dict[int, tuple[int, int]]:
    """For each comment, its open reports and how many of them count: (open, counting), in two queries."""
    tally: dict[int, tuple[int, int]] = {}
    if not comment_ids:
        return tally
    found = db.session.execute(
        select(Flag, User)
        .outerjoin(User, User.id == Flag.user_id)
        .where(Flag.comment_id.in_(comment_ids), Flag.resolved_at.is_(None))
        .options(selectinload(User.memberships).joinedload(Membership.organisation))
    ).all()
    for item, reader in found:
        open_, counting = tally.get(item.comment_id, (0, 0))
        tally[item.comment_id] = (
            open_ + 1,
            counting + report_counts(reader, item.created_at, counting_age),
        )
    return tally


def counting_flag_ids(flags: list, counting_age: timedelta) -> set[int]:
    """Which of a comment's reports count, for the moderator's page (the readers are loaded in one query)."""
    readers = {
        user.id: user
        for user in db.session.scalars(
            select(User)
            .where(User.id.in_({f.user_id for f in flags if f.user_id is not None}))
            .options(selectinload(User.memberships).joinedload(Membership.organisation))
        )
    }
    return {f.id for f in flags if report_counts(readers.get(f.user_id), f.created_at, counting_age)}


def flag(
    reader: Any, comment: Comment, reason: Reason, note: str | None, hide_at: int, counting_age: timedelta
) -> bool:
    """A signed-in reader reports a published comment, once. At `hide_at` open reports from accounts that
    count, the comment is hidden from the public until a moderator looks, unless a moderator already kept
    it after earlier reports. Returns whether this report hid it."""
    from consult.moderation.models import Flag

    if comment.author_id == reader.id:
        raise DomainError(_("You cannot report your own comment."))
    if db.session.scalar(select(Flag).where(Flag.comment_id == comment.id, Flag.user_id == reader.id)):
        raise DomainError(_("You have reported this comment already. Thank you."))
    if not comment.is_public:
        raise DomainError(_("Only published comments can be reported."))
    now = utcnow()
    counts = report_counts(reader, now, counting_age)
    db.session.add(
        Flag(
            comment_id=comment.id,
            user_id=reader.id,
            reason=reason,
            note=(note or "").strip() or None,
            created_at=now,
        )
    )
    audit.record(reader, "comment.flag", comment, after={"reason": reason.value, "counts": counts})
    db.session.flush()
    open_, counting = report_tally([comment.id], counting_age).get(comment.id, (0, 0))
    if counts and counting >= hide_at and comment.hidden_at is None and not _kept_after_reports(comment):
        comment.hidden_at = utcnow()
        audit.record(
            None, "comment.hide_pending_review", comment, after={"flags": open_, "counting": counting}
        )
        return True
    return False


def _kept_after_reports(comment: Comment) -> bool:
    """Whether a moderator already dealt with reports on this comment and left it published."""
    return (
        db.session.scalar(
            select(Flag.id).where(Flag.comment_id == comment.id, Flag.resolved_at.is_not(None)).limit(1)
        )
        is not None
    )


def open_flags(comment: Comment) -> int:
    """How many readers' flags on the comment no moderator has looked at yet."""
    from consult.moderation.models import Flag

    return db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(Flag.comment_id == comment.id, Flag.resolved_at.is_(None))
    )


def hidden_by_reports(round_id: int | None = None, limit: int = 50) -> list[Comment]:
    """Comments that readers' reports hid, longest hidden first: they top the moderators' queue, since
    each hour hidden is an hour a reported voice is silent."""
    query = (
        select(Comment)
        .where(Comment.state == CommentState.published, Comment.hidden_at.is_not(None))
        .options(
            joinedload(Comment.author), joinedload(Comment.organisation), selectinload(Comment.attachments)
        )
        .order_by(Comment.hidden_at, Comment.id)
        .limit(limit)
    )
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    return list(db.session.scalars(query))


def resolve_flags(moderator: Any, comment: Comment) -> None:
    """A decision on a flagged comment answers its flags."""
    from consult.moderation.models import Flag

    for item in db.session.scalars(
        select(Flag).where(Flag.comment_id == comment.id, Flag.resolved_at.is_(None))
    ):
        item.resolved_at, item.resolved_by_id = utcnow(), moderator.id


# Appeals and four eyes


def appeal(author: Any, comment: Comment, statement: str):
    """The author contests a rejection, once."""
    from consult.moderation.models import Appeal

    if comment.author_id != author.id:
        raise DomainError(_("Only the author can contest a decision."))
    if comment.state is not CommentState.rejected:
        raise DomainError(_("Only a rejected comment can be contested."))
    if db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id)) is not None:
        raise DomainError(_("A decision can be contested only once."))
    if not statement.strip():
        raise DomainError(_("Say why the decision should change."), field="statement")
    item = Appeal(comment_id=comment.id, statement=statement.strip())
    db.session.add(item)
    audit.record(author, "comment.appeal", comment)
    return item


def decide_appeal(moderator: Any, item, grant: bool, note: str | None) -> None:
    """A different moderator than the one who rejected decides the appeal: reinstate or uphold."""
    from consult.moderation.models import AppealState

    if item.state is not AppealState.pending:
        raise DomainError(_("This appeal is decided already."))
    rejecting = db.session.scalar(
        select(ModerationDecision)
        .where(
            ModerationDecision.comment_id == item.comment_id,
            ModerationDecision.decision.in_([DecisionKind.reject, DecisionKind.remove]),
        )
        .order_by(ModerationDecision.sequence.desc())
        .limit(1)
    )
    if rejecting is not None and rejecting.moderator_id == moderator.id:
        raise DomainError(_("Another moderator must decide: you took the decision that is contested."))
    comment = db.session.get(Comment, item.comment_id)
    item.state = AppealState.granted if grant else AppealState.upheld
    item.decided_by_id, item.decided_at, item.note = moderator.id, utcnow(), (note or "").strip() or None
    audit.record(moderator, "comment.appeal_decided", comment, after={"granted": grant})
    if grant:
        sequence = (
            db.session.scalar(
                select(func.max(ModerationDecision.sequence)).where(
                    ModerationDecision.comment_id == comment.id
                )
            )
            or 0
        ) + 1
        db.session.add(
            ModerationDecision(
                comment_id=comment.id,
                sequence=sequence,
                moderator_id=moderator.id,
                decision=DecisionKind.reinstate,
                note=item.note,
            )
        )
        COMMENT_LIFECYCLE.apply(comment, CommentState.published, moderator, "comment.moderate.reinstate")
        comment.published_at = utcnow()


def notify_appeal_outcome(item) -> None:
    """Queue the e-mail that tells the author how their appeal was decided, with the moderator's note."""
    jobs.enqueue("consult.moderation.notifications.send_appeal_outcome", appeal_id=item.id)


def pending_appeals() -> list:
    """Appeals waiting for a second moderator, oldest first."""
    from consult.moderation.models import Appeal, AppealState

    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.state == AppealState.pending)
            .options(joinedload(Appeal.comment))  # the queue links to each by its public id
            .order_by(Appeal.created_at)
        )
    )


# Campaigns


def detect_campaigns(actor: Any, round_id: int) -> int:
    """Find the round's campaigns anew and record them; returns how many there are."""
    from sqlalchemy import delete, update

    from consult.comments.models import Campaign, CampaignKind
    from consult.moderation.campaigns import content_hash, find_campaigns

    rows = db.session.execute(
        select(Comment.id, Comment.body).where(
            Comment.round_id == round_id, Comment.state.not_in([CommentState.draft, CommentState.withdrawn])
        )
    ).all()
    groups = find_campaigns(rows)
    db.session.execute(
        update(Comment).where(Comment.round_id == round_id).values(campaign_id=None),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(delete(Campaign).where(Campaign.round_id == round_id))
    bodies = dict(rows)
    for members in groups:
        exact = len({content_hash(bodies[i]) for i in members}) == 1
        campaign = Campaign(
            round_id=round_id,
            kind=CampaignKind.exact if exact else CampaignKind.near,
            representative_id=members[0],
        )
        db.session.add(campaign)
        db.session.flush()
        db.session.execute(
            update(Comment).where(Comment.id.in_(members)).values(campaign_id=campaign.id),
            execution_options={"synchronize_session": False},
        )
    audit.record(actor, "round.detect_campaigns", ("rounds", round_id), after={"campaigns": len(groups)})
    db.session.expire_all()
    return len(groups)


def campaigns_of(round_id: int) -> list[dict]:
    """Each campaign with its members and, for each member, the words it adds to the common letter."""
    from difflib import SequenceMatcher

    from consult.comments.models import Campaign

    campaigns = list(db.session.scalars(select(Campaign).where(Campaign.round_id == round_id)))
    members_of: dict[int, list[Comment]] = {campaign.id: [] for campaign in campaigns}
    for member in db.session.scalars(
        select(Comment).where(Comment.campaign_id.in_(list(members_of))).order_by(Comment.id)
    ):
        members_of[member.campaign_id].append(member)
    found = []
    for campaign in campaigns:
        members = members_of[campaign.id]
        base = next((m for m in members if m.id == campaign.representative_id), members[0]).body.split()
        additions = {}
        for member in members:
            words = member.body.split()
            added = [
                " ".join(words[j1:j2])
                for tag, _i1, _i2, j1, j2 in SequenceMatcher(a=base, b=words, autojunk=False).get_opcodes()
                if tag in ("insert", "replace")
            ]
            additions[member.id] = " … ".join(added)
        found.append({"campaign": campaign, "members": members, "additions": additions})
    return sorted(found, key=lambda item: len(item["members"]), reverse=True)


# Transparency


def figures(round_id: int, exact: bool = False) -> dict[str, Any]:
    """What moderation did in a round, in numbers: no identity, no text. For the public, only input the
    public may know exists: confidential (and so at-risk) input is counted nowhere, not even as "received",
    and small counts are withheld as consult/disclosure.py says. Exact and complete, for a staff screen."""
    from consult.comments.models import Campaign

    # Confidential input is left out of every public count, else a count and the public list would give it.
    scope = [Comment.round_id == round_id, Comment.state != CommentState.draft]
    if not exact:
        scope = _known_input(round_id)

    def count(*conditions) -> int:
        return db.session.scalar(select(func.count()).select_from(Comment).where(*scope, *conditions))

    latest = (
        select(ModerationDecision.comment_id, func.max(ModerationDecision.sequence).label("sequence"))
        .join(Comment, Comment.id == ModerationDecision.comment_id)
        .where(Comment.round_id == round_id)
        .group_by(ModerationDecision.comment_id)
        .subquery()
    )
    reasons = db.session.execute(
        select(ModerationDecision.reason, func.count())
        .join(
            latest,
            (latest.c.comment_id == ModerationDecision.comment_id)
            & (latest.c.sequence == ModerationDecision.sequence),
        )
        .join(Comment, Comment.id == ModerationDecision.comment_id)
        .where(*scope, Comment.state == CommentState.rejected)
        .group_by(ModerationDecision.reason)
    ).all()
    by_reason = sorted(((reason, n) for reason, n in reasons if reason), key=lambda r: -r[1])
    published = Comment.state == CommentState.published
    if exact:
        found = {
            "received": count(),
            "published": count(published),
            "awaiting": count(Comment.state == CommentState.submitted),
            "rejected": count(Comment.state == CommentState.rejected),
            "withdrawn": count(Comment.state == CommentState.withdrawn),
            "confidential": count(Comment.publication == Publication.confidential),
            "redacted": count(Comment.public_body.is_not(None)),
            "hidden": count(Comment.hidden_at.is_not(None)),
            "campaigns": db.session.scalar(
                select(func.count()).select_from(Campaign).where(Campaign.round_id == round_id)
            ),
            "in_campaigns": count(Comment.campaign_id.is_not(None)),
        }
        return {name: disclosure.exact(n) for name, n in found.items()} | {
            "exact": True,
            "rejected_by_reason": [(reason, disclosure.exact(n)) for reason, n in by_reason],
        }
    # A campaign as the public counts it: two letters or more among the input it may know of.
    campaigns = campaign_sizes(round_id, _known_input)
    found = {
        "received": count(),
        # What the public can read: the summaries' count of comments, so both withhold it alike.
        "published": count(*public_conditions()),
        "hidden": count(published, Comment.hidden_at.is_not(None)),
        "awaiting": count(Comment.state == CommentState.submitted),
        "rejected": count(Comment.state == CommentState.rejected),
        "withdrawn": count(Comment.state == CommentState.withdrawn),
        "redacted": count(Comment.public_body.is_not(None)),
        "campaigns": len(campaigns),
        "in_campaigns": sum(n for _campaign, n in campaigns),
    }
    readable = campaign_sizes(round_id, readable_input)
    voices = count(*public_conditions(), first_of_campaign(round_id, readable_input))
    changes = count(Comment.state == CommentState.changes_requested)
    return _published_figures(found, by_reason, voices, [n for _campaign, n in readable], changes)


def _known_input(round_id: int, entity: Any = Comment) -> list[ColumnElement[bool]]:
    """The input the public's moderation figures count: sent at least once, and not confidential."""
    return [
        entity.round_id == round_id,
        entity.state != CommentState.draft,
        entity.publication != Publication.confidential,
    ]


def _published_figures(
    found: dict[str, int], by_reason: list[tuple[Reason, int]], voices: int, sizes: list[int], changes: int
) -> dict[str, Any]:
    """The moderation figures as published. What was received is published, hidden after reports, awaiting,
    not published, withdrawn or sent back for changes: where a small count would come back from that sum,
    the number received is withheld (it is published nowhere else). The number published is the summaries'
    count of comments, and is withheld as they withhold it."""
    k = disclosure.threshold()
    parts = ("published", "hidden", "awaiting", "rejected", "withdrawn")
    # Changes requested are not shown, but are counted as if they were: a reader may know them some day.
    values = [found[name] for name in parts] + [changes]
    headline, supporters = disclosure.headline(found["published"], voices, sizes, k)
    marks, received = disclosure.protect(
        values,
        found["received"],
        k,
        forced=[0] if headline is Mark.hidden else [],
        prefer_total=True,
    )
    shown = {name: disclosure.count(found[name], mark) for name, mark in zip(parts, marks, strict=False)}
    # Rejections with no reason recorded are not listed either; counted, they keep the reasons' sum honest.
    rejected_values = [n for _reason, n in by_reason] + [found["rejected"] - sum(n for _r, n in by_reason)]
    reason_marks, _total = disclosure.protect(rejected_values, found["rejected"], k, total_mark=marks[3])
    reasons = [
        (reason, disclosure.count(n, mark))
        for (reason, n), mark in zip(by_reason, reason_marks, strict=False)
    ]
    reasons.sort(key=lambda item: (not item[1].shown, -(item[1].value or 0), item[0].value))
    letters = disclosure.count(found["in_campaigns"], k=k)
    if letters.shown and supporters is Mark.hidden:
        # Every letter of the campaigns, whatever became of it: all published, it is the supporters' sum.
        letters = disclosure.count(found["in_campaigns"], Mark.hidden)
    return shown | {
        "exact": False,
        "received": disclosure.count(found["received"], received),
        "redacted": disclosure.count(found["redacted"], k=k),
        "in_campaigns": letters,
        # A campaign is a text, not a person: how many there were is no one's secret.
        "campaigns": disclosure.count(found["campaigns"], Mark.shown),
        "rejected_by_reason": reasons,
    }


def decisions_for_review(round_id: int | None = None):
    """Every moderation decision, oldest first, for an independent review (a streamed export)."""
    from consult.moderation.models import ModerationDecision as Decision

    query = (
        select(Decision, Comment.receipt_number, Comment.round_id, User.display_name)
        .join(Comment, Comment.id == Decision.comment_id)
        .outerjoin(User, User.id == Decision.moderator_id)
        .order_by(Decision.id)
    )
    if round_id is not None:
        query = query.where(Comment.round_id == round_id)
    for decision, receipt, round_, moderator in db.session.execute(query.execution_options(yield_per=500)):
        yield {
            "decided_at": decision.decided_at.isoformat(),
            "receipt": receipt,
            "round_id": round_,
            "decision": decision.decision.value,
            "reason": decision.reason.value if decision.reason else "",
            "note": decision.note or "",
            "moderator": moderator or "",
        }
