import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from workshops import enums


def page_text(response):
    return response.content.decode()


def test_workshop_detail_shows_the_meeting_facts(client, meeting):
    response = client.get(reverse("workshops:workshop-detail", kwargs={"slug": "rcp-workshop-2005"}))

    html = page_text(response)
    assert response.status_code == 200
    assert "<h1>Workshop of the Regional Consultative Processes</h1>" in html
    assert (
        '<time datetime="2005-04-14">14 April 2005</time> – <time datetime="2005-04-15">15 April 2005</time>'
        in html
    )
    assert "Geneva, Switzerland" in html
    assert '<a href="/en/organizations/gcim/">Global Commission on International Migration (GCIM)</a>' in html
    assert '<a href="/en/processes/puebla/">Puebla Process</a>' in html
    assert "<p>The first meeting of all the processes.</p>" in html


def test_workshop_detail_lists_sessions_in_order_with_their_findings(client, meeting):
    response = client.get(meeting.get_absolute_url())

    html = page_text(response)
    first = html.index("Session 1: Organisation and working methods")
    para_3 = html.index("A light secretariat serves them well.")
    para_4 = html.index("Most processes meet once a year.")
    second = html.index("Session 2: Funding the processes")
    para_7 = html.index("Funding is rarely predictable.")
    other = html.index("Other findings")
    para_12 = html.index("Closing remarks were made.")
    assert first < para_3 < para_4 < second < para_7 < other < para_12
    assert '<li class="finding mb-3" id="finding-3">' in html
    assert '<a href="/en/themes/funding/">Funding</a>' in html


def test_workshop_detail_shows_leads_and_guiding_questions(client, meeting):
    response = client.get(meeting.get_absolute_url())

    html = page_text(response)
    # An organisation in parentheses by its acronym, its name as the abbreviation's title: never
    # "(Global Commission on International Migration (GCIM))".
    assert (
        "<li>Chair: Dr. R.K. Jenny, Project Director "
        '(<abbr title="Global Commission on International Migration">GCIM</abbr>)</li>'
    ) in html
    assert (
        "<li>Presenter: Ms. Ana Lopez, Coordinator "
        '(<abbr title="International Organization for Migration">IOM</abbr>)</li>'
    ) in html
    assert (
        '<ul class="guiding-questions"><li>How are the processes organised?</li>'
        "<li>Who chairs them?</li></ul>"
    ) in html


def test_workshop_detail_shows_recommendations_participants_and_documents(client, meeting):
    response = client.get(meeting.get_absolute_url())

    html = page_text(response)
    assert "Follow-up: In progress" in html
    assert "Build a shared knowledge base." in html
    assert "Addressed to: IOM" in html
    assert html.index('<h3 class="h6">Presiding</h3>') < html.index('<h3 class="h6">Represented</h3>')
    assert (
        "<li>Dr. R.K. Jenny, Project Director "
        '(<abbr title="Global Commission on International Migration">GCIM</abbr>)</li>'
    ) in html
    assert '<li><a href="/en/processes/puebla/">Puebla Process</a></li>' in html
    assert (
        '<li><a href="https://example.org/matrix.pdf" rel="noopener">Matrix of the processes</a> '
        "(International Organization for Migration (IOM), 2005) — Matrix or overview</li>"
    ) in html


def test_workshop_detail_shows_empty_states(client, db):
    workshop = f.WorkshopFactory(slug="empty-meeting")

    response = client.get(workshop.get_absolute_url())

    html = page_text(response)
    assert response.status_code == 200
    assert "No session is recorded for this meeting." in html
    assert "No conclusion or recommendation is recorded for this meeting." in html
    assert "No participant is recorded for this meeting." in html
    assert "No document is recorded for this meeting." in html


@pytest.mark.parametrize("slug", ["unknown", "NaN", "1" * 40, "x" * 10_000])
def test_workshop_detail_of_an_unknown_slug_is_404(client, db, slug):
    f.WorkshopFactory(slug="known")

    response = client.get(reverse("workshops:workshop-detail", kwargs={"slug": slug}))

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/en/workshops/%00/", "/en/workshops/a%00b/", "/en/workshops/known/extra/"])
def test_workshop_detail_of_a_malformed_address_is_404(client, db, path):
    f.WorkshopFactory(slug="known")

    response = client.get(path)

    assert response.status_code == 404


def build_meeting(count):
    workshop = f.WorkshopFactory(slug="sized", start_date=datetime.date(2005, 4, 14))
    workshop.organizers.set(f.OrganizationFactory.create_batch(count))
    workshop.processes.set(f.ProcessFactory.create_batch(count))
    themes = f.ThemeFactory.create_batch(count)
    for order in range(1, count + 1):
        session = f.SessionFactory(workshop=workshop, order=order, guiding_questions="Why?")
        f.SessionLeadFactory(session=session, person=f.PersonFactory(organization=f.OrganizationFactory()))
        f.FindingFactory(workshop=workshop, session=session, number=order, themes=themes)
        f.RecommendationFactory(workshop=workshop, position=order, themes=themes)
        f.ParticipationFactory(workshop=workshop, role=enums.ParticipationRole.PARTICIPANT)
        f.DocumentFactory(workshop=workshop, author=f.OrganizationFactory())
    return workshop


@pytest.mark.parametrize("count", [1, 5])
def test_workshop_detail_query_count_is_constant(client, db, django_assert_num_queries, count):
    workshop = build_meeting(count)

    with django_assert_num_queries(12):
        response = client.get(workshop.get_absolute_url())

    assert response.status_code == 200
    assert page_text(response).count('<li class="finding mb-3"') == count
