"""The summary editor's one form. Every button of the page sends everything typed on it (the title and
introduction, every point, the point being added, each passage typed to quote, the change note) and says
what to do with `action`: every button saves the working copy, then does its own work. A page sent back
with an error, or with a stale token, shows everything as it was typed; nothing is saved then."""

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from consult.database import as_id
from consult.errors import DomainError
from consult.forms import as_typed, choices
from consult.summaries import services
from consult.summaries.forms import EditorForm, NewPointForm, PointForm
from consult.summaries.models import Summary, SummarySection
from consult.web import PublicIdConverter

#: What names a comment on the editor's page: its public id, never its row id, which would tell a
#: summariser in what order the input was sent (an anonymous comment between two named ones).
PUBLIC_ID = re.compile(PublicIdConverter.regex)

#: The editor's buttons: the word before the first colon, and what follows it ("id": a row id of the
#: summary's own points and quotations; "public": a comment's public id).
ACTIONS: dict[str, tuple[str, ...]] = {
    "save": (),
    "add": (),
    "publish": (),
    "cite": ("id", "public"),  # cite:<point>:<comment's public id>
    "uncite": ("id",),  # uncite:<quotation>
    "up": ("id",),
    "down": ("id",),
    "remove": ("id",),  # asks first
    "drop": ("id",),  # removes, once asked
}


def as_public_id(text: str | None) -> str | None:
    """A comment's public id from text a form sent, or None."""
    return text if text and PUBLIC_ID.fullmatch(text) else None


@dataclass(frozen=True)
class Action:
    """A button of the editor: its verb and what it names (ids of points and quotations, public ids of
    comments)."""

    verb: str
    ids: tuple[Any, ...] = ()


def parse_action(value: str | None) -> Action | None:
    """The button pressed, or None for anything that is not one of the editor's."""
    verb, *parts = (value or "save").split(":")
    kinds = ACTIONS.get(verb)
    if kinds is None or len(parts) != len(kinds):
        return None
    read = {"id": as_id, "public": as_public_id}
    ids = tuple(read[kind](part) for kind, part in zip(kinds, parts, strict=True))
    if None in ids:
        return None
    return Action(verb, ids)


@dataclass
class EditorPage:
    """The editor's forms, filled from what was sent (or from the working copy), and their errors."""

    summary: Summary
    main: EditorForm
    points: dict[int, PointForm]
    new_point: NewPointForm
    #: The passages typed to quote, by (point, comment's public id).
    quotes: dict[tuple[int, str], str] = field(default_factory=dict)
    quote_errors: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    #: The point whose removal the page asks to confirm.
    removing: int | None = None
    sent: bool = False

    @property
    def open_points(self) -> set[int]:
        """The points whose list of comments to quote is shown open: where a passage is typed or refused."""
        return {section_id for section_id, _comment in (*self.quotes, *self.quote_errors)}

    @property
    def errors(self) -> bool:
        """Whether anything on the page has an error to show."""
        forms = (self.main, self.new_point, *self.points.values())
        return any(form.errors for form in forms) or any(self.quote_errors.values())

    @property
    def status(self) -> int:
        """The page's status: 400 for a stale token, 422 for other errors, else 200."""
        if not self.errors:
            return 200
        return 400 if self.main.token_expired else 422


def editor_page(summary: Summary, target_choices: list, sent: MultiDict | None = None) -> EditorPage:
    """The editor's forms: from what was sent, else from the working copy. A field missing from what was
    sent keeps the working copy's value."""
    main = EditorForm(formdata=sent, title=summary.title, introduction=summary.introduction)
    points = {
        s.id: PointForm(formdata=sent, prefix=f"section-{s.id}", heading=s.heading, body=s.body)
        for s in summary.sections
    }
    new_point = NewPointForm(formdata=sent, prefix="new")
    new_point.target.choices = choices([("", _("Choose what the point is about")), *target_choices])
    quotes = {}
    for name, value in (sent or MultiDict()).items():
        section_id, comment_id = _quote_key(name)
        if section_id is not None and value.strip():
            quotes[(section_id, comment_id)] = as_typed(value)
    return EditorPage(summary, main, points, new_point, quotes, sent=sent is not None)


def _quote_key(name: str) -> tuple[int | None, str | None]:
    """(point, comment's public id) of the text area `quote-<point>-<public id>` in which a passage is
    typed to quote; (None, None) for any other field."""
    kind, _sep, rest = name.partition("-")
    section, _sep, comment = rest.partition("-")  # a public id may hold "-" itself: the rest is all of it
    if kind != "quote" or as_id(section) is None or as_public_id(comment) is None:
        return None, None
    return as_id(section), comment


