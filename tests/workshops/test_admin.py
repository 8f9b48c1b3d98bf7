import datetime

import pytest
from django.core import checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.admin_forms import record_state
from workshops import enums
from workshops.models import (
    Document,
    Finding,
    Participation,
    Person,
    Recommendation,
    Session,
    SessionLead,
    Workshop,
)

pytestmark = pytest.mark.django_db

SESSION_ORDER_TAKEN = "Another session of this meeting already has this order number."
LEAD_TAKEN = "This person already has this role in this session."
SESSION_OF_OTHER_MEETING = "This session belongs to another meeting. Choose a session of this meeting."
NO_PARTICIPANT = "Name who took part: a person, an organisation or a process."
DUPLICATE_ROW = "Please correct the duplicate values below."
SWAP_IN_TWO_STEPS = (
    "This row swaps a number (or another value that must stay unique) with another row here, "
    "which cannot be saved in one go. Save twice: first give one of them an unused value."
)

MAKERS = {
    Person: lambda: factories.PersonFactory(organization=factories.OrganizationFactory()),
    Workshop: lambda: factories.WorkshopFactory(processes=[factories.ProcessFactory()]),
    Session: lambda: factories.SessionLeadFactory().session,
    SessionLead: factories.SessionLeadFactory,
    Participation: factories.ParticipationFactory,
    Finding: lambda: factories.FindingFactory(
        session=factories.SessionFactory(), themes=[factories.ThemeFactory()]
    ),
    Recommendation: lambda: factories.RecommendationFactory(themes=[factories.ThemeFactory()]),
    Document: lambda: factories.DocumentFactory(
        workshop=factories.WorkshopFactory(), author=factories.OrganizationFactory()
    ),
}


def admin_url(model, view, *args):
    return reverse(f"admin:workshops_{model._meta.model_name}_{view}", args=args)


def changelist_results(response):
    return list(response.context["cl"].result_list)


