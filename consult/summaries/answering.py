"""The coordinator's answers page, one form: every point of the published summaries and every recommendation
of the round, each with its answer's fields. "Save the answers" records every answer filled in (and
changed); one half filled in is kept as typed and shown with what it lacks; one left empty is skipped."""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from consult.comments.models import TargetType
from consult.comments.targets import key_of, targets_of
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import current_language
from consult.plan.models import Recommendation
from consult.rounds.models import Round
from consult.rounds.services import scope_of
from consult.summaries import services
from consult.summaries.forms import AnswersForm, ResponseForm
from consult.summaries.models import Response, ResponseOutcome, SummarySection


@dataclass
class Item:
    """One thing the mechanism answers: a published point (its content as the public reads it) or a
    recommendation of the round, with its answer so far and the fields of the answer."""

    key: str
    kind: str
    ident: int
    form: ResponseForm
    answered: Response | None = None
    #: For a point: its summary's content (as published) and the point's.
    content: dict[str, Any] | None = None
    section: dict[str, Any] | None = None
    recommendation: Recommendation | None = None


@dataclass
class AnswersPage:
    """The answers page: its token, its items (all, or the unanswered ones only) and the counts."""

    token: AnswersForm
    items: list[Item]
    outcome: dict[str, Any]
    answered: int = 0
    total: int = 0
    unanswered_only: bool = False
    saved: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        """400 for a stale token, 422 when an answer is incomplete, else 200."""
        if self.token.is_submitted() and self.token.errors:
            return 400 if self.token.token_expired else 422
        return 422 if any(item.form.errors for item in self.items) else 200


def _form(key: str, answered: Response | None, sent: MultiDict | None) -> ResponseForm:
    """An answer's fields: what was sent, else the answer given so far (in the reader's language)."""
    if answered is None:
        return ResponseForm(formdata=sent, prefix=key)
    return ResponseForm(
        formdata=sent,
        prefix=key,
        outcome=answered.outcome.value,
        explanation=_shown_explanation(answered),
        responsible_entity=answered.responsible_entity,
    )


def answers_page(round_: Round, sent: MultiDict | None = None, unanswered_only: bool = False) -> AnswersPage:
    """The page's items with their forms, and how many of them are answered."""
    outcome = services.outcome_of(round_.id)
    items = []
    for _summary, _version, content in outcome["summaries"]:
        for section in content["sections"]:
            key, answered = f"section-{section['id']}", outcome["by_section"].get(section["id"])
            items.append(
                Item(key, "section", section["id"], _form(key, answered, sent), answered, content, section)
            )
    scope = scope_of(round_)
    for recommendation in [r for c in scope["clusters"] for r in c.recommendations] + scope[
        "recommendations"
    ]:
        key, answered = (
            f"recommendation-{recommendation.id}",
            outcome["by_recommendation"].get(recommendation.id),
        )
        items.append(
            Item(
                key,
                "recommendation",
                recommendation.id,
                _form(key, answered, sent),
                answered,
                recommendation=recommendation,
            )
        )
    answered = sum(item.answered is not None for item in items)
    shown = [item for item in items if item.answered is None] if unanswered_only else items
    return AnswersPage(AnswersForm(formdata=sent), shown, outcome, answered, len(items), unanswered_only)


def _typed(form: ResponseForm) -> tuple[str, str, str]:
    """What the fields hold: the outcome, the explanation and the entity, trimmed."""
    return (
        form.outcome.data or "",
        (form.explanation.data or "").strip(),
        (form.responsible_entity.data or "").strip(),
    )


def _unchanged(item: Item, typed: tuple[str, str, str]) -> bool:
    """Whether the fields hold the answer already given."""
    answered = item.answered
    if answered is None:
        return False
    return typed == (answered.outcome.value, _shown_explanation(answered), answered.responsible_entity or "")


def _shown_explanation(answered: Response) -> str:
    """The explanation the form shows: in the reader's language, else the first one given."""
    return answered.explanation.get(current_language()) or next(iter(answered.explanation.values()), "")


def save(actor: Any, round_: Round, page: AnswersPage) -> None:
    """Record every answer filled in and changed; show what each half-filled one lacks. Each answer is
    recorded on its own: one refused leaves the others recorded."""
    sections = _sections([item.ident for item in page.items if item.kind == "section"])
    for item in page.items:
        form = item.form
        typed = _typed(form)
        if not any(typed) or _unchanged(item, typed) or not form.validate():
            continue
        if not typed[0]:
            form.outcome.errors.append(_("Choose what the mechanism did."))
        if not typed[1]:
            form.explanation.errors.append(_("Explain what the mechanism did."))
        if form.errors:
            continue
        about = (
            {"section": sections.get(item.ident)}
            if item.kind == "section"
            else {"recommendation": item.recommendation}
        )
        try:  # the service refuses before it changes anything
            services.respond(
                actor, round_, ResponseOutcome(typed[0]), typed[1], current_language(), typed[2], **about
            )
        except DomainError as error:
            form.show(error, near="explanation")
        else:
            page.saved += 1


def _sections(ids: list[int]) -> dict[int, SummarySection]:
    """The points answered, with their summaries, in one query."""
    if not ids:
        return {}
    return {s.id: s for s in db.session.scalars(select(SummarySection).where(SummarySection.id.in_(ids)))}


def targets(page: AnswersPage) -> dict[str, Any]:
    """What each item is about, named by consult.comments.targets: a point's target, a recommendation."""
    things = {}
    for item in page.items:
        if item.kind == "section":
            kind = TargetType(item.section["target_type"])
            things[item.key] = services.pointer(kind, item.section["target_id"])
        else:
            things[item.key] = services.pointer(TargetType.recommendation, item.ident)
    named = targets_of(things.values())
    return {key: named[key_of(thing)] for key, thing in things.items()}


def carried(round_: Round, sent: MultiDict, unanswered_only: bool, before: AnswersPage) -> AnswersPage:
    """The page again once the complete answers are recorded: counted anew, with what was typed, and with
    the errors of those that were not; with "unanswered only", the items still shown are those unanswered
    before (an answer just recorded stays on the page it was typed on)."""
    page = answers_page(round_, sent)
    shown = {item.key for item in before.items}
    errors = {item.key: item.form for item in before.items if item.form.errors}
    page.items = [item for item in page.items if item.key in shown]
    for item in page.items:
        if item.key in errors:
            item.form = errors[item.key]
    page.unanswered_only, page.saved = unanswered_only, before.saved
    return page
