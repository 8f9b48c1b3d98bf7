from django.urls import reverse

from processes import enums
from tests import factories as f

LIST_URL = reverse("processes:organization-list")


def detail_url(slug):
    return reverse("processes:organization-detail", kwargs={"slug": slug})


def org_names(response):
    return [organization.name for organization in response.context["organizations"]]


def test_organization_list_shows_each_organization(client, db):
    iom = f.OrganizationFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    f.OrganizationFactory(name="Caritas", acronym="", slug="caritas", kind=enums.OrganizationKind.NGO)
    puebla, bali = f.ProcessFactory(), f.ProcessFactory()
    f.OrganizationRoleFactory(process=puebla, organization=iom, role=enums.OrganizationRoleKind.OBSERVER)
    f.OrganizationRoleFactory(
        process=puebla, organization=iom, role=enums.OrganizationRoleKind.TECHNICAL_SUPPORT
    )
    f.OrganizationRoleFactory(process=bali, organization=iom)

    response = client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert org_names(response) == ["Caritas", "International Organization for Migration"]
    assert (
        '<a href="/en/organizations/iom/">International Organization for Migration (IOM)</a></th>\n'
        "            <td>International organisation</td>\n"
        '            <td class="text-end">2</td>'
    ) in html
    assert '<td>Non-governmental organisation</td>\n            <td class="text-end">0</td>' in html


def test_organization_list_filters_by_kind_and_text(client, db):
    f.OrganizationFactory(name="International Organization for Migration", acronym="IOM")
    f.OrganizationFactory(name="Caritas", kind=enums.OrganizationKind.NGO)
    f.OrganizationFactory(name="Migrant Forum in Asia", kind=enums.OrganizationKind.NGO)

    response = client.get(LIST_URL, {"kind": "ngo", "q": "asia"})

    assert org_names(response) == ["Migrant Forum in Asia"]


def test_organization_list_empty_state(client, db):
    f.OrganizationFactory(name="IOM")

    response = client.get(LIST_URL, {"q": "nothing like it"})

    assert '<p class="empty-state">No organisation matches these filters.</p>' in response.content.decode()


def test_organization_detail_shows_roles_secretariats_links_and_funding(client, db):
    iom = f.OrganizationFactory(
        name="International Organization for Migration",
        acronym="IOM",
        slug="iom",
        description="UN migration agency.",
    )
    bali = f.ProcessFactory(short_name="Bali Process", slug="bali")
    puebla = f.ProcessFactory(short_name="Puebla Process", slug="puebla")
    f.OrganizationRoleFactory(
        process=bali, organization=iom, role=enums.OrganizationRoleKind.TECHNICAL_SUPPORT, since=2002
    ).sources.add(f.SourceFactory(title="Bali website", url="https://example.org/bali"))
    f.SecretariatFactory(process=puebla, hosts=[iom], city="San José", since=1999)
    f.InstitutionLinkFactory(process=bali, institution=iom, nature=enums.InstitutionLinkNature.FORMAL)
    f.FundingFactory(process=puebla, state=None, organization=iom, year=2004, amount=1000, currency="USD")
    other = f.ProcessFactory(short_name="Colombo Process")
    f.OrganizationRoleFactory(process=other)  # another organisation's role

    response = client.get(detail_url("iom"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>International Organization for Migration (IOM) · rcpdb</title>" in html
    assert "UN migration agency." in html
    assert (
        '<a href="/en/processes/bali/">Bali Process</a></th>\n          <td>Technical support</td>\n'
        "          <td>since 2002</td>"
    ) in html
    assert '<a href="https://example.org/bali" rel="noopener">Bali website</a>' in html
    assert (
        '<li><a href="/en/processes/puebla/">Puebla Process</a> — '
        "Fixed secretariat, San José (since 1999)</li>" in html
    )
    assert '<li><a href="/en/processes/bali/">Bali Process</a> — Formal cooperation</li>' in html
    assert (
        '<li><a href="/en/processes/puebla/">Puebla Process</a> — '
        "Voluntary state contribution, 2004, 1,000 USD</li>" in html
    )
    assert "Colombo Process" not in html


def test_organization_detail_unknown_slug_is_404(client, db):
    assert client.get(detail_url("no-such-organisation")).status_code == 404


def test_organization_list_query_count_is_constant(count_queries, db):
    def add(count):
        for _ in range(count):
            f.OrganizationRoleFactory(process=f.ProcessFactory())

    add(1)
    count_queries(LIST_URL)
    _, with_one = count_queries(LIST_URL)
    add(4)
    response, with_five = count_queries(LIST_URL)

    assert len(response.context["organizations"]) == 5
    assert with_five == with_one


def test_organization_detail_query_count_is_constant(count_queries, db):
    iom = f.OrganizationFactory(slug="iom")

    def add(count):
        for _ in range(count):
            process = f.ProcessFactory()
            f.OrganizationRoleFactory(process=process, organization=iom).sources.add(f.SourceFactory())
            f.SecretariatFactory(process=process, hosts=[iom])
            f.InstitutionLinkFactory(process=process, institution=iom).sources.add(f.SourceFactory())
            f.FundingFactory(process=process, state=None, organization=iom)

    add(1)
    count_queries(detail_url("iom"))
    _, with_one = count_queries(detail_url("iom"))
    add(4)
    response, with_five = count_queries(detail_url("iom"))

    assert len(response.context["organization"].process_roles.all()) == 5
    assert with_five == with_one
