"""Figures that cannot point at anyone: small counts are suppressed, and where a total is published, enough
other counts with them that the total minus the visible counts never gives a small one back.

The rule, for every public table of counts (docs/figures.md; README, "Security and privacy"):

- a count from 1 to threshold − 1 is shown as "fewer than N" (`Mark.few`); 0 is shown, since "nobody" points
  at nobody, and it takes part in the arithmetic below as the exact number it is;
- where a table has a published total, a reader may narrow a small count down with the total and the
  visible counts. So more counts are withheld ("not shown", `Mark.hidden`): the smallest visible
  one first, then the next, and if that is not enough, every count of the table; or, for a table whose total
  is published nowhere else, the total itself;
- a total is a count like the others: small, it is "fewer than N"; the shares of a table are shown only for
  visible counts of an exactly shown total (a share is a count divided by the total, a bar's length too).

What a reader knows, and what the rule protects against: the visible counts exactly, that a "fewer than N" is
1 … N−1, that a "not shown" count chosen as the smallest visible one lies between N and the smallest count
still visible, and the total (or its range). Under that knowledge every small count keeps its whole range
1 … N−1, and no withheld count can be worked out exactly (tests/test_disclosure.py, by brute force). A reader
who also asks why a whole table was withheld, which only very small tables need, learns a little more.
"""

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flask import Flask, current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

Bounds = tuple[float, float]


class Mark(StrEnum):
    """How a count is published; the values are what exports write in their `suppressed` column."""

    shown = ""
    few = "below_threshold"
    hidden = "complementary"


@dataclass(frozen=True)
class Count:
    """A count as a surface shows it. A withheld count carries no number at all, so that no template or
    export can print it by mistake; `exact` marks a staff screen's exact figure."""

    value: int | None
    mark: Mark = Mark.shown
    exact: bool = False

    @property
    def shown(self) -> bool:
        """Whether the number itself is published."""
        return self.mark is Mark.shown


def threshold() -> int:
    """The smallest count published as a number (FIGURES_MIN_COUNT); 0 or 1 publishes every count."""
    return int(current_app.config.get("FIGURES_MIN_COUNT", 3))


def is_small(value: int, k: int) -> bool:
    """A count a reader could take for a person: 1 … k−1."""
    return 0 < value < k


def _bounds(values: Sequence[int], marks: Sequence[Mark], k: int, chosen: Collection[int], whole: bool):
    """What a reader knows of each count: the interval it lies in."""
    ceiling = min(
        (v for v, m in zip(values, marks, strict=True) if m is Mark.shown and v > 0), default=math.inf
    )
    bounds: list[Bounds] = []
    for index, (value, mark) in enumerate(zip(values, marks, strict=True)):
        if mark is Mark.shown:
            bounds.append((value, value))
        elif whole:
            bounds.append((0, math.inf))
        elif mark is Mark.few:
            bounds.append((1, k - 1))
        elif index in chosen:
            bounds.append((k, ceiling))
        else:
            bounds.append((k, math.inf))
    return bounds


def _total_bounds(total: int | None, mark: Mark, k: int) -> Bounds | None:
    """What a reader knows of the total: nothing when it is not published."""
    if total is None or mark is Mark.hidden:
        return None
    return (1, k - 1) if mark is Mark.few else (total, total)


def feasible(bounds: Sequence[Bounds], total: Bounds | None, index: int) -> Bounds:
    """The values count `index` may take, given every count's interval and the total's."""
    low, high = bounds[index]
    if total is None:
        return low, high
    others_low = sum(b[0] for j, b in enumerate(bounds) if j != index)
    others_high = sum(b[1] for j, b in enumerate(bounds) if j != index)
    return max(low, total[0] - others_high), min(high, total[1] - others_low)


def _exposed(values, marks, bounds, total: Bounds | None, k: int, forced: Collection[int]) -> bool:
    """Whether a reader could narrow a small count below 1 … k−1, or work a forced one out exactly."""
    for index, value in enumerate(values):
        if marks[index] is Mark.shown:
            continue
        low, high = feasible(bounds, total, index)
        if is_small(value, k) and (low > 1 or high < k - 1):
            return True
        if index in forced and low >= high:
            return True
    return False


