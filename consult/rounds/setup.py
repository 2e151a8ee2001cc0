"""Setting a round up: the defaults a new round starts from, the check of what is set and what is missing
before it is scheduled, and the people who may be chosen by name to summarise it.

A round is scheduled only from its check page (`schedule_checked`): the page carries a fingerprint of the
set-up it showed, and scheduling is refused if the set-up has changed since, or if something essential is
missing. Missing translations and other weak points warn, and do not block.
"""

import hashlib
import json
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.accounts.models import StaffRole, User
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import listed
from consult.organisations.models import Membership, MembershipState, Organisation, OrganisationType
from consult.plan.forms import LANGUAGE_LABELS
from consult.plan.models import PlanVersion, Recommendation
from consult.rounds import services
from consult.rounds.models import Eligibility, Round, RoundState, Stage

# Defaults of a new round


def current_cycle() -> int:
    """The review cycle a new round most likely belongs to: the latest of the recommendations' and the
    rounds' cycles, else the first."""
    latest = (db.session.scalar(select(func.max(model.cycle))) for model in (Recommendation, Round))
    return max((cycle for cycle in latest if cycle), default=1)


#: The order of a cycle's consultations: a new round defaults to the stage after the latest one.
STAGES = (Stage.pre_review, Stage.mid_term, Stage.pre_report)


def next_stage_and_cycle() -> tuple[Stage, int]:
    """The stage and cycle a new round most likely has: the stage after the latest round of the current
    cycle (a pre-report round is followed by the next cycle's pre-review), else the current cycle's first."""
    cycle = current_cycle()
    latest = db.session.scalar(
        select(Round.stage)
        .where(Round.cycle == cycle, Round.state != RoundState.cancelled)
        .order_by(Round.opens_at.desc())
        .limit(1)
    )
    if latest is None:
        return Stage.pre_review, cycle
    if latest is Stage.pre_report:
        return Stage.pre_review, cycle + 1
    return STAGES[STAGES.index(latest) + 1], cycle


def latest_plan_version() -> PlanVersion | None:
    """The newest frozen version of the plan: what a new round consults by default."""
    return db.session.scalar(select(PlanVersion).order_by(PlanVersion.number.desc()).limit(1))


def default_times(now: datetime, zone: str) -> tuple[datetime, datetime]:
    """Wall-clock times a new round starts with in its zone: opening a week ahead at 09:00, closing four
    weeks later at 17:00."""
    today = services.local_time(now, zone).date()
    opens = datetime.combine(today + timedelta(days=7), datetime.min.time()).replace(hour=9)
    return opens, opens + timedelta(days=28, hours=8)


#: Russian letters in Latin ones (a simplified romanisation): a Russian title gives a readable address.
# fmt: off
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "iu", "я": "ia",
}
# fmt: on


def _latin(text: str) -> str:
    """Text in lower-case Latin letters, accents dropped and Cyrillic romanised; other scripts dropped."""
    text = "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def suggest_slug(title: dict[str, str], taken: Any = None) -> str:
    """A web address from the title (English first, then French, Spanish, Russian); a title only in
    Arabic or Chinese gives a short random one. A taken address gets a number."""
    slug = ""
    for language in ("en", "fr", "es", "ru"):
        words = re.sub(r"[^a-z0-9]+", "-", _latin(title.get(language) or "")).strip("-")
        if words:
            slug = words[:60].rstrip("-")
            break
    slug = slug or f"round-{secrets.token_hex(3)}"
    taken = taken or (lambda candidate: db.session.scalar(select(Round.id).where(Round.slug == candidate)))
    candidate, n = slug, 2
    while taken(candidate):
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


# The check before scheduling


@dataclass(frozen=True)
class Problem:
    """Something missing or weak in a round's set-up, on one row of the check page."""

    #: The row: title, introduction, dates, eligibility, scope, questions, documents, summarisers.
    part: str
    message: str
    #: Essential: the round cannot be scheduled until it is fixed.
    blocks: bool = False


def _languages(names: Sequence[str]) -> str:
    return listed([str(LANGUAGE_LABELS.get(code, code)) for code in names])


def _missing(texts: dict[str, str] | None, languages: Sequence[str]) -> list[str]:
    """The deployment's languages a text is not given in, in the order the forms list them."""
    ordered = [code for code in LANGUAGE_LABELS if code in languages]
    return [code for code in ordered if not (texts or {}).get(code, "").strip()]


def _text_problems(round_: Round, languages: Sequence[str]) -> list[Problem]:
    problems = []
    if not round_.title:
        problems.append(Problem("title", _("The round has no title."), blocks=True))
    elif missing := _missing(round_.title, languages):
        problems.append(
            Problem("title", _("Not yet translated into %(languages)s.", languages=_languages(missing)))
        )
    if not round_.description:
        problems.append(Problem("introduction", _("No introduction: participants read only the title.")))
    elif missing := _missing(round_.description, languages):
        problems.append(
            Problem(
                "introduction", _("Not yet translated into %(languages)s.", languages=_languages(missing))
            )
        )
    if not round_.questions:
        problems.append(Problem("questions", _("No guiding question: participants are asked nothing.")))
    for number, question in enumerate(round_.questions, start=1):
        if missing := _missing(question.text, languages):
            message = _(
                "Question %(number)d is not yet translated into %(languages)s.",
                number=number,
                languages=_languages(missing),
            )
            problems.append(Problem("questions", message))
    return problems


