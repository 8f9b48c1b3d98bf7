import datetime

from django.urls import reverse

from processes import enums
from tests import factories as f


def url_of(process):
    return reverse("processes:process-detail", kwargs={"slug": process.slug})


def section(html, key):
    """The HTML of one profile section, so assertions cannot match another section's text."""
    start = html.index(f'<section id="{key}"')
    return html[start : html.index("</section>", start)]


def test_process_detail_shows_the_profile(client, bali):
    response = client.get(url_of(bali))

    html = response.content.decode()
    profile = section(html, "profile")
    assert response.status_code == 200
    assert "<title>Bali Process (BP) · rcpdb</title>" in html
    assert '<meta property="og:title" content="Bali Process (BP)">' in html
    assert (
        '<meta name="description" content="A forum for policy dialogue on smuggling and trafficking.">'
        in html
    )
    assert '<h1>Bali Process <span class="text-body-secondary">(BP)</span></h1>' in html
    assert "Geographic · Active · established 2002 · profile as of 1 March 2024" in html
    assert '<a href="/en/processes/?region=asia-pacific">Asia-Pacific</a>' in profile
    assert "First ministerial conference in Bali." in profile
    assert "Combat people smuggling." in profile
    assert "Ad hoc groups." in profile
    assert '<dd class="col-sm-8">Ministerial, Senior officials</dd>' in profile
    assert '<dd class="col-sm-8">Informal and non-binding</dd>' in profile
    assert '<dd class="col-sm-8">Selective, ad hoc</dd>' in profile
    assert '<dd class="col-sm-8">Regular</dd>' in profile
    assert '<a href="https://www.baliprocess.net/" rel="noopener">https://www.baliprocess.net/</a>' in profile
    assert (
        '<li id="profile-source-1"><a href="https://example.org/bali" rel="noopener">'
        "Bali Process website</a>, IOM</li>" in profile
    )
    assert "As of 1 March 2024." in profile


def test_process_detail_shows_conflicting_claims_side_by_side(client, bali):
    response = client.get(url_of(bali))

    claims = section(response.content.decode(), "claims")
    assert 'Year established <span class="badge text-bg-warning">Sources disagree</span>' in claims
    assert "<td>2001</td>\n              <td>GCIM-IOM workshop report</td>" in claims
    assert (
        "<td>2002</td>\n              "
        '<td><a href="https://example.org/bali" rel="noopener">Bali Process website</a></td>' in claims
    )


def test_process_detail_does_not_flag_claims_that_agree(client, db):
    process = f.ProcessFactory(slug="agreeing")
    f.ProcessClaimFactory(process=process, value="1996")
    f.ProcessClaimFactory(process=process, value="1996")

    response = client.get(url_of(process))

    claims = section(response.content.decode(), "claims")
    assert "Sources disagree" not in claims
    assert claims.count("<td>1996</td>") == 2


def test_process_detail_hides_the_claims_section_without_claims(client, db):
    process = f.ProcessFactory(slug="no-claims")

    response = client.get(url_of(process))

    assert '<section id="claims"' not in response.content.decode()


def test_process_detail_lists_members_and_observers_with_dates_and_sources(client, bali):
    response = client.get(url_of(bali))

    html = response.content.decode()
    members = section(html, "members")
    observers = section(html, "observers")
    # Sorted by name; each row cites the section's numbered sources.
    assert members.index("Australia") < members.index("Indonesia")
    assert '<a href="/en/states/AU/">Australia</a></th>\n        <td>since 2002</td>' in members
    assert "<td>Founding member</td>" in members
    # Numbered in order of first citation: Australia's sources (by title) come first.
    assert (
        '<li id="members-source-1"><a href="https://example.org/bali" rel="noopener">'
        "Bali Process website</a>, IOM</li>" in members
    )
    assert (
        '<li id="members-source-2"><a href="https://example.org/matrix" rel="noopener">'
        "IOM RCP matrix</a>, IOM</li>" in members
    )
    assert members.count('href="#members-source-2" title="IOM RCP matrix"') == 2
    assert "Checked between 15 January 2023 and 1 February 2024." in members
    assert "Thailand" not in members
    assert '<a href="/en/states/TH/">Thailand</a></th>\n        <td>2003–2005</td>' in observers
    assert '<li id="observers-source-1">GCIM-IOM workshop report, IOM</li>' in observers
    # No row of its own has a date: the section falls back to the profile's.
    assert "As of 1 March 2024." in observers
    assert "Indonesia" not in observers


