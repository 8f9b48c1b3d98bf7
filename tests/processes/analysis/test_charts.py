"""The SVG charts: the simplified world map and markup that a strict CSP accepts."""

import gzip
import re

import pytest
from django.urls import reverse

from processes import charts
from tests import factories as f


def test_world_geometry_is_simplified_from_pygal_maps_world():
    view_box, shapes = charts.world_geometry()

    by_code = {shape.code: shape for shape in shapes}
    assert view_box == (0, 0, 1836, 932)
    assert {"MX", "TR", "ZA", "FR", "US"} <= set(by_code)
    assert by_code["MX"].path.startswith("M")
    assert by_code["AD"].marker is not None  # a small state keeps its marker
    outlines = "".join(shape.path for shape in shapes)
    assert re.search(r"\d\.\d", outlines) is None  # whole units only
    assert len(gzip.compress(outlines.encode())) < 40 * 1024


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
