"""Processes by year established: order, chart and its text alternative."""

import re

import pytest
from django.urls import reverse

from processes import analysis
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
        '<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 800 124" role="img" '
        'aria-labelledby="timeline-title timeline-desc"><title id="timeline-title">Processes by year '
        'established</title><desc id="timeline-desc">5 processes established between 1985 and 2003; the '
        "list that follows gives each year and process.</desc>"
    ) in content
    labels = re.findall(r'<text class="timeline-label"[^>]*>([^<]*)</text>', content)
    assert labels == ["IGC", "RCM", "BP", "AP", "Colombo Process"]
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