def protect(
    values: Sequence[int],
    total: int | None = None,
    k: int = 3,
    *,
    forced: Collection[int] = (),
    total_mark: Mark | None = None,
    prefer_total: bool = False,
) -> tuple[list[Mark], Mark]:
    """How to publish a table of counts and its total (None: the table has no published total).

    `forced` names counts withheld because another table needs them withheld; `total_mark` imposes how the
    total is published (another table decided it); `prefer_total` withholds the total, not more counts,
    when the total is published nowhere else."""
    if k <= 1:
        return [Mark.shown] * len(values), Mark.shown
    if total_mark is None:
        total_mark = Mark.few if total is not None and is_small(total, k) else Mark.shown
    marks = [Mark.few if is_small(v, k) else Mark.shown for v in values]
    forced = {i for i in forced if values[i] >= k}
    for index in forced:
        marks[index] = Mark.hidden
    chosen: set[int] = set()
    whole = False
    while _exposed(
        values,
        marks,
        _bounds(values, marks, k, chosen, whole),
        _total_bounds(total, total_mark, k),
        k,
        forced,
    ):
        visible = [i for i, m in enumerate(marks) if m is Mark.shown and values[i] > 0]
        if prefer_total and total_mark is not Mark.hidden:
            total_mark = Mark.hidden
        elif visible and not whole:
            smallest = min(visible, key=lambda i: (values[i], i))
            marks[smallest] = Mark.hidden
            chosen.add(smallest)
        elif not whole:
            whole = True
            marks = [Mark.hidden] * len(values)
        else:
            total_mark = Mark.hidden
    return marks, total_mark


def counts(values: Sequence[int], marks: Sequence[Mark]) -> list[Count]:
    """The counts of a table as published."""
    return [Count(v if m is Mark.shown else None, m) for v, m in zip(values, marks, strict=True)]


def count(value: int, mark: Mark | None = None, k: int | None = None) -> Count:
    """One count as published: by the mark given, else by the small-count rule alone."""
    if mark is None:
        mark = Mark.few if is_small(value, threshold() if k is None else k) else Mark.shown
    return Count(value if mark is Mark.shown else None, mark)


def exact(value: int) -> Count:
    """A count on a staff screen: the exact number, marked as such."""
    return Count(value, Mark.shown, exact=True)


def share(part: Count, whole: Count) -> float | None:
    """A count's share of its total, only when both are published as numbers."""
    if not (part.shown and whole.shown) or not whole.value:
        return None
    return part.value / whole.value


def headline(comments: int, voices: int, campaign_sizes: Sequence[int], k: int) -> tuple[Mark, Mark]:
    """How a round's counts of published comments and of campaigns' supporters are published.

    Each campaign shows its own number of supporters beside its letter, and their sum is published: with one
    of them small, the sum would give it back, so it is withheld. The comments are the voices plus the
    campaigns' extra letters: with the voices or the supporters withheld, they are withheld too, else they
    would give them back. The summaries' figures and the moderation page publish them: both ask here."""
    if k <= 1:
        return Mark.shown, Mark.shown
    supporters = sum(campaign_sizes)
    if is_small(supporters, k):
        supporters_mark = Mark.few
    elif any(is_small(size, k) for size in campaign_sizes):
        supporters_mark = Mark.hidden
    else:
        supporters_mark = Mark.shown
    if is_small(comments, k):
        comments_mark = Mark.few
    elif is_small(voices, k) or supporters_mark is not Mark.shown:
        comments_mark = Mark.hidden
    else:
        comments_mark = Mark.shown
    return comments_mark, supporters_mark


def words(item: Count) -> str:
    """A count in the reader's language: its number, "fewer than N" or "not shown"."""
    if item.mark is Mark.few:
        return _("fewer than %(threshold)s", threshold=format_decimal(threshold()))
    if item.mark is Mark.hidden:
        return _("not shown")
    return format_decimal(item.value)


def figure(item: Count | int | None) -> Markup:
    """A count for a page, withheld ones marked for assistive technology and style alike."""
    if item is None:
        return Markup("")
    if isinstance(item, int):
        item = Count(item)
    if item.shown:
        return Markup("{0}").format(format_decimal(item.value))
    return Markup('<span class="withheld" data-suppressed="{0}">{1}</span>').format(
        item.mark.value, words(item)
    )


def note() -> str:
    """The rule, as each published table of figures states it."""
    return _(
        "Counts below %(threshold)s are shown as “fewer than %(threshold)s”, and, where a total would give "
        "one back, another count is not shown either: no figure points at a person.",
        threshold=format_decimal(threshold()),
    )


def later(closes: str) -> str:
    """Why a round still open publishes no figures, and when it will: `closes` is its closing, as the reader
    reads dates."""
    return _(
        "The figures of this consultation are published once it has closed, on %(date)s: figures that change "
        "with every comment published would tell when, and so by whom, each one was written.",
        date=closes,
    )


def init_app(app: Flask) -> None:
    """Give templates the `figure` filter, the rule's note and the note of figures still to come."""
    app.jinja_env.filters["figure"] = figure
    app.jinja_env.globals.update(figures_note=note, figures_threshold=threshold, figures_later=later)
