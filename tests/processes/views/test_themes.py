from datetime import date

from django.urls import reverse

from tests import factories as f
from workshops import enums as wenums

LIST_URL = reverse("processes:theme-list")


def detail_url(slug):
    return reverse("processes:theme-detail", kwargs={"slug": slug})


def test_theme_list_shows_counts(client, db):
    trafficking = f.ThemeFactory(name="Trafficking", slug="trafficking")
    f.ThemeFactory(name="Asylum", slug="asylum")
    f.ProcessFactory(themes=[trafficking])
    f.ProcessFactory(themes=[trafficking])
    f.FindingFactory(themes=[trafficking])
    f.RecommendationFactory(themes=[trafficking])
    f.RecommendationFactory(themes=[trafficking])
    f.RecommendationFactory(themes=[trafficking])

    response = client.get(LIST_URL)

    html = response.content.decode()
    assert [theme.name for theme in response.context["themes"]] == ["Asylum", "Trafficking"]
    assert (
        '<a href="/en/themes/trafficking/">Trafficking</a></th>\n'
        '            <td class="text-end">2</td>\n'
        '            <td class="text-end">1</td>\n'
        '            <td class="text-end">3</td>'
    ) in html


def test_theme_list_filters_by_text(client, db):
    f.ThemeFactory(name="Trafficking", description="Trafficking in persons.")
    f.ThemeFactory(name="Labour migration", description="Workers abroad.")

    response = client.get(LIST_URL, {"q": "persons"})

    assert [theme.name for theme in response.context["themes"]] == ["Trafficking"]


def test_theme_list_empty_state(client, db):
    f.ThemeFactory(name="Trafficking")

    response = client.get(LIST_URL, {"q": "health"})

    assert '<p class="empty-state">No theme matches these filters.</p>' in response.content.decode()


