"""Staff admin of the registry: every page renders, the Process page stores a whole profile at once, and
invalid input — one bad row, or rows that conflict with each other — is an error on the form, never a 500."""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.forms import CheckboxInput, ModelMultipleChoiceField, MultipleChoiceField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processes import enums
from processes import models as pm
from tests import factories as f

pytestmark = pytest.mark.django_db

FACTORIES = {
    pm.Region: f.RegionFactory,
    pm.State: f.StateFactory,
    pm.Organization: f.OrganizationFactory,
    pm.Theme: f.ThemeFactory,
    pm.Source: f.SourceFactory,
    pm.Process: f.ProcessFactory,
    pm.ProcessClaim: f.ProcessClaimFactory,
    pm.ListCompleteness: f.ListCompletenessFactory,
    pm.Membership: f.MembershipFactory,
    pm.OrganizationRole: f.OrganizationRoleFactory,
    pm.Secretariat: f.SecretariatFactory,
    pm.ChairTerm: f.ChairTermFactory,
    pm.Funding: f.FundingFactory,
    pm.Evaluation: f.EvaluationFactory,
    pm.Output: f.OutputFactory,
    pm.Achievement: f.AchievementFactory,
    pm.InstitutionLink: f.InstitutionLinkFactory,
}
MODELS = [pytest.param(model, id=model.__name__) for model in FACTORIES]


ONE_CONTRIBUTOR = "Name exactly one contributor: either a state or an organisation."


def page_outside_error_summary(response):
    """The page without its error summary (which lists every error once more, as a link to it)."""
    return re.sub(r'<nav class="error-summary".*?</nav>', "", response.content.decode(), flags=re.S)


def admin_url(model, view, *args):
    return reverse(f"admin:processes_{model._meta.model_name}_{view}", args=args)


# Building admin POST data from the rendered page ------------------------------------------------------


def form_data(form):
    """What a browser would post for ``form`` as rendered (its initial values)."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(bound.field, MultipleChoiceField | ModelMultipleChoiceField):
            if value:
                data[bound.html_name] = [str(item) for item in value]
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = str(value)
    return data


def admin_form_data(response):
    """POST data of an admin add/change page: the main form, every inline's management form and
    existing rows; no blank extra rows (``add_rows`` appends rows)."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            data.update(form_data(form))
    return data


def add_rows(data, prefix, rows):
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{total + offset}-{field}"] = value if isinstance(value, list) else str(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


@pytest.fixture
def add_page_data(admin_client):
    """The Process add page as posted with a valid profile and no inline rows."""
    response = admin_client.get(admin_url(pm.Process, "add"))
    data = admin_form_data(response)
    data.update(
        name_en="Regional Conference on Migration",
        short_name_en="Puebla Process",
        slug="puebla",
        kind=enums.ProcessKind.GEOGRAPHIC,
        status=enums.ProcessStatus.ACTIVE,
        established_year="1996",
    )
    return data


def post_add(admin_client, data):
    return admin_client.post(admin_url(pm.Process, "add"), data)


def change_page_data(admin_client, process):
    return admin_form_data(admin_client.get(admin_url(pm.Process, "change", process.pk)))


def post_change(admin_client, process, data):
    return admin_client.post(admin_url(pm.Process, "change", process.pk), data)


# Every model: registered, and its pages render ---------------------------------------------------


def test_every_processes_model_has_an_admin():
    registered = {
        model: type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "processes"
    }

    # History tables (django-simple-history) are shown through their model's admin, not on their own.
    own_models = {
        model
        for model in apps.get_app_config("processes").get_models()
        if not model._meta.model_name.startswith("historical")
    }
    assert set(registered) == own_models
    assert registered == {model: f"{model.__name__}Admin" for model in FACTORIES}


@pytest.mark.parametrize("model", MODELS)
def test_changelist_renders_for_superuser(admin_client, model):
    obj = FACTORIES[model]()

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [obj]


