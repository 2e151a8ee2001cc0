"""Campaigns: many people sending the same letter. Exact duplicates are found by a hash of the normalised
text; near-duplicates (the letter with a line added) by MinHash with locality-sensitive hashing over word
shingles. A campaign counts as one voice with its number of supporters, never as many voices or none."""

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

#: Two texts whose word-shingle sets overlap this much (Jaccard) are one campaign.
THRESHOLD = 0.7
NUM_PERM = 64
SHINGLE = 3

_punctuation = re.compile(r"[^\w\s]", re.UNICODE)


def normalise(text: str) -> str:
    """The text without case, accents' variants, punctuation or extra spaces: what identical letters share."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_punctuation.sub(" ", text).split())


def content_hash(text: str) -> str:
    """The hash that exact duplicates share."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def shingles(text: str) -> set[bytes]:
    """Overlapping runs of SHINGLE words (whole text if shorter)."""
    words = normalise(text).split()
    if len(words) <= SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


class _Groups:
    """Union-find over comment ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def find_campaigns(comments: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of two or more comment ids that are the same letter, exactly or nearly; largest first."""
    groups = _Groups()
    by_hash: dict[str, int] = {}
    texts: dict[int, str] = {}
    for ident, text in comments:
        digest = content_hash(text)
        groups.find(ident)
        if digest in by_hash:
            groups.join(ident, by_hash[digest])
        else:
            by_hash[digest] = ident
            texts[ident] = text
    # Near-duplicates: one MinHash per distinct text, bucketed by LSH, candidates checked by their estimate.
    representatives = list(texts)
    signatures = MinHash.bulk([shingles(texts[i]) for i in representatives], num_perm=NUM_PERM)
    index = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures_by_id: dict[int, MinHash] = {}
    for ident, signature in zip(representatives, signatures, strict=True):
        for candidate in index.query(signature):
            if signature.jaccard(signatures_by_id[candidate]) >= threshold:
                groups.join(ident, candidate)
        index.insert(ident, signature)
        signatures_by_id[ident] = signature
    members: dict[int, list[int]] = defaultdict(list)
    for ident in groups.parent:
        members[groups.find(ident)].append(ident)
    return sorted((sorted(group) for group in members.values() if len(group) > 1), key=len, reverse=True)
