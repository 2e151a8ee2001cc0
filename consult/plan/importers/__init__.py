"""Readers of recommendation files; each turns files into RecommendationRecords and ImportProblems."""

from collections.abc import Callable
from importlib import import_module

from flask_babel import lazy_gettext as _l

from consult.plan.importers.records import ReadResult

#: Import kind → (module, function, what a person calls it). Modules load on first use.
READERS: dict[str, tuple[str, str, object]] = {
    "upr-info": ("consult.plan.importers.upr_info", "read_upr_info", _l("UPR Info database export (CSV)")),
    "ohchr-matrix": (
        "consult.plan.importers.ohchr_matrix",
        "read_ohchr_matrix",
        _l("OHCHR thematic list of recommendations (DOCX)"),
    ),
    "uhri": (
        "consult.plan.importers.uhri",
        "read_uhri",
        _l("Universal Human Rights Index export (XLSX or JSON)"),
    ),
    "template": ("consult.plan.importers.template", "read_template", _l("consult's template (CSV or XLSX)")),
}


def reader_for(kind: str) -> Callable[..., ReadResult]:
    """The reading function for an import kind."""
    module, function, _label = READERS[kind]
    return getattr(import_module(module), function)
