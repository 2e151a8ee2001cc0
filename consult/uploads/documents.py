"""Word, Excel and OpenDocument files cleaned with the documents inside them, each by its own cleaner."""

import io
import zipfile
from dataclasses import dataclass, field

from consult.uploads import odf, ooxml
from consult.uploads.errors import Unclean
from consult.uploads.packages import MAX_UNPACKED_BYTES

#: How many documents deep a document may hold another one (a workbook in a chart in a Word file is one).
MAX_DEPTH = 3


def clean_ooxml(data: bytes, *, remove_names: bool) -> bytes:
    """A Word or Excel file, with the documents inside it, cleaned (see ooxml.clean_ooxml)."""
    return ooxml.clean_ooxml(data, remove_names=remove_names, nested=_Nested(remove_names))


def clean_odf(data: bytes, *, remove_names: bool) -> bytes:
    """An OpenDocument file, with the documents inside it, cleaned (see odf.clean_odf)."""
    return odf.clean_odf(data, remove_names=remove_names, nested=_Nested(remove_names))


@dataclass
class _Budget:
    """What may still be unpacked from the documents inside one attached file."""

    left: int = MAX_UNPACKED_BYTES


@dataclass
class _Nested:
    """Cleans a document found inside another, one level deeper, from one budget shared by every level."""

    remove_names: bool
    depth: int = 1
    budget: _Budget = field(default_factory=_Budget)

    def __call__(self, data: bytes) -> bytes:
        if self.depth > MAX_DEPTH:
            raise Unclean("documents inside documents too deep")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except Exception as error:  # zipfile raises many kinds of error on damaged input
            raise Unclean("a zip inside the document cannot be read") from error
        self.budget.left -= sum(info.file_size for info in infos)
        if self.budget.left < 0:
            raise Unclean("the documents inside the document unpack to too much")
        names = {info.filename for info in infos}
        deeper = _Nested(self.remove_names, self.depth + 1, self.budget)
        if ooxml.CONTENT_TYPES in names:
            return ooxml.clean_ooxml(data, remove_names=self.remove_names, nested=deeper)
        if "mimetype" in names:
            return odf.clean_odf(data, remove_names=self.remove_names, nested=deeper)
        raise Unclean("a zip inside the document that is not a Word, Excel or OpenDocument file")
