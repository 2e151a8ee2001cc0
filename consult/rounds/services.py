"""Rounds: their lifecycle, their schedule, and what is open for comment.

Opening and closing follow the clock. What a request may do is decided by `effective_state(round, now)`,
computed from the times, so no submission is accepted a second after the close whatever the scheduler
did; `tick()` (the `flask consult tick` command, and every request at most once a minute) writes the
due transitions, each with its audit event, with a compare-and-set so that two servers never write the
same one twice.
"""

import io
import re
import time as clock
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import docx
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from consult import audit
from consult.accounts.models import User
from consult.accounts.services import find_user_by_email
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.lifecycle import Lifecycle
from consult.plan.browsing import detail_options
from consult.plan.models import Action, Cluster, Recommendation
from consult.rounds.models import (
    ChangedPart,
    ChangeKind,
    DocumentParagraph,
    GuidingQuestion,
    Round,
    RoundChange,
    RoundDocument,
    RoundInvitation,
    RoundState,
    RoundSummariser,
    Stage,
)
from consult.rounds.notifications import announce, ticked
from consult.text import safe_text
from consult.uploads.attachments import unpacks_too_much

ROUND_LIFECYCLE = Lifecycle(
    {
        RoundState.draft: {RoundState.scheduled, RoundState.cancelled},
        RoundState.scheduled: {RoundState.draft, RoundState.open, RoundState.cancelled},
        RoundState.open: {RoundState.closed, RoundState.cancelled},
        RoundState.closed: {RoundState.summarising},
        RoundState.summarising: {RoundState.published},
    }
)

#: States a round is seen in by the public.
PUBLIC_STATES = (
    RoundState.scheduled,
    RoundState.open,
    RoundState.closed,
    RoundState.summarising,
    RoundState.published,
)


def effective_state(round_: Round, now: datetime | None = None) -> RoundState:
    """The state the round is in by the clock: a scheduled round whose time came is open, an open round
    past its deadline is closed, whether or not the scheduler has written it yet."""
    now = now or utcnow()
    if round_.state is RoundState.scheduled and now >= round_.opens_at:
        return RoundState.closed if now >= round_.closes_at else RoundState.open
    if round_.state is RoundState.open and now >= round_.closes_at:
        return RoundState.closed
    return round_.state


#: States in which the public sees a round's participation and moderation figures: once no input can come.
FIGURES_STATES = (RoundState.closed, RoundState.summarising, RoundState.published)


def figures_published(round_: Round, now: datetime | None = None) -> bool:
    """Whether the public may see the round's figures: only once it has closed, so that nobody can compare
    them before and after one comment is published (docs/figures.md). Staff see theirs all along."""
    return effective_state(round_, now) in FIGURES_STATES


def accepts_input(round_: Round, now: datetime | None = None) -> bool:
    """Whether a comment may be submitted now: the round is open by the clock, to the second."""
    return effective_state(round_, now) is RoundState.open


def _compare_and_set(round_id: int, source: RoundState, target: RoundState, actor: Any, action: str) -> bool:
    """Move a round from source to target only if it is still in source; audit the move once. The
    lifecycle's table decides as for every other move; the compare-and-set is what lets several servers
    run the clock, each move written by one of them only."""
    if not ROUND_LIFECYCLE.allows(source, target):
        raise RuntimeError(f"round {round_id}: {source.value} → {target.value} is not in the round lifecycle")
    result = db.session.execute(
        update(Round).where(Round.id == round_id, Round.state == source).values(state=target)
    )
    if result.rowcount != 1:
        return False
    audit.record(
        actor,
        action,
        ("rounds", round_id),
        before={"state": source.value},
        after={"state": target.value, "by": "schedule"},
    )
    return True


def tick(now: datetime | None = None) -> list[tuple[int, RoundState]]:
    """Write the transitions the clock has made due: open scheduled rounds, close open ones."""
    now = now or utcnow()
    moved = []
    due_to_open = select(Round.id).where(Round.state == RoundState.scheduled, Round.opens_at <= now)
    for round_id in db.session.scalars(due_to_open).all():
        if _compare_and_set(round_id, RoundState.scheduled, RoundState.open, None, "round.open"):
            moved.append((round_id, RoundState.open))
    due_to_close = select(Round.id).where(Round.state == RoundState.open, Round.closes_at <= now)
    for round_id in db.session.scalars(due_to_close).all():
        if _compare_and_set(round_id, RoundState.open, RoundState.closed, None, "round.close"):
            moved.append((round_id, RoundState.closed))
    return moved


_last_tick = {"at": 0.0}
TICK_EVERY_SECONDS = 60.0


