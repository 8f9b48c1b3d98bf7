import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processes import enums
from tests import factories as f

URL = reverse("home")


def test_home_shows_headline_figures(client, db):
    mexico, guatemala = f.StateFactory(code="MX"), f.StateFactory(code="GT")
    f.StateFactory(code="DE")  # in no process: not counted
    puebla = f.ProcessFactory(short_name="Puebla Process")
    f.ProcessFactory(short_name="Bali Process")
    f.MembershipFactory(process=puebla, state=mexico)
    f.MembershipFactory(process=puebla, state=guatemala, role=enums.MembershipRole.OBSERVER)
    workshop = f.WorkshopFactory()
    f.FindingFactory(workshop=workshop)
    f.FindingFactory(workshop=workshop)
    f.FindingFactory(workshop=workshop)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="headline-figure mb-0" id="figure-processes">2</dd>' in html
    assert '<dd class="headline-figure mb-0" id="figure-states">2</dd>' in html
    assert '<dd class="headline-figure mb-0" id="figure-meetings">1</dd>' in html
    assert '<dd class="headline-figure mb-0" id="figure-findings">3</dd>' in html
    assert "<h1>Regional Consultative Processes on migration</h1>" in html
    assert "rcpdb is a knowledge base of the Regional Consultative Processes on migration (RCPs)" in html


def test_home_lists_the_five_latest_meetings(client, db):
    for day in range(1, 7):
        f.WorkshopFactory(
            title=f"Meeting {day}", slug=f"meeting-{day}", start_date=datetime.date(2005, 4, day)
        )

    response = client.get(URL)

    html = response.content.decode()
    assert [meeting.title for meeting in response.context["latest_meetings"]] == [
        "Meeting 6",
        "Meeting 5",
        "Meeting 4",
        "Meeting 3",
        "Meeting 2",
    ]
    assert (
        '<a href="/en/workshops/meeting-6/">Meeting 6</a>\n      <span class="text-body-secondary">— '
        '<time datetime="2005-04-06">6 April 2005</time>, Geneva, Switzerland</span>'
    ) in html
    assert "Meeting 1<" not in html


def test_home_without_meetings_says_so(client, db):
    response = client.get(URL)

    assert '<p class="empty-state">No meetings have been recorded yet.</p>' in response.content.decode()


def test_home_has_no_breadcrumbs(client, db):
    response = client.get(URL)

    assert 'aria-label="Breadcrumb"' not in response.content.decode()


def test_home_query_count_is_constant(client, db):
    def queries():
        cache.clear()  # the figures and timeline are kept per content version: count them built
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    f.MembershipFactory(process=f.ProcessFactory(), state=f.StateFactory())
    f.FindingFactory()
    with_one = queries()
    for _ in range(6):
        f.MembershipFactory(process=f.ProcessFactory(), state=f.StateFactory())
        f.FindingFactory()

    # Five headline queries and one for the timeline.
    assert queries() == with_one == 6
