"""Summaries of what was heard, and the mechanism's answers: drafting, citing, publishing, correcting.

A summary is edited as a working copy; publishing freezes it into a numbered version whose content is
already rendered for the public (citations carry only what the comment's publication choice allows). A
correction is another version with a change note; earlier versions stay readable.
"""

from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult import audit
from consult.comments.models import TARGET_COLUMNS, Comment, CommentState, TargetType
from consult.comments.public import public_conditions, public_order, shown_author
from consult.database import as_id, utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import localized
from consult.lifecycle import Lifecycle
from consult.plan.models import Action, Cluster, Recommendation
from consult.rounds.models import DocumentParagraph, GuidingQuestion, Round, RoundState
from consult.rounds.services import ROUND_LIFECYCLE, effective_state, scope_of, tick
from consult.summaries.models import (
    Citation,
    Response,
    ResponseOutcome,
    Summary,
    SummarySection,
    SummaryState,
    SummaryVersion,
)

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


def _ensure_summarising(round_: Round) -> None:
    if effective_state(round_) not in SUMMARISING_STATES:
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


def citable(round_id: int, receipt_or_id: str) -> Comment | None:
    """A comment of the round that a public summary may quote: public, by its number on the round's page."""
    ident = as_id(receipt_or_id.strip().lstrip("#"))
    if ident is None:
        return None
    return db.session.scalar(
        select(Comment).where(Comment.id == ident, Comment.round_id == round_id, *public_conditions())
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
            select(Comment).where(
                Comment.id.in_([c.comment_id for s in summary.sections for c in s.citations])
            )
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
    organisation = summary.organisation_id and db.session.get(_organisation_model(), summary.organisation_id)
    return {
        "title": summary.title,
        "language": summary.language,
        "introduction": summary.introduction or "",
        "organisation": organisation.name if organisation else None,
        "sections": sections,
    }


def _organisation_model():
    from consult.organisations.models import Organisation

    return Organisation


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


# What the public reads


def published_summaries(round_id: int) -> list[Summary]:
    """A round's published summaries, with their versions, oldest first."""
    return list(
        db.session.scalars(
            select(Summary)
            .where(Summary.round_id == round_id, Summary.state == SummaryState.published)
            .options(selectinload(Summary.versions))
            .order_by(Summary.id)
        )
    )


def _still_quotable(quote: str | None, public_text: str) -> str:
    """The quotation if it is still a passage of the comment as published; the whole published text if a
    moderator has since redacted part of what was quoted."""
    return quote if quote and quote in public_text else public_text


def public_content(version: SummaryVersion) -> dict[str, Any]:
    """A version's content as the public may read it today (one query): a quotation whose comment has since
    been hidden or removed by a moderator is left out, and one whose passage was redacted since shows the
    comment as published now. A quotation names its comment by the comment's public id, never its row id
    (which versions keep, for staff)."""
    content = version.content
    cited = {c["comment_id"] for s in content["sections"] for c in s["citations"]}
    if not cited:
        return content
    found = {
        ident: (public_id, public_body if public_body is not None else body)
        for ident, public_id, body, public_body in db.session.execute(
            select(Comment.id, Comment.public_id, Comment.body, Comment.public_body).where(
                Comment.id.in_(cited), *public_conditions()
            )
        )
    }
    sections = [
        {
            **s,
            "citations": [
                {
                    **c,
                    "comment_id": found[c["comment_id"]][0],
                    "quote": _still_quotable(c["quote"], found[c["comment_id"]][1]),
                }
                for c in s["citations"]
                if c["comment_id"] in found
            ],
        }
        for s in content["sections"]
    ]
    return {**content, "sections": sections}


def get_version(summary: Summary, number: int | None = None) -> SummaryVersion | None:
    """A published version by number, or the latest."""
    if not summary.versions:
        return None
    if number is None:
        return summary.versions[-1]
    return next((v for v in summary.versions if v.number == number), None)


# The mechanism's answers


def respond(
    actor: Any,
    round_: Round,
    outcome: ResponseOutcome,
    explanation: str,
    language: str,
    responsible_entity: str | None,
    section: SummarySection | None = None,
    recommendation: Recommendation | None = None,
) -> Response:
    """Record (or change) what the mechanism did with a point it heard, or about a recommendation."""
    if (section is None) == (recommendation is None):
        raise DomainError(_("Answer one summary point or one recommendation."))
    if section is not None:
        if section.summary.round_id != round_.id or section.summary.state is not SummaryState.published:
            raise DomainError(_("Only a point of a published summary of this round can be answered."))
    elif recommendation.id not in scope_of(round_)["recommendation_ids"]:
        raise DomainError(_("This recommendation was not open for comment in this round."))
    if not explanation.strip():
        raise DomainError(_("Explain what the mechanism did."), field="explanation")
    query = select(Response).where(Response.round_id == round_.id)
    if section is not None:
        query = query.where(Response.section_id == section.id)
    else:
        query = query.where(Response.recommendation_id == recommendation.id, Response.section_id.is_(None))
    response = db.session.scalar(query)
    before = None
    if response is None:
        response = Response(
            round_id=round_.id,
            section_id=section.id if section else None,
            recommendation_id=recommendation.id if recommendation else None,
            explanation={},
        )
        db.session.add(response)
    else:
        before = {"outcome": response.outcome.value, "explanation": response.explanation}
    response.outcome = outcome
    response.explanation = {**(response.explanation or {}), language: explanation.strip()}
    response.responsible_entity = (responsible_entity or "").strip() or None
    response.responded_by_id = getattr(actor, "id", None)
    audit.record(
        actor,
        "response.record",
        response,
        before=before,
        after={"outcome": outcome.value, "explanation": response.explanation},
    )
    return response


def responses_of(round_id: int) -> list[Response]:
    """Every answer the mechanism gave in a round."""
    return list(
        db.session.scalars(select(Response).where(Response.round_id == round_id).order_by(Response.id))
    )


def response_row(response: Response, language: str) -> dict[str, Any]:
    """An answer as a flat record, its explanation in the reader's language where it has one."""
    return {
        "id": response.id,
        "round_id": response.round_id,
        "section_id": response.section_id,
        "recommendation_id": response.recommendation_id,
        "outcome": response.outcome.value,
        "outcome_label": str(response.outcome.label),
        "explanation": localized(response.explanation, language),
        "responsible_entity": response.responsible_entity,
        "updated_at": (response.updated_at or response.created_at).isoformat(),
    }


# What the summariser works with


def target_choices(round_: Round, language: str) -> list[tuple[str, str]]:
    """Every part of a round a point may be about, as (type:id, label) pairs for a select."""
    scope = scope_of(round_)
    found = [(f"{TargetType.round.value}:", target_label(TargetType.round, None, language))]
    for cluster in scope["clusters"]:
        found.append((f"cluster:{cluster.id}", target_label(TargetType.cluster, cluster.id, language)))
    recommendations = [r for c in scope["clusters"] for r in c.recommendations] + scope["recommendations"]
    for recommendation in recommendations:
        label = target_label(TargetType.recommendation, recommendation.id, language)
        found.append((f"recommendation:{recommendation.id}", label))
    actions = [a for c in scope["clusters"] for a in c.actions] + scope["actions"]
    for action in actions:
        found.append((f"action:{action.id}", target_label(TargetType.action, action.id, language)))
    for question in round_.questions:
        found.append((f"question:{question.id}", localized(question.text, language)))
    for document in round_.documents:
        for paragraph in document.paragraphs:
            found.append(
                (f"paragraph:{paragraph.id}", target_label(TargetType.paragraph, paragraph.id, language))
            )
    return found


def parse_target(value: str) -> tuple[TargetType, int | None] | None:
    """A select's type:id back into a target, or None if it is not one."""
    kind, _sep, ident = (value or "").partition(":")
    if kind not in TargetType._value2member_map_:
        return None
    if kind == TargetType.round.value:
        return (TargetType.round, None) if not ident else None
    number = as_id(ident)
    return (TargetType(kind), number) if number is not None else None


#: How many comments the editor lists under each point; the round's page has them all.
CITABLE_PER_SECTION = 50


def citable_for(sections: list[SummarySection]) -> dict[int, list[Comment]]:
    """For each point, the public comments about its target that may be quoted, newest first (one query per
    point, bounded)."""
    from sqlalchemy.orm import joinedload

    from consult.comments.public import one_voice

    found = {}
    for section in sections:
        column = TARGET_COLUMNS.get(section.target_type)
        query = (
            select(Comment)
            .where(
                Comment.round_id == section.summary.round_id,
                Comment.target_type == section.target_type,
                *public_conditions(),
                one_voice(),
            )
            .options(joinedload(Comment.author), joinedload(Comment.organisation))
            .order_by(*public_order())
            .limit(CITABLE_PER_SECTION)
        )
        if column:
            query = query.where(getattr(Comment, column) == getattr(section, column))
        found[section.id] = list(db.session.scalars(query))
    return found


def summaries_of(round_id: int) -> list[Summary]:
    """Every summary of a round, drafts included, with its points and quotations (for its summarisers)."""
    return list(
        db.session.scalars(
            select(Summary)
            .where(Summary.round_id == round_id)
            .options(
                selectinload(Summary.versions),
                selectinload(Summary.sections).selectinload(SummarySection.citations),
            )
            .order_by(Summary.id)
        )
    )


# What we heard, what we did


def outcome_of(round_id: int) -> dict[str, Any]:
    """A round's published summaries (latest versions, as the public reads them) and the mechanism's
    answers, by the point or recommendation they answer."""
    summaries = published_summaries(round_id)
    responses = responses_of(round_id)
    return {
        "summaries": [(s, s.versions[-1], public_content(s.versions[-1])) for s in summaries if s.versions],
        "by_section": {r.section_id: r for r in responses if r.section_id},
        "by_recommendation": {r.recommendation_id: r for r in responses if r.section_id is None},
    }


def heard_about(recommendation_id: int, comments_per_round: int = 5) -> list[dict[str, Any]]:
    """Across the cycle, for each public round that heard about a recommendation: how many public comments
    it received, the latest of them, the summaries' points about it and the mechanism's answers."""
    from sqlalchemy.orm import joinedload

    from consult.rounds.services import PUBLIC_STATES

    counts = dict(
        db.session.execute(
            select(Comment.round_id, func.count())
            .where(Comment.recommendation_id == recommendation_id, *public_conditions())
            .group_by(Comment.round_id)
        ).all()
    )
    points = db.session.execute(
        select(SummarySection.id, Summary)
        .join(Summary, Summary.id == SummarySection.summary_id)
        .where(SummarySection.recommendation_id == recommendation_id, Summary.state == SummaryState.published)
        .options(selectinload(Summary.versions))
    ).all()
    responses = list(
        db.session.scalars(
            select(Response).where(
                (Response.recommendation_id == recommendation_id)
                | Response.section_id.in_([section_id for section_id, _summary in points])
            )
        )
    )
    round_ids = set(counts) | {s.round_id for _id, s in points} | {r.round_id for r in responses}
    rounds = list(
        db.session.scalars(
            select(Round)
            .where(Round.id.in_(round_ids), Round.state.in_(PUBLIC_STATES))
            .order_by(Round.opens_at)
        )
    )
    found = []
    for round_ in rounds:
        latest = list(
            db.session.scalars(
                select(Comment)
                .where(
                    Comment.round_id == round_.id,
                    Comment.recommendation_id == recommendation_id,
                    *public_conditions(),
                )
                .options(joinedload(Comment.author), joinedload(Comment.organisation))
                .order_by(*public_order())
                .limit(comments_per_round)
            )
        )
        round_points = []
        for section_id, summary in points:
            if summary.round_id != round_.id or not summary.versions:
                continue
            content = public_content(summary.versions[-1])
            section = next((s for s in content["sections"] if s["id"] == section_id), None)
            if section is not None:
                round_points.append({"summary": summary, "section": section})
        found.append(
            {
                "round": round_,
                "count": counts.get(round_.id, 0),
                "comments": latest,
                "points": round_points,
                "responses": [r for r in responses if r.round_id == round_.id],
            }
        )
    return found


def follow_up(since: datetime, limit: int = 200) -> list[tuple[Recommendation, int, datetime]]:
    """Recommendations with public input published since a moment, most new input first: what the
    coordinator should look at."""
    from consult.plan.browsing import detail_options

    rows = db.session.execute(
        select(Comment.recommendation_id, func.count(), func.max(Comment.published_at))
        .where(
            Comment.recommendation_id.is_not(None),
            Comment.published_at >= since,
            Comment.state == CommentState.published,
            Comment.hidden_at.is_(None),
        )
        .group_by(Comment.recommendation_id)
        .order_by(func.count().desc(), Comment.recommendation_id)
        .limit(limit)
    ).all()
    recommendations = {
        r.id: r
        for r in db.session.scalars(
            select(Recommendation)
            .where(Recommendation.id.in_([row[0] for row in rows]))
            .options(*detail_options())
        )
    }
    return [(recommendations[ident], n, latest) for ident, n, latest in rows if ident in recommendations]
