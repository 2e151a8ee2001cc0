"""Charts of a round's figures, drawn on the server as SVG with pygal: no JavaScript, nothing from
another host. Each chart carries a title, and every page that shows one shows its figures as a table."""

import sys
from unicodedata import east_asian_width

import pygal
from flask_babel import gettext as _
from lxml import etree
from pygal.style import Style

from consult import disclosure
from consult.comments.models import Assessment
from consult.summaries.figures import Shown
from consult.text import safe_data

# pygal puts an import hook on sys.meta_path for its map plugins, which we do not use; it answers every
# later import with an ImportWarning (find_module is gone). Take it off.
sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)]

#: The site's colours; the font is the reader's own sans-serif, which shapes Arabic and Chinese.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#5a5a5a",
    colors=("#1f5f8b", "#c0392b", "#e0a800", "#2e7d32", "#6d6d6d"),
    font_family="'Noto Sans', 'DejaVu Sans', sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    title_font_size=16,
    #: pygal's own is 64: "No input yet" then covers the labels of rows whose counts are hidden.
    no_data_font_size=16,
)

#: The charts a round has, each drawn from one breakdown of `figures.labelled`.
CHARTS = ("stakeholders", "clusters", "languages", "assessments")


def titles() -> dict[str, str]:
    """Each chart's title in the reader's language."""
    return {
        "stakeholders": _("Participation by stakeholder type"),
        "clusters": _("Participation by thematic cluster"),
        "languages": _("Participation by language"),
        "assessments": _("Assessments of implementation, by recommendation"),
    }


def _wide_extra(labels: list[str]) -> int:
    """Pixels pygal's label estimate misses for the widest label: it counts a Chinese character as one
    Latin one, though it takes twice the room."""
    wide = max((sum(east_asian_width(c) in "WF" for c in label) for label in labels), default=0)
    return int(wide * STYLE.label_font_size * 0.6)


def _config(rows: int, largest: int) -> dict:
    """What every chart shares: no script, the site's style, whole numbers on the axis. The title is the
    drawing's <title> and the page's caption, not drawn twice."""
    step = max(1, -(-largest // 5))
    return {
        "js": [],
        "style": STYLE,
        "y_labels": list(range(0, largest + step, step)),
        "width": 720,
        "height": max(160, 70 + 34 * rows),
        "explicit_size": True,
        "print_values": True,
        "show_y_guides": False,
        "truncate_label": 60,
        "no_data_text": _("No input yet"),
    }


def _finish(chart: pygal.graph.graph.Graph, title: str) -> bytes:
    """The drawing as SVG, with an accessible name (a <title> first thing, role img), the small-count rule as
    its description, and without the script pygal always adds for its interactive tooltips: these charts
    are pictures."""
    root = chart.render_tree()
    for script in [element for element in root.iter() if element.tag == "script"]:
        script.getparent().remove(script)
    # pygal keeps an empty part of a stack as a bar of length 0 that says "0": a withheld count is not 0.
    for value in [e for e in root.iter() if e.tag == "desc" and e.get("class") == "value" and e.text == "0"]:
        bar = value.getparent()
        bar.getparent().remove(bar)
    named = etree.Element("title")
    named.text = title
    described = etree.Element("desc")
    described.text = disclosure.note()
    root.insert(0, named)
    root.insert(1, described)
    root.set("role", "img")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _label(label: str, count: disclosure.Count) -> str:
    """A bar's label; a withheld count has no bar (its length would be the number), and says so."""
    if count.shown:
        return label
    return _("%(label)s (%(figure)s)", label=label, figure=disclosure.words(count))


def breakdown_chart(name: str, rows: list[Shown]) -> bytes:
    """A horizontal bar per row: voices for each stakeholder type, cluster or language."""
    title = titles()[name]
    labels = [_label(row.label, row.count) for row in rows]
    settings = _config(len(rows), max((row.count.value or 0 for row in rows), default=0))
    if rows and not any(row.count.shown for row in rows):
        # There is input, in counts too small to draw: "No input yet" would not be true.
        settings["no_data_text"] = _("Every count here is too small to show")
    chart = pygal.HorizontalBar(show_legend=False, margin_left=_wide_extra(labels), **settings)
    # pygal draws the first row at the bottom
    chart.x_labels = list(reversed(labels))
    chart.add(_("Voices"), [row.count.value for row in reversed(rows)])
    return _finish(chart, title)


def assessments_chart(assessments: list[dict]) -> bytes:
    """For each recommendation, its assessments stacked: not started, partly, fully, don't know."""
    title = titles()["assessments"]
    shown = assessments[:15]
    # A stack is as long as its visible parts: the total where every part is published.
    largest = max((sum(c.value or 0 for _v, _l, c in item["counts"]) for item in shown), default=0)
    labels = [
        item["label"]
        if all(c.shown for _v, _l, c in item["counts"])
        else _("%(label)s (%(figure)s)", label=item["label"], figure=_("some counts not shown"))
        for item in shown
    ]
    chart = pygal.HorizontalStackedBar(
        legend_at_bottom=True,
        print_zeroes=False,
        margin_left=_wide_extra(labels),
        **_config(len(shown) + 1, largest),
    )
    ordered = list(reversed(shown))
    chart.x_labels = list(reversed(labels))
    for index, assessment in enumerate(Assessment):
        chart.add(str(assessment.label), [item["counts"][index][2].value or None for item in ordered])
    return _finish(chart, title)


def not_yet(name: str) -> bytes:
    """A chart of a round still open: empty, saying when its figures come (docs/figures.md)."""
    settings = _config(0, 0) | {"no_data_text": _("Published once the round has closed")}
    chart = pygal.HorizontalBar(show_legend=False, **settings)
    chart.add(_("Voices"), [])
    return _finish(chart, titles()[name])


def draw(name: str, breakdowns: dict) -> bytes:
    """The chart of that name from labelled breakdowns; labels as `safe_text` (SVG is XML, which a stored
    control character would make fail)."""
    breakdowns = safe_data(breakdowns)
    if name == "assessments":
        return assessments_chart(breakdowns["assessments"])
    return breakdown_chart(name, breakdowns[name])
