"""A round's published comments and its figures as CSV, XLSX and JSON, streamed so that memory stays flat.

Comments leave only as `public_row` makes them; figures only as `published` gives them to the public, small
counts withheld. consult.downloads writes them, and makes spreadsheet formulas inert.
"""

from collections.abc import Iterator
from typing import Any

from flask_babel import force_locale

from consult import disclosure
from consult.comments.public import public_row, stream_public
from consult.disclosure import Count
from consult.summaries.figures import labelled, published, round_figures

#: The columns of the figures export: one row per line of a breakdown, the same keys on every row. A withheld
#: count (consult/disclosure.py) has no count and no share (empty cells; null in JSON) and says why in
#: `suppressed`: "below_threshold" (1 … threshold−1) or "complementary" (withheld so that a total does not
#: give a small one back); a published count has it empty (null). The first row gives the threshold.
FIGURE_COLUMNS = ("breakdown", "key", "label", "recommendation_id", "count", "share", "suppressed")

#: The breakdowns of `labelled`, in the order the report shows them.
BREAKDOWNS = ("stakeholders", "clusters", "languages", "targets")


def comment_rows(round_id: int, round_slug: str) -> Iterator[dict[str, Any]]:
    """Every public comment of a round, oldest first, as its public record."""
    for comment in stream_public(round_id=round_id):
        yield public_row(comment, round_slug)


def _figure(breakdown: str, key: Any, label: str, count: Count, share: float | None, **extra: Any) -> dict:
    return {
        "breakdown": breakdown,
        "key": str(key),
        "label": str(label),
        "recommendation_id": extra.get("recommendation_id"),
        "count": count.value,
        "share": round(share, 4) if share is not None else None,
        "suppressed": count.mark.value or None,
    }


def figure_rows(round_id: int, language: str, published_now: bool) -> list[dict[str, Any]]:
    """A round's figures as the public may have them, as flat rows: the rule's threshold, the totals, each
    breakdown line, and the assessments of each recommendation (their share is of that recommendation's
    assessments). Whoever downloads the file, it holds the public's figures: files travel. While the round
    is open (not `published_now`) there are none: the rule, and a row that says when they come."""
    rule = _figure("rule", "min_count", "counts below this are withheld", Count(disclosure.threshold()), None)
    if not published_now:
        later = Count(None, disclosure.Mark.shown)
        return [
            rule,
            _figure("rule", "after_close", "figures are published once the round has closed", later, None),
        ]
    found = round_figures(round_id)
    with force_locale(language):
        shown = published(found, labelled(found, language))
    totals = shown["totals"]
    rows = [
        rule,
        *(
            _figure("totals", name, label, totals[key], None)
            for name, label, key in (
                ("comments", "comments", "comments"),
                ("voices", "voices", "voices"),
                ("organisations", "organisations named", "organisations"),
                ("campaigns", "campaigns", "campaigns"),
                ("campaign_supporters", "campaign supporters", "supporters"),
            )
        ),
    ]
    breakdowns = shown["breakdowns"]
    for breakdown in BREAKDOWNS:
        rows.extend(_figure(breakdown, r.key, r.label, r.count, r.share) for r in breakdowns[breakdown])
    for item in breakdowns["assessments"]:
        rows.extend(
            _figure(
                "assessments",
                value,
                f"{item['label']}: {label}",
                count,
                disclosure.share(count, item["total"]),
                recommendation_id=item["recommendation_id"],
            )
            for value, label, count in item["counts"]
        )
    return rows