def test_theme_detail_lists_processes_outputs_findings_and_recommendations(client, db):
    trafficking = f.ThemeFactory(
        name="Trafficking", slug="trafficking", description="Trafficking in persons."
    )
    asia = f.RegionFactory(name="Asia")
    bali = f.ProcessFactory(short_name="Bali Process", slug="bali", regions=[asia], themes=[trafficking])
    f.ProcessFactory(short_name="Colombo Process", themes=[f.ThemeFactory()])
    f.OutputFactory(process=bali, title="Bali Declaration", year=2016).themes.add(trafficking)
    f.OutputFactory(process=bali, title="Unrelated guidelines")
    workshop = f.WorkshopFactory(title="RCP workshop 2005", slug="rcp-2005")
    f.FindingFactory(
        workshop=workshop, number=9, text="Trafficking needs regional answers.", themes=[trafficking]
    )
    f.FindingFactory(workshop=workshop, number=10, text="Funding is scarce.")
    f.RecommendationFactory(
        workshop=workshop,
        position=2,
        text="Share data on trafficking.",
        status=wenums.FollowUpStatus.DONE,
        themes=[trafficking],
    )

    response = client.get(detail_url("trafficking"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Trafficking · rcpdb</title>" in html
    assert (
        '<li><a href="/en/processes/bali/">Bali Process</a> '
        '<span class="text-body-secondary">— Asia</span></li>' in html
    )
    assert '<a href="/en/processes/?theme=trafficking">Filter these processes further</a>' in html
    assert 'Bali Declaration — <a href="/en/processes/bali/">Bali Process</a>, 2016' in html
    assert '<h2 id="findings-heading">1 finding</h2>' in html
    assert '<a href="/en/workshops/rcp-2005/#finding-9">RCP workshop 2005, paragraph 9</a>' in html
    assert '<h2 id="recommendations-heading">1 recommendation</h2>' in html
    assert '<a href="/en/workshops/rcp-2005/#recommendation-2">RCP workshop 2005</a>' in html
    assert '<span class="badge text-bg-secondary">Done</span>' in html
    assert "Colombo Process" not in html
    assert "Unrelated guidelines" not in html
    assert "Funding is scarce." not in html


def test_theme_detail_unknown_slug_is_404(client, db):
    assert client.get(detail_url("no-such-theme")).status_code == 404


def test_theme_list_query_count_is_constant(count_queries, db):
    def add(count):
        for _ in range(count):
            theme = f.ThemeFactory()
            f.ProcessFactory(themes=[theme])
            f.FindingFactory(themes=[theme])
            f.RecommendationFactory(themes=[theme])

    add(1)
    count_queries(LIST_URL)
    _, with_one = count_queries(LIST_URL)
    add(4)
    response, with_five = count_queries(LIST_URL)

    assert len(response.context["themes"]) == 5
    assert with_five == with_one


def test_theme_detail_query_count_is_constant(count_queries, db):
    theme = f.ThemeFactory(slug="trafficking")

    def add(count):
        for _ in range(count):
            process = f.ProcessFactory(themes=[theme], regions=[f.RegionFactory()])
            f.OutputFactory(process=process).themes.add(theme)
            f.FindingFactory(themes=[theme])
            f.RecommendationFactory(themes=[theme])

    add(1)
    count_queries(detail_url("trafficking"))
    _, with_one = count_queries(detail_url("trafficking"))
    add(4)
    response, with_five = count_queries(detail_url("trafficking"))

    assert len(response.context["theme"].recent_findings) == 5
    assert with_five == with_one


def test_theme_detail_shows_the_newest_items_and_links_to_all_of_them(client, db):
    """A theme with more findings, recommendations and processes than a page shows (the 100x data has
    1,150 findings on one theme): the newest 20 of each, the first 25 processes by name, the numbers,
    and links to the lists filtered by the theme."""
    theme = f.ThemeFactory(name="Labour", slug="labour")
    other = f.ThemeFactory(name="Asylum", slug="asylum")
    old = f.WorkshopFactory(
        title="Meeting 2004", slug="m-2004", start_date=date(2004, 5, 1), end_date=date(2004, 5, 2)
    )
    new = f.WorkshopFactory(
        title="Meeting 2006", slug="m-2006", start_date=date(2006, 5, 1), end_date=date(2006, 5, 2)
    )
    for number in range(1, 16):
        f.FindingFactory(workshop=old, number=number, text=f"Old finding {number}.", themes=[theme])
        f.FindingFactory(workshop=new, number=number, text=f"New finding {number}.", themes=[theme])
        f.RecommendationFactory(workshop=old, position=number, text=f"Old advice {number}.", themes=[theme])
        f.RecommendationFactory(workshop=new, position=number, text=f"New advice {number}.", themes=[theme])
    f.FindingFactory(workshop=new, number=99, text="Asylum finding.", themes=[other])
    for number in range(30):
        f.ProcessFactory(short_name=f"Process {number:02d}", themes=[theme])
    f.ProcessFactory(short_name="Process 00 asylum", themes=[other])

    response = client.get(detail_url("labour"))

    html = response.content.decode()
    theme_shown = response.context["theme"]
    # Newest meeting first, then by paragraph: the 15 of 2006 and the first 5 of 2004.
    assert [(x.workshop.slug, x.number) for x in theme_shown.recent_findings] == [
        *(("m-2006", n) for n in range(1, 16)),
        *(("m-2004", n) for n in range(1, 6)),
    ]
    assert [(x.workshop.slug, x.position) for x in theme_shown.recent_recommendations] == [
        *(("m-2006", n) for n in range(1, 16)),
        *(("m-2004", n) for n in range(1, 6)),
    ]
    assert '<h2 id="findings-heading">30 findings</h2>' in html
    assert "Old finding 5." in html
    assert "Old finding 6." not in html
    assert "Asylum finding." not in html
    assert '<a href="/en/findings/?theme=labour">See all 30 findings on this theme</a>' in html
    assert '<h2 id="recommendations-heading">30 recommendations</h2>' in html
    assert "Old advice 6." not in html
    assert '<a href="/en/recommendations/?theme=labour">See all 30 recommendations on this theme</a>' in html
    assert [p.short_name for p in theme_shown.shown_processes] == [f"Process {n:02d}" for n in range(25)]
    assert "30 processes; the first 25 by name:" in html
    assert "Process 25" not in html
    assert "Process 00 asylum" not in html
    assert (
        '<a href="/en/processes/?theme=labour">See all 30 processes in the list, to filter them further</a>'
        in html
    )


def test_theme_detail_with_few_items_shows_them_all_without_see_all_links(client, db):
    theme = f.ThemeFactory(slug="labour")
    f.FindingFactory(themes=[theme])
    f.ProcessFactory(themes=[theme])

    html = client.get(detail_url("labour")).content.decode()

    assert '<h2 id="findings-heading">1 finding</h2>' in html
    assert "See all" not in html and "See the" not in html
    assert "The 1 newest" not in html
    assert '<a href="/en/processes/?theme=labour">Filter these processes further</a>' in html
