"""What stays editable once a round has opened: its titles and introductions in each language, its guiding
questions (corrected, reordered) and its documents (replaced). Each change after opening goes into the
round's public change log (`services.log_change`) beside its audit event.

A replaced document is never deleted once the round has opened: comments point to its paragraphs, so it
stays, marked as replaced, readable at its address with the comments on it, and the new text takes its
place in the round. Before the round opens nobody can have commented, and the old text simply goes.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult import audit
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import listed
from consult.plan.forms import LANGUAGE_LABELS
from consult.rounds import services
from consult.rounds.models import (
    ChangedPart,
    ChangeKind,
    GuidingQuestion,
    Round,
    RoundChange,
    RoundDocument,
    RoundState,
)


def _compare(before: dict[str, str] | None, after: dict[str, str] | None) -> dict[ChangeKind, list[str]]:
    """The languages added, corrected and removed between two translated texts."""
    before, after = before or {}, after or {}
    kinds: dict[ChangeKind, list[str]] = {
        ChangeKind.added: [],
        ChangeKind.corrected: [],
        ChangeKind.removed: [],
    }
    for language in LANGUAGE_LABELS:
        old, new = before.get(language), after.get(language)
        if old == new:
            continue
        kind = ChangeKind.added if not old else ChangeKind.removed if not new else ChangeKind.corrected
        kinds[kind].append(language)
    return {kind: languages for kind, languages in kinds.items() if languages}


def _editable(round_: Round) -> None:
    if round_.state is RoundState.cancelled:
        raise DomainError(_("A cancelled round cannot be changed."))


def correct_texts(
    actor: Any, round_: Round, title: dict[str, str], description: dict[str, str] | None
) -> list[RoundChange]:
    """Correct or translate the round's title and introduction, at any time; after opening, each language
    added, corrected or removed is told in the change log."""
    _editable(round_)
    if not title:
        raise DomainError(_("Give it in at least one language."), field="title_en")
    logged = []
    for part, before, after in (
        (ChangedPart.title, round_.title, title),
        (ChangedPart.introduction, round_.description, description),
    ):
        for kind, languages in _compare(before, after).items():
            logged.append(services.log_change(round_, part, kind, languages=languages))
    if title != round_.title or (description or None) != (round_.description or None):
        audit.record(
            actor,
            "round.correct_texts",
            round_,
            before={"title": round_.title, "description": round_.description},
            after={"title": title, "description": description or None},
        )
        round_.title, round_.description = title, description or None
    return [entry for entry in logged if entry is not None]


def _question_of(round_: Round, question_id: int | None) -> GuidingQuestion:
    question = next((q for q in round_.questions if q.id == question_id), None)
    if question is None:
        raise DomainError(_("This question is not one of the round's."))
    return question


def correct_question(actor: Any, round_: Round, question_id: int, text: dict[str, str]) -> GuidingQuestion:
    """Correct or translate a guiding question; after opening, the change log keeps its wording before and
    after, so that the comments written before still show what they answered (`corrected_since`)."""
    _editable(round_)
    question = _question_of(round_, question_id)
    changed = _compare(question.text, text)
    if not changed:
        return question
    number = round_.questions.index(question) + 1
    languages = sorted(
        {code for codes in changed.values() for code in codes}, key=list(LANGUAGE_LABELS).index
    )
    services.log_change(
        round_,
        ChangedPart.question,
        ChangeKind.corrected,
        languages=languages,
        number=number,
        question_id=question.id,
        before=dict(question.text),
        after=dict(text),
    )
    audit.record(
        actor, "round.correct_question", round_, before={"question": question.text}, after={"question": text}
    )
    question.text = text
    return question


def corrected_since(asked: Iterable[tuple[int, date]]) -> dict[tuple[int, date], RoundChange]:
    """For each (question id, day a comment on it was written): the first correction of the question made
    that day or later, whose `before` is the wording the comment may have answered (a correction made the
    same day may have come before or after the comment: the public knows days, never times, so both are said).
    One query however many; a question not corrected since is not in the result."""
    asked = {(question_id, day) for question_id, day in asked if question_id and day}
    if not asked:
        return {}
    corrections: dict[int, list[RoundChange]] = defaultdict(list)
    query = (
        select(RoundChange)
        .where(RoundChange.question_id.in_({pair[0] for pair in asked}))
        .where(RoundChange.before.is_not(None))
        .order_by(RoundChange.changed_at, RoundChange.id)
    )
    for change in db.session.scalars(query):
        corrections[change.question_id].append(change)
    found = {}
    for question_id, day in asked:
        since = next((c for c in corrections[question_id] if c.changed_at.date() >= day), None)
        if since is not None:
            found[(question_id, day)] = since
    return found


def move_question(actor: Any, round_: Round, question_id: int, step: int) -> None:
    """Move a guiding question one place up (-1) or down (+1); the first cannot go up, nor the last down."""
    _editable(round_)
    question = _question_of(round_, question_id)
    order = list(round_.questions)
    here = order.index(question)
    there = here + step
    if step not in (-1, 1) or not 0 <= there < len(order):
        return
    order[here], order[there] = order[there], order[here]
    for position, each in enumerate(order):
        each.position = position
    round_.questions.sort(key=lambda q: q.position)
    audit.record(actor, "round.move_question", round_, after={"question": question.id, "position": there})
    latest = round_.changes[0] if round_.changes else None
    same_day = (
        latest is not None
        and latest.part is ChangedPart.questions
        and latest.changed_at.date() == utcnow().date()
    )
    if not same_day:  # several moves in a day are one reordering for the public
        services.log_change(round_, ChangedPart.questions, ChangeKind.reordered)


def replace_document(
    actor: Any,
    round_: Round,
    document: RoundDocument,
    title: dict[str, str],
    language: str,
    paragraphs: list[str],
    source_name: str | None = None,
) -> RoundDocument:
    """Put a new text in a document's place. After opening, the old one stays with its paragraphs and the
    comments on them, marked as replaced; before, it is deleted."""
    _editable(round_)
    if document not in round_.documents:
        raise DomainError(_("Only a document now open for comment can be replaced."))
    new = services.read_document(title, language, paragraphs, source_name)
    new.round_id = round_.id
    db.session.add(new)
    db.session.flush()
    if services.has_opened(round_):
        document.replaced_by_id, document.replaced_at = new.id, utcnow()
        services.log_change(round_, ChangedPart.document, ChangeKind.replaced, subject=document.title)
    else:
        db.session.delete(document)
    audit.record(
        actor, "round.replace_document", round_, before={"document": document.id}, after={"document": new.id}
    )
    db.session.flush()
    db.session.expire(round_, ["documents", "earlier_documents"])
    return new


#: Each kind of change, told in words.
_SENTENCES: dict[tuple[ChangedPart, ChangeKind], Any] = {
    (ChangedPart.title, ChangeKind.added): _l("Title added: %(languages)s"),
    (ChangedPart.title, ChangeKind.corrected): _l("Title corrected: %(languages)s"),
    (ChangedPart.title, ChangeKind.removed): _l("Title removed: %(languages)s"),
    (ChangedPart.introduction, ChangeKind.added): _l("Introduction added: %(languages)s"),
    (ChangedPart.introduction, ChangeKind.corrected): _l("Introduction corrected: %(languages)s"),
    (ChangedPart.introduction, ChangeKind.removed): _l("Introduction removed: %(languages)s"),
    (ChangedPart.question, ChangeKind.added): _l("Guiding question %(number)d added"),
    (ChangedPart.question, ChangeKind.corrected): _l("Guiding question %(number)d corrected: %(languages)s"),
    (ChangedPart.questions, ChangeKind.reordered): _l("Guiding questions put in a new order"),
    (ChangedPart.document, ChangeKind.added): _l("Document added: %(title)s"),
    (ChangedPart.document, ChangeKind.replaced): _l("Document replaced with a new text: %(title)s"),
}


def rewording(change: RoundChange) -> list[tuple[str, str, str, str]]:
    """A corrected question's wording before and after, for each language corrected, added or removed:
    (language code, language name, before, after), what the public change log shows under its sentence."""
    if change.before is None and change.after is None:
        return []
    before, after = change.before or {}, change.after or {}
    codes = change.languages.split(",") if change.languages else []
    return [
        (code, str(LANGUAGE_LABELS.get(code, code)), before.get(code, ""), after.get(code, ""))
        for code in codes
    ]


def describe(change: RoundChange, localized: Callable[[dict[str, str] | None], str]) -> str:
    """What changed, in a sentence in the reader's language ("Title corrected: French")."""
    codes = change.languages.split(",") if change.languages else []
    sentence = _SENTENCES.get((change.part, change.change))
    if sentence is None:
        return f"{change.part.label}: {change.change.label}"
    return str(sentence) % {
        "languages": listed([str(LANGUAGE_LABELS.get(code, code)) for code in codes]),
        "number": change.number or 0,
        "title": localized(change.subject),
    }
