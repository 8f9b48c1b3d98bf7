"""Dated versions (issue 19): a record shown as it stood on a date, rebuilt from the history."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from processes import as_of, enums
from processes import models as pm
from processes.models import State
from rcpdb.core.cache import CACHE_HEADER, accepted_params
from tests import factories as f
from tests.site.history_dates import on_day, private_local_caches

pytestmark = pytest.mark.django_db

DAY1, DAY2, DAY3 = datetime.date(2026, 1, 10), datetime.date(2026, 2, 10), datetime.date(2026, 3, 10)


def member_names(html):
    """The member states listed in the members section of a profile page."""
    section = html.split('id="members"', 1)[1].split('id="observers"', 1)[0]
    return re.findall(r'<th scope="row" class="fw-normal"><a href="[^"]+">([^<]+)</a>', section)


@pytest.fixture
def edited():
    """A process created on DAY1 and edited on DAY2 and DAY3 (fields, members, sources, themes)."""
    with on_day(DAY1):
        source_a = f.SourceFactory(title="Report A")
        source_b = f.SourceFactory(title="Report B")
        asylum = f.ThemeFactory(name="Asylum")
        health = f.ThemeFactory(name="Health")
        mexico = f.StateFactory(code="MX")
        guatemala = f.StateFactory(code="GT")
        process = f.ProcessFactory(slug="puebla", short_name="Puebla Process", description="First text.")
        process.themes.set([asylum])
        mexico_membership = f.MembershipFactory(process=process, state=mexico)
        mexico_membership.sources.set([source_a])
    with on_day(DAY2):
        process.description = "Second text."
        process.save()
        guatemala_membership = f.MembershipFactory(process=process, state=guatemala)
        mexico_membership.sources.set([source_b])
    with on_day(DAY3):
        process.short_name = "Regional Conference"
        process.save()
        guatemala_membership.delete()
        process.themes.set([health])
    return process


def page(client, day=None, slug="puebla"):
    url = reverse("processes:process-detail", kwargs={"slug": slug})
    return client.get(url, {"as_of": day.isoformat()} if day else {})


def test_profile_is_shown_as_it_stood_between_each_edit(client, edited):
    first = page(client, datetime.date(2026, 1, 20)).content.decode()
    second = page(client, datetime.date(2026, 2, 20)).content.decode()
    third = page(client, datetime.date(2026, 3, 20)).content.decode()

    assert "First text." in first and "Second text." not in first
    assert member_names(first) == ["Mexico"]
    assert "Report A" in first and "Report B" not in first
    assert "Asylum" in first and "Health" not in first

    assert "Second text." in second
    assert member_names(second) == ["Guatemala", "Mexico"]
    assert "Report B" in second and "Report A" not in second
    assert "<h1>Puebla Process" in second

    assert "<h1>Regional Conference" in third
    assert member_names(third) == ["Mexico"]
    assert "Health" in third and "Asylum" not in third


def test_a_day_counts_the_edits_made_on_it(client, edited):
    assert "Second text." in page(client, DAY2).content.decode()
    assert "First text." in page(client, DAY2 - datetime.timedelta(days=1)).content.decode()


def test_dated_page_has_banner_noindex_and_links_that_keep_the_date(client, edited):
    response = page(client, datetime.date(2026, 3, 3))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    assert "As it stood on 3 March 2026;" in html
    assert (
        '<a class="alert-link" data-current href="/en/processes/puebla/">see the current version</a>' in html
    )
    assert 'href="/en/states/MX/?as_of=2026-03-03"' in html
    current = page(client).content.decode()
    assert "As it stood on" not in current and 'content="noindex"' not in current


def test_before_the_record_existed_is_a_404(client, edited):
    assert page(client, datetime.date(2025, 12, 31)).status_code == 404


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "The date must be written YYYY-MM-DD, for example 2026-03-03."),
        ("2026-02-30", "The date must be written YYYY-MM-DD, for example 2026-03-03."),
        ("1999-12-31", "rcpdb has no record from before 2000."),
        ("2999-01-01", "The date is in the future"),
    ],
)
def test_bad_dates_are_a_400_with_a_clear_message(client, edited, value, message):
    response = client.get(reverse("processes:process-detail", kwargs={"slug": "puebla"}), {"as_of": value})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_deleted_process_shows_its_last_version_with_a_notice(client, edited):
    with on_day(datetime.date(2026, 4, 1)):
        pm.Process.objects.get(slug="puebla").delete()
    response = page(client, datetime.date(2026, 4, 2))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This record had been deleted by that date: this is its last version." in html
    assert "<h1>Regional Conference" in html
    assert page(client).status_code == 404


def test_selector_for_the_api(edited):
    version = as_of.process_as_of("puebla", datetime.date(2026, 2, 20))
    assert (version.record.short_name, version.record.description, version.deleted) == (
        "Puebla Process",
        "Second text.",
        False,
    )
    members = version.context["sections"]["members"].rows
    assert [m.state.name for m in members] == ["Guatemala", "Mexico"]
    assert as_of.process_as_of("puebla", datetime.date(2025, 1, 1)) is None


def _free_code():
    taken = set(State.objects.values_list("code", flat=True))
    return next(
        code for code in (f"Q{chr(letter)}" for letter in range(ord("M"), ord("Z") + 1)) if code not in taken
    )


def fill(process, count):
    """``count`` more rows in every section, each with a source."""
    for n in range(count):
        source = f.SourceFactory()
        # A code of ISO's user-assigned range no other row has: the factory's cycling codes may hand
        # back a state the process already has (a second current role, refused by the database).
        state = f.StateFactory(code=_free_code())
        organization = f.OrganizationFactory()
        f.MembershipFactory(process=process, state=state, role=enums.MembershipRole.OBSERVER).sources.set(
            [source]
        )
        f.OrganizationRoleFactory(process=process, organization=organization).sources.set([source])
        f.FundingFactory(process=process, state=state).sources.set([source])
        f.OutputFactory(process=process).sources.set([source])
        f.AchievementFactory(process=process).states.set([state])
        f.InstitutionLinkFactory(process=process, institution=organization)
        f.ProcessClaimFactory(
            process=process, source=source, topic=enums.ClaimTopic.ESTABLISHED, value=str(1990 + n)
        )
        f.WorkshopFactory().processes.add(process)


@pytest.mark.parametrize("count", [1, 4])
def test_dated_profile_runs_a_fixed_number_of_queries(client, edited, django_assert_num_queries, count):
    fill(edited, count)
    day = timezone.localdate()
    with django_assert_num_queries(31):
        response = page(client, day)
    assert response.status_code == 200


def test_dated_state_and_organization_pages_run_fixed_queries(client, edited):
    """The same number of queries with one row in every section as with four (counted warm).

    Compared within the test, not against a constant: what factories create depends on the rows an
    earlier test in the same worker made (their sequences), which may add a query to both counts."""
    organization = f.OrganizationFactory(slug="sica")
    f.OrganizationRoleFactory(process=edited, organization=organization)
    day = timezone.localdate().isoformat()
    state_url = reverse("processes:state-detail", kwargs={"code": "MX"})
    organization_url = reverse("processes:organization-detail", kwargs={"slug": "sica"})

    def counts():
        result = []
        for url in (state_url, organization_url):
            assert client.get(url, {"as_of": day}).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"as_of": day}).status_code == 200
            result.append(len(queries))
        return result

    fill(edited, 1)
    with_one = counts()
    fill(edited, 3)

    assert counts() == with_one
    assert with_one[0] <= 7 and with_one[1] <= 8


def test_dated_state_page_shows_the_memberships_then(client, edited):
    url = reverse("processes:state-detail", kwargs={"code": "GT"})
    assert "Puebla Process" in client.get(url, {"as_of": "2026-02-20"}).content.decode()
    html = client.get(url, {"as_of": "2026-03-20"}).content.decode()
    assert "This state is not recorded as a member of any process." in html


def test_dated_meeting_page_shows_the_meeting_then(client, django_assert_num_queries):
    with on_day(DAY1):
        workshop = f.WorkshopFactory(slug="bangkok-2026", title="Bangkok workshop")
        f.FindingFactory(workshop=workshop, number=1, text="The first finding.")
    with on_day(DAY2):
        workshop.title = "Bangkok regional workshop"
        workshop.save()
        f.FindingFactory(workshop=workshop, number=2, text="The second finding.")
    url = reverse("workshops:workshop-detail", kwargs={"slug": "bangkok-2026"})
    with django_assert_num_queries(10):
        first = client.get(url, {"as_of": "2026-01-20"}).content.decode()
    assert "<h1>Bangkok workshop</h1>" in first
    assert "The first finding." in first and "The second finding." not in first
    second = client.get(url, {"as_of": "2026-02-20"}).content.decode()
    assert "<h1>Bangkok regional workshop</h1>" in second and "The second finding." in second
    assert "As it stood on 20 February 2026;" in second


def test_dated_pages_are_cached_under_their_date(client, edited, settings):
    settings.PAGE_CACHE_SECONDS = 300
    private_local_caches(settings, "as-of-pages")

    class Request:
        path_info = reverse("processes:process-detail", kwargs={"slug": "puebla"})

    assert "as_of" in accepted_params(Request())
    first = page(client, datetime.date(2026, 1, 20))
    again = page(client, datetime.date(2026, 1, 20))
    other_day = page(client, datetime.date(2026, 2, 20))
    assert first.get(CACHE_HEADER) != "hit" and again.get(CACHE_HEADER) == "hit"
    assert again.content == first.content
    assert "Second text." in other_day.content.decode() and other_day.get(CACHE_HEADER) != "hit"


def test_todays_address_opens_the_past_of_a_record_whose_slug_changed(client, edited):
    with on_day(datetime.date(2026, 4, 1)):
        edited.slug = "rcm"
        edited.save()
    html = page(client, datetime.date(2026, 1, 20), slug="rcm").content.decode()
    assert "First text." in html
    assert page(client, datetime.date(2026, 1, 20), slug="puebla").status_code == 200
