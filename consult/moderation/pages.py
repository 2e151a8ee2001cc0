"""What the moderators' pages show, assembled for the views: the queue with its filters, count, targets and
page, and a comment with its target, personal data suggestions, versions and the undo of a decision."""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates
from flask import current_app, render_template, request, url_for
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.comments import services as comments
from consult.comments.models import Comment, CommentState, TargetType
from consult.comments.targets import key_of, target_of, targets_of
from consult.extensions import db
from consult.forms import choices, form_status
from consult.i18n import is_valid_timezone, language_name, localized, select_timezone
from consult.moderation import personal_data, services, versions
from consult.moderation.forms import (
    AppealDecisionForm,
    DecisionForm,
    QueueFilter,
    QueueFilterForm,
    RedactForm,
    WithholdForm,
    queue_args,
)
from consult.moderation.models import Appeal, Flag
from consult.organisations.models import OrganisationType
from consult.rounds.models import Round

#: Comments on one page of the queue.
PAGE = 50


def counting_age() -> timedelta:
    """How long before a report an account's address must have been confirmed for the report to count."""
    return timedelta(days=current_app.config["FLAG_COUNTING_DAYS"])


def zone_name() -> str:
    """The name of the time zone the moderator reads times in: theirs if they chose one, else the
    deployment's."""
    chosen = select_timezone() or current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if chosen in ("UTC", "Etc/UTC") or not is_valid_timezone(chosen):
        return "UTC"
    return dates.get_timezone_location(ZoneInfo(chosen), locale=get_locale() or "en")


def rounds_by_id() -> dict[int, Round]:
    """Every round by its id, the latest to open first: the queue's choice of rounds and its table's names."""
    return {r.id: r for r in db.session.scalars(select(Round).order_by(Round.opens_at.desc()))}


def _filters(rounds: dict[int, Round]) -> QueueFilterForm:
    """The queue's filter form as sent, its errors shown (what it ignores); languages by their names."""
    form = QueueFilterForm(request.args)
    every = [("", pgettext("filter", "All"))]
    form.round.choices = choices(
        [(0, _("All rounds")), *((r.id, localized(r.title)) for r in rounds.values())]
    )
    form.target.choices = choices([*every, *((t.value, t.label) for t in TargetType)])
    form.stakeholder.choices = choices([*every, *((t.value, t.label) for t in OrganisationType)])
    form.state.choices = choices(
        [*every, *((s.value, s.label) for s in CommentState if s is not CommentState.draft)]
    )
    named = sorted(((code, language_name(code)) for code in services.queue_languages()), key=lambda p: p[1])
    form.language.choices = choices([*every, *named])
    form.validate()
    return form


def _page(criteria: QueueFilter) -> tuple[list[Comment], str | None]:
    """One page of the queue, and the address of the next (older, or newer) page if there is more."""
    found = services.queue(**criteria.as_query(), limit=PAGE + 1)
    if len(found) <= PAGE:
        return found, None
    found = found[:PAGE]
    return found, url_for("moderation.show_queue", **{**queue_args(request.args), "before": found[-1].id})


def render_queue(decision_form: DecisionForm, ticked: frozenset[int] = frozenset()):
    """The queue page (filtered, counted, one page of it) with the bulk decision form, and its status."""
    rounds = rounds_by_id()
    criteria = QueueFilter.from_args(request.args, rounds)
    found, older = _page(criteria)
    hidden = [] if criteria.before else services.hidden_by_reports(criteria.round_id)
    listed = [c for c in found if c not in hidden]
    page = render_template(
        "moderation/queue.html",
        filters=_filters(rounds),
        state=criteria.state,
        at_risk_comments=[c for c in listed if c.needs_care],
        comments=[c for c in listed if not c.needs_care],
        total=services.queue_count(**criteria.as_criteria()),
        older=older,
        first_page=url_for("moderation.show_queue", **queue_args(request.args, page=False))
        if criteria.before
        else None,
        decision_form=decision_form,
        ticked=ticked,
        rounds=rounds,
        targets=targets_of([*hidden, *found]),
        key_of=key_of,
        appeals=services.pending_appeals(),
        flagged=criteria.flagged,
        hidden=hidden,
        reports=services.report_tally([c.id for c in [*hidden, *found]], counting_age()),
        queue=queue_args(request.args),
        zone=zone_name(),
        **_undo(),
    )
    return page, form_status(decision_form)


def _undo() -> dict[str, Any]:
    """The moderator's latest decision while it may still be undone, and until when."""
    undoable = services.last_undoable(current_user)
    return {"undoable": undoable, "undo_until": services.undo_deadline(undoable) if undoable else None}


def _versions(comment: Comment) -> list[dict[str, Any]]:
    """Each version of the comment with what changed from the one before (the first: its whole text)."""
    shown, before = [], None
    for revision in comment.revisions:
        changed = versions.changes(before.body, revision.body) if before is not None else None
        shown.append({"revision": revision, "changes": changed})
        before = revision
    return shown


def render_comment(comment: Comment, decision_form=None, redact_form=None):
    """A comment's moderation page, its forms as sent (or fresh), and its status."""
    comments.record_view(current_user, comment)
    db.session.commit()
    decision_form = decision_form or DecisionForm(formdata=None, seen_version=comment.version)
    redact_form = redact_form or RedactForm(formdata=None)
    flags = db.session.scalars(
        select(Flag).where(Flag.comment_id == comment.id).order_by(Flag.created_at, Flag.id)
    ).all()
    found = personal_data.suggestions(comment.body)
    appeal = db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id))
    page = render_template(
        "moderation/comment.html",
        comment=comment,
        round=db.session.get(Round, comment.round_id),
        target=target_of(comment),
        suggestions=found,
        marked=personal_data.marked(comment.body, found),
        versions=_versions(comment),
        decisions=services.history(comment),
        appeal=appeal,
        appeal_open=services.appeal_is_open(appeal),
        flags=flags,
        counting_flags=services.counting_flag_ids(flags, counting_age()),
        appeal_form=AppealDecisionForm(formdata=None),
        decision_form=decision_form,
        redact_form=redact_form,
        withhold_form=WithholdForm(formdata=None),
        queue=queue_args(request.args),
        zone=zone_name(),
        **_undo(),
    )
    return page, max(form_status(decision_form), form_status(redact_form))


def after_decision(comment: Comment) -> str:
    """Where a moderator goes once a comment is decided: the same filtered page of the queue, or, with
    "decide and go to the next", the next comment of the same queue (the queue when none is left)."""
    queue = queue_args(request.args)
    if request.form.get("then") == "next":
        criteria = QueueFilter.from_args(request.args, rounds_by_id())
        following = services.next_in_queue(comment.id, criteria.oldest_first, **criteria.as_criteria())
        if following is not None:
            return url_for("moderation.show_comment", comment_public_id=following.public_id, **queue)
    return url_for("moderation.show_queue", **queue)
