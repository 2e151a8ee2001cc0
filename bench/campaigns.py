"""Campaign detection on 100,000 comments with campaigns of known size: precision, recall and time.

Campaign members are one letter with small personal changes (a greeting, a sentence added, words swapped,
punctuation); the other comments are independent texts. A pair of comments is "together" when in the same
campaign: precision and recall are over those pairs, the usual measure for clustering.
"""

import random
import time
from collections import Counter

from consult.moderation.campaigns import find_campaigns

_VOCABULARY = """
plan action ministry justice detention women children report inspection police court law budget education
health water housing torture prison freedom expression assembly defenders journalists minority disability
older rural training data statistics indicator deadline consultation civil society parliament commission
ombudsman access remedy victims compensation reform strategy
"""
WORDS = _VOCABULARY.split()


def letter(rng: random.Random, length: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(length)]


def personalise(rng: random.Random, base: list[str]) -> str:
    """The campaign letter as one supporter sends it."""
    words = list(base)
    if rng.random() < 0.5:
        words = ["dear", "coordinator", *words]
    if rng.random() < 0.5:
        words += letter(rng, rng.randint(3, 8))  # a personal sentence
    if rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    text = " ".join(words)
    return text.upper() if rng.random() < 0.1 else text + rng.choice(["", ".", "!"])


def dataset(total: int = 100_000, seed: int = 7) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """Comments and, for campaign members, their campaign number."""
    rng = random.Random(seed)
    comments, truth, ident = [], {}, 0
    sizes = [rng.choice([5, 20, 50, 200, 1000]) for _ in range(120)]
    for campaign, size in enumerate(sizes):
        base = letter(rng, rng.randint(40, 90))
        for _ in range(size):
            ident += 1
            comments.append((ident, personalise(rng, base)))
            truth[ident] = campaign
    while ident < total:
        ident += 1
        comments.append((ident, " ".join(letter(rng, rng.randint(20, 120)))))
    rng.shuffle(comments)
    return comments, truth


def pairs(groups: dict[int, int]) -> int:
    return sum(n * (n - 1) // 2 for n in Counter(groups.values()).values())


def score(found: list[list[int]], truth: dict[int, int]) -> tuple[float, float]:
    """Pairwise precision and recall of the clusters found against the true campaigns."""
    predicted = {member: number for number, group in enumerate(found) for member in group}
    together = 0
    for group in found:
        by_truth = Counter(truth.get(member, -member) for member in group)
        together += sum(n * (n - 1) // 2 for n in by_truth.values())
    predicted_pairs, true_pairs = pairs(predicted), pairs(truth)
    return together / max(predicted_pairs, 1), together / max(true_pairs, 1)


def run() -> tuple[float, float, float, int]:
    comments, truth = dataset()
    started = time.perf_counter()
    found = find_campaigns(comments)
    seconds = time.perf_counter() - started
    precision, recall = score(found, truth)
    return seconds, precision, recall, len(found)
