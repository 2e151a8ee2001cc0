"""Personal data a moderator may want to redact: e-mail addresses, telephone numbers and identity or passport
numbers, found in text of any script. Digits may be ASCII, Arabic-Indic (٠-٩), Eastern Arabic-Indic (۰-۹),
full-width (０-９) or any other decimal digits. These are suggestions: a moderator decides what to redact.

Never suggested: a UN document symbol and the paragraph numbers after it, a span of years, a date. A number
after a word naming an identity document ("ID", "passport", 身份证…) is an identity number, taken whole."""

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
#: A UN document symbol (A/HRC/40/8, CRC/C/15/Add.1, E/C.12/GC/24) and the paragraph or recommendation
#: numbers that follow it (A/HRC/40/8 115.1, para. 46 (a)): references, never anyone's number.
_SYMBOL = re.compile(
    r"(?<![\w/])[A-Z][A-Za-z\d.]*(?:/[A-Za-z\d.()-]+)+"
    r"(?:[\s,;]*(?:paras?\.?|paragraphs?|§+|recs?\.)?\s*\d{1,3}(?:\.\d{1,3})*(?:\s?\([a-z]{1,4}\))?)*"
)
#: A span of years (2023-2027, 2019–20): a period, not a telephone number.
_YEARS = re.compile(r"(?<!\d)(?:1[89]|20)\d\d\s?[-‐‑–/]\s?(?:(?:1[89]|20)\d\d|\d\d)(?!\d)")
#: A word that says an identity or passport number follows (in the six languages, and common abbreviations).
_ID_WORD = (
    r"(?-i:ID|I\.D\.|DNI|NIN|ИНН|СНИЛС)|(?i:identity|identification|passports?|passeport|carte d'identité"
    r"|pièce d'identité|pasaporte|cédula|documento de identidad|social security|national insurance"
    r"|паспорт\w*|удостоверени\w*)|身份证|护照|الهوية|هوية|جواز السفر|جواز|الرقم الوطني"
)
#: The ID word, a few words without digits or a sentence's end ("number is", "no.", "n°"), then the number
#: whole, with all its groups and an optional letter prefix.
_ID_AFTER_WORD = re.compile(
    rf"(?<!\w)(?:{_ID_WORD})(?:[^\d\n.!?;。]|(?<=[Nn][or])\.|(?<=I\.D)\.){{0,25}}?"
    rf"(?P<number>(?<![A-Za-z\d])(?:[A-Z]{{1,3}}[-‐ ]?)?\d[\d{_SEPARATORS}]*\d)(?![\dA-Za-z])"
)


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
    references = [m.span() for m in (*_SYMBOL.finditer(text), *_YEARS.finditer(text))]

    def free(start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in found) and all(
            end <= first or start >= last for first, last in references
        )

    for match in _EMAIL.finditer(text):
        found.append(Suggestion("email", match.start(), match.end(), match.group()))
    for match in _ID_AFTER_WORD.finditer(text):
        number = match.group("number").rstrip(" .-/(")
        start = match.start("number")
        if sum(char.isdecimal() for char in number) >= 6 and free(start, start + len(number)):
            found.append(Suggestion("id", start, start + len(number), number))
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
