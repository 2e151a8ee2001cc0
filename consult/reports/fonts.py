"""The fonts the PDF report is set in, found on disk from Debian's packages.

A report may hold any of the six UN languages, and a quotation may be in another language than the
report: Latin, Cyrillic and Greek come from Noto Sans, Arabic from Noto Naskh Arabic, Chinese from Noto
Sans CJK (the simplified Chinese face of its collection). DejaVu Sans is the last resort for Latin,
Cyrillic and Arabic; nothing replaces the CJK font. Run `python -m consult.reports.fonts` to check a
machine: it names the Debian packages to install.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

#: Index of "Noto Sans CJK SC" in Debian's NotoSansCJK-*.ttc (JP, KR, SC, TC, HK, then the Mono faces).
CJK_SIMPLIFIED = 2


@dataclass(frozen=True)
class FontFile:
    """A font file, the face in it (for a collection), and the Debian package that installs it."""

    path: Path
    package: str
    collection_index: int = 0


@dataclass(frozen=True)
class Script:
    """A writing system the report may need, with its candidate fonts by style, best first."""

    name: str
    regular: tuple[FontFile, ...]
    bold: tuple[FontFile, ...]

    @property
    def packages(self) -> list[str]:
        """The Debian packages whose fonts would serve this script."""
        return list(dict.fromkeys(f.package for f in self.regular))


SCRIPTS = (
    Script(
        "latin",
        regular=(
            FontFile(NOTO / "NotoSans-Regular.ttf", "fonts-noto-core"),
            FontFile(DEJAVU / "DejaVuSans.ttf", "fonts-dejavu-core"),
        ),
        bold=(
            FontFile(NOTO / "NotoSans-Bold.ttf", "fonts-noto-core"),
            FontFile(DEJAVU / "DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
        ),
    ),
    Script(
        "arabic",
        regular=(
            FontFile(NOTO / "NotoNaskhArabic-Regular.ttf", "fonts-noto-core"),
            FontFile(NOTO / "NotoSansArabic-Regular.ttf", "fonts-noto-core"),
            FontFile(DEJAVU / "DejaVuSans.ttf", "fonts-dejavu-core"),
        ),
        bold=(
            FontFile(NOTO / "NotoNaskhArabic-Bold.ttf", "fonts-noto-core"),
            FontFile(NOTO / "NotoSansArabic-Bold.ttf", "fonts-noto-core"),
            FontFile(DEJAVU / "DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
        ),
    ),
    Script(
        "cjk",
        regular=(FontFile(NOTO_CJK / "NotoSansCJK-Regular.ttc", "fonts-noto-cjk", CJK_SIMPLIFIED),),
        bold=(FontFile(NOTO_CJK / "NotoSansCJK-Bold.ttc", "fonts-noto-cjk", CJK_SIMPLIFIED),),
    ),
)

#: What the set-up installs when fonts are missing (DejaVu is a last resort, not a requirement).
PACKAGES = ("fonts-noto-core", "fonts-noto-cjk")


class FontsMissing(Exception):
    """The fonts a report needs are not on this machine; the message names the packages to install."""

    def __init__(self, scripts: list[Script]):
        self.scripts = scripts
        self.packages = list(dict.fromkeys(p for s in scripts for p in s.packages if p in PACKAGES))
        super().__init__(
            "No font for "
            + ", ".join(s.name for s in scripts)
            + " text: install the Debian packages "
            + " ".join(self.packages)
            + " (apt-get install "
            + " ".join(self.packages)
            + ")"
        )


def first_present(candidates: tuple[FontFile, ...]) -> FontFile | None:
    """The first candidate font file that exists on disk."""
    return next((font for font in candidates if font.path.is_file()), None)


def missing(names: tuple[str, ...] = ("latin", "arabic", "cjk")) -> list[Script]:
    """The scripts among names for which no font is installed."""
    return [s for s in SCRIPTS if s.name in names and first_present(s.regular) is None]


def require(names: tuple[str, ...]) -> None:
    """Raise FontsMissing unless every script among names has a font."""
    absent = missing(names)
    if absent:
        raise FontsMissing(absent)


def preferred_missing() -> list[str]:
    """The Noto fonts the set-up should install: those whose files are absent, DejaVu fallbacks aside."""
    wanted = [s.regular[0] for s in SCRIPTS]
    return sorted({f.package for f in wanted if not f.path.is_file()})


def main() -> int:
    """Print whether the report fonts are installed; exit 1, naming the packages, if any is missing."""
    packages = preferred_missing()
    if not packages:
        if "--quiet" not in sys.argv:
            print("report fonts: Noto Sans, Noto Naskh Arabic and Noto Sans CJK are installed")
        return 0
    print(
        "report fonts missing: install the Debian packages "
        + " ".join(packages)
        + " (apt-get install -y "
        + " ".join(packages)
        + "); until then the PDF report answers 503",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