@pytest.mark.parametrize("model", MODELS)
def test_add_page_renders_for_superuser(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert response.context["title"] == f"Add {model._meta.verbose_name}"


@pytest.mark.parametrize("model", MODELS)
def test_change_page_renders_for_superuser(admin_client, model):
    obj = FACTORIES[model]()

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


def test_process_change_page_shows_every_inline_with_its_rows(admin_client, process, mexico):
    f.ProcessClaimFactory(process=process)
    f.MembershipFactory(process=process, state=mexico)
    f.OrganizationRoleFactory(process=process)
    f.ChairTermFactory(process=process, state=mexico)
    f.SecretariatFactory(process=process)
    f.FundingFactory(process=process, state=mexico)
    f.EvaluationFactory(process=process)
    f.OutputFactory(process=process)
    f.AchievementFactory(process=process)
    f.InstitutionLinkFactory(process=process)
    f.ListCompletenessFactory(process=process, section=enums.ListSection.MEMBERS)
    f.ListCompletenessFactory(process=process, section=enums.ListSection.OBSERVERS)

    response = admin_client.get(admin_url(pm.Process, "change", process.pk))

    assert response.status_code == 200
    rows = {
        inline.formset.prefix: inline.formset.initial_form_count()
        for inline in response.context["inline_admin_formsets"]
    }
    assert rows == {
        "claims": 1,
        "completeness": 2,
        "memberships": 1,
        "organization_roles": 1,
        "chair_terms": 1,
        "secretariat": 1,
        "fundings": 1,
        "evaluations": 1,
        "outputs": 1,
        "achievements": 1,
        "institution_links": 1,
    }


# Saving a whole profile at once --------------------------------------------------------------------


def test_process_saved_with_several_inlines_is_stored_exactly(
    admin_client, add_page_data, mexico, guatemala, united_states
):
    iom = f.OrganizationFactory(name="International Organization for Migration", acronym="IOM")
    source = f.SourceFactory(title="IOM RCP matrix")
    north_america = f.RegionFactory(name="North and Central America")
    data = add_page_data
    data["regions"] = [str(north_america.pk)]
    add_rows(
        data,
        "memberships",
        [
            {"state": mexico.pk, "role": "member", "since": 1996, "sources": [str(source.pk)]},
            {"state": guatemala.pk, "role": "observer", "since": 2001, "until": 2005},
        ],
    )
    add_rows(data, "chair_terms", [{"state": mexico.pk, "co_chair": united_states.pk, "start_year": 2020}])
    add_rows(
        data,
        "secretariat",
        [
            {
                "arrangement": "tsu",
                "hosts": [iom.pk],
                "city": "San José",
                "country": "CR",
                "since": 2001,
                "staff": 3,
            }
        ],
    )
    add_rows(
        data,
        "fundings",
        [
            {
                "organization": iom.pk,
                "kind": "donor_grant",
                "year": 2004,
                "amount": "25000.50",
                "currency": "USD",
            }
        ],
    )

    response = post_add(admin_client, data)

    assert response.status_code == 302
    process = pm.Process.objects.get()
    assert (process.name, process.short_name, process.slug, process.established_year) == (
        "Regional Conference on Migration",
        "Puebla Process",
        "puebla",
        1996,
    )
    assert list(process.regions.all()) == [north_america]
    assert list(
        process.memberships.order_by("state__code").values_list("state__code", "role", "since", "until")
    ) == [("GT", "observer", 2001, 2005), ("MX", "member", 1996, None)]
    assert list(process.memberships.get(state=mexico).sources.all()) == [source]
    assert list(
        process.chair_terms.values_list("state__code", "co_chair__code", "start_year", "end_year")
    ) == [("MX", "US", 2020, None)]
    secretariat = process.secretariat
    assert (
        secretariat.arrangement,
        list(secretariat.hosts.all()),
        secretariat.city,
        str(secretariat.country),
        secretariat.since,
        secretariat.staff,
    ) == ("tsu", [iom], "San José", "CR", 2001, 3)
    # Its "secretariat host" role follows from it, not entered a second time.
    assert list(process.organization_roles.values_list("organization", "role", "since", "until")) == [
        (iom.pk, "secretariat_host", 2001, None)
    ]
    assert list(
        process.fundings.values_list("state", "organization", "kind", "year", "amount", "currency")
    ) == [(None, iom.pk, "donor_grant", 2004, Decimal("25000.50"), "USD")]


def test_chair_hand_over_in_one_save_is_stored(admin_client, process, mexico, united_states):
    current = f.ChairTermFactory(process=process, state=mexico, start_year=2022, end_year=None)
    data = change_page_data(admin_client, process)
    data["chair_terms-0-end_year"] = "2024"
    add_rows(data, "chair_terms", [{"state": united_states.pk, "start_year": 2024}])

    response = post_change(admin_client, process, data)

    assert response.status_code == 302
    assert list(
        process.chair_terms.order_by("start_year").values_list("state__code", "start_year", "end_year")
    ) == [("MX", 2022, 2024), ("US", 2024, None)]
    assert process.chair_terms.get(state=mexico).pk == current.pk


def test_membership_replaced_in_one_save_is_stored(admin_client, process, mexico):
    f.MembershipFactory(process=process, state=mexico, role="observer", since=1996)
    data = change_page_data(admin_client, process)
    data["memberships-0-DELETE"] = "on"
    add_rows(data, "memberships", [{"state": mexico.pk, "role": "member", "since": 1998}])

    response = post_change(admin_client, process, data)

    assert response.status_code == 302
    assert list(process.memberships.values_list("state__code", "role", "since", "until")) == [
        ("MX", "member", 1998, None)
    ]


# Invalid input: the error on the form, nothing stored ----------------------------------------------


def assert_nothing_added(response):
    assert response.status_code == 200
    assert pm.Process.objects.count() == 0
    assert pm.Membership.objects.count() == 0
    assert pm.ChairTerm.objects.count() == 0
    assert pm.Secretariat.objects.count() == 0
    assert pm.Funding.objects.count() == 0


def test_chair_term_ending_before_it_starts_shows_error_and_stores_nothing(
    admin_client, add_page_data, mexico
):
    add_rows(add_page_data, "memberships", [{"state": mexico.pk, "role": "member", "since": 1996}])
    add_rows(add_page_data, "chair_terms", [{"state": mexico.pk, "start_year": 2010, "end_year": 2009}])

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert page_outside_error_summary(response).count("The chair term ends before it starts.") == 1


def test_two_overlapping_chair_terms_in_one_submission_show_error(
    admin_client, add_page_data, mexico, united_states
):
    add_rows(
        add_page_data,
        "chair_terms",
        [
            {"state": mexico.pk, "start_year": 2010, "end_year": 2012},
            {"state": united_states.pk, "start_year": 2011, "end_year": 2013},
        ],
    )

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert (
        page_outside_error_summary(response).count(
            "This term overlaps the chair term of Mexico (2010–2012). Terms of one process must not "
            "overlap; a term may begin in the year the previous one ends."
        )
        == 1
    )


def test_two_open_ended_chair_terms_in_one_submission_show_error(
    admin_client, add_page_data, mexico, united_states
):
    add_rows(
        add_page_data,
        "chair_terms",
        [{"state": mexico.pk, "start_year": 2010}, {"state": united_states.pk, "start_year": 2015}],
    )

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert "This term overlaps the chair term of Mexico (since 2010)." in response.content.decode()


def test_two_current_memberships_of_one_state_in_one_submission_show_error(
    admin_client, add_page_data, mexico
):
    add_rows(
        add_page_data,
        "memberships",
        [
            {"state": mexico.pk, "role": "member", "since": 1996},
            {"state": mexico.pk, "role": "observer", "since": 1999},
        ],
    )

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert (
        page_outside_error_summary(response).count(
            "Mexico already holds a role in this process (Member, since 1996). A state holds one role in a "
            "process at a time: end the other membership first."
        )
        == 1
    )


def test_funding_with_two_contributors_shows_error(admin_client, add_page_data, mexico):
    iom = f.OrganizationFactory()
    add_rows(add_page_data, "fundings", [{"state": mexico.pk, "organization": iom.pk, "kind": "donor_grant"}])

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert page_outside_error_summary(response).count(ONE_CONTRIBUTOR) == 1


def test_funding_without_contributor_shows_error(admin_client, add_page_data):
    add_rows(add_page_data, "fundings", [{"kind": "donor_grant", "year": 2004}])

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert page_outside_error_summary(response).count(ONE_CONTRIBUTOR) == 1


def test_two_secretariats_in_one_submission_show_error(admin_client, add_page_data):
    add_rows(add_page_data, "secretariat", [{"arrangement": "fixed"}, {"arrangement": "tsu"}])

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert "This process already has a secretariat; edit that one instead." in response.content.decode()


def test_implausible_year_in_an_inline_shows_error(admin_client, add_page_data, mexico):
    add_rows(add_page_data, "memberships", [{"state": mexico.pk, "role": "member", "since": 1944}])

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    next_year = datetime.date.today().year + 1
    assert f"Enter a year between 1945 and {next_year}." in response.content.decode()


def test_change_page_refuses_a_second_current_membership_of_a_stored_state(admin_client, process, mexico):
    f.MembershipFactory(process=process, state=mexico, role="member", since=1996)
    data = change_page_data(admin_client, process)
    data["short_name"] = "Renamed"
    add_rows(data, "memberships", [{"state": mexico.pk, "role": "observer", "since": 2001}])

    response = post_change(admin_client, process, data)

    assert response.status_code == 200
    assert "Mexico already holds a role in this process (Member, since 1996)." in response.content.decode()
    assert pm.Membership.objects.count() == 1
    assert pm.Process.objects.get().short_name == "Puebla Process"


def test_change_page_refuses_overlap_with_a_stored_chair_term(admin_client, process, mexico, united_states):
    f.ChairTermFactory(process=process, state=mexico, start_year=2010, end_year=2012)
    data = change_page_data(admin_client, process)
    add_rows(data, "chair_terms", [{"state": united_states.pk, "start_year": 2010, "end_year": 2011}])

    response = post_change(admin_client, process, data)

    assert response.status_code == 200
    assert "This term overlaps the chair term of Mexico (2010–2012)." in response.content.decode()
    assert pm.ChairTerm.objects.count() == 1


# Constraints that name the process, which Django leaves out of an inline row's full_clean()


def test_change_page_refuses_a_duplicate_current_organisation_role(admin_client, process):
    iom = f.OrganizationFactory()
    f.OrganizationRoleFactory(process=process, organization=iom, role="partner")
    data = change_page_data(admin_client, process)
    add_rows(data, "organization_roles", [{"organization": iom.pk, "role": "partner", "since": 2005}])

    response = post_change(admin_client, process, data)

    assert response.status_code == 200
    assert (
        page_outside_error_summary(response).count("This organisation already has this role in this process.")
        == 1
    )
    assert pm.OrganizationRole.objects.count() == 1


def test_change_page_refuses_a_duplicate_claim(admin_client, process):
    claim = f.ProcessClaimFactory(process=process, topic="established", value="1996")
    data = change_page_data(admin_client, process)
    add_rows(data, "claims", [{"topic": "established", "value": "1997", "source": claim.source.pk}])

    response = post_change(admin_client, process, data)

    assert response.status_code == 200
    assert page_outside_error_summary(response).count("This source already has a claim on this topic.") == 1
    assert pm.ProcessClaim.objects.count() == 1


def test_change_page_refuses_a_second_secretariat_row(admin_client, process):
    f.SecretariatFactory(process=process)
    data = change_page_data(admin_client, process)
    add_rows(data, "secretariat", [{"arrangement": "tsu"}])

    response = post_change(admin_client, process, data)

    assert response.status_code == 200
    assert "This process already has a secretariat; edit that one instead." in response.content.decode()
    assert pm.Secretariat.objects.count() == 1


def test_standalone_membership_form_refuses_a_second_current_role(admin_client, process, mexico):
    f.MembershipFactory(process=process, state=mexico, role="member", since=1996)
    data = admin_form_data(admin_client.get(admin_url(pm.Membership, "add")))
    data.update(process=process.pk, state=mexico.pk, role="observer", since="2001")

    response = admin_client.post(admin_url(pm.Membership, "add"), data)

    assert response.status_code == 200
    assert "Mexico already holds a role in this process (Member, since 1996)." in response.content.decode()
    assert pm.Membership.objects.count() == 1


def test_region_cannot_be_made_its_own_parent(admin_client):
    africa = f.RegionFactory(name="Africa", slug="africa")
    data = admin_form_data(admin_client.get(admin_url(pm.Region, "change", africa.pk)))
    data["parent"] = str(africa.pk)

    response = admin_client.post(admin_url(pm.Region, "change", africa.pk), data)

    assert response.status_code == 200
    assert "A region cannot lie inside itself or one of its sub-regions." in response.content.decode()
    africa.refresh_from_db()
    assert africa.parent is None


# Lists, filters, search and autocomplete -----------------------------------------------------------


def test_process_changelist_query_count_is_constant(admin_client, mexico):
    def build(count):
        region = f.RegionFactory()
        for _ in range(count):
            process = f.ProcessFactory(regions=[region])
            f.MembershipFactory(process=process, state=mexico)

    def changelist_queries():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(admin_url(pm.Process, "changelist"))
        return response, len(queries)

    build(1)
    one_response, one = changelist_queries()
    build(4)
    five_response, five = changelist_queries()

    assert one_response.context["cl"].result_count == 1
    assert five_response.context["cl"].result_count == 5
    assert five == one


def test_process_changelist_shows_current_member_count(admin_client, process, mexico, united_states):
    f.MembershipFactory(process=process, state=mexico)
    f.MembershipFactory(process=process, state=united_states, role="observer")
    f.MembershipFactory(process=process, state=f.StateFactory(code="CA"), since=1996, until=2000)

    response = admin_client.get(admin_url(pm.Process, "changelist"))

    assert [row.member_count for row in response.context["cl"].result_list] == [1]


def test_process_changelist_filters_evaluated(admin_client):
    evaluated = f.ProcessFactory()
    f.EvaluationFactory(process=evaluated)
    never = f.ProcessFactory()

    evaluated_list = admin_client.get(admin_url(pm.Process, "changelist"), {"evaluated": "yes"})
    never_list = admin_client.get(admin_url(pm.Process, "changelist"), {"evaluated": "no"})

    assert list(evaluated_list.context["cl"].result_list) == [evaluated]
    assert list(never_list.context["cl"].result_list) == [never]


def test_membership_changelist_filters_current(admin_client, process, mexico, united_states):
    current = f.MembershipFactory(process=process, state=mexico)
    f.MembershipFactory(process=process, state=united_states, since=1996, until=2000)

    response = admin_client.get(admin_url(pm.Membership, "changelist"), {"current": "yes"})

    assert list(response.context["cl"].result_list) == [current]


def test_membership_changelist_searches_country_names(admin_client, process, mexico, united_states):
    wanted = f.MembershipFactory(process=process, state=mexico)
    f.MembershipFactory(process=process, state=united_states)

    response = admin_client.get(admin_url(pm.Membership, "changelist"), {"q": "mexico"})

    assert list(response.context["cl"].result_list) == [wanted]


def autocomplete(admin_client, term, model_name="membership", field_name="state"):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "processes", "model_name": model_name, "field_name": field_name},
    )
    assert response.status_code == 200
    return response.json()["results"]


