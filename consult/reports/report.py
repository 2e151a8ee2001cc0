"""A round's outcome report: the process, the participation figures, the published summaries and the
mechanism's answers, gathered once in the report's language for the PDF and the DOCX to set alike.

Only public data goes in: quotations attributed exactly as the summary's public content gives them, and the
public's figures (docs/figures.md): no confidential input, not even as a number, and none while the round is
open.
"""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates
from flask_babel import force_locale, format_percent, ngettext, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult import disclosure
from consult.comments.models import Assessment
from consult.database import utcnow
from consult.extensions import db
from consult.i18n import is_valid_timezone, localized, text_direction
from consult.moderation.services import figures as moderation_figures
from consult.plan.browsing import text_for
from consult.plan.models import Recommendation
from consult.rounds.models import Round
from consult.rounds.services import effective_state, figures_published
from consult.summaries.figures import Shown, labelled, public_note, published, round_figures
from consult.summaries.services import (
    get_version,
    public_content,
    published_summaries,
    response_row,
    responses_of,
)


@dataclass
class Answer:
    """What the mechanism did with a point or about a recommendation."""

    outcome: str
    explanation: str
    responsible_entity: str | None


@dataclass
class Quotation:
    """A passage of a public comment, attributed as its author chose to be shown."""

    text: str
    attribution: str
    language: str


@dataclass
class Point:
    """A point of a summary, with its quotations and the mechanism's answer to it."""

    heading: str
    about: str
    body: str
    quotations: list[Quotation]
    answer: Answer | None


@dataclass
class SummaryPart:
    """One published summary as its latest version reads."""

    title: str
    author: str | None
    version: str
    change_note: str | None
    introduction: str
    language: str
    points: list[Point]


@dataclass
class Table:
    """A table of figures; shares (0..1), where given, are drawn as bars beside the rows (None: no bar, the
    count is withheld); `note` states the small-count rule under it."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    shares: list[float | None] | None = None
    note: str = ""


@dataclass
class RecommendationAnswer:
    """An answer about a recommendation of the round's scope."""

    label: str
    text: str
    answer: Answer


@dataclass
class Report:
    """Everything the report says, in one language, ready to be set."""

    language: str
    direction: str
    title: str
    subtitle: str
    process: list[tuple[str, str]]
    totals: list[tuple[str, str]]
    tables: list[Table]
    summaries: list[SummaryPart]
    recommendation_answers: list[RecommendationAnswer]
    generated: str
    #: The report's fixed words (headings, captions), already translated.
    labels: dict[str, str] = field(default_factory=dict)

    def texts(self) -> Iterator[str]:
        """Every string the report holds: what the fonts must cover."""
        yield from (self.title, self.subtitle, self.generated, *self.labels.values())
        for pair in (*self.process, *self.totals):
            yield from pair
        for table in self.tables:
            yield from (table.title, table.note, *table.columns)
            yield from (cell for row in table.rows for cell in row)
        for part in self.summaries:
            yield from (part.title, part.author or "", part.version, part.change_note or "")
            yield part.introduction
            for point in part.points:
                yield from (point.heading, point.about, point.body)
                for quotation in point.quotations:
                    yield from (quotation.text, quotation.attribution)
                if point.answer:
                    yield from _answer_texts(point.answer)
        for item in self.recommendation_answers:
            yield from (item.label, item.text, *_answer_texts(item.answer))


def is_rtl(text: str, default: bool) -> bool:
    """Whether a paragraph reads right to left: by its first strongly directional letter, or, when it
    holds Arabic at all, by the report's direction."""
    has_rtl = False
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            has_rtl = True
            break
        if kind == "L":
            break
    if has_rtl:
        return True
    return default and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _answer_texts(answer: Answer) -> tuple[str, ...]:
    return answer.outcome, answer.explanation, answer.responsible_entity or ""


