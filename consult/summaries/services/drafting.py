"""Drafting a summary, citing comments, and publishing it as numbered versions.

A summary is edited as a working copy; publishing freezes it into a numbered version whose content is
already rendered for the public (citations carry only what the comment's publication choice allows). A
correction is another version with a change note; earlier versions stay readable.
"""

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from consult import audit
from consult.comments.models import TARGET_COLUMNS, Comment, TargetType
from consult.comments.public import public_conditions, shown_author
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import localized
from consult.lifecycle import Lifecycle
from consult.organisations.models import Organisation
from consult.plan.models import Action, Cluster, Recommendation
from consult.rounds.models import DocumentParagraph, GuidingQuestion, Round, RoundState
from consult.rounds.services import ROUND_LIFECYCLE, effective_state, scope_of, tick
from consult.summaries.models import (
    Citation,
    Response,
    Summary,
    SummarySection,
    SummaryState,
    SummaryVersion,
)
from consult.summaries.services.public import _still_quotable

SUMMARY_LIFECYCLE = Lifecycle({SummaryState.draft: {SummaryState.published}})

#: Summaries are written once the round has closed: the input is complete.
SUMMARISING_STATES = (RoundState.closed, RoundState.summarising, RoundState.published)

MAX_QUOTE = 1000
MAX_BODY = 20000
MAX_CHANGE_NOTE = 1000

_TARGET_MODELS = {
    TargetType.question: GuidingQuestion,
    TargetType.cluster: Cluster,
    TargetType.recommendation: Recommendation,
    TargetType.action: Action,
    TargetType.paragraph: DocumentParagraph,
}


def may_write(round_: Round) -> bool:
    """Whether a summary of the round can be written now: once it has closed (by the clock, too)."""
    return effective_state(round_) in SUMMARISING_STATES


def _ensure_summarising(round_: Round) -> None:
    if not may_write(round_):
        raise DomainError(_("A summary can be written once the round has closed."))


def create_summary(
    actor: Any, round_: Round, title: str, language: str, organisation_id: int | None
) -> Summary:
    """Start a draft summary of a round's input."""
    _ensure_summarising(round_)
    summary = Summary(
        round_id=round_.id,
        title=title.strip(),
        language=language,
        organisation_id=organisation_id,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(summary)
    audit.record(actor, "summary.create", summary, after={"round": round_.slug, "title": summary.title})
    return summary


def update_summary(actor: Any, summary: Summary, title: str, introduction: str | None) -> None:
    """Change the working copy's title and introduction; the public sees it at the next publication."""
    summary.title = title.strip()
    summary.introduction = (introduction or "").strip() or None
    audit.record(actor, "summary.edit", summary, after={"title": summary.title})


def in_scope(round_: Round, target_type: TargetType, target_id: int | None) -> bool:
    """Whether a section may be about this target: the round as a whole, or a part of the round's scope."""
    if target_type is TargetType.round:
        return target_id is None
    if target_id is None:
        return False
    scope = scope_of(round_)
    if target_type is TargetType.cluster:
        return target_id in {c.id for c in round_.clusters}
    if target_type is TargetType.recommendation:
        return target_id in scope["recommendation_ids"]
    if target_type is TargetType.action:
        return target_id in scope["action_ids"]
    if target_type is TargetType.question:
        return target_id in {q.id for q in round_.questions}
    paragraph = db.session.get(DocumentParagraph, target_id)
    return paragraph is not None and paragraph.document.round_id == round_.id


def target_label(target_type: TargetType, target_id: int | None, language: str) -> str:
    """What a section is about, named in the summary's language."""
    with force_locale(language):
        if target_type is TargetType.round:
            return _("The round as a whole")
        target = db.session.get(_TARGET_MODELS[target_type], target_id)
        if target is None:
            return str(target_type.label)
        if target_type is TargetType.question:
            return localized(target.text, language)
        if target_type is TargetType.paragraph:
            return _(
                "%(document)s, paragraph %(number)d",
                document=localized(target.document.title, language),
                number=target.number,
            )
        if target_type is TargetType.recommendation:
            return " ".join(part for part in (target.symbol, target.paragraph) if part) or f"#{target.id}"
        return f"{target.code} {localized(target.title, language)}"


def add_section(
    actor: Any, summary: Summary, target_type: TargetType, target_id: int | None, heading: str, body: str
) -> SummarySection:
    """Add a point to the summary about one part of the round (or the round as a whole)."""
    round_ = db.session.get(Round, summary.round_id)
    if not in_scope(round_, target_type, target_id):
        raise DomainError(_("Choose a part of this round's scope."), field="target")
    section = SummarySection(
        summary_id=summary.id,
        position=len(summary.sections),
        target_type=target_type,
        heading=heading.strip(),
        body=body.strip(),
    )
    column = TARGET_COLUMNS.get(target_type)
    if column:
        setattr(section, column, target_id)
    summary.sections.append(section)
    audit.record(actor, "summary.add_section", summary, after={"heading": section.heading})
    return section


def update_section(actor: Any, section: SummarySection, heading: str, body: str) -> None:
    """Change a point's heading and text in the working copy."""
    section.heading = heading.strip()
    section.body = body.strip()
    audit.record(actor, "summary.edit_section", section.summary, after={"section": section.id})


def remove_section(actor: Any, section: SummarySection) -> None:
    """Take a point out of the working copy; one the mechanism has answered stays."""
    answered = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.section_id == section.id)
    )
    if answered:
        raise DomainError(_("The mechanism has answered this point: correct it rather than remove it."))
    summary = section.summary
    summary.sections.remove(section)
    for position, remaining in enumerate(summary.sections):
        remaining.position = position
    audit.record(actor, "summary.remove_section", summary, after={"section": section.id})