def test_state_autocomplete_finds_the_country_by_name(admin_client, mexico, united_states, guatemala):
    assert autocomplete(admin_client, "Mex") == [{"id": str(mexico.pk), "text": "Mexico"}]


def test_state_autocomplete_ignores_accents_and_matches_codes(admin_client, mexico):
    ivory_coast = f.StateFactory(code="CI")

    assert autocomplete(admin_client, "cote", "chairterm", "state") == [
        {"id": str(ivory_coast.pk), "text": "Côte d'Ivoire"}
    ]
    assert autocomplete(admin_client, "MX", "funding", "state") == [{"id": str(mexico.pk), "text": "Mexico"}]


def test_state_autocomplete_without_match_is_empty(admin_client, mexico):
    assert autocomplete(admin_client, "Atlantis") == []


def test_process_autocomplete_finds_by_acronym(admin_client, process):
    f.ProcessFactory(short_name="Bali Process", acronym="BP")
    process.acronym = "RCM"
    process.save()

    assert autocomplete(admin_client, "RCM", "membership", "process") == [
        {"id": str(process.pk), "text": "Puebla Process"}
    ]


def test_theme_autocomplete_and_changelist_count_processes(admin_client):
    trafficking = f.ThemeFactory(name="Trafficking")
    f.ThemeFactory(name="Health")
    f.ProcessFactory(themes=[trafficking])
    f.ProcessFactory(themes=[trafficking])

    changelist = admin_client.get(admin_url(pm.Theme, "changelist"))

    assert [(theme.name, theme.process_count) for theme in changelist.context["cl"].result_list] == [
        ("Health", 0),
        ("Trafficking", 2),
    ]
    assert autocomplete(admin_client, "traff", "process", "themes") == [
        {"id": str(trafficking.pk), "text": "Trafficking"}
    ]