def tick_if_due() -> None:
    """Run tick() at most once a minute per process, from requests: a deployment without cron still
    moves its rounds (requests never rely on it: they use effective_state)."""
    if clock.monotonic() - _last_tick["at"] < TICK_EVERY_SECONDS:
        return
    _last_tick["at"] = clock.monotonic()

    moved = tick()
    if moved:
        db.session.commit()
    announce(moved)
    ticked.send(None)


# Times as people enter them


def to_utc(local: datetime, zone: str, field: str) -> datetime:
    """A wall-clock time in a time zone as an aware UTC time; a time that the clock change skips is
    refused, and one it repeats is taken the first time it occurs."""
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    try:
        round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(tz)
    except OverflowError:  # the forms keep to years 2000–2100; a caller that did not is answered all the same
        raise DomainError(
            _("This time cannot be converted to UTC. Choose another time."), field=field
        ) from None
    if round_trip.replace(tzinfo=None) != local:
        raise DomainError(
            _("This time does not exist in that time zone: the clocks change then. Choose another time."),
            field=field,
        )
    return aware.astimezone(ZoneInfo("UTC"))


def local_time(moment: datetime, zone: str) -> datetime:
    """An aware time as the wall-clock time of a zone, without its zone (for a form's field)."""
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


# Creating and changing rounds


