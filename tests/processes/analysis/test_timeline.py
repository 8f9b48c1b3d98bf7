"""Processes by year established: order, chart and its text alternative."""

import re

import pytest
from django.urls import reverse

from processes import analysis, charts
from processes.analysis_views import timeline_context
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated_processes():
    f.ProcessFactory(short_name="Puebla Process", name="Regional Conference on Migration", acronym="RCM",
                     slug="puebla", established_year=1996)  # fmt: skip
    f.ProcessFactory(short_name="IGC", name="IGC", acronym="IGC", slug="igc", established_year=1985)
    f.ProcessFactory(short_name="Colombo Process", acronym="", slug="colombo", established_year=2003)
    f.ProcessFactory(short_name="Bali Process", acronym="BP", slug="bali", established_year=2002)
    f.ProcessFactory(short_name="Almaty Process", acronym="AP", slug="almaty", established_year=2003)
    f.ProcessFactory(short_name="Undated Dialogue", acronym="UD", slug="undated", established_year=None)


def test_processes_by_year_go_oldest_first_with_undated_last(dated_processes):
    years = analysis.processes_by_year()

    assert [(entry.year, [p.slug for p in entry.processes]) for entry in years] == [
        (1985, ["igc"]),
        (1996, ["puebla"]),
        (2002, ["bali"]),
        (2003, ["almaty", "colombo"]),
        (None, ["undated"]),
    ]


def test_timeline_page_gives_the_chart_and_its_text_alternative(client, dated_processes):
    response = client.get(reverse("processes:timeline"))

    assert response.status_code == 200
    content = response.content.decode()
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 1000 100" role="img" '
        'aria-labelledby="timeline-title timeline-desc"><title id="timeline-title">Processes by year '
        'established</title><desc id="timeline-desc">5 processes established between 1985 and 2003; the '
        "list that follows gives each year and process.</desc>"
    ) in content
    labels = re.findall(
        r'<text class="timeline-label" x="(\d+)" y="(\d+)">([^<]*)<title>([^<]*)</title>', content
    )
    # Both 2003 labels at the same x: the second goes one row up (20 px) instead of overlapping.
    assert labels == [
        ("32", "48", "IGC", "IGC"),
        ("528", "48", "RCM", "Regional Conference on Migration"),
        ("798", "48", "BP", labels[2][3]),
        ("843", "48", "AP", labels[3][3]),
        ("843", "28", "Colombo Process", labels[4][3]),
    ]
    abbreviations = re.findall(r"<div><dt>([^<]*)</dt><dd>([^<]*)</dd></div>", content)
    assert [label for label, _name in abbreviations] == ["AP", "BP", "RCM"]  # acronyms only
    assert ("RCM", "Regional Conference on Migration") in abbreviations
    years = re.findall(r'<span class="timeline-list-year">([^<]*)</span>', content)
    assert years == ["1985", "1996", "2002", "2003", "Year not known"]
    listed = re.findall(r'<a href="/en/processes/([\w-]+)/">', content.split('class="timeline-list"')[1])
    assert listed == ["igc", "puebla", "bali", "almaty", "colombo", "undated"]
    assert (
        'Puebla Process</a> <span class="text-body-secondary">(Regional Conference on Migration)</span>'
        in content
    )


def test_timeline_include_renders_for_the_home_page_with_its_own_ids(dated_processes):
    html = timeline_context(id_prefix="home-timeline", compact=True)["timeline_html"]

    assert 'aria-labelledby="home-timeline-title home-timeline-desc"' in html
    assert '<ol class="timeline-list">' in html


def test_timeline_page_without_processes_says_so(client):
    response = client.get(reverse("processes:timeline"))

    assert response.status_code == 200
    assert "No process has been recorded yet." in response.content.decode()
    assert "<svg" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_timeline_query_count_is_constant(client, django_assert_num_queries, count):
    for year in range(count):
        f.ProcessFactory(established_year=1990 + year)

    with django_assert_num_queries(1):
        response = client.get(reverse("processes:timeline"))

    assert response.status_code == 200


def test_pack_labels_puts_overlapping_labels_in_new_rows_and_reuses_free_ones():
    assert charts.pack_labels([(0, 50), (30, 50), (65, 20), (90, 10), (200, 5)]) == [0, 1, 0, 1, 0]


def test_many_processes_are_drawn_as_one_bar_per_year(client):
    for n in range(charts.TIMELINE_AGGREGATE_ABOVE + 1):
        f.ProcessFactory(established_year=1990 + n % 3)

    content = client.get(reverse("processes:timeline")).content.decode()

    assert 'class="timeline-label"' not in content
    bars = re.findall(r'<rect class="timeline-bar"[^>]*><title>([^<]*)</title>', content)
    assert bars == ["1990: 14 processes", "1991: 14 processes", "1992: 13 processes"]
    assert "One bar per year: its height is the number of processes established that year." in content


def test_axis_years_are_spaced_to_never_touch():
    assert charts._tick_years(1985, 2003, 45) == list(range(1986, 2003, 2))  # round years
    assert charts._tick_years(1960, 2025, 14) == [
        1960,
        1965,
        1970,
        1975,
        1980,
        1985,
        1990,
        1995,
        2000,
        2005,
        2010,
        2015,
        2020,
        2025,
    ]
    assert charts._tick_years(2000, 2004, 200) == [2000, 2001, 2002, 2003, 2004]