def moment(value: datetime, zone: str, language: str) -> str:
    """A date and time in a time zone (the round's), as the report's readers write it."""
    tzinfo = ZoneInfo(zone if is_valid_timezone(zone) else "UTC")
    local = value.astimezone(tzinfo)
    day = dates.format_date(local, "long", locale=language)
    time = dates.format_time(local, "short", locale=language)
    place = "UTC" if zone in ("UTC", "Etc/UTC") else dates.get_timezone_location(tzinfo, locale=language)
    return f"{day}, {time} ({place})"


def attribution(citation: dict) -> str:
    """Who a quotation is from, exactly as the summary's public content gives it."""
    shown = [part for part in (citation.get("author"), citation.get("organisation")) if part]
    return ", ".join(shown) if shown else _("Anonymous contributor")


def _answer(row: dict) -> Answer:
    return Answer(row["outcome_label"], row["explanation"], row["responsible_entity"])


def _process(round_: Round, language: str) -> list[tuple[str, str]]:
    """How the round ran: when, for whom, how it was moderated, and what came of the input."""
    zone = round_.timezone or "UTC"
    days = max((round_.closes_at - round_.opens_at).days, 1)
    process = [
        (_("Stage"), str(round_.stage.label)),
        (_("Cycle"), str(round_.cycle)),
        (_("Opened"), moment(round_.opens_at, zone, language)),
        (_("Closed"), moment(round_.closes_at, zone, language)),
        (_("Open for comment"), ngettext("%(num)d day", "%(num)d days", days)),
        (_("Who could take part"), str(round_.eligibility.label)),
        (pgettext("feature", "Moderation"), str(round_.moderation_mode.label)),
    ]
    if not figures_published(round_):
        return process
    # The public's moderation figures: confidential input is counted nowhere in them.
    counts = moderation_figures(round_.id)
    return [
        *process,
        (_("Comments received"), disclosure.words(counts["received"])),
        (pgettext("state", "Published"), disclosure.words(counts["published"])),
        (_("Not published"), disclosure.words(counts["rejected"])),
        (_("Campaigns (identical letters counted as one voice)"), disclosure.words(counts["campaigns"])),
    ]


def _breakdown(title: str, heading: str, rows: list[Shown]) -> Table:
    return Table(
        title=title,
        columns=[heading, _("Voices"), _("Share")],
        rows=[
            [row.label, disclosure.words(row.count), "—" if row.share is None else format_percent(row.share)]
            for row in rows
        ],
        shares=[row.share for row in rows],
        note=disclosure.note(),
    )


def _figures(round_: Round, language: str) -> tuple[list[tuple[str, str]], list[Table]]:
    """The participation figures as published, small counts withheld: totals, and a table per breakdown;
    while the round is open, when they will come instead."""
    if not figures_published(round_):
        closes = moment(round_.closes_at, round_.timezone or "UTC", language)
        return [(_("Participation figures"), disclosure.later(closes))], []
    found = round_figures(round_.id)
    shown = published(found, labelled(found, language))
    totals, rows = shown["totals"], shown["breakdowns"]
    totals = [
        (_("What is counted"), public_note()),
        (_("Comments published"), disclosure.words(totals["comments"])),
        (_("Voices (a campaign counted once)"), disclosure.words(totals["voices"])),
        (_("Organisations named in the published comments"), disclosure.words(totals["organisations"])),
        (_("Campaigns"), disclosure.words(totals["campaigns"])),
    ]
    tables = [
        _breakdown(_("By type of stakeholder"), _("Stakeholder"), rows["stakeholders"]),
        _breakdown(_("By cluster"), _("Cluster"), rows["clusters"]),
        _breakdown(_("By language"), _("Language"), rows["languages"]),
        _breakdown(_("By what was commented on"), _("Commented on"), rows["targets"]),
    ]
    if rows["assessments"]:
        tables.append(
            Table(
                title=_("How far recommendations are implemented, in the participants' view"),
                columns=[_("Recommendation"), *(str(a.label) for a in Assessment), _("Total")],
                rows=[
                    [
                        item["label"],
                        *(disclosure.words(n) for _value, _label, n in item["counts"]),
                        disclosure.words(item["total"]),
                    ]
                    for item in rows["assessments"]
                ],
                note=disclosure.note(),
            )
        )
    return totals, tables


