"""What every reader of recommendation files produces: plain records, and problems naming file, row, field."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

from consult.plan.models import Mechanism, Position


@dataclass
class ClusterRecord:
    """A thematic cluster as a source file names it (an OHCHR matrix heading, a template column)."""

    #: Stable within the source, used as the cluster's code: "C4-1", "A12", a slug of the heading…
    code: str
    title: str


@dataclass
class RecommendationRecord:
    """One recommendation as read from a file, before it meets the database."""

    #: Where it came from and its key there, stable across re-imports of the same file:
    #: "upr-info:<digest>", "ohchr:<cycle>:<paragraph>", "uhri:<AnnotationId>", "template:<id>".
    source_key: str
    mechanism: Mechanism
    #: "UPR", or the treaty body ("CEDAW", "CRC"…) or special procedure.
    body: str
    #: Language code → text; at least one entry, none empty.
    texts: dict[str, str]
    #: The language the recommendation was made in (a key of texts).
    original_language: str
    state_under_review: str | None = None
    symbol: str | None = None
    paragraph: str | None = None
    cycle: int | None = None
    session: str | None = None
    issued_on: date | None = None
    position: Position | None = None
    #: Where the position was given, e.g. "A/HRC/48/7/Add.1" or "para. 5".
    position_source: str | None = None
    #: UPR Info's action category, 1 to 5.
    upr_info_category: int | None = None
    recommending_states: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    affected_groups: list[str] = field(default_factory=list)
    #: SDG targets as codes: "5.1", "16.a".
    sdgs: list[str] = field(default_factory=list)
    upr_info_issues: list[str] = field(default_factory=list)
    cluster: ClusterRecord | None = None
    #: Where in the file it was read (the first row, for several rows merged), for messages.
    file: str = ""
    row: int = 0

    def digest(self) -> str:
        """A hash of everything the record says (not where it was read): equal digests, nothing to update."""
        content = asdict(self)
        content.pop("file")
        content.pop("row")
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class ImportProblem:
    """Why a row (or a whole file) cannot be imported: file, row (0 for the file), field, message."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class ReadResult:
    """What a reader found in one or more files."""

    records: list[RecommendationRecord] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    #: Input rows read; for UPR Info several rows make one record.
    rows: int = 0
