"""What changed between two versions of a comment, word by word (character by character in scripts written
without spaces), for the moderator to read with insertions and deletions marked."""

import re
from difflib import SequenceMatcher
from typing import Literal

#: A word, a run of spaces, one CJK character or kana, or one other sign.
_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+|\s+|.", re.S
)

Change = tuple[Literal["equal", "insert", "delete"], str]


def tokens(text: str) -> list[str]:
    """The text cut into words, spaces and signs; joined again they give the text."""
    return _TOKEN.findall(text)


def changes(before: str, after: str) -> list[Change]:
    """The changes that make `after` from `before`: pieces kept, inserted and deleted, in reading order
    (a replacement is its deletion, then its insertion)."""
    old, new = tokens(before), tokens(after)
    found: list[Change] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            found.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            found.append(("delete", "".join(old[i1:i2])))
        if j2 > j1:
            found.append(("insert", "".join(new[j1:j2])))
    return found