def workshop_form_data(**overrides):
    data = {
        "title_en": "Regional Consultative Processes on Migration",
        "slug": "rcp-workshop-2005",
        "kind": enums.WorkshopKind.INTER_PROCESS,
        "start_date": "2005-04-14",
        "end_date": "2005-04-15",
        "city": "Geneva",
        "country": "CH",
        "summary": "The first meeting of the processes.",
        "report_url": "https://example.org/report.pdf",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def empty_inlines(inline_formset_data, *prefixes):
    data = {}
    for prefix in prefixes:
        data.update(inline_formset_data(prefix, []))
    return data


# --- Every page renders ------------------------------------------------------------------------


@pytest.mark.parametrize("model", MAKERS, ids=lambda model: model.__name__)
def test_admin_changelist_renders_the_object(admin_client, model):
    obj = MAKERS[model]()

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert changelist_results(response) == [obj]


@pytest.mark.parametrize("model", MAKERS, ids=lambda model: model.__name__)
def test_admin_add_page_renders(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert response.context["title"] == f"Add {model._meta.verbose_name}"


@pytest.mark.parametrize("model", MAKERS, ids=lambda model: model.__name__)
def test_admin_change_page_renders(admin_client, model):
    obj = MAKERS[model]()

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["title"] == f"Change {model._meta.verbose_name}"
    assert response.context["original"] == obj


def test_admin_workshop_page_edits_sessions_participation_and_documents_inline(admin_client):
    response = admin_client.get(admin_url(Workshop, "add"))

    prefixes = [formset.formset.prefix for formset in response.context["inline_admin_formsets"]]
    assert prefixes == ["sessions", "participations", "documents"]


def test_admin_session_page_edits_its_leads_inline(admin_client):
    session = factories.SessionFactory()

    response = admin_client.get(admin_url(Session, "change", session.pk))

    prefixes = [formset.formset.prefix for formset in response.context["inline_admin_formsets"]]
    assert prefixes == ["session_leads"]


# --- A meeting saved through the admin is stored exactly -------------------------------------------


def test_admin_add_workshop_with_sessions_participation_and_document_stores_them(
    admin_client, inline_formset_data
):
    process = factories.ProcessFactory()
    organizer = factories.OrganizationFactory()
    person = factories.PersonFactory()
    data = workshop_form_data(organizers=[organizer.pk], processes=[process.pk])
    data |= inline_formset_data(
        "sessions",
        [
            {"order": "2", "title_en": "Structure and funding", "guiding_questions": "Who pays?\nHow much?"},
            {"order": "1", "title_en": "Opening", "guiding_questions": ""},
            {"order": "3", "title_en": "Looking ahead", "guiding_questions": "What next?"},
        ],
    )
    data |= inline_formset_data(
        "participations",
        [{"role": enums.ParticipationRole.PRESIDING, "person": person.pk, "note": "Chaired day one"}],
    )
    data |= inline_formset_data(
        "documents",
        [
            {
                "title": "Background paper",
                "kind": enums.DocumentKind.BACKGROUND_PAPER,
                "author": organizer.pk,
                "year": "2005",
                "link": "https://example.org/background.pdf",
            }
        ],
    )

    response = admin_client.post(admin_url(Workshop, "add"), data)

    assert response.status_code == 302
    assert response.url == admin_url(Workshop, "changelist")
    workshop = Workshop.objects.get()
    assert (
        workshop.title,
        workshop.slug,
        workshop.kind,
        workshop.start_date,
        workshop.end_date,
        workshop.city,
        workshop.country.code,
        workshop.summary,
        workshop.report_url,
    ) == (
        "Regional Consultative Processes on Migration",
        "rcp-workshop-2005",
        "inter_process",
        datetime.date(2005, 4, 14),
        datetime.date(2005, 4, 15),
        "Geneva",
        "CH",
        "The first meeting of the processes.",
        "https://example.org/report.pdf",
    )
    assert list(workshop.organizers.all()) == [organizer]
    assert list(workshop.processes.all()) == [process]
    assert list(workshop.sessions.values_list("order", "title", "guiding_questions")) == [
        (1, "Opening", ""),
        (2, "Structure and funding", "Who pays?\nHow much?"),
        (3, "Looking ahead", "What next?"),
    ]
    assert list(workshop.participations.values_list("role", "person", "organization", "process", "note")) == [
        ("presiding", person.pk, None, None, "Chaired day one")
    ]
    assert list(workshop.documents.values_list("title", "kind", "author", "year", "link")) == [
        ("Background paper", "background", organizer.pk, 2005, "https://example.org/background.pdf")
    ]


def test_admin_add_workshop_ending_before_it_starts_shows_the_error(admin_client, inline_formset_data):
    data = workshop_form_data(start_date="2005-04-15", end_date="2005-04-14")
    data |= empty_inlines(inline_formset_data, "sessions", "participations", "documents")

    response = admin_client.post(admin_url(Workshop, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"end_date": ["The meeting ends before it starts."]}
    assert Workshop.objects.count() == 0


# --- Invalid inline rows show their error and store nothing ---------------------------------------


def test_admin_add_workshop_with_a_participation_naming_nobody_stores_nothing(
    admin_client, inline_formset_data
):
    data = workshop_form_data()
    data |= inline_formset_data("sessions", [{"order": "1", "title_en": "Opening"}])
    data |= inline_formset_data(
        "participations", [{"role": enums.ParticipationRole.PARTICIPANT, "note": "?"}]
    )
    data |= inline_formset_data("documents", [])

    response = admin_client.post(admin_url(Workshop, "add"), data)

    assert response.status_code == 200
    participations = response.context["inline_admin_formsets"][1].formset
    assert participations.errors == [{"__all__": [NO_PARTICIPANT]}]
    assert NO_PARTICIPANT in response.text
    assert (Workshop.objects.count(), Session.objects.count(), Participation.objects.count()) == (0, 0, 0)


def test_admin_add_workshop_with_two_sessions_of_the_same_order_stores_nothing(
    admin_client, inline_formset_data
):
    data = workshop_form_data()
    data |= inline_formset_data(
        "sessions", [{"order": "1", "title_en": "Opening"}, {"order": "1", "title_en": "Structure"}]
    )
    data |= empty_inlines(inline_formset_data, "participations", "documents")

    response = admin_client.post(admin_url(Workshop, "add"), data)

    assert response.status_code == 200
    sessions = response.context["inline_admin_formsets"][0].formset
    assert sessions.non_form_errors() == [SESSION_ORDER_TAKEN]
    assert sessions.errors == [{}, {"__all__": [DUPLICATE_ROW]}]
    assert SESSION_ORDER_TAKEN in response.text
    assert (Workshop.objects.count(), Session.objects.count()) == (0, 0)


def session_rows(workshop, *rows):
    """Inline rows for sessions: (pk or None, order, title[, DELETE])."""
    return [
        {"id": pk or "", "workshop": workshop.pk, "order": str(order), "title_en": title, **extra}
        for pk, order, title, *more in rows
        for extra in [{"DELETE": "on"} if more else {}]
    ]


def post_workshop_sessions(admin_client, inline_formset_data, workshop, rows, initial, opened=None):
    """Post the meeting's change page; ``opened``: its record state when opened (default: now)."""
    url = admin_url(Workshop, "change", workshop.pk)
    data = workshop_form_data(title=workshop.title, slug=workshop.slug) | (
        opened or record_state(admin_client, url)
    )
    data |= inline_formset_data("sessions", session_rows(workshop, *rows), initial=initial)
    data |= empty_inlines(inline_formset_data, "participations", "documents")
    return admin_client.post(url, data)


def stored_sessions(workshop):
    return list(workshop.sessions.values_list("order", "title"))


def test_admin_change_workshop_adding_a_session_with_a_stored_order_shows_the_error(
    admin_client, inline_formset_data
):
    stored = factories.SessionFactory(order=1, title="Opening")
    workshop = stored.workshop

    response = post_workshop_sessions(
        admin_client,
        inline_formset_data,
        workshop,
        [(stored.pk, 1, "Opening"), (None, 1, "Another opening")],
        initial=1,
    )

    assert response.status_code == 200
    sessions = response.context["inline_admin_formsets"][0].formset
    assert sessions.non_form_errors() == [SESSION_ORDER_TAKEN]
    assert sessions.errors == [{}, {"__all__": [DUPLICATE_ROW]}]
    assert stored_sessions(workshop) == [(1, "Opening")]


def test_admin_change_workshop_from_a_stale_page_with_an_order_taken_meanwhile_shows_the_error(
    admin_client, inline_formset_data
):
    # The page was opened before another editor added session 1: the submission does not list it.
    workshop = factories.WorkshopFactory()
    opened = record_state(admin_client, admin_url(Workshop, "change", workshop.pk))
    factories.SessionFactory(workshop=workshop, order=1, title="Added meanwhile")

    response = post_workshop_sessions(
        admin_client, inline_formset_data, workshop, [(None, 1, "Opening")], initial=0, opened=opened
    )

    assert response.status_code == 200
    sessions = response.context["inline_admin_formsets"][0].formset
    assert sessions.errors == [{"__all__": [SESSION_ORDER_TAKEN]}]
    assert SESSION_ORDER_TAKEN in response.text
    assert response.context["adminform"].form.edit_conflict[0]["after"] == "row added"
    assert stored_sessions(workshop) == [(1, "Added meanwhile")]


def test_admin_change_workshop_inserting_a_session_and_shifting_the_others_stores_the_new_orders(
    admin_client, inline_formset_data
):
    # Rows listed in agenda order: 2→3 can only be saved after 3→4 has freed number 3.
    first = factories.SessionFactory(order=1, title="Opening")
    workshop = first.workshop
    second = factories.SessionFactory(workshop=workshop, order=2, title="Funding")
    third = factories.SessionFactory(workshop=workshop, order=3, title="Evaluation")

    response = post_workshop_sessions(
        admin_client,
        inline_formset_data,
        workshop,
        [
            (first.pk, 1, "Opening"),
            (second.pk, 3, "Funding"),
            (third.pk, 4, "Evaluation"),
            (None, 2, "Structure"),
        ],
        initial=3,
    )

    assert response.status_code == 302
    assert stored_sessions(workshop) == [(1, "Opening"), (2, "Structure"), (3, "Funding"), (4, "Evaluation")]


def test_admin_change_workshop_reusing_the_order_of_a_deleted_session_stores_it(
    admin_client, inline_formset_data
):
    old = factories.SessionFactory(order=1, title="Old opening")
    workshop = old.workshop

    response = post_workshop_sessions(
        admin_client,
        inline_formset_data,
        workshop,
        [(old.pk, 1, "Old opening", "delete"), (None, 1, "New opening")],
        initial=1,
    )

    assert response.status_code == 302
    assert stored_sessions(workshop) == [(1, "New opening")]


def test_admin_change_workshop_swapping_two_session_orders_asks_for_two_steps(
    admin_client, inline_formset_data
):
    first = factories.SessionFactory(order=1, title="Opening")
    workshop = first.workshop
    second = factories.SessionFactory(workshop=workshop, order=2, title="Funding")

    response = post_workshop_sessions(
        admin_client,
        inline_formset_data,
        workshop,
        [(first.pk, 2, "Opening"), (second.pk, 1, "Funding")],
        initial=2,
    )

    assert response.status_code == 200
    sessions = response.context["inline_admin_formsets"][0].formset
    assert sessions.errors == [{"__all__": [SWAP_IN_TWO_STEPS]}, {"__all__": [SWAP_IN_TWO_STEPS]}]
    assert stored_sessions(workshop) == [(1, "Opening"), (2, "Funding")]


def test_admin_change_workshop_deleting_a_session_that_has_findings_shows_the_error(
    admin_client, inline_formset_data
):
    finding = factories.FindingFactory(session=factories.SessionFactory(order=1, title="Opening"))
    workshop = finding.session.workshop
    finding.workshop = workshop
    finding.save()

    response = post_workshop_sessions(
        admin_client, inline_formset_data, workshop, [(finding.session.pk, 1, "Opening", "delete")], initial=1
    )

    assert response.status_code == 200
    sessions = response.context["inline_admin_formsets"][0].formset
    assert sessions.non_form_errors() == [
        "Deleting session 1. Opening would require deleting the following protected related "
        f"objects: finding {finding}"
    ]
    assert stored_sessions(workshop) == [(1, "Opening")]


def test_admin_change_session_from_a_stale_page_repeating_a_lead_shows_the_error(
    admin_client, inline_formset_data
):
    lead = factories.SessionLeadFactory(role=enums.LeadRole.CHAIR)
    session = lead.session
    data = {
        "workshop": session.workshop.pk,
        "order": session.order,
        "title_en": session.title,
        "_save": "Save",
    }
    data |= inline_formset_data(
        "session_leads", [{"session": session.pk, "person": lead.person.pk, "role": "chair"}]
    )

    response = admin_client.post(admin_url(Session, "change", session.pk), data)

    assert response.status_code == 200
    leads = response.context["inline_admin_formsets"][0].formset
    assert leads.errors == [{"__all__": [LEAD_TAKEN]}]
    assert SessionLead.objects.count() == 1


def test_admin_change_session_with_the_same_lead_twice_stores_nothing(admin_client, inline_formset_data):
    session = factories.SessionFactory()
    person = factories.PersonFactory()
    data = {
        "workshop": session.workshop.pk,
        "order": session.order,
        "title_en": session.title,
        "_save": "Save",
    }
    data |= inline_formset_data(
        "session_leads",
        [
            {"session": session.pk, "person": person.pk, "role": "presenter"},
            {"session": session.pk, "person": person.pk, "role": "presenter"},
        ],
    )

    response = admin_client.post(admin_url(Session, "change", session.pk), data)

    assert response.status_code == 200
    leads = response.context["inline_admin_formsets"][0].formset
    assert leads.non_form_errors() == [LEAD_TAKEN]
    assert SessionLead.objects.count() == 0


# --- Findings: the session must belong to the finding's meeting --------------------------------


def finding_form_data(workshop, session, number="1"):
    return {
        "workshop": workshop.pk,
        "number": number,
        "session": session.pk if session else "",
        "kind": enums.FindingKind.CONSENSUS,
        "text": "RCPs are useful.",
        "_save": "Save",
    }


def test_admin_add_finding_with_a_session_of_another_meeting_shows_the_error(admin_client):
    workshop = factories.WorkshopFactory()
    other_session = factories.SessionFactory()

    response = admin_client.post(admin_url(Finding, "add"), finding_form_data(workshop, other_session))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"session": [SESSION_OF_OTHER_MEETING]}
    assert Finding.objects.count() == 0


def test_admin_add_finding_with_a_session_of_its_meeting_stores_it(admin_client):
    session = factories.SessionFactory()

    response = admin_client.post(admin_url(Finding, "add"), finding_form_data(session.workshop, session))

    assert response.status_code == 302
    assert list(Finding.objects.values_list("workshop", "session", "number", "kind", "text")) == [
        (session.workshop.pk, session.pk, 1, "consensus", "RCPs are useful.")
    ]


def test_admin_add_finding_with_a_taken_paragraph_number_shows_the_error(admin_client):
    existing = factories.FindingFactory(number=4)

    response = admin_client.post(admin_url(Finding, "add"), finding_form_data(existing.workshop, None, "4"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["This meeting already has a finding with this paragraph number."]
    }
    assert Finding.objects.count() == 1


def test_admin_change_finding_offers_only_the_sessions_of_its_meeting(admin_client):
    session = factories.SessionFactory(title="Opening", order=1)
    factories.SessionFactory(title="Elsewhere")
    finding = factories.FindingFactory(workshop=session.workshop)

    response = admin_client.get(admin_url(Finding, "change", finding.pk))

    field = response.context["adminform"].form.fields["session"]
    assert [label for _value, label in field.choices] == ["---------", f"{session.workshop} – 1. Opening"]


def test_admin_add_finding_for_a_chosen_meeting_offers_only_its_sessions(admin_client):
    session = factories.SessionFactory(title="Opening", order=1)
    factories.SessionFactory(title="Elsewhere")

    response = admin_client.get(admin_url(Finding, "add") + f"?workshop={session.workshop.pk}")

    field = response.context["adminform"].form.fields["session"]
    assert list(field.queryset) == [session]


def test_admin_add_finding_with_an_invalid_meeting_parameter_offers_every_session(admin_client):
    sessions = [factories.SessionFactory(), factories.SessionFactory()]

    response = admin_client.get(admin_url(Finding, "add") + "?workshop=abc")

    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields["session"].queryset) == set(sessions)


# --- Finding and Recommendation changelists filter and search -------------------------------------


@pytest.fixture
def two_findings():
    theme, process = factories.ThemeFactory(), factories.ProcessFactory()
    session = factories.SessionFactory()
    wanted = factories.FindingFactory(
        workshop=session.workshop,
        session=session,
        kind=enums.FindingKind.DIVERGENCE,
        text="Funding is unpredictable.",
        themes=[theme],
        processes=[process],
    )
    other = factories.FindingFactory(
        kind=enums.FindingKind.EXAMPLE, text="The Bali Process trains officials."
    )
    return wanted, other


@pytest.mark.parametrize(
    "query",
    [
        lambda f: f"workshop__id__exact={f.workshop.pk}",
        lambda f: f"session__id__exact={f.session.pk}",
        lambda f: "kind__exact=divergence",
        lambda f: f"themes__id__exact={f.themes.get().pk}",
        lambda f: f"processes__id__exact={f.processes.get().pk}",
        lambda f: "q=unpredictable",
    ],
    ids=["workshop", "session", "kind", "theme", "process", "search"],
)
def test_admin_finding_changelist_filters(admin_client, two_findings, query):
    wanted, _other = two_findings

    response = admin_client.get(admin_url(Finding, "changelist") + "?" + query(wanted))

    assert response.status_code == 200
    assert changelist_results(response) == [wanted]


def test_admin_finding_session_filter_names_sessions_with_their_meeting(admin_client):
    session = factories.SessionFactory(order=1, title="Opening", workshop__title="Workshop A")
    factories.SessionFactory(order=1, title="Opening", workshop__title="Workshop B")

    response = admin_client.get(
        admin_url(Finding, "changelist") + f"?workshop__id__exact={session.workshop.pk}"
    )

    session_filter = next(f for f in response.context["cl"].filter_specs if f.field_path == "session")
    assert session_filter.lookup_choices == [(session.pk, "Workshop A – 1. Opening")]


@pytest.fixture
def two_recommendations():
    theme = factories.ThemeFactory()
    wanted = factories.RecommendationFactory(
        kind=enums.RecommendationKind.LESSON,
        status=enums.FollowUpStatus.IN_PROGRESS,
        text="Share good practice systematically.",
        themes=[theme],
    )
    other = factories.RecommendationFactory(
        kind=enums.RecommendationKind.CONCLUSION, status=enums.FollowUpStatus.DONE, text="Meet again."
    )
    return wanted, other


@pytest.mark.parametrize(
    "query",
    [
        lambda r: f"workshop__id__exact={r.workshop.pk}",
        lambda r: "kind__exact=lesson",
        lambda r: f"themes__id__exact={r.themes.get().pk}",
        lambda r: "status__exact=in_progress",
        lambda r: "q=systematically",
    ],
    ids=["workshop", "kind", "theme", "status", "search"],
)
def test_admin_recommendation_changelist_filters(admin_client, two_recommendations, query):
    wanted, _other = two_recommendations

    response = admin_client.get(admin_url(Recommendation, "changelist") + "?" + query(wanted))

    assert response.status_code == 200
    assert changelist_results(response) == [wanted]


# --- Query counts ----------------------------------------------------------------------------------


def make_finding():
    session = factories.SessionFactory()
    return factories.FindingFactory(
        workshop=session.workshop,
        session=session,
        themes=[factories.ThemeFactory(), factories.ThemeFactory()],
        processes=[factories.ProcessFactory()],
    )


def changelist_query_count(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries), len(changelist_results(response))


def test_admin_finding_changelist_query_count_is_the_same_for_1_and_5_findings(admin_client):
    make_finding()
    admin_client.get(admin_url(Finding, "changelist"))  # session and user caches warmed alike
    one = changelist_query_count(admin_client, Finding)
    for _ in range(4):
        make_finding()

    five = changelist_query_count(admin_client, Finding)

    assert (one[1], five[1]) == (1, 5)
    assert five[0] == one[0]


@pytest.mark.parametrize("model", [Recommendation, Session, Workshop, Participation, SessionLead, Document])
def test_admin_changelist_query_count_is_the_same_for_1_and_3_objects(admin_client, model):
    MAKERS[model]()
    admin_client.get(admin_url(model, "changelist"))
    one = changelist_query_count(admin_client, model)
    MAKERS[model]()
    MAKERS[model]()

    three = changelist_query_count(admin_client, model)

    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0]


# --- Deleting a meeting through the admin ----------------------------------------------------------


def test_admin_delete_workshop_with_findings_in_sessions_deletes_them(admin_client):
    finding = make_finding()
    workshop = finding.workshop

    response = admin_client.post(admin_url(Workshop, "delete", workshop.pk), {"post": "yes"})

    assert response.status_code == 302
    assert (Workshop.objects.count(), Session.objects.count(), Finding.objects.count()) == (0, 0, 0)


def test_admin_delete_session_with_findings_is_refused(admin_client):
    finding = make_finding()

    response = admin_client.post(admin_url(Session, "delete", finding.session.pk), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["title"] == "Cannot delete session"
    assert Session.objects.count() == 1


# --- Autocomplete and admin checks -------------------------------------------------------------------


def test_admin_checks_pass():
    errors = checks.run_checks(tags=[checks.Tags.admin])

    assert errors == []


@pytest.mark.parametrize(
    ("model", "field_name", "make"),
    [
        (Finding, "themes", lambda name: factories.ThemeFactory(name=name)),
        (Finding, "processes", lambda name: factories.ProcessFactory(short_name=name)),
        (Participation, "person", lambda name: factories.PersonFactory(name=name)),
        (Participation, "organization", lambda name: factories.OrganizationFactory(name=name, acronym="")),
        (Document, "workshop", lambda name: factories.WorkshopFactory(title=name)),
    ],
    ids=["theme", "process", "person", "organisation", "meeting"],
)
def test_admin_autocomplete_finds_the_matching_record(admin_client, model, field_name, make):
    wanted = make("Labour migration")
    make("Border management")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "workshops",
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": "labour",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(wanted.pk), "text": str(wanted)}]
