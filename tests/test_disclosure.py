"""The small-count rule (consult/disclosure.py) as a pure function: which counts a table publishes, and that
no withheld count can be worked back from its total and the counts left visible."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.disclosure import Count, Mark, headline, protect
from consult.summaries.charts import breakdown_chart
from consult.summaries.figures import Shown

SHOWN, FEW, HIDDEN = Mark.shown, Mark.few, Mark.hidden


@pytest.mark.parametrize(
    ("values", "total", "marks", "total_mark"),
    [
        # 1 NGO, 5 individuals, 2 parliamentarians: the two small counts share 8 − 5 = 3, either way round.
        ([1, 5, 2], 8, [FEW, SHOWN, FEW], SHOWN),
        # One small count beside a total: the total minus 5 and 9 would give the 1 back, so the 5 goes too.
        ([1, 5, 9], 15, [FEW, HIDDEN, SHOWN], SHOWN),
        # Withholding the 3 is not enough (1 + 3 = 4 and a withheld count is at least 3): nothing is shown.
        ([1, 3], 4, [HIDDEN, HIDDEN], SHOWN),
        # Zero is published: nobody points at nobody, and the sum still protects the small count.
        ([0, 1, 4, 6], 11, [SHOWN, FEW, HIDDEN, SHOWN], SHOWN),
        # A small total is itself "fewer than 3"; its one count says no more than it does.
        ([2, 0], 2, [FEW, SHOWN], FEW),
        # Two counts of 1 under a total "fewer than 3" would each be 1: both are withheld as well.
        ([1, 1], 2, [HIDDEN, HIDDEN], FEW),
        # No small count: everything is published.
        ([3, 4, 0], 7, [SHOWN, SHOWN, SHOWN], SHOWN),
        # Without a published total, only the small counts are withheld.
        ([1, 5, 9], None, [FEW, SHOWN, SHOWN], SHOWN),
    ],
)
def test_the_rule_on_tables_people_know(values, total, marks, total_mark):
    assert protect(values, total, 3) == (marks, total_mark)


def test_a_threshold_of_0_or_1_publishes_every_count():
    assert protect([1, 2, 0], 3, 0) == ([SHOWN, SHOWN, SHOWN], SHOWN)
    assert protect([1, 2, 0], 3, 1) == ([SHOWN, SHOWN, SHOWN], SHOWN)


def test_a_table_whose_total_is_published_nowhere_else_withholds_the_total_first():
    assert protect([1, 5, 9], 15, 3, prefer_total=True) == ([FEW, SHOWN, SHOWN], HIDDEN)


def test_a_count_withheld_for_another_table_is_not_given_back_by_this_one():
    marks, total_mark = protect([8, 0, 0, 0], 8, 3, forced=[0], prefer_total=True)
    assert marks[0] is HIDDEN and total_mark is HIDDEN


def test_the_count_of_comments_is_withheld_with_the_voices_or_supporters_it_would_give_back():
    assert headline(10, 10, [], 3) == (SHOWN, SHOWN)
    assert headline(10, 2, [9], 3) == (HIDDEN, SHOWN)  # 10 − 9 supporters + 1 campaign = 2 voices
    assert headline(10, 9, [2], 3) == (HIDDEN, FEW)  # 10 − 9 voices + 1 campaign = 2 supporters
    # A campaign of 2 beside one of 5 shows "fewer than 3" on its letter: their sum, 7, would give it back.
    assert headline(15, 10, [5, 2], 3) == (HIDDEN, HIDDEN)
    assert headline(2, 2, [], 3) == (FEW, SHOWN)
    assert headline(2, 2, [], 0) == (SHOWN, SHOWN)


def reader_domains(marks: list[Mark], shown: list[int | None], total: int, k: int) -> list[range]:
    """What a reader who knows the rule knows of each count: exact when shown; 1 … k−1 when "fewer than
    k"; when withheld beside visible counts, at least k (it was no small count) and at most the smallest
    visible non-zero count (the smallest go first); when the whole table is withheld, anything up to the
    largest total the reader cannot rule out."""
    if all(m is HIDDEN for m in marks):
        return [range(0, total + 1)] * len(marks)
    ceiling = min((v for v in shown if v), default=math.inf)
    domains = []
    for mark, value in zip(marks, shown, strict=True):
        if mark is SHOWN:
            domains.append(range(value, value + 1))
        elif mark is FEW:
            domains.append(range(1, k))
        else:
            domains.append(range(k, int(min(ceiling, total)) + 1))
    return domains


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=4),
    k=st.integers(min_value=2, max_value=5),
)
def test_no_withheld_count_can_be_worked_back_from_the_total_and_the_visible_counts(values, k):
    total = sum(values)
    marks, total_mark = protect(values, total, k)
    shown = [v if m is SHOWN else None for v, m in zip(values, marks, strict=True)]
    assert all(not (0 < v < k) for v in shown if v is not None), "a small count is shown"
    if total_mark is HIDDEN:
        return
    totals = range(1, k) if total_mark is FEW else range(total, total + 1)
    assert total_mark is not FEW or 0 < total < k
    # Every table the reader cannot tell from this one, by brute force.
    candidates = [
        table
        for table in itertools.product(*reader_domains(marks, shown, max(totals), k))
        if sum(table) in totals
    ]
    assert tuple(values) in candidates
    for index, value in enumerate(values):
        if marks[index] is SHOWN:
            continue
        possible = {table[index] for table in candidates}
        assert len(possible) > 1 or k == 2, (values, marks, index, possible)
        if 0 < value < k:
            # A small count keeps its whole range: the reader learns nothing beyond "fewer than k".
            assert set(range(1, k)) <= possible, (values, marks, index, possible)


def test_a_chart_whose_every_count_is_hidden_says_so_not_that_there_is_no_input(app):
    """Rows of input whose counts are all too small: no bar (its length would be the number), and no claim
    that nothing came in."""
    hidden = [
        Shown("ngo", "NGO", Count(None, Mark.few), None),
        Shown("individual", "Individuals", Count(None, Mark.hidden), None),
    ]
    with app.test_request_context():
        drawn = breakdown_chart("stakeholders", hidden).decode()
        empty = breakdown_chart("stakeholders", []).decode()
    assert "Every count here is too small to show" in drawn and "No input yet" not in drawn
    assert "No input yet" in empty
