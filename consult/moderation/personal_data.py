"""Personal data a moderator may want to redact: e-mail addresses, telephone numbers and identity or passport
numbers, found in text of any script. Digits may be ASCII, Arabic-Indic (٠-٩), Eastern Arabic-Indic (۰-۹),
full-width (０-９) or any other decimal digits. These are suggestions: a moderator decides what to redact."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: What each kind of suggestion is called on the moderation page.
KINDS = {
    "email": _l("E-mail address"),
    "phone": _l("Telephone number"),
    "id": _l("Identity or passport number"),
}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+(?:@|＠)[\w-]+(?:\.[\w-]+)+")
#: One to three Latin letters, then six to ten digits: passports and identity cards (AB1234567, K-1234567).
_ID = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ\d])[A-Za-zＡ-Ｚａ-ｚ]{1,3}[-‐ ]?\d{6,10}(?![A-Za-z\d])")
#: Digits with the separators people write in telephone numbers, possibly after "+" or "00".
_SEPARATORS = r"\s\-‐‑–.()/（）－"
#: Not inside a longer word of Latin letters and digits; a CJK or Arabic word may touch it (no spaces there).
_NUMBER = re.compile(rf"(?<![\dA-Za-z+＋(（-])(?:[+＋(（])?\d[\d{_SEPARATORS}]*\d(?![\dA-Za-z])")
#: A date (12.03.2019, 2019-03-12, 12/3/19) is no one's telephone number.
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_PARTS = re.compile(rf"[{_SEPARATORS}]")


@dataclass(frozen=True)
class Suggestion:
    """A passage that looks like personal data: where it is in the text, and what it looks like."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        """What it looks like, in the reader's language."""
        return str(KINDS[self.kind])


def _number_kind(text: str) -> str | None:
    """ "phone", "id" or None (too short, too long, or a date) for a run of digits and separators."""
    digits = sum(char.isdecimal() for char in text)
    if _DATE.fullmatch(text.strip()) or digits < 7 or digits > 15:
        return None
    if text[0] in "+＋" or _PARTS.search(text) or text.lstrip("(（")[:1] in "0０٠۰":
        return "phone"
    return "id" if digits >= 8 else None


def suggestions(text: str) -> list[Suggestion]:
    """The passages of text that look like personal data, in the order they appear, never overlapping."""
    found: list[Suggestion] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in found)

    for match in _EMAIL.finditer(text):
        found.append(Suggestion("email", match.start(), match.end(), match.group()))
    for match in _ID.finditer(text):
        if free(match.start(), match.end()):
            found.append(Suggestion("id", match.start(), match.end(), match.group()))
    for match in _NUMBER.finditer(text):
        passage = match.group().rstrip(" .-/(")
        kind = _number_kind(passage)
        if kind and free(match.start(), match.start() + len(passage)):
            found.append(Suggestion(kind, match.start(), match.start() + len(passage), passage))
    return sorted(found, key=lambda s: s.start)


def marked(text: str, found: list[Suggestion]) -> list[tuple[str, Suggestion | None]]:
    """The text cut into pieces, each with the suggestion it is (or None), for a page to highlight."""
    pieces: list[tuple[str, Suggestion | None]] = []
    position = 0
    for suggestion in found:
        if suggestion.start > position:
            pieces.append((text[position : suggestion.start], None))
        pieces.append((suggestion.text, suggestion))
        position = suggestion.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces
