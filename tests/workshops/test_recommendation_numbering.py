"""Conclusions, recommendations and lessons learned numbered within their own kind (issue #14, item 5)."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from tests import factories as f
from workshops import enums
from workshops import models as wm

pytestmark = pytest.mark.django_db

LESSON = enums.RecommendationKind.LESSON
CONCLUSION = enums.RecommendationKind.CONCLUSION


def test_a_new_row_gets_the_next_number_of_its_kind_in_its_meeting():
    workshop = f.WorkshopFactory()
    other_meeting = f.WorkshopFactory()
    f.RecommendationFactory(workshop=workshop, kind=CONCLUSION)  # another kind: not counted
    f.RecommendationFactory(workshop=other_meeting, kind=LESSON)  # another meeting: not counted
    first = f.RecommendationFactory(workshop=workshop, kind=LESSON)
    second = f.RecommendationFactory(workshop=workshop, kind=LESSON)

    assert (first.number, second.number) == (1, 2)
    assert first.label == "Lesson learned 1"
    assert second.label == "Lesson learned 2"
    assert wm.Recommendation.objects.get(workshop=workshop, kind=CONCLUSION).number == 1


def test_an_explicit_number_is_kept_and_a_duplicate_in_the_kind_is_refused():
    workshop = f.WorkshopFactory()
    f.RecommendationFactory(workshop=workshop, kind=LESSON, number=4)
    f.RecommendationFactory(workshop=workshop, kind=CONCLUSION, number=4)  # same number, other kind: fine

    assert f.RecommendationFactory(workshop=workshop, kind=LESSON).number == 5
    with pytest.raises(IntegrityError):
        f.RecommendationFactory(workshop=workshop, kind=LESSON, number=4)


def test_follow_up_is_not_tracked_unless_set():
    recommendation = wm.Recommendation.objects.create(
        workshop=f.WorkshopFactory(), position=1, kind=LESSON, text="A lesson."
    )

    assert recommendation.status == "not_tracked"
    assert recommendation.get_status_display() == "Not tracked"


def test_paragraph_url_points_at_the_finding_anchor_or_is_none():
    workshop = f.WorkshopFactory()
    with_paragraph = f.RecommendationFactory(workshop=workshop, paragraph=47)
    without = f.RecommendationFactory(workshop=workshop, paragraph=None)

    assert with_paragraph.paragraph_url == f"{workshop.get_absolute_url()}#finding-47"
    assert without.paragraph_url is None


def test_meeting_page_and_list_show_the_number_within_the_kind_and_the_paragraph(client):
    workshop = f.WorkshopFactory()
    f.RecommendationFactory(
        workshop=workshop, kind=CONCLUSION, position=1, paragraph=45, text="A conclusion."
    )
    f.RecommendationFactory(workshop=workshop, kind=LESSON, position=2, paragraph=47, text="First lesson.")
    f.RecommendationFactory(workshop=workshop, kind=LESSON, position=3, paragraph=None, text="Second lesson.")

    detail = client.get(workshop.get_absolute_url()).content.decode()
    listing = client.get(reverse("workshops:recommendation-list")).content.decode()

    assert '<span class="fw-bold">Lesson learned 1</span> (<a href="#finding-47">para. 47</a>)' in detail
    assert '<span class="fw-bold">Lesson learned 2</span> <span class="badge' in detail
    assert '<span class="fw-bold">Conclusion 1</span> (<a href="#finding-45">para. 45</a>)' in detail
    assert "Lesson learned 3" not in detail
    assert "Follow-up: Open" in detail  # the factory's status, shown as recorded
    assert (
        f'>Lesson learned 1</a> (<a href="{workshop.get_absolute_url()}#finding-47">para. 47</a>)' in listing
    )


def test_french_page_shows_the_translated_kind_and_paragraph(client):
    workshop = f.WorkshopFactory()
    f.RecommendationFactory(workshop=workshop, kind=LESSON, paragraph=47, status="not_tracked")

    html = client.get(workshop.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    french = client.get("/fr" + workshop.get_absolute_url()[3:]).content.decode()

    assert "Enseignement tiré 1" in french
    assert "par. 47" in french
    assert "Non suivi" in french
    assert html  # the English page is served too


def test_api_and_open_data_give_the_number_and_label(client):
    workshop = f.WorkshopFactory()
    f.RecommendationFactory(workshop=workshop, kind=CONCLUSION, position=1)
    lesson = f.RecommendationFactory(workshop=workshop, kind=LESSON, position=2, paragraph=47)

    body = client.get(reverse("api:recommendations-detail", kwargs={"key": lesson.pk})).json()

    assert (body["kind"], body["number"], body["label"], body["paragraph"]) == (
        "lesson",
        1,
        "Lesson learned 1",
        47,
    )
    csv = client.get(reverse("workshops:recommendation-list"), {"format": "csv"}).content.decode()
    header = csv.splitlines()[0].split(",")
    assert "number" in header and "label" in header