def _check_times(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise DomainError(_("The round must close after it opens."), field="closes_at")


def save_round(actor: Any, round_: Round | None, scope: dict[str, list[int]], **values: Any) -> Round:
    """Create a round (a draft) or change one that has not opened; scope names clusters, recommendations
    and actions by id."""
    _check_times(values["opens_at"], values["closes_at"])
    clash = db.session.scalar(select(Round).where(Round.slug == values["slug"]))
    if clash is not None and clash is not round_:
        raise DomainError(_("Another round has this address."), field="slug")
    if round_ is not None and round_.state not in (RoundState.draft, RoundState.scheduled):
        raise DomainError(_("A round that has opened can only be extended."))
    objects = {
        "clusters": list(
            db.session.scalars(select(Cluster).where(Cluster.id.in_(scope.get("clusters", []))))
        ),
        "recommendations": list(
            db.session.scalars(
                select(Recommendation).where(Recommendation.id.in_(scope.get("recommendations", [])))
            )
        ),
        "actions": list(db.session.scalars(select(Action).where(Action.id.in_(scope.get("actions", []))))),
    }
    if round_ is None:
        round_ = Round(**values, **objects, created_by_id=getattr(actor, "id", None))
        db.session.add(round_)
        audit.record(actor, "round.create", round_, after={"state": RoundState.draft.value})
        return round_
    before = {"opens_at": round_.opens_at.isoformat(), "closes_at": round_.closes_at.isoformat()}
    for name, value in {**values, **objects}.items():
        setattr(round_, name, value)
    audit.record(
        actor,
        "round.update",
        round_,
        before=before,
        after={"opens_at": round_.opens_at.isoformat(), "closes_at": round_.closes_at.isoformat()},
    )
    return round_


def schedule_round(actor: Any, round_: Round) -> None:
    """Announce a draft: it opens by itself at its time."""
    if round_.closes_at <= utcnow():
        raise DomainError(_("The closing time has passed: change it before scheduling the round."))
    ROUND_LIFECYCLE.apply(round_, RoundState.scheduled, actor, "round.schedule")


def unschedule_round(actor: Any, round_: Round) -> None:
    """Take an announced round back to draft before it opens."""
    if accepts_input(round_):
        raise DomainError(_("The round has opened already."))
    ROUND_LIFECYCLE.apply(round_, RoundState.draft, actor, "round.unschedule")


def cancel_round(actor: Any, round_: Round) -> None:
    """Call a round off; what was submitted stays with the mechanism."""
    ROUND_LIFECYCLE.apply(round_, RoundState.cancelled, actor, "round.cancel")


def start_summarising(actor: Any, round_: Round) -> None:
    """The input is complete: the summarisers start their work."""
    if effective_state(round_) is RoundState.closed and round_.state is RoundState.open:
        tick()
        db.session.refresh(round_)
    ROUND_LIFECYCLE.apply(round_, RoundState.summarising, actor, "round.start_summarising")


def extend_round(actor: Any, round_: Round, closes_at: datetime) -> None:
    """Give an open round more time; everyone is told by the caller."""
    if not accepts_input(round_):
        raise DomainError(_("Only an open round can be extended."))
    if closes_at <= round_.closes_at:
        raise DomainError(_("The new closing time must be later than the current one."), field="closes_at")
    before = round_.closes_at
    round_.closes_at = closes_at
    audit.record(
        actor,
        "round.extend",
        round_,
        before={"closes_at": before.isoformat()},
        after={"closes_at": closes_at.isoformat()},
    )


# The public change log of an opened round


def has_opened(round_: Round, now: datetime | None = None) -> bool:
    """Whether the round has opened (by the clock): from then on, what changes is told in its change log."""
    return effective_state(round_, now) not in (RoundState.draft, RoundState.scheduled, RoundState.cancelled)


def log_change(
    round_: Round,
    part: ChangedPart,
    change: ChangeKind,
    languages: list[str] | None = None,
    number: int | None = None,
    subject: dict[str, str] | None = None,
    **wording: Any,
) -> RoundChange | None:
    """Tell the public what changed in a round that has opened; a change before it opens is not news.
    `wording` keeps a corrected question's `question_id`, `before` and `after`."""
    if not has_opened(round_):
        return None
    entry = RoundChange(
        round_id=round_.id,
        part=part,
        change=change,
        languages=",".join(languages) if languages else None,
        number=number,
        subject=subject,
        **wording,
    )
    db.session.add(entry)
    return entry


def add_question(actor: Any, round_: Round, text: dict[str, str]) -> GuidingQuestion:
    """Ask the participants a guiding question."""
    question = GuidingQuestion(text=text, position=len(round_.questions))
    round_.questions.append(question)
    audit.record(actor, "round.add_question", round_, after={"question": text})
    log_change(round_, ChangedPart.question, ChangeKind.added, number=len(round_.questions))
    return question


#: The longest draft text, pasted (the form's limit) or read from a file.
MAX_DOCUMENT_CHARACTERS = 500_000


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a pasted text: split at blank lines, or at line breaks when there is no blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    parts = [p for p in (" ".join(block.split()) for block in text.split("\n\n")) if p]
    if len(parts) <= 1 and "\n" in text:
        parts = [line.strip() for line in text.split("\n") if line.strip()]
    return parts


def text_paragraphs(data: bytes) -> list[str]:
    """The paragraphs of a plain-text file; a file that is not text in UTF-8 (a program, a picture, another
    encoding) is refused rather than shown as garbled paragraphs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text):  # control characters: not text
        message = _("This file is not plain text in UTF-8. Save it as a .txt file in UTF-8.")
        raise DomainError(message, field="file")
    return split_paragraphs(text)


def docx_paragraphs(data: bytes) -> list[str]:
    """The non-empty paragraphs of a .docx file; a zip bomb is refused before anything is unpacked."""
    if unpacks_too_much(data):
        raise DomainError(_("This file unpacks to too much data to be read safely."), field="file")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a file that is not a document
        raise DomainError(_("This file cannot be read as a Word document (.docx)."), field="file") from error
    return [" ".join(p.text.split()) for p in document.paragraphs if p.text.strip()]


def add_document(
    actor: Any,
    round_: Round,
    title: dict[str, str],
    language: str,
    paragraphs: list[str],
    source_name: str | None = None,
) -> RoundDocument:
    """Put a draft text up for comment, paragraph by paragraph; a file's text may carry controls a form
    would have removed (`safe_text`), and a paragraph of nothing else is dropped."""
    document = read_document(title, language, paragraphs, source_name)
    round_.documents.append(document)
    audit.record(actor, "round.add_document", round_, after={"paragraphs": len(document.paragraphs)})
    log_change(round_, ChangedPart.document, ChangeKind.added, subject=title)
    return document


def read_document(
    title: dict[str, str], language: str, paragraphs: list[str], source_name: str | None = None
) -> RoundDocument:
    """A document made of paragraphs, not yet part of any round; refused when it holds no text or too
    much."""
    paragraphs = [text for paragraph in paragraphs if (text := safe_text(paragraph).strip())]
    if not paragraphs:
        raise DomainError(_("The document has no text."), field="text")
    if sum(map(len, paragraphs)) > MAX_DOCUMENT_CHARACTERS:
        raise DomainError(
            _("A document can be at most %(n)d characters.", n=MAX_DOCUMENT_CHARACTERS),
            field="file" if source_name else "text",
        )
    document = RoundDocument(title=title, language=language, source_name=source_name)
    document.paragraphs = [
        DocumentParagraph(number=n, text=text) for n, text in enumerate(paragraphs, start=1)
    ]
    return document


def set_invitations(actor: Any, round_: Round, organisation_ids: list[int]) -> None:
    """The organisations invited to take part (and to be told when the round opens and before it closes)."""
    current = {
        i.organisation_id
        for i in db.session.scalars(select(RoundInvitation).where(RoundInvitation.round_id == round_.id))
    }
    wanted = set(organisation_ids)
    for organisation_id in wanted - current:
        db.session.add(RoundInvitation(round_id=round_.id, organisation_id=organisation_id))
    for organisation_id in current - wanted:
        db.session.delete(db.session.get(RoundInvitation, (round_.id, organisation_id)))
    if wanted != current:
        audit.record(
            actor,
            "round.set_invitations",
            round_,
            before={"organisations": sorted(current)},
            after={"organisations": sorted(wanted)},
        )


def name_summariser(actor: Any, round_: Round, email: str) -> User:
    """Name a person, by their e-mail address, to summarise the round; from their next sign-in they need a
    second factor, as all staff do."""

    user = find_user_by_email(email)
    if user is None or not user.is_active or user.email_verified_at is None:
        raise DomainError(_("No confirmed account has this e-mail address."), field="email")
    return add_summariser(actor, round_, user)


def add_summariser(actor: Any, round_: Round, user: User) -> User:
    """Count a confirmed person among the round's summarisers (once)."""
    if db.session.get(RoundSummariser, (round_.id, user.id)) is None:
        db.session.add(RoundSummariser(round_id=round_.id, user_id=user.id))
        audit.record(actor, "round.name_summariser", round_, after={"user": user.id})
    return user


def remove_summariser(actor: Any, round_: Round, user_id: int) -> None:
    """No longer count a person among the round's summarisers; one who was not is refused, not "removed"."""
    named = db.session.get(RoundSummariser, (round_.id, user_id))
    if named is None:
        raise DomainError(_("This person was not a summariser of this round."))
    db.session.delete(named)
    audit.record(actor, "round.remove_summariser", round_, before={"user": user_id})


# Reading rounds


def invited_organisation_ids(round_: Round) -> set[int]:
    """The organisations invited to a round."""
    return set(
        db.session.scalars(
            select(RoundInvitation.organisation_id).where(RoundInvitation.round_id == round_.id)
        )
    )


def public_rounds(stage: Stage | None = None, cycle: int | None = None) -> dict[str, list[Round]]:
    """Rounds the public sees, grouped open / upcoming / past by the clock."""
    query = select(Round).where(Round.state.in_(PUBLIC_STATES)).order_by(Round.closes_at.desc())
    if stage is not None:
        query = query.where(Round.stage == stage)
    if cycle is not None:
        query = query.where(Round.cycle == cycle)
    groups: dict[str, list[Round]] = {"open": [], "upcoming": [], "past": []}
    now = utcnow()
    for round_ in db.session.scalars(query):
        state = effective_state(round_, now)
        key = "open" if state is RoundState.open else "upcoming" if state is RoundState.scheduled else "past"
        groups[key].append(round_)
    groups["upcoming"].reverse()
    return groups


def find_round(slug: str) -> Round | None:
    """A round by its address, without its scope (for the comment form and its submissions)."""
    return db.session.scalar(select(Round).where(Round.slug == slug))


def _with_scope() -> tuple:
    """What a round's page shows with it: its scope, questions, documents and plan version."""
    return (
        selectinload(Round.clusters).selectinload(Cluster.recommendations).options(*detail_options()),
        selectinload(Round.clusters).selectinload(Cluster.actions),
        selectinload(Round.recommendations).options(*detail_options()),
        selectinload(Round.actions),
        selectinload(Round.questions),
        selectinload(Round.documents),
        selectinload(Round.plan_version),
    )


def get_round(slug: str) -> Round | None:
    """A round with its scope, questions and documents loaded, for its page."""
    return db.session.scalar(select(Round).where(Round.slug == slug).options(*_with_scope()))


def get_round_by_id(round_id: int) -> Round | None:
    """The same, by the round's id (for the pages of what belongs to a round, such as its summaries)."""
    return db.session.scalar(select(Round).where(Round.id == round_id).options(*_with_scope()))


def scope_of(round_: Round) -> dict[str, Any]:
    """What is open for comment: the clusters with their recommendations and actions, plus those named
    on their own."""
    in_clusters = {r.id for c in round_.clusters for r in c.recommendations}
    actions_in_clusters = {a.id for c in round_.clusters for a in c.actions}
    return {
        "clusters": sorted(round_.clusters, key=lambda c: (c.position, c.code)),
        "recommendations": [r for r in round_.recommendations if r.id not in in_clusters],
        "actions": [a for a in round_.actions if a.id not in actions_in_clusters],
        "recommendation_ids": in_clusters | {r.id for r in round_.recommendations},
        "action_ids": actions_in_clusters | {a.id for a in round_.actions},
    }


def next_clock_change() -> datetime | None:
    """The next moment a round opens or closes by the clock: what `effective_state` shows changes then, so
    the page cache keeps no page past it."""
    now = utcnow()
    moments = db.session.execute(
        select(
            func.min(Round.opens_at).filter(Round.opens_at > now),
            func.min(Round.closes_at).filter(Round.closes_at > now),
        )
    ).one()
    return min((moment for moment in moments if moment is not None), default=None)
