"""Text that every format can carry: what a person typed, less the characters no text needs.

One definition serves both ends. At input (every form's text fields, importers, uploaded documents' text)
the characters are removed, not refused: they are invisible, the person cannot see or find them to take them
out, and they come from pasting (a PDF's form feed, a vertical tab from a spreadsheet cell, a C1 control
from text decoded in the wrong code page). At output every writer (the Atom feed, CSV, XLSX, DOCX, PDF,
JSON) passes its text through the same function, so that a row stored before this rule, or by a path that
missed it, can never make a file that does not open or a feed that does not parse.
"""

import dataclasses
import enum
import re
from typing import Any

from markupsafe import Markup

#: The characters removed, those of the Basic Multilingual Plane: the C0 controls but tab, line feed and
#: carriage return (XML 1.0 cannot hold them: a Word document, a workbook or a feed with one does not open);
#: DEL and the C1 controls; lone surrogates, which UTF-8 cannot encode; and the non-characters U+FDD0 to
#: U+FDEF, U+FFFE and U+FFFF, which Unicode keeps out of interchange and XML forbids in part.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
#: Runs of characters from U+1FFFE on, among which are the other planes' non-characters (the last two code
#: points of each plane), checked one by one: a pattern listing those 32 makes all text several times slower.
HIGH = re.compile("[\U0001fffe-\U0010ffff]+")


def _characters(run: re.Match) -> str:
    return "".join(char for char in run.group() if ord(char) & 0xFFFE != 0xFFFE)


def safe_text(text: str) -> str:
    """text without control characters (but tab and line breaks), non-characters and lone surrogates."""
    return HIGH.sub(_characters, NOT_TEXT.sub("", text))


def safe_data(value: Any) -> Any:
    """A value with every string in it made `safe_text`: in mappings (keys too), lists and dataclasses, as
    JSON or a record read from a file holds them. Enum members, numbers and dates are kept as they are."""
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return safe_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: safe_data(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {safe_data(key): safe_data(item) for key, item in value.items()}
    if isinstance(value, tuple):
        items = (safe_data(item) for item in value)
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list):
        return [safe_data(item) for item in value]
    return value


def safe_output(value: Any) -> Any:
    """What a template prints, as `safe_text` (the templates' finalize): markup stays markup."""
    if isinstance(value, Markup):
        return Markup(safe_text(value))  # noqa: S704 - markup already; removing characters adds no markup
    return safe_text(value) if isinstance(value, str) else value