def check_round(round_: Round, languages: Sequence[str], now: datetime | None = None) -> list[Problem]:
    """What is missing or weak in a round's set-up, in the deployment's languages; essentials block."""
    now = now or utcnow()
    problems = _text_problems(round_, languages)
    if round_.closes_at <= now:
        problems.append(Problem("dates", _("The closing time has passed."), blocks=True))
    elif round_.opens_at <= now:
        problems.append(
            Problem("dates", _("The opening time has passed: the round opens as soon as it is scheduled."))
        )
    if round_.eligibility is Eligibility.invited and not services.invited_organisation_ids(round_):
        problems.append(
            Problem(
                "eligibility", _("The round is by invitation, and no organisation is invited."), blocks=True
            )
        )
    if not (round_.clusters or round_.recommendations or round_.actions):
        problems.append(
            Problem("scope", _("Only the round as a whole and its questions are open for comment."))
        )
    elif round_.plan_version_id is None:
        problems.append(Problem("scope", _("No version of the plan is named for participants to read.")))
    if not round_.documents:
        problems.append(Problem("documents", _("No document is open for comment.")))
    if round_.summariser_organisation_id is None and not round_.summarisers:
        message = _("Nobody summarises the input: choose an organisation or name a person.")
        problems.append(Problem("summarisers", message, blocks=True))
    elif not round_.summarisers:
        problems.append(Problem("summarisers", _("No person is named yet to write the summary.")))
    return problems


def fingerprint(round_: Round) -> int:
    """A number that changes whenever what the check page shows changes: the page is scheduled from only
    if nothing changed since it was shown."""
    shown = {
        "values": [round_.slug, round_.stage.value, round_.cycle, round_.title, round_.description],
        "when": [round_.opens_at.isoformat(), round_.closes_at.isoformat(), round_.timezone],
        "who": [round_.eligibility.value, round_.moderation_mode.value, round_.summariser_organisation_id],
        "invited": sorted(services.invited_organisation_ids(round_)),
        "summarisers": [person.id for person in round_.summarisers],
        "plan": round_.plan_version_id,
        "scope": [
            sorted(o.id for o in objects)
            for objects in (round_.clusters, round_.recommendations, round_.actions)
        ],
        "questions": [q.text for q in round_.questions],
        "documents": [d.id for d in round_.documents],
    }
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()
    return int(digest[:12], 16)


def schedule_checked(actor: Any, round_: Round, seen: int | None, languages: Sequence[str]) -> None:
    """Schedule a round from its check page: refused if the set-up changed since the page was shown or if
    something essential is missing."""
    if seen != fingerprint(round_):
        raise DomainError(_("The round was changed since this page was shown: check it again below."))
    if any(problem.blocks for problem in check_round(round_, languages)):
        raise DomainError(_("Something essential is missing: see the list below."))
    services.schedule_round(actor, round_)


# Summarisers chosen by name


def eligible_summarisers(round_: Round) -> list[tuple[User, str]]:
    """People who may be named to summarise, by name, with what makes them eligible: the confirmed members
    of the summarising organisation (of the NHRIs when none is chosen), and the mechanism's staff."""
    organisations = (
        Organisation.id == round_.summariser_organisation_id
        if round_.summariser_organisation_id
        else Organisation.type == OrganisationType.nhri
    )
    members = db.session.execute(
        select(User, Organisation.name)
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.state == MembershipState.confirmed, organisations)
    ).all()
    staff = db.session.scalars(select(User).where(User.id.in_(select(StaffRole.user_id)))).all()
    found: dict[int, tuple[User, str]] = {user.id: (user, name) for user, name in members}
    for user in staff:
        found.setdefault(user.id, (user, _("Staff of the mechanism")))
    named = {person.id for person in round_.summarisers}
    return sorted(
        (
            (user, label)
            for user, label in found.values()
            if user.id not in named and user.is_active and user.email_verified_at and user.erased_at is None
        ),
        key=lambda pair: (pair[0].display_name.casefold(), pair[0].id),
    )


def name_summariser_by_id(actor: Any, round_: Round, user_id: int) -> User:
    """Name one of the eligible people, chosen by name, to summarise the round."""
    for user, _label in eligible_summarisers(round_):
        if user.id == user_id:
            return services.add_summariser(actor, round_, user)
    raise DomainError(_("Choose a person from the list."), field="person")


def choose_summariser(actor: Any, round_: Round, person_id: int | None, email: str | None) -> User:
    """Name a summariser chosen by name from the list, or else given by e-mail address."""
    if person_id:
        return name_summariser_by_id(actor, round_, person_id)
    if email and email.strip():
        return services.name_summariser(actor, round_, email)
    raise DomainError(_("Choose a person, or give their e-mail address."), field="person")
