import pytest
from django.urls import reverse

from tests import factories as f
from workshops import enums

URL = reverse("workshops:recommendation-list")


def texts(response):
    return [recommendation.text for recommendation in response.context["object_list"]]


def test_recommendation_list_shows_each_recommendation(client, meeting):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="/en/workshops/rcp-workshop-2005/#recommendation-1">Recommendation 1</a> · '
        "Workshop of the Regional Consultative Processes (2005)"
    ) in html
    assert "Follow-up: In progress" in html
    assert "Build a shared knowledge base." in html
    assert "Addressed to: IOM" in html
    assert '<p class="result-count" role="status">1 result</p>' in html


def test_recommendation_list_filters_by_status(client, db):
    f.RecommendationFactory(status=enums.FollowUpStatus.DONE, text="Done.")
    f.RecommendationFactory(status=enums.FollowUpStatus.OPEN, text="Open.")

    response = client.get(URL, {"status": "done"})

    assert texts(response) == ["Done."]


def test_recommendation_list_filters_by_kind(client, db):
    f.RecommendationFactory(kind=enums.RecommendationKind.LESSON, text="A lesson.")
    f.RecommendationFactory(kind=enums.RecommendationKind.CONCLUSION, text="A conclusion.")

    response = client.get(URL, {"kind": "lesson"})

    assert texts(response) == ["A lesson."]


def test_recommendation_list_filters_by_addressee(client, db):
    f.RecommendationFactory(addressed_to="The RCP secretariats", text="To secretariats.")
    f.RecommendationFactory(addressed_to="States", text="To States.")

    response = client.get(URL, {"addressed_to": "secretariat"})

    assert texts(response) == ["To secretariats."]


def test_recommendation_list_filters_by_theme(client, db):
    funding = f.ThemeFactory(slug="funding")
    f.RecommendationFactory(text="On funding.", themes=[funding])
    f.RecommendationFactory(text="On data.", themes=[f.ThemeFactory(slug="data")])

    response = client.get(URL, {"theme": "funding"})

    assert texts(response) == ["On funding."]


def test_recommendation_list_filters_by_meeting(client, db):
    f.RecommendationFactory(workshop=f.WorkshopFactory(slug="kept"), text="Kept.")
    f.RecommendationFactory(workshop=f.WorkshopFactory(slug="other"), text="Other.")

    response = client.get(URL, {"meeting": "kept"})

    assert texts(response) == ["Kept."]


def test_recommendation_list_filters_by_text(client, db):
    f.RecommendationFactory(text="Share data between processes.")
    f.RecommendationFactory(text="Meet more often.")

    response = client.get(URL, {"q": "data"})

    assert texts(response) == ["Share data between processes."]


def test_recommendation_list_empty_state(client, db):
    f.RecommendationFactory(status=enums.FollowUpStatus.OPEN)

    response = client.get(URL, {"status": "dropped"})

    assert response.status_code == 200
    assert "No recommendation matches these filters." in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_recommendation_list_query_count_is_constant(client, db, django_assert_num_queries, count):
    workshop = f.WorkshopFactory()
    themes = f.ThemeFactory.create_batch(2)
    for position in range(1, count + 1):
        f.RecommendationFactory(workshop=workshop, position=position, themes=themes)

    # 5 for the page, plus one query for the facet counts of every filter with options (status, kind,
    # theme, meeting).
    with django_assert_num_queries(6):
        response = client.get(URL)

    assert len(response.context["object_list"]) == count