def move_section(actor: Any, section: SummarySection, offset: int) -> None:
    """Move a point up (offset -1) or down (+1) among the summary's points; at an end it stays."""
    summary = section.summary
    points = list(summary.sections)
    index = points.index(section)
    other = index + offset
    if not 0 <= other < len(points):
        return
    points[index], points[other] = points[other], points[index]
    for position, point in enumerate(points):
        point.position = position
    summary.sections.sort(key=lambda point: point.position)
    audit.record(actor, "summary.move_section", summary, after={"section": section.id, "position": other})


def citable(round_id: int, public_id: str) -> Comment | None:
    """A comment of the round that a public summary may quote: public, by its public id (as the round's
    page names it)."""
    return db.session.scalar(
        select(Comment).where(
            Comment.public_id == public_id, Comment.round_id == round_id, *public_conditions()
        )
    )


def cite(actor: Any, section: SummarySection, comment: Comment | None, quote: str | None) -> Citation:
    """Quote a comment in a section. Only a public comment may be quoted: a confidential one never."""
    if comment is None or comment.round_id != section.summary.round_id or not comment.is_public:
        raise DomainError(
            _("Only a comment published on this round's page can be quoted; confidential input never."),
            field="comment",
        )
    text = (quote or "").strip() or comment.public_text
    if text not in comment.public_text:
        raise DomainError(_("The quotation must be a passage of the comment as published."), field="quote")
    if len(text) > MAX_QUOTE:
        raise DomainError(_("A quotation can be at most %(n)d characters.", n=MAX_QUOTE), field="quote")
    if any(c.comment_id == comment.id for c in section.citations):
        raise DomainError(_("This comment is already quoted in this point."), field="comment")
    citation = Citation(comment_id=comment.id, quote=text)
    section.citations.append(citation)
    audit.record(actor, "summary.cite", section.summary, after={"section": section.id, "comment": comment.id})
    return citation


def uncite(actor: Any, citation: Citation) -> None:
    """Remove a quotation from the working copy."""
    section = citation.section
    section.citations.remove(citation)
    audit.record(actor, "summary.uncite", section.summary, after={"comment": citation.comment_id})


