"""The one definition of what no text needs (consult.text), and the writers that use it without HTTP."""

import enum
import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

from flask import render_template_string
from markupsafe import Markup

from consult.mail import compose
from consult.text import safe_data, safe_output, safe_text

#: Each code point no text needs, from Unicode's own definitions rather than the module's pattern.
REMOVED = frozenset(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]  # C0 but tab, line feed, carriage return
    + [*range(0x7F, 0xA0)]  # DEL and C1
    + [*range(0xD800, 0xE000)]  # surrogates: alone in a str, they cannot be UTF-8
    + [*range(0xFDD0, 0xFDF0)]
    + [plane << 16 | last for plane in range(17) for last in (0xFFFE, 0xFFFF)]  # the 66 non-characters
)


def test_exactly_the_characters_no_text_needs_are_removed_from_all_of_unicode():
    everything = "".join(map(chr, range(0x110000)))
    kept = safe_text(everything)
    assert len(everything) - len(kept) == len(REMOVED) == 2176
    assert kept == "".join(chr(c) for c in range(0x110000) if c not in REMOVED)


def test_text_is_otherwise_kept_as_typed():
    typed = "Línea\tuno\r\nمركز\u200cحقوق\u202e ZWJ\u200d 中文 \U0001f600 \ufffd"
    assert safe_text(typed) == typed
    assert safe_text("Be\x00fo\x0bre\x85 af\ufffeter\udc80") == "Before after"


class Colour(enum.StrEnum):
    red = "re\x0bd"


class Pair(NamedTuple):
    label: str
    count: int


@dataclass(frozen=True)
class Line:
    label: str
    pairs: list[Pair]
    colour: Colour


def test_data_is_cleaned_through_mappings_lists_tuples_and_dataclasses_keeping_their_types():
    value = {"k\x0b": [Line("a\x0cb", [Pair("c\x85", 3)], Colour.red), ("d\ufdd0", 1.5, None)]}
    cleaned = safe_data(value)
    assert cleaned == {"k": [Line("ab", [Pair("c", 3)], Colour.red), ("d", 1.5, None)]}
    line = cleaned["k"][0]
    assert isinstance(line.pairs[0], Pair) and line.colour is Colour.red  # a member is code, not text


def test_a_template_prints_no_such_character_and_markup_stays_markup(ctx):
    page = render_template_string(
        "<p>{{ text }}</p>{{ markup }}{{ number }}",
        text="<b>\x0bbold\ufffe</b>",
        markup=Markup("<i>\x1bitalic</i>"),
        number=7,
    )
    assert page == "<p>&lt;b&gt;bold&lt;/b&gt;</p><i>italic</i>7"
    assert safe_output(Markup("<b>x\x0c</b>")) == Markup("<b>x</b>")


def test_json_answers_carry_no_such_character(ctx):
    with ctx.test_request_context():
        body = ctx.json.response({"text": "a\x0bb\udc80c", "list": ["\x85d"]}).get_data(as_text=True)
    assert json.loads(body) == {"text": "abc", "list": ["d"]}


def test_an_e_mail_is_one_line_of_subject_and_a_body_of_text(ctx):
    """A stored name or title goes into e-mails too: a subject (one line, or the message fails) and a body."""
    person = SimpleNamespace(display_name="Ol\x0bga\ufffe")
    with ctx.test_request_context():
        mail = compose(
            "a@example.org", "Round\r\nBcc: x@example.org\x0b", "verify_email", "en", user=person, link="/"
        )
    assert mail.subject == "Round Bcc: x@example.org"
    assert "Hello Olga," in mail.body
