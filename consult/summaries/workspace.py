"""The reading list's filters: the form in the address, its choices from the summary's round, and the
filters it names (consult.summaries.services.reading). A value that is not one of the choices is no filter."""

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from consult.comments.models import Comment
from consult.comments.public import public_conditions
from consult.comments.targets import key_of, targets_of
from consult.extensions import db
from consult.forms import as_typed, choices
from consult.i18n import current_language, language_name
from consult.organisations.models import OrganisationType
from consult.summaries import services
from consult.summaries.editing import as_public_id
from consult.summaries.figures import ANONYMOUS, ANONYMOUS_LABEL, INDIVIDUALS, INDIVIDUALS_LABEL
from consult.summaries.forms import ReadingForm
from consult.summaries.models import Summary

#: The filters the reading list's address may carry, in the order they are written back.
FILTERS = ("section", "target", "language", "stakeholder", "campaign", "tag", "uncited", "q")


def reading_form(summary: Summary, round_: Any, args: MultiDict) -> ReadingForm:
    """The filters as sent in the address, with their choices; each unknown value is dropped."""
    form = ReadingForm(formdata=args)
    everything = ("", pgettext("filter", "All"))
    points = targets_of(summary.sections, current_language())
    form.section.choices = choices(
        [
            everything,
            *((str(s.id), _point_label(n, points[key_of(s)])) for n, s in enumerate(summary.sections, 1)),
        ]
    )
    form.target.choices = choices([everything, *services.target_choices(round_, current_language())])
    form.language.choices = choices(
        [everything, *((code, language_name(code)) for code in _languages(round_.id))]
    )
    form.stakeholder.choices = choices([everything, *stakeholder_labels().items()])
    form.campaign.choices = choices([everything, ("only", _("Campaigns only")), ("none", _("No campaigns"))])
    form.tag.choices = choices([everything, *((name, name) for name in services.tag_names(summary.id))])
    for name in ("section", "target", "language", "stakeholder", "campaign", "tag"):
        select_ = form[name]
        if select_.data not in {choice.value for choice in select_.choices}:
            select_.data = ""
    return form


def stakeholder_labels() -> dict[str, str]:
    """The stakeholder types as the public is told them, labelled."""
    found = {kind.value: str(kind.label) for kind in OrganisationType}
    return found | {INDIVIDUALS: str(INDIVIDUALS_LABEL), ANONYMOUS: str(ANONYMOUS_LABEL)}


def _point_label(number: int, target) -> str:
    """A point in the point filter: its number and what it is about."""
    return _("Point %(number)d: %(target)s", number=number, target=target.label[:120])


def _languages(round_id: int) -> list[str]:
    """The languages the round's published input is written in."""
    return list(
        db.session.scalars(
            select(Comment.language).where(Comment.round_id == round_id, *public_conditions()).distinct()
        )
    )


def filters(form: ReadingForm, summary: Summary) -> services.Filters:
    """The filters the form names: a point's filter reads what the point is about."""
    target = services.parse_target(form.target.data) if form.target.data else None
    section = next((s for s in summary.sections if str(s.id) == form.section.data), None)
    if section is not None:
        target = key_of(section)
    return services.Filters(
        target=target,
        language=form.language.data or None,
        stakeholder=form.stakeholder.data or None,
        campaign=form.campaign.data or None,
        tag=form.tag.data or None,
        uncited=bool(form.uncited.data),
        search=(form.q.data or "").strip()[:200] or None,
    )


def query(form: ReadingForm) -> str:
    """The filters as the address writes them, to come back to the same list after tagging."""
    pairs = [(name, form[name].data) for name in FILTERS if form[name].data]
    return urlencode([(name, "1" if value is True else value) for name, value in pairs])


def back_to(summary: Summary, round_: Any, sent: str | None) -> str:
    """The reading list's filters sent back with a form (as its address wrote them), written anew from the
    known filters only."""
    return query(reading_form(summary, round_, MultiDict(parse_qsl(sent or ""))))


def sent_tags(sent: MultiDict) -> dict[str, list[str]]:
    """The tags typed for each comment of the reading list, by the comment's public id (fields
    `tags-<public id>`)."""
    found = {}
    for name, value in sent.items():
        kind, _sep, ident = name.partition("-")  # a public id may hold "-" itself: the rest is all of it
        if kind == "tags" and as_public_id(ident) is not None:
            found[ident] = services.parse_tags(as_typed(value))
    return found


def typed_tags(sent: MultiDict) -> dict[str, str]:
    """The tags as typed for each comment (by its public id), to show again when they could not be saved."""
    return {
        name.partition("-")[2]: as_typed(value)
        for name, value in sent.items()
        if name.startswith("tags-") and as_public_id(name.partition("-")[2]) is not None
    }
