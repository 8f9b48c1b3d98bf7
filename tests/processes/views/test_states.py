import pytest
from django.core.cache import cache
from django.urls import reverse

from processes import enums
from tests import factories as f

LIST_URL = reverse("processes:state-list")


def detail_url(code):
    return reverse("processes:state-detail", kwargs={"code": code})


def state_names(response):
    return [str(state.name) for state in response.context["states"]]


def test_state_list_shows_each_state_sorted_by_name(client, db):
    americas = f.RegionFactory(name="The Americas", slug="americas")
    mexico = f.StateFactory(code="MX", region=americas)
    f.StateFactory(code="DE")
    f.StateFactory(code="AR")
    f.MembershipFactory(process=f.ProcessFactory(), state=mexico)
    f.MembershipFactory(process=f.ProcessFactory(), state=mexico, role=enums.MembershipRole.OBSERVER)
    f.MembershipFactory(process=f.ProcessFactory(), state=mexico, since=1990, until=1999)  # former

    response = client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert state_names(response) == ["Argentina", "Germany", "Mexico"]
    assert (
        '<a href="/en/states/MX/">Mexico</a></th>\n            <td>The Americas</td>\n'
        '            <td class="text-end">2</td>'
    ) in html
    assert '<p class="result-count" role="status">3 results</p>' in html


def test_state_list_filters_by_region_including_sub_regions(client, db):
    americas = f.RegionFactory(slug="americas")
    central = f.RegionFactory(slug="central-america", parent=americas)
    f.StateFactory(code="US", region=americas)
    f.StateFactory(code="GT", region=central)
    f.StateFactory(code="DE", region=f.RegionFactory(slug="europe"))
    f.StateFactory(code="AU")

    response = client.get(LIST_URL, {"region": "americas"})

    assert state_names(response) == ["Guatemala", "United States of America"]


def test_state_list_filters_by_number_of_processes(client, db):
    one, two, three = f.ProcessFactory(), f.ProcessFactory(), f.ProcessFactory()
    mexico, guatemala, spain = f.StateFactory(code="MX"), f.StateFactory(code="GT"), f.StateFactory(code="ES")
    f.StateFactory(code="DE")  # in no process
    for process in (one, two, three):
        f.MembershipFactory(process=process, state=mexico)
    for process in (one, two):
        f.MembershipFactory(process=process, state=guatemala)
    f.MembershipFactory(process=one, state=spain, role=enums.MembershipRole.OBSERVER)

    response = client.get(LIST_URL, {"min_processes": "1", "max_processes": "2"})

    assert state_names(response) == ["Guatemala", "Spain"]


def test_state_list_sorts_by_number_of_processes(client, db):
    one, two = f.ProcessFactory(), f.ProcessFactory()
    f.MembershipFactory(process=one, state=f.StateFactory(code="ZA"))
    f.MembershipFactory(process=two, state=f.StateFactory(code="ZA"))
    f.MembershipFactory(process=one, state=f.StateFactory(code="BW"))
    f.StateFactory(code="AR")

    response = client.get(LIST_URL, {"ordering": "processes"})

    assert state_names(response) == ["South Africa", "Botswana", "Argentina"]


def test_state_list_empty_state(client, db):
    f.StateFactory(code="MX")

    response = client.get(LIST_URL, {"min_processes": "1"})

    assert '<p class="empty-state">No state matches these filters.</p>' in response.content.decode()


def test_state_list_query_count_is_constant(count_queries, db):
    region = f.RegionFactory(slug="americas")

    def add(count):
        for _ in range(count):
            state = f.StateFactory(region=region)
            f.MembershipFactory(process=f.ProcessFactory(), state=state)

    add(1)
    count_queries(LIST_URL, {"region": "americas"})
    cache.clear()  # the filter's options, cached per content version, are built in every request counted
    response, with_one = count_queries(LIST_URL, {"region": "americas"})
    add(4)
    cache.clear()
    response, with_five = count_queries(LIST_URL, {"region": "americas"})

    assert len(response.context["states"]) == 5
    assert with_five == with_one


@pytest.mark.parametrize("code", ["MX", "mx", "Mx"])
def test_state_detail_lists_every_process_with_dates(client, db, code):
    mexico = f.StateFactory(code="MX", region=f.RegionFactory(name="The Americas"))
    puebla = f.ProcessFactory(short_name="Puebla Process", slug="puebla")
    f.MembershipFactory(process=puebla, state=mexico, since=1996, note="Founder").sources.add(
        f.SourceFactory(title="RCM website", url="https://example.org/rcm")
    )
    f.MembershipFactory(
        process=f.ProcessFactory(short_name="Budapest Process", slug="budapest"),
        state=mexico,
        role=enums.MembershipRole.OBSERVER,
        since=2003,
        until=2008,
    )
    f.MembershipFactory(process=f.ProcessFactory(short_name="Bali Process"), state=f.StateFactory(code="AU"))
    f.ChairTermFactory(process=puebla, state=mexico, start_year=2004, end_year=2005)

    response = client.get(detail_url(code))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Mexico · rcpdb</title>" in html
    assert '<link rel="canonical" href="http://testserver/en/states/MX/">' in html
    assert (
        '<a href="/en/processes/puebla/">Puebla Process</a></th>\n        <td>since 1996</td>\n'
        "        <td>Founder</td>"
    ) in html
    assert '<a href="https://example.org/rcm" rel="noopener">RCM website</a>' in html
    assert (
        '<a href="/en/processes/budapest/">Budapest Process</a> '
        '<span class="text-body-secondary">(former)</span>'
        "</th>\n        <td>2003–2008</td>"
    ) in html
    assert '<li><a href="/en/processes/puebla/">Puebla Process</a>, 2004–2005</li>' in html
    assert "Bali Process" not in html
    assert [m.process.short_name for m in response.context["member_of"]] == ["Puebla Process"]
    assert [m.process.short_name for m in response.context["observer_of"]] == ["Budapest Process"]


def test_state_detail_without_processes_says_so(client, db):
    f.StateFactory(code="DE")

    response = client.get(detail_url("DE"))

    html = response.content.decode()
    assert '<p class="empty-state">This state is not recorded as a member of any process.</p>' in html
    assert '<p class="empty-state">This state is not recorded as an observer in any process.</p>' in html


@pytest.mark.parametrize("code", ["XX", "FR", "MEX", "M", "1" * 40, "M\x00", "é1", "x" * 10_000])
def test_state_detail_unknown_code_is_404(client, db, code):
    f.StateFactory(code="MX")

    response = client.get(f"{LIST_URL}{code}/")

    assert response.status_code == 404


def test_state_detail_query_count_is_constant(count_queries, db):
    mexico = f.StateFactory(code="MX")

    def add(count):
        for _ in range(count):
            process = f.ProcessFactory()
            f.MembershipFactory(process=process, state=mexico).sources.add(f.SourceFactory())
            f.MembershipFactory(
                process=f.ProcessFactory(), state=mexico, role=enums.MembershipRole.OBSERVER
            ).sources.add(f.SourceFactory())
            f.ChairTermFactory(process=process, state=mexico, co_chair=f.StateFactory(code="US"))

    add(1)
    count_queries(detail_url("MX"))
    _, with_one = count_queries(detail_url("MX"))
    add(4)
    response, with_five = count_queries(detail_url("MX"))

    assert len(response.context["member_of"]) == 5
    assert with_five == with_one