def render(summary: Summary) -> dict[str, Any]:
    """The working copy as the public would see it: each quotation attributed as its comment's publication
    choice allows. This is what a version freezes, and what the preview shows."""
    comments = {
        c.id: c
        for c in db.session.scalars(
            select(Comment)
            .where(Comment.id.in_([c.comment_id for s in summary.sections for c in s.citations]))
            .options(joinedload(Comment.author).lazyload("*"), joinedload(Comment.organisation))
        )
    }
    sections = []
    for section in summary.sections:
        column = TARGET_COLUMNS.get(section.target_type)
        target_id = getattr(section, column) if column else None
        citations = []
        for citation in section.citations:
            comment = comments.get(citation.comment_id)
            if comment is None or not comment.is_public:
                continue  # confidential, hidden or removed since it was quoted: never shown
            shown = shown_author(comment)
            citations.append(
                {
                    "comment_id": comment.id,
                    "quote": _still_quotable(citation.quote, comment.public_text),
                    "language": comment.language,
                    "publication": comment.publication.value,
                    "author": shown["name"],
                    "organisation": shown["organisation"],
                }
            )
        sections.append(
            {
                "id": section.id,
                "target_type": section.target_type.value,
                "target_id": target_id,
                "target_label": target_label(section.target_type, target_id, summary.language),
                "heading": section.heading,
                "body": section.body,
                "citations": citations,
            }
        )
    organisation = summary.organisation_id and db.session.get(Organisation, summary.organisation_id)
    return {
        "title": summary.title,
        "language": summary.language,
        "introduction": summary.introduction or "",
        "organisation": organisation.name if organisation else None,
        "sections": sections,
    }


def publish_summary(actor: Any, summary: Summary, change_note: str | None) -> SummaryVersion:
    """Freeze the working copy as the next version. The first is a publication; each later one is a
    correction and says what changed. Publishing moves a closed round on to published."""
    round_ = db.session.get(Round, summary.round_id)
    _ensure_summarising(round_)
    note = (change_note or "").strip()
    if summary.versions and not note:
        raise DomainError(_("Say what this correction changes: readers see the note."), field="change_note")
    if len(note) > MAX_CHANGE_NOTE:
        raise DomainError(
            _("A change note can be at most %(n)d characters.", n=MAX_CHANGE_NOTE), field="change_note"
        )
    if not summary.sections and not summary.introduction:
        raise DomainError(_("Write at least an introduction or one point before publishing."))
    content = render(summary)
    if summary.versions and summary.versions[-1].content == content:
        raise DomainError(_("Nothing has changed since the last version."))
    version = SummaryVersion(
        number=len(summary.versions) + 1,
        content=content,
        change_note=note or None,
        published_at=utcnow(),
        published_by_id=getattr(actor, "id", None),
    )
    summary.versions.append(version)
    if summary.state is SummaryState.draft:
        SUMMARY_LIFECYCLE.apply(summary, SummaryState.published, actor, "summary.publish", version=1)
    else:
        audit.record(actor, "summary.correct", summary, after={"version": version.number, "note": note})
    _advance_round(actor, round_)
    return version


def _advance_round(actor: Any, round_: Round) -> None:
    """A round whose first summary is out is published; the clock's closing is written first if due."""
    if round_.state is RoundState.open:
        tick()
        db.session.refresh(round_)
    if round_.state is RoundState.closed:
        ROUND_LIFECYCLE.apply(round_, RoundState.summarising, actor, "round.start_summarising")
    if round_.state is RoundState.summarising:
        ROUND_LIFECYCLE.apply(round_, RoundState.published, actor, "round.publish")


def has_unpublished_changes(summary: Summary) -> bool:
    """Whether the working copy differs from what the public reads."""
    return not summary.versions or summary.versions[-1].content != render(summary)