def _summaries(round_id: int, language: str, answers: dict[int, Answer]) -> list[SummaryPart]:
    """Each published summary as its latest version reads, its points beside the answers to them."""
    parts = []
    for summary in published_summaries(round_id):
        version = get_version(summary)
        if version is None:
            continue
        content = public_content(version)
        points = [
            Point(
                heading=section["heading"],
                about=section["target_label"],
                body=section["body"],
                quotations=[
                    Quotation(c["quote"], attribution(c), c["language"]) for c in section["citations"]
                ],
                answer=answers.get(section["id"]),
            )
            for section in content["sections"]
        ]
        parts.append(
            SummaryPart(
                title=content.get("title") or summary.title,
                author=content.get("organisation"),
                version=_(
                    "Version %(number)d, published %(date)s",
                    number=version.number,
                    date=dates.format_date(version.published_at, "long", locale=language),
                ),
                change_note=version.change_note,
                introduction=content.get("introduction") or "",
                language=content.get("language") or language,
                points=points,
            )
        )
    return parts


def _recommendation_answers(rows: list[dict], language: str) -> list[RecommendationAnswer]:
    """The answers given about recommendations, each named and quoted as the UN documents have it."""
    ids = [row["recommendation_id"] for row in rows]
    recommendations = {
        r.id: r
        for r in db.session.scalars(
            select(Recommendation)
            .where(Recommendation.id.in_(ids))
            .options(selectinload(Recommendation.texts))
        )
    }
    answers = []
    for row in rows:
        recommendation = recommendations.get(row["recommendation_id"])
        if recommendation is None:
            continue
        label = " ".join(p for p in (recommendation.symbol, recommendation.paragraph) if p)
        answers.append(
            RecommendationAnswer(
                label=label or f"#{recommendation.id}",
                text=text_for(recommendation, language)[1],
                answer=_answer(row),
            )
        )
    return answers


LABELS = {
    "process": _l("The process"),
    "participation": _l("Participation"),
    "heard": _l("What was heard"),
    "nothing_heard": _l("No summary of this round has been published yet."),
    "about": _l("About"),
    "by": _l("By"),
    "change_note": _l("What this version corrects"),
    "answer": _l("The mechanism's answer"),
    "responsible": _l("Responsible entity"),
    "recommendations": _l("The mechanism's answers about recommendations"),
    "no_answer": _l("Not answered yet."),
}


def outcome_report(round_: Round, language: str) -> Report:
    """The outcome report of a round in one of the six languages."""
    with force_locale(language):
        rows = [response_row(response, language) for response in responses_of(round_.id)]
        by_section = {row["section_id"]: _answer(row) for row in rows if row["section_id"] is not None}
        about_recommendations = [row for row in rows if row["section_id"] is None]
        totals, tables = _figures(round_, language)
        return Report(
            language=language,
            direction=text_direction(language),
            title=localized(round_.title, language),
            subtitle=_(
                "%(stage)s consultation, cycle %(cycle)d · %(state)s",
                stage=str(round_.stage.label),
                cycle=round_.cycle,
                state=str(effective_state(round_).label),
            ),
            process=_process(round_, language),
            totals=totals,
            tables=tables,
            summaries=_summaries(round_.id, language, by_section),
            recommendation_answers=_recommendation_answers(about_recommendations, language),
            generated=_("Report made on %(date)s", date=moment(utcnow(), round_.timezone, language)),
            labels={key: str(text) for key, text in LABELS.items()},
        )
