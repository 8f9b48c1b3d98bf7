import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from workshops import enums

URL = reverse("workshops:workshop-list")


def titles(response):
    return [workshop.title for workshop in response.context["object_list"]]


def test_workshop_list_shows_each_meeting(client, meeting):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="/en/workshops/rcp-workshop-2005/">Workshop of the Regional Consultative Processes</a>'
        in html
    )
    assert (
        'Inter-process workshop · <time datetime="2005-04-14">14 April 2005</time> – '
        '<time datetime="2005-04-15">15 April 2005</time> · Geneva, Switzerland'
    ) in html
    assert "Processes represented: Puebla Process" in html
    assert "4 findings · 1 recommendation" in html
    assert '<p class="result-count" role="status">1 result</p>' in html


def test_workshop_list_is_newest_first(client, db):
    f.WorkshopFactory(title="Old", start_date=datetime.date(2001, 1, 1), end_date=None)
    f.WorkshopFactory(title="New", start_date=datetime.date(2010, 1, 1), end_date=None)

    response = client.get(URL)

    assert titles(response) == ["New", "Old"]


def test_workshop_list_empty_state(client, db):
    f.WorkshopFactory(kind=enums.WorkshopKind.INTER_PROCESS)

    response = client.get(URL, {"kind": enums.WorkshopKind.MINISTERIAL})

    assert response.status_code == 200
    assert "No meeting matches these filters." in response.content.decode()


def test_workshop_list_filters_by_kind(client, db):
    f.WorkshopFactory(title="Ministers", kind=enums.WorkshopKind.MINISTERIAL)
    f.WorkshopFactory(title="Experts", kind=enums.WorkshopKind.TECHNICAL)

    response = client.get(URL, {"kind": "ministerial"})

    assert titles(response) == ["Ministers"]


def test_workshop_list_filters_by_year(client, db):
    f.WorkshopFactory(title="In 2005", start_date=datetime.date(2005, 4, 14), end_date=None)
    f.WorkshopFactory(title="In 2006", start_date=datetime.date(2006, 4, 14), end_date=None)

    response = client.get(URL, {"year": "2005"})

    assert titles(response) == ["In 2005"]


def test_workshop_list_filters_by_dates(client, db):
    f.WorkshopFactory(title="Spring", start_date=datetime.date(2005, 4, 14), end_date=None)
    f.WorkshopFactory(title="Autumn", start_date=datetime.date(2005, 10, 1), end_date=None)

    response = client.get(URL, {"date_after": "2005-01-01", "date_before": "2005-06-30"})

    assert titles(response) == ["Spring"]


def test_workshop_list_filters_by_process(client, db):
    bali = f.ProcessFactory(slug="bali")
    f.WorkshopFactory(title="With Bali", processes=[bali])
    f.WorkshopFactory(title="Without Bali", processes=[f.ProcessFactory(slug="other")])

    response = client.get(URL, {"process": "bali"})

    assert titles(response) == ["With Bali"]


def test_workshop_list_filters_by_text(client, db):
    f.WorkshopFactory(title="Labour migration dialogue", summary="")
    f.WorkshopFactory(title="Asylum meeting", summary="Nothing on work.")

    response = client.get(URL, {"q": "labour"})

    assert titles(response) == ["Labour migration dialogue"]


def test_workshop_list_orders_by_title(client, db):
    f.WorkshopFactory(title="Beta", start_date=datetime.date(2010, 1, 1), end_date=None)
    f.WorkshopFactory(title="Alpha", start_date=datetime.date(2001, 1, 1), end_date=None)

    response = client.get(URL, {"ordering": "title"})

    assert titles(response) == ["Alpha", "Beta"]


def test_workshop_list_pagination_keeps_filters(client, db):
    for day in range(1, 23):
        f.WorkshopFactory(
            kind=enums.WorkshopKind.TECHNICAL, start_date=datetime.date(2005, 1, day), end_date=None
        )
    f.WorkshopFactory(kind=enums.WorkshopKind.MINISTERIAL)

    response = client.get(URL, {"kind": "technical"})

    html = response.content.decode()
    assert '<p class="result-count" role="status">22 results</p>' in html
    assert 'href="?kind=technical&amp;page=2"' in html


@pytest.mark.parametrize("count", [1, 5])
def test_workshop_list_query_count_is_constant(client, db, django_assert_num_queries, count):
    for _ in range(count):
        f.WorkshopFactory(processes=f.ProcessFactory.create_batch(2))

    # 4 for the page, plus one query for the facet counts of every filter with options (kind, process).
    with django_assert_num_queries(5):
        response = client.get(URL)

    assert len(response.context["object_list"]) == count


def test_workshop_list_counts_each_meetings_findings_and_recommendations_apart(client, db):
    """Counted by subqueries: the findings of a meeting are not multiplied by its recommendations, nor
    by another meeting's, and a meeting without any shows 0 of each (they are recorded with it)."""
    busy = f.WorkshopFactory(
        title="Busy", start_date=datetime.date(2006, 1, 1), end_date=datetime.date(2006, 1, 2)
    )
    quiet = f.WorkshopFactory(
        title="Quiet", start_date=datetime.date(2005, 1, 1), end_date=datetime.date(2005, 1, 2)
    )
    for number in range(1, 6):
        f.FindingFactory(workshop=busy, number=number)
    for position in range(1, 4):
        f.RecommendationFactory(workshop=busy, position=position)
    f.FindingFactory(workshop=quiet, number=1)

    response = client.get(URL)

    counts = {w.title: (w.finding_count, w.recommendation_count) for w in response.context["object_list"]}
    assert counts == {"Busy": (5, 3), "Quiet": (1, 0)}
    html = response.content.decode()
    assert "5 findings · 3 recommendations" in html
    assert "1 finding · 0 recommendations" in html
