import pytest
from django.urls import reverse

from tests import factories as f
from workshops import enums

URL = reverse("workshops:finding-list")


def texts(response):
    return [finding.text for finding in response.context["object_list"]]


def test_finding_list_shows_each_finding(client, meeting):
    response = client.get(URL, {"number": "7"})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="/en/workshops/rcp-workshop-2005/#finding-7">Paragraph 7</a> · '
        "Workshop of the Regional Consultative Processes (2005) · Session 2: Funding the processes"
    ) in html
    assert "Funding is rarely predictable." in html
    assert "Themes: Funding" in html
    assert '<p class="result-count" role="status">1 result</p>' in html


def test_finding_list_orders_by_meeting_then_number(client, meeting):
    response = client.get(URL)

    assert texts(response) == [
        "A light secretariat serves them well.",
        "Most processes meet once a year.",
        "Funding is rarely predictable.",
        "Closing remarks were made.",
    ]


def test_finding_list_orders_by_number_descending(client, meeting):
    response = client.get(URL, {"ordering": "-number"})

    assert [finding.number for finding in response.context["object_list"]] == [12, 7, 4, 3]


def test_finding_list_filters_by_meeting(client, db):
    f.FindingFactory(workshop=f.WorkshopFactory(slug="kept"), text="Kept.")
    f.FindingFactory(workshop=f.WorkshopFactory(slug="other"), text="Other meeting.")

    response = client.get(URL, {"meeting": "kept"})

    assert texts(response) == ["Kept."]


def test_finding_list_filters_by_session(client, db):
    session = f.SessionFactory()
    f.FindingFactory(workshop=session.workshop, session=session, text="In the session.")
    f.FindingFactory(workshop=session.workshop, session=None, text="Outside it.")

    response = client.get(URL, {"session": str(session.pk)})

    assert texts(response) == ["In the session."]


def test_finding_list_filters_by_kind(client, db):
    f.FindingFactory(kind=enums.FindingKind.CONSENSUS, text="Agreed.")
    f.FindingFactory(kind=enums.FindingKind.DIVERGENCE, text="Disputed.")

    response = client.get(URL, {"kind": "consensus"})

    assert texts(response) == ["Agreed."]


def test_finding_list_filters_by_any_of_several_themes(client, db):
    trafficking = f.ThemeFactory(slug="trafficking")
    asylum = f.ThemeFactory(slug="asylum")
    workshop = f.WorkshopFactory()
    f.FindingFactory(workshop=workshop, number=1, text="Both.", themes=[trafficking, asylum])
    f.FindingFactory(workshop=workshop, number=2, text="Asylum.", themes=[asylum])
    f.FindingFactory(workshop=workshop, number=3, text="Neither.", themes=[f.ThemeFactory(slug="health")])

    response = client.get(URL, {"theme": ["trafficking", "asylum"]})

    assert texts(response) == ["Both.", "Asylum."]


def test_finding_list_filters_by_process(client, db):
    bali = f.ProcessFactory(slug="bali")
    f.FindingFactory(text="On Bali.", processes=[bali])
    f.FindingFactory(text="On another.", processes=[f.ProcessFactory(slug="colombo")])

    response = client.get(URL, {"process": "bali"})

    assert texts(response) == ["On Bali."]


def test_finding_list_filters_by_paragraph_numbers(client, db):
    workshop = f.WorkshopFactory()
    for number in (3, 4, 7):
        f.FindingFactory(workshop=workshop, number=number, text=f"Paragraph {number}.")

    response = client.get(URL, {"number": "3,7"})

    assert texts(response) == ["Paragraph 3.", "Paragraph 7."]


def test_finding_list_filters_by_text(client, meeting):
    response = client.get(URL, {"q": "secretariat"})

    assert texts(response) == ["A light secretariat serves them well."]


def test_finding_list_text_needs_every_word(client, meeting):
    response = client.get(URL, {"q": "processes year"})

    assert texts(response) == ["Most processes meet once a year."]


def test_finding_list_empty_state(client, meeting):
    response = client.get(URL, {"q": "zeppelin"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "No finding matches these filters." in html
    assert '<p class="result-count" role="status">0 results</p>' in html


def test_finding_list_pagination_keeps_filters(client, db):
    workshop = f.WorkshopFactory()
    for number in range(1, 28):
        f.FindingFactory(workshop=workshop, number=number, kind=enums.FindingKind.EXAMPLE)
    f.FindingFactory(workshop=workshop, number=99, kind=enums.FindingKind.QUESTION)

    first = client.get(URL, {"kind": "example"})
    second = client.get(URL, {"kind": "example", "page": "2"})

    assert 'href="?kind=example&amp;page=2"' in first.content.decode()
    assert [finding.number for finding in second.context["object_list"]] == [26, 27]


@pytest.mark.parametrize("count", [1, 5])
def test_finding_list_query_count_is_constant(client, db, django_assert_num_queries, count):
    workshop = f.WorkshopFactory()
    session = f.SessionFactory(workshop=workshop)
    themes = f.ThemeFactory.create_batch(2)
    processes = f.ProcessFactory.create_batch(2)
    for number in range(1, count + 1):
        f.FindingFactory(
            workshop=workshop, session=session, number=number, themes=themes, processes=processes
        )

    # 8 for the page, plus one query for the facet counts of every filter with options (meeting,
    # session, kind, theme, process).
    with django_assert_num_queries(9):
        response = client.get(URL)

    assert len(response.context["object_list"]) == count