def validate(page: EditorPage, action: Action | None) -> bool:
    """Check everything the button needs: the token, the title, every point, and the new point for "Add",
    the confirmation for "Publish". Each form checks all its fields, so that every error shows at once."""
    valid = page.main.validate()
    valid = all([form.validate() for form in page.points.values()]) and valid
    if action is None:
        page.main.form_errors.append(_("This button is not one of the editor's. Nothing was changed."))
        return False
    if action.verb == "add":
        valid = page.new_point.validate() and valid
    if action.verb == "publish" and not page.main.confirm.data:
        page.main.confirm.errors.append(_("Tick the box to confirm that this version is to be published."))
        valid = False
    return valid


def apply(actor: Any, round_: Any, page: EditorPage, action: Action) -> tuple[str, SummarySection | None]:
    """Save the working copy as typed, then do what the button says: the message to show, and the point
    to show it at. Raises DomainError (the caller rolls back and shows the page as typed)."""
    summary = page.summary
    title, introduction = page.main.title.data, page.main.introduction.data
    if (title.strip(), (introduction or "").strip() or None) != (summary.title, summary.introduction):
        services.update_summary(actor, summary, title, introduction)
    for section in summary.sections:
        form = page.points[section.id]
        if (form.heading.data, form.body.data or "") != (section.heading, section.body):
            services.update_section(actor, section, form.heading.data, form.body.data or "")
    return DO[action.verb](actor, round_, page, action)


def _section(page: EditorPage, section_id: int) -> SummarySection:
    """A point of the summary being edited, by its id."""
    found = next((s for s in page.summary.sections if s.id == section_id), None)
    if found is None:
        raise DomainError(_("This point is no longer in the summary."))
    return found


def _save(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    return _("The summary is saved."), None


def _add(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    form = page.new_point
    target = services.parse_target(form.target.data)
    if target is None:
        raise DomainError(_("Choose a part of this round's scope."), field="target")
    section = services.add_section(actor, page.summary, *target, form.heading.data, form.body.data or "")
    return _("The point is added."), section


def _cite(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    section_id, public_id = action.ids
    section = _section(page, section_id)
    comment = services.citable(round_.id, public_id)
    services.cite(actor, section, comment, page.quotes.get((section_id, public_id)))
    return _("The quotation is added."), section


def _uncite(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    for section in page.summary.sections:
        for citation in section.citations:
            if citation.id == action.ids[0]:
                services.uncite(actor, citation)
                return _("The quotation is removed."), section
    raise DomainError(_("This quotation is no longer in the summary."))


def _move(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    section = _section(page, action.ids[0])
    services.move_section(actor, section, -1 if action.verb == "up" else 1)
    return _("The point is moved."), section


def _remove(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    page.removing = _section(page, action.ids[0]).id
    return _("The summary is saved. Confirm below that the point is to be removed."), None


def _drop(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    services.remove_section(actor, _section(page, action.ids[0]))
    return _("The point is removed."), None


def _publish(actor, round_, page, action) -> tuple[str, SummarySection | None]:
    version = services.publish_summary(actor, page.summary, page.main.change_note.data)
    return _("Version %(number)d is published.", number=version.number), None


DO = {
    "save": _save,
    "add": _add,
    "publish": _publish,
    "cite": _cite,
    "uncite": _uncite,
    "up": _move,
    "down": _move,
    "remove": _remove,
    "drop": _drop,
}


def show(page: EditorPage, action: Action | None, error: DomainError) -> None:
    """Put a refusal of the services next to what the button was about."""
    if action is not None and action.verb == "cite":
        page.quote_errors.setdefault(action.ids, []).append(error.message)
    elif action is not None and action.verb == "add":
        page.new_point.show(error, near="heading")
    elif action is not None and action.verb in ("drop", "up", "down") and action.ids[0] in page.points:
        page.points[action.ids[0]].form_errors.append(error.message)
    else:
        page.main.show(error, near="change_note" if action is not None and action.verb == "publish" else None)


def kept(page: EditorPage, action: Action) -> dict[str, Any]:
    """What was typed but not saved by the button (the point being added, passages typed to quote, the
    change note), to show again on the page that follows: empty when nothing would be lost."""
    new = {}
    if action.verb != "add":
        new = {name: getattr(page.new_point, name).data for name in ("target", "heading", "body")}
    quotes = {
        key: text for key, text in page.quotes.items() if not (action.verb == "cite" and key == action.ids)
    }
    note = page.main.change_note.data or ""
    if not (new.get("heading") or new.get("body") or quotes or note.strip() or page.removing):
        return {}
    return {"new": new, "quotes": quotes, "change_note": note, "removing": page.removing}


def carried(page: EditorPage, kept_: dict[str, Any]) -> EditorPage:
    """The fresh page (from the saved working copy) with what was kept put back."""
    for name, value in (kept_.get("new") or {}).items():
        getattr(page.new_point, name).data = value
    page.main.change_note.data = kept_.get("change_note") or ""
    page.quotes = dict(kept_.get("quotes") or {})
    page.removing = kept_.get("removing")
    return page