SINGLE_ROW_ERRORS = [
    pytest.param(
        "chair_terms",
        {"state": "MX", "co_chair": "MX", "start_year": 2010},
        "The co-chair must be a different state from the chair.",
        id="co-chair-is-chair",
    ),
    pytest.param(
        "memberships",
        {"state": "MX", "role": "member", "since": 2005, "until": 2004},
        "The membership ends before it starts.",
        id="membership-ends-before-start",
    ),
    pytest.param(
        "organization_roles",
        {"organization": "IOM", "role": "partner", "since": 2005, "until": 2004},
        "The role ends before it starts.",
        id="role-ends-before-start",
    ),
    pytest.param(
        "evaluations",
        {"kind": "external", "start_date": "2005-03-01", "end_date": "2005-02-01"},
        "The evaluation ends before it starts.",
        id="evaluation-ends-before-start",
    ),
    pytest.param(
        "fundings",
        {"state": "MX", "kind": "voluntary_state", "amount": "-5.00", "currency": "USD"},
        "The amount cannot be negative.",
        id="negative-amount",
    ),
    pytest.param(
        "fundings",
        {"state": "MX", "kind": "voluntary_state", "amount": "5.00"},
        "Give the currency of the amount.",
        id="amount-without-currency",
    ),
    pytest.param(
        "secretariat",
        {"arrangement": "none", "hosts": ["IOM"]},
        "A process without a secretariat has no host organisation; clear the hosts.",
        id="no-secretariat-with-host",
    ),
]


@pytest.mark.parametrize(("prefix", "row", "message"), SINGLE_ROW_ERRORS)
def test_invalid_inline_row_shows_its_error_once(admin_client, add_page_data, mexico, prefix, row, message):
    iom = f.OrganizationFactory(acronym="IOM")
    ids = {"MX": mexico.pk, "IOM": iom.pk}
    add_rows(
        add_page_data,
        prefix,
        [
            {
                field: [ids.get(v, v) for v in value] if isinstance(value, list) else ids.get(value, value)
                for field, value in row.items()
            }
        ],
    )

    response = post_add(admin_client, add_page_data)

    assert_nothing_added(response)
    assert page_outside_error_summary(response).count(message) == 1
