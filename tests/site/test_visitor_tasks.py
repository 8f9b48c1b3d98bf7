"""The four things a new visitor must manage without reading anything (issue 5), on the demo data."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.fixture
def demo(shipped_states):
    call_command("load_demo", verbosity=0)


def linked_processes(html):
    return sorted(set(re.findall(r'<a href="/en/processes/([a-z0-9-]+)/"', html)))


def test_visitor_finds_which_processes_mexico_belongs_to(client, demo):
    response = client.get(reverse("processes:state-detail", args=["MX"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mexico" in html
    # Member of the Puebla Process, observer of the Lima Process; in no other process.
    assert linked_processes(html.split("<main", 1)[1]) == ["lima", "puebla"]


def test_visitor_lists_the_asian_processes_that_work_on_trafficking(client, demo):
    response = client.get(reverse("processes:process-list"), {"region": "asia", "theme": "trafficking"})

    html = response.content.decode()
    assert response.status_code == 200
    # Colombo is in Asia but has no trafficking theme; Lima works on trafficking but is not in Asia.
    results = html.split('class="result-count"', 1)[1]
    assert linked_processes(results) == ["apc", "bali"]


def test_visitor_reads_what_the_workshop_concluded_on_funding(client, demo):
    response = client.get(reverse("workshops:recommendation-list"), {"q": "funding"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Funding, including by a greater number of participating states" in html
    assert "engagement with international business" not in html


def test_visitor_finds_every_finding_that_mentions_secretariat(client, demo):
    response = client.get(reverse("workshops:finding-list"), {"q": "secretariat"})

    html = response.content.decode()
    assert response.status_code == 200
    # Paragraphs 1, 17, 27, 36, 47 and 49 of the report say "secretariat(s)"; no other does.
    assert '<p class="result-count" role="status">6 results</p>' in html
    assert re.findall(r'#finding-(\d+)">Paragraph', html) == ["1", "17", "27", "36", "47", "49"]
