"""Follow what changes (issue 19): Atom feeds and the public recent-changes page."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests import factories as f
from tests.site.history_dates import forget_history, on_day

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def records():
    forget_history()
    with on_day(datetime.date(2026, 1, 10)):
        asylum = f.ThemeFactory(name="Asylum", slug="asylum")
        mexico = f.StateFactory(code="MX")
        puebla = f.ProcessFactory(slug="puebla", short_name="Puebla Process", description="Old.")
        bali = f.ProcessFactory(slug="bali", short_name="Bali Process")
    with on_day(datetime.date(2026, 2, 10)):
        puebla.description = "New."
        puebla.save()
        f.MembershipFactory(process=puebla, state=mexico)
        bali.themes.set([asylum])
    return {"puebla": puebla, "bali": bali, "mexico": mexico, "asylum": asylum}


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (the site's own response)
    assert feed.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "updated": entry.find(f"{ATOM}updated").text,
            "links": {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")},
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_process_feed_lists_its_changes_with_links_to_the_version_before(client, records):
    found = entries(client, reverse("site:feed-process", args=["puebla"]))
    assert [e["title"] for e in found] == [
        "Membership of Puebla Process added",
        "Process Puebla Process changed: description",
        "Process Puebla Process added",
    ]
    assert found[0]["links"] == {
        "alternate": "http://testserver/en/processes/puebla/",
        "related": "http://testserver/en/processes/puebla/?as_of=2026-02-09",
    }
    assert found[0]["updated"] == "2026-02-10T12:00:01+00:00"
    assert "related" not in found[2]["links"]  # no version before the process existed


def test_state_and_theme_feeds_keep_to_their_record(client, records):
    state = [e["title"] for e in entries(client, reverse("site:feed-state", args=["MX"]))]
    assert state == ["Membership of Puebla Process added", "State Mexico added"]
    theme = [e["title"] for e in entries(client, reverse("site:feed-theme", args=["asylum"]))]
    assert theme == ["Process Bali Process changed", "Theme Asylum added"]


def test_site_feed_and_the_page_advertising_it(client, records):
    titles = [e["title"] for e in entries(client, reverse("site:feed"))]
    ours = ["Bali Process", "Puebla Process", "Mexico", "Asylum"]
    assert [title for title in titles if any(name in title for name in ours)] == [
        "Process Bali Process changed",
        "Membership of Puebla Process added",
        "Process Puebla Process changed: description",
        "Process Bali Process added",
        "Process Puebla Process added",
        "State Mexico added",
        "Theme Asylum added",
    ]
    html = client.get("/en/processes/puebla/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Recent changes in rcpdb" '
        'href="/en/changes/feed.atom">'
    ) in html
    assert 'title="Changes to Puebla Process" href="/en/processes/puebla/changes.atom">' in html


def test_recent_changes_page_filters_by_process(client, records):
    html = client.get(reverse("site:recent-changes"), {"process": "puebla"}).content.decode()
    assert "Membership of Puebla Process added" in html
    assert "Bali Process" not in html.split('class="list-unstyled recent-changes"')[1]
    assert 'href="/en/processes/puebla/?as_of=2026-02-09">version before the change' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "x"}, "The page number must be a whole number from 1 to 10."),
        ({"page": "11"}, "The page number must be a whole number from 1 to 10."),
        ({"process": "nowhere"}, "There is no such process, state or theme."),
        ({"process": "puebla", "theme": "asylum"}, "Choose one process, state or theme at a time."),
    ],
)
def test_recent_changes_bad_input_is_a_400(client, records, query, message):
    response = client.get(reverse("site:recent-changes"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_recent_changes_and_feed_run_a_fixed_number_of_queries(
    client, records, django_assert_num_queries, count
):
    # Explicit codes: the factory's sequence wraps, and Mexico is already a member.
    for code in ["US", "CA", "BZ", "GT", "SV"][:count]:
        f.MembershipFactory(process=records["puebla"], state=f.StateFactory(code=code))
        f.FindingFactory().processes.add(records["puebla"])
    with django_assert_num_queries(25):
        assert client.get(reverse("site:recent-changes")).status_code == 200
    with django_assert_num_queries(24):
        assert client.get(reverse("site:feed")).status_code == 200
