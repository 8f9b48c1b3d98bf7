"""Cite this page (issue 19): five formats with the permanent dated address and the access date."""

import datetime
import json
from unittest import mock

import pytest
from django.urls import reverse

from tests import factories as f
from tests.site.history_dates import on_day

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
URL = "http://testserver/en/processes/puebla/?as_of=2026-03-03"

APA = (
    "rcpdb. (2026, March 3). Puebla Process (RCM) [Process profile]. rcpdb: knowledge base of the "
    "Regional Consultative Processes on migration. Retrieved December 1, 2026, from " + URL
)
CHICAGO = (
    'rcpdb. "Puebla Process (RCM)." Process profile, as it stood on March 3, 2026. rcpdb: knowledge base '
    "of the Regional Consultative Processes on migration. Accessed December 1, 2026. " + URL + "."
)
BIBTEX = (
    "@misc{rcpdb-process-puebla-20260303,\n"
    "  author = {{rcpdb}},\n"
    "  title = {Puebla Process (RCM)},\n"
    "  howpublished = {\\url{" + URL + "}},\n"
    "  url = {" + URL + "},\n"
    "  year = {2026},\n"
    "  month = mar,\n"
    "  note = {Process profile as it stood on 2026-03-03; accessed 2026-12-01},\n"
    "  urldate = {2026-12-01},\n"
    "  organization = {rcpdb}\n"
    "}\n"
)
RIS = (
    "TY  - ELEC\r\nID  - rcpdb-process-puebla-20260303\r\nAU  - rcpdb\r\nTI  - Puebla Process (RCM)\r\n"
    "T2  - rcpdb: knowledge base of the Regional Consultative Processes on migration\r\nPB  - rcpdb\r\n"
    "PY  - 2026\r\nDA  - 2026/03/03\r\nY2  - 2026/12/01\r\nUR  - " + URL + "\r\n"
    "N1  - Process profile as it stood on 2026-03-03\r\nER  - \r\n"
)
CSL = [
    {
        "id": "rcpdb-process-puebla-20260303",
        "type": "webpage",
        "title": "Puebla Process (RCM)",
        "author": [{"literal": "rcpdb"}],
        "publisher": "rcpdb",
        "container-title": "rcpdb: knowledge base of the Regional Consultative Processes on migration",
        "genre": "Process profile",
        "issued": {"date-parts": [[2026, 3, 3]]},
        "accessed": {"date-parts": [[2026, 12, 1]]},
        "URL": URL,
    }
]


@pytest.fixture(autouse=True)
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


@pytest.fixture
def puebla():
    with on_day(datetime.date(2026, 1, 5)):
        return f.ProcessFactory(slug="puebla", short_name="Puebla Process", acronym="RCM")


def download(client, fmt, as_of="2026-03-03", kind="process", key="puebla"):
    url = reverse("site:cite-download", kwargs={"kind": kind, "key": key, "fmt": fmt})
    return client.get(url, {"as_of": as_of} if as_of else {})


@pytest.mark.parametrize(
    ("fmt", "expected", "media_type", "extension"),
    [
        ("apa", APA, "text/plain", "txt"),
        ("chicago", CHICAGO, "text/plain", "txt"),
        ("bibtex", BIBTEX, "application/x-bibtex", "bib"),
        ("ris", RIS, "application/x-research-info-systems", "ris"),
    ],
)
def test_each_text_format_of_a_dated_version(client, puebla, fmt, expected, media_type, extension):
    response = download(client, fmt)
    assert response.status_code == 200
    assert response.content.decode() == expected
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="rcpdb-process-puebla-20260303-{fmt}.{extension}"'
    )


def test_csl_json_of_a_dated_version(client, puebla):
    response = download(client, "csl-json")
    assert json.loads(response.content) == CSL


def test_dated_page_shows_every_format_and_citation_meta_tags(client, puebla):
    html = client.get("/en/processes/puebla/", {"as_of": "2026-03-03"}).content.decode()
    assert APA in html
    assert CHICAGO.replace('"', "&quot;") in html
    assert "@misc{rcpdb-process-puebla-20260303," in html
    assert "TY  - ELEC" in html and "&quot;type&quot;: &quot;webpage&quot;" in html
    assert '<meta name="citation_title" content="Puebla Process (RCM)">' in html
    assert '<meta name="citation_date" content="2026/03/03">' in html
    assert f'<meta name="citation_public_url" content="{URL.replace("&", "&amp;")}">' in html
    assert 'href="/en/cite/process/puebla/bibtex?as_of=2026-03-03"' in html
    assert '<script src="/static/js/cite.js" defer></script>' in html


def test_current_page_is_cited_as_of_the_day_of_access(client, puebla):
    html = client.get("/en/processes/puebla/").content.decode()
    assert (
        "rcpdb. (2026, December 1). Puebla Process (RCM) [Process profile]. rcpdb: knowledge base of the "
        "Regional Consultative Processes on migration. Retrieved December 1, 2026, from "
        "http://testserver/en/processes/puebla/?as_of=2026-12-01"
    ) in html


def test_state_organization_and_meeting_citations(client):
    # Recorded the day before the (mocked) access date, whatever the real date of the run.
    with on_day(TODAY - datetime.timedelta(days=1)):
        f.StateFactory(code="MX")
        f.OrganizationFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
        f.WorkshopFactory(slug="bangkok", title="Bangkok workshop")
    assert (
        download(client, "apa", None, "state", "mx")
        .content.decode()
        .startswith("rcpdb. (2026, December 1). Mexico [State profile].")
    )
    assert (
        download(client, "apa", None, "organization", "iom")
        .content.decode()
        .startswith(
            "rcpdb. (2026, December 1). International Organization for Migration (IOM) "
            "[Organisation profile]."
        )
    )
    assert (
        download(client, "ris", None, "meeting", "bangkok")
        .content.decode()
        .startswith(
            "TY  - ELEC\r\nID  - rcpdb-meeting-bangkok-20261201\r\nAU  - rcpdb\r\nTI  - Bangkok workshop\r\n"
        )
    )


def test_bad_citation_requests(client, puebla):
    assert download(client, "apa", "03/03/2026").status_code == 400
    assert download(client, "mla").status_code == 404
    assert download(client, "apa", kind="person").status_code == 404
    assert download(client, "apa", "2025-12-31").status_code == 404