def test_process_detail_shows_every_other_section(client, bali):
    response = client.get(url_of(bali))

    html = response.content.decode()
    assert '<a href="/en/organizations/iom/">International Organization for Migration (IOM)</a>' in section(
        html, "organizations"
    )
    assert "<td>Technical support</td>" in section(html, "organizations")
    chairs = section(html, "chairs")
    assert "Permanent co-chairs. Co-chaired by Indonesia and Australia." in chairs
    assert (
        '<a href="/en/states/ID/">Indonesia</a> / <a href="/en/states/AU/">Australia</a> '
        '<span class="text-body-secondary">(co-chairs)</span></th>\n            <td>since 2002</td>'
    ) in chairs
    secretariat = section(html, "secretariat")
    assert '<dd class="col-sm-8">Technical support unit</dd>' in secretariat
    assert '<dd class="col-sm-8">Bangkok, Thailand</dd>' in secretariat
    assert '<dd class="col-sm-8">2012</dd>' in secretariat
    assert '<dd class="col-sm-8">6</dd>' in secretariat
    funding = section(html, "funding")
    assert "Predictable self-financing mechanism: no. Mostly Australian funding." in funding
    assert '<a href="/en/states/NZ/">New Zealand</a>' in funding
    assert '<td class="text-end">250,000 USD</td>' in funding
    evaluations = section(html, "evaluations")
    assert "External evaluation, January 2003 – June 2003" in evaluations
    assert "Independent consultant" in evaluations
    assert '<dd class="col-sm-8">Ministers</dd>' in evaluations
    assert "Useful but underfunded." in evaluations
    outputs = section(html, "outputs")
    assert '<a href="https://example.org/decl" rel="noopener">Bali Declaration</a>' in outputs
    assert 'Declaration, 2016 · <a href="/en/themes/trafficking/">Trafficking</a>' in outputs
    achievements = section(html, "achievements")
    assert "New or amended national legislation · National · 2009 · Partly attributable" in achievements
    assert 'States concerned: <a href="/en/states/TH/">Thailand</a>' in achievements
    institutions = section(html, "institutions")
    assert (
        '<a href="/en/organizations/asean/">Association of Southeast Asian Nations (ASEAN)</a>'
        " — Observer: Observer seat" in institutions
    )
    themes = section(html, "themes")
    assert '<a href="/en/themes/smuggling/">Smuggling</a>' in themes
    assert '<a href="/en/themes/trafficking/">Trafficking</a>' in themes
    meetings = section(html, "meetings")
    assert (
        '<a href="/en/workshops/rcp-2005/">RCP workshop 2005</a>, '
        '<time datetime="2005-04-14">14 April 2005</time>' in meetings
    )
    findings = section(html, "findings")
    assert '<a href="/en/workshops/rcp-2005/#finding-12">RCP workshop 2005, paragraph 12</a>' in findings
    assert "The Bali Process has a light structure." in findings


def test_process_detail_shows_a_one_year_chair_term_as_that_year(client, db):
    process = f.ProcessFactory(slug="short-terms")
    f.ChairTermFactory(process=process, state=f.StateFactory(code="GT"), start_year=2019, end_year=2019)

    response = client.get(url_of(process))

    assert (
        '<a href="/en/states/GT/">Guatemala</a></th>\n            <td>2019</td>' in response.content.decode()
    )


