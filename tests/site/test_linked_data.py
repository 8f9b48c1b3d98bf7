"""schema.org JSON-LD on the process, state, organisation and meeting pages: valid JSON, the right types,
members as ``member``, sources as ``citation``, and no query of its own."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processes import enums
from tests import factories as f

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def linked_data(response):
    assert response.status_code == 200
    blocks = SCRIPT.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def world(db):
    report = f.SourceFactory(title="Report </script><b>", url="https://example.org/report")
    process = f.ProcessFactory(
        name="Budapest Process", short_name="Budapest", slug="budapest", established_year=1991
    )
    turkiye = f.StateFactory(code="TR")
    former = f.StateFactory(code="HU")
    membership = f.MembershipFactory(process=process, state=turkiye)
    membership.sources.set([report])
    f.MembershipFactory(process=process, state=former, since=1995, until=2000)
    icmpd = f.OrganizationFactory(name="ICMPD", slug="icmpd", acronym="ICMPD")
    role = f.OrganizationRoleFactory(
        process=process, organization=icmpd, role=enums.OrganizationRoleKind.MEMBER
    )
    role.sources.set([report])
    f.WorkshopFactory(
        title="Geneva workshop",
        slug="geneva",
        start_date=datetime.date(2005, 4, 14),
        end_date=datetime.date(2005, 4, 15),
        city="Geneva",
        country="CH",
        processes=[process],
    )
    return process


def test_process_page_is_an_organization_with_members_and_citations(client, world):
    data = linked_data(client.get("/en/processes/budapest/"))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Budapest Process"
    assert data["foundingDate"] == "1991"
    assert data["member"] == [
        {"@type": "Country", "name": "Türkiye", "identifier": "TR", "url": "http://testserver/en/states/TR/"}
    ]  # Hungary left in 2000: not a member now
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Report </script><b>",
            "url": "https://example.org/report",
            "publisher": {"@type": "Organization", "name": "IOM"},
        }
    ]


def test_state_page_is_a_country(client, world):
    data = linked_data(client.get("/fr/states/TR/"))

    assert data["@type"] == "Country"
    assert data["identifier"] == "TR"
    assert [process["name"] for process in data["memberOf"]] == ["Budapest Process"]
    assert [work["name"] for work in data["citation"]] == ["Report </script><b>"]


def test_organization_page_is_an_organization(client, world):
    data = linked_data(client.get("/en/organizations/icmpd/"))

    assert (data["@type"], data["name"], data["alternateName"]) == ("Organization", "ICMPD", "ICMPD")
    assert [process["url"] for process in data["memberOf"]] == ["http://testserver/en/processes/budapest/"]
    assert len(data["citation"]) == 1


def test_meeting_page_is_an_event(client, world):
    data = linked_data(client.get("/en/workshops/geneva/"))

    assert data["@type"] == "Event"
    assert (data["startDate"], data["endDate"]) == ("2005-04-14", "2005-04-15")
    assert data["location"] == {
        "@type": "Place",
        "name": "Geneva",
        "address": {"@type": "PostalAddress", "addressLocality": "Geneva", "addressCountry": "CH"},
    }
    assert [process["name"] for process in data["attendee"]] == ["Budapest Process"]


def test_linked_data_is_escaped_and_runs_no_query_of_its_own(client, world):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/processes/budapest/")

    html = response.content.decode()
    assert "Report \\u003C/script\\u003E\\u003Cb\\u003E" in html
    assert len(queries) == 17  # the profile's own fixed number of queries for this process
