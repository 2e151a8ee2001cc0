"""What the files the site serves and writes say of time: the day, never finer.

The minute a file was uploaded or an export was written is a clue a hostile reader can set beside the
minute a named comment was sent. So served files carry the day at most: `Last-Modified` is the day's start,
an `ETag` is made of neither a time nor a row id, and the zip archives the site writes (XLSX, DOCX) date
their members, and their `docProps/core.xml`, at the day's start.
"""

import hashlib
import io
import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from consult.database import utcnow

#: The creation, change and printing times an Office document's core properties hold.
_CORE_TIMES = re.compile(
    rb"(<(dcterms:created|dcterms:modified|cp:lastPrinted)\b[^>]*>)[^<]*(</\2>)",
)


def day_of(moment: datetime | None = None) -> datetime:
    """The start (00:00 UTC) of the day of a moment, by default of now."""
    moment = (moment or utcnow()).astimezone(UTC)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)


def opaque_etag(*parts: object) -> str:
    """An entity tag made of what names the content (a public id, a size), never of a time or a row id."""
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:32]


def _core_at_day(xml: bytes, day: datetime) -> bytes:
    stamp = day.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), xml)


def zip_at_day(source: Path | BinaryIO, target: Path | BinaryIO, day: datetime | None = None) -> None:
    """Copy a zip archive (XLSX, DOCX) member by member, each dated at the day's start, with the times of its
    core properties set to the day too. Members are streamed, so memory stays flat however large the file."""
    day = day_of(day)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for member in old.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = member.compress_type
            info.external_attr = member.external_attr
            info.create_system = member.create_system
            if member.filename == "docProps/core.xml":
                new.writestr(info, _core_at_day(old.read(member), day))
                continue
            with old.open(member) as reading, new.open(info, "w") as writing:
                shutil.copyfileobj(reading, writing, 64 * 1024)


def zip_bytes_at_day(data: bytes, day: datetime | None = None) -> bytes:
    """zip_at_day for an archive held in memory (a report of a few pages)."""
    target = io.BytesIO()
    zip_at_day(io.BytesIO(data), target, day)
    return target.getvalue()