def test_process_detail_leaves_out_other_processes_rows(client, bali):
    other = f.ProcessFactory(slug="other")
    f.MembershipFactory(process=other, state=f.StateFactory(code="FR"))
    f.OutputFactory(process=other, title="Other declaration")
    f.FindingFactory(text="Only about the other process.", processes=[other])

    response = client.get(url_of(bali))

    html = response.content.decode()
    assert "France" not in html
    assert "Other declaration" not in html
    assert "Only about the other process." not in html


def test_process_detail_shows_empty_sections(client, db):
    process = f.ProcessFactory(slug="bare", as_of=None)

    response = client.get(url_of(process))

    html = response.content.decode()
    assert '<p class="empty-state">No member state is recorded.</p>' in html
    assert '<p class="empty-state">No secretariat is recorded.</p>' in html
    assert '<p class="empty-state">No meeting is recorded for this process.</p>' in html
    assert '<p class="empty-state">No finding concerns this process yet.</p>' in html
    assert html.count("No source is recorded for this section yet.") == 11


def test_process_detail_unknown_slug_is_404(client, db):
    response = client.get(reverse("processes:process-detail", kwargs={"slug": "no-such-process"}))

    assert response.status_code == 404


def add_rows(process, count):
    """``count`` more rows in every section of ``process``, each with its own source."""
    for _ in range(count):
        source = f.SourceFactory()
        state = f.StateFactory()
        theme = f.ThemeFactory()
        f.ProcessClaimFactory(process=process, topic=enums.ClaimTopic.MEMBER_COUNT, source=source)
        for row in [
            f.MembershipFactory(process=process, state=state),
            f.MembershipFactory(
                process=process,
                state=f.StateFactory(),
                role=enums.MembershipRole.OBSERVER,
                as_of=datetime.date(2020, 1, 1),
            ),
            f.OrganizationRoleFactory(process=process),
            f.FundingFactory(process=process, state=state),
            f.FundingFactory(process=process, state=None, organization=f.OrganizationFactory()),
            f.EvaluationFactory(process=process),
            f.OutputFactory(process=process),
            f.AchievementFactory(process=process),
            f.InstitutionLinkFactory(process=process),
        ]:
            row.sources.add(source)
        f.OutputFactory(process=process).themes.add(theme)
        f.AchievementFactory(process=process).states.add(state)
        process.themes.add(theme)
        process.sources.add(source)
        f.WorkshopFactory(processes=[process])
        f.FindingFactory(processes=[process], session=f.SessionFactory())


# 12: the process (with its secretariat), its secretariat's hosts, its claims, memberships, organisation
# roles, chair terms, fundings, evaluations, outputs, achievements, institution links and findings; then 15
# many-to-many prefetches (selectors.profile_sections): the sources of each of the 10 kinds of row shown
# here (process, membership, organisation role, chair term, secretariat, funding, evaluation, output,
# achievement, institution link), the process's regions, themes and meetings, the outputs' themes and
# the achievements' states.
EXPECTED_QUERIES = 27


def test_process_detail_query_count_is_constant(count_queries, db):
    process = f.ProcessFactory(slug="growing", regions=[f.RegionFactory(parent=f.RegionFactory())])
    f.SecretariatFactory(process=process, hosts=[f.OrganizationFactory()]).sources.add(f.SourceFactory())
    f.ChairTermFactory(process=process, co_chair=f.StateFactory(), start_year=2000, end_year=2001)
    add_rows(process, 1)
    count_queries(url_of(process))  # warm-up
    _, with_one = count_queries(url_of(process))

    add_rows(process, 4)
    for year in range(2002, 2010, 2):
        f.ChairTermFactory(process=process, start_year=year, end_year=year + 1)
    response, with_five = count_queries(url_of(process))

    assert len(response.context["sections"]["funding"].rows) == 10
    assert with_five == with_one == EXPECTED_QUERIES
