"""Unknown is not zero (#14): counts are "not recorded" / null when no list is recorded; completeness and
stated counts are shown on the profile."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from processes import enums
from tests import factories as f
from tests import responses

pytestmark = pytest.mark.django_db

MEMBERS, OBSERVERS = enums.ListSection.MEMBERS, enums.ListSection.OBSERVERS
NOT_RECORDED = '<span class="not-recorded">not recorded</span>'


@pytest.fixture
def world():
    """Bali: no list recorded, two stated counts. Puebla: a complete member list of two (one former
    member left out of the count), observers recorded as complete and empty. Lima: a partial list."""
    website = f.SourceFactory(title="Bali Process website", url="https://www.baliprocess.net/members")
    bali = f.ProcessFactory(slug="bali", short_name="Bali Process")
    f.ListCompletenessFactory(
        process=bali, section=MEMBERS, status=enums.Completeness.NOT_RECORDED, sources=[website]
    )
    f.ProcessClaimFactory(
        process=bali,
        topic=enums.ClaimTopic.MEMBER_COUNT,
        value="45",
        source=website,
        as_of=datetime.date(2024, 1, 1),
    )
    f.ProcessClaimFactory(
        process=bali,
        topic=enums.ClaimTopic.MEMBER_ORGANIZATION_COUNT,
        value="4",
        source=website,
        as_of=datetime.date(2024, 1, 1),
    )
    rcm = f.SourceFactory(title="RCM members page", url="https://crmsv.org/members")
    puebla = f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    f.MembershipFactory(process=puebla, state=f.StateFactory(code="MX"))
    f.MembershipFactory(process=puebla, state=f.StateFactory(code="GT"))
    f.MembershipFactory(process=puebla, state=f.StateFactory(code="BZ"), since=1996, until=2000)
    f.ListCompletenessFactory(
        process=puebla,
        section=MEMBERS,
        status=enums.Completeness.COMPLETE,
        as_of=datetime.date(2024, 3, 1),
        sources=[rcm],
    )
    f.ListCompletenessFactory(process=puebla, section=OBSERVERS, status=enums.Completeness.COMPLETE)
    lima = f.ProcessFactory(slug="lima", short_name="Lima Process")
    f.MembershipFactory(process=lima, state=f.StateFactory(code="PE"))
    return bali, puebla, lima


def test_process_list_labels_unknown_counts_not_recorded(client, world):
    response = client.get(reverse("processes:process-list"))

    counts = {p.slug: (p.member_count, p.observer_count) for p in response.context["processes"]}
    assert counts == {"bali": (None, None), "lima": (1, None), "puebla": (2, 0)}
    html = response.content.decode()
    assert html.count(NOT_RECORDED) == 3
    assert '<td class="text-end">2</td>' in html


def test_profile_shows_completeness_and_stated_counts(client, world):
    bali = client.get(reverse("processes:process-detail", kwargs={"slug": "bali"})).content.decode()
    puebla = client.get(reverse("processes:process-detail", kwargs={"slug": "puebla"})).content.decode()
    lima = client.get(reverse("processes:process-detail", kwargs={"slug": "lima"})).content.decode()

    text = " ".join(bali.split())
    assert (
        'Recorded here:</span> <span class="not-recorded">not recorded</span> · '
        '<span class="fw-semibold">List:</span> '
        '<span class="completeness completeness-not_recorded">not recorded</span>'
    ) in text
    assert (
        'Stated by a source: Number of member states: <span class="stated-count">45</span> — '
        '<a href="https://www.baliprocess.net/members" rel="noopener">Bali Process website</a>, '
        "as of 1 January 2024"
    ) in text
    assert 'Number of member organisations: <span class="stated-count">4</span>' in text
    # Stated counts sit beside their lists, not among the other claims.
    assert 'id="claims"' not in bali
    text = " ".join(puebla.split())
    assert (
        '<span class="recorded-count">2</span> · <span class="fw-semibold">List:</span> '
        '<span class="completeness completeness-complete">complete as of 1 March 2024, per '
        '<a href="https://crmsv.org/members" rel="noopener">RCM members page</a></span>'
    ) in text
    assert '<span class="completeness completeness-complete">complete</span>' in text  # observers
    assert '<span class="completeness completeness-partial">partial</span>' in " ".join(lima.split())


def test_api_and_downloads_give_null_for_unknown_counts(client, world):
    api = json.loads(client.get(reverse("api:processes-list")).content)
    records = {r["slug"]: (r["member_count"], r["observer_count"], r["members_list"]) for r in api["results"]}
    assert records == {
        "bali": (None, None, "not_recorded"),
        "lima": (1, None, "partial"),
        "puebla": (2, 0, "complete"),
    }
    download = json.loads(client.get(reverse("processes:process-list"), {"format": "json"}).content)
    assert [(r["slug"], r["member_count"]) for r in download["results"]] == [
        ("bali", None),
        ("lima", 1),
        ("puebla", 2),
    ]
    response = client.get(reverse("api:dump"))
    dump = json.loads(responses.body(response))
    assert {r["slug"]: r["observer_count"] for r in dump["processes"]} == {
        "bali": None,
        "lima": None,
        "puebla": 0,
    }
    response = client.get(reverse("processes:process-list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["slug"], r["member_count"], r["observer_count"]) for r in rows] == [
        ("bali", "", ""),
        ("lima", "1", ""),
        ("puebla", "2", "0"),
    ]


def test_openapi_says_counts_are_nullable(client, db):
    schema = json.loads(client.get(reverse("api:openapi")).content)

    components = schema["components"]["schemas"]
    record = components["Process"]["properties"]
    assert record["member_count"] == {"type": "integer", "nullable": True}
    assert record["organization_count"] == {"type": "integer", "nullable": True}
    assert record["members_list"] == {
        "allOf": [{"$ref": "#/components/schemas/CompletenessEnum"}],
        "readOnly": True,
    }
    assert components["CompletenessEnum"]["enum"] == ["complete", "partial", "not_recorded"]
    assert components["ListState"]["properties"]["count"] == {"type": "integer", "nullable": True}


def test_state_in_no_recorded_list_has_no_zero_while_lists_are_missing(client, world):
    f.StateFactory(code="HU")

    response = client.get(reverse("processes:state-list"))

    counts = {str(state.code): state.process_count for state in response.context["states"]}
    assert counts == {"BZ": None, "GT": 1, "HU": None, "MX": 1, "PE": 1}
    assert NOT_RECORDED in response.content.decode()


def test_state_in_no_process_is_zero_when_every_list_is_recorded(client, db):
    puebla = f.ProcessFactory(slug="puebla")
    f.MembershipFactory(process=puebla, state=f.StateFactory(code="MX"))
    f.ListCompletenessFactory(process=puebla, section=OBSERVERS, status=enums.Completeness.COMPLETE)
    f.StateFactory(code="HU")

    response = client.get(reverse("processes:state-list"))

    assert {str(s.code): s.process_count for s in response.context["states"]} == {"HU": 0, "MX": 1}


def test_home_names_the_processes_it_could_not_count(client, world):
    html = client.get(reverse("home")).content.decode()

    assert (
        'Not counted: <a href="/en/processes/bali/">Bali Process</a>, '
        '<a href="/en/processes/lima/">Lima Process</a>' in html
    )
    assert "Puebla Process</a>, " not in html.split('id="figures-not-counted"')[1].split("</p>")[0]


def test_completeness_edit_in_the_admin_is_recorded_in_the_history_with_its_sources(admin_client, db):
    from processes import models as pm
    from tests.processes.test_admin import admin_form_data

    old, new = f.SourceFactory(title="Old page"), f.SourceFactory(title="Members page")
    row = f.ListCompletenessFactory(status=enums.Completeness.PARTIAL, sources=[old])
    address = reverse("admin:processes_listcompleteness_change", args=[row.pk])
    data = admin_form_data(admin_client.get(address))
    data.update(status="complete", as_of="2024-03-01", sources=[str(new.pk)])

    response = admin_client.post(address, data)

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.as_of, list(row.sources.all())) == (
        "complete",
        datetime.date(2024, 3, 1),
        [new],
    )
    latest = row.history.first()
    assert (latest.history_type, latest.status) == ("~", "complete")
    assert set(latest.sources.values_list("source_id", flat=True)) == {new.pk}
    assert set(latest.prev_record.sources.values_list("source_id", flat=True)) == {old.pk}
    assert pm.ListCompleteness.objects.count() == 1
