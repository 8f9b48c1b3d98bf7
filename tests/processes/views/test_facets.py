"""Facet counts of the filter forms (rcpdb/core/forms.py): each option says how many results it would
give with the other filters applied, in a fixed number of queries; empty options read "Any"."""

import re

import pytest
from django.urls import reverse

from processes import enums
from tests import factories as f

URL = reverse("processes:process-list")


def option(html, name, value):
    """The text of the option ``value`` of the select ``name``."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(rf'<option value="{re.escape(value)}"[^>]*>([^<]*)</option>', select).group(1)


@pytest.fixture
def registry(db):
    asia = f.RegionFactory(name="Asia", slug="asia")
    south = f.RegionFactory(name="South Asia", slug="south-asia", parent=asia)
    east = f.RegionFactory(name="East Asia", slug="east-asia", parent=asia)
    africa = f.RegionFactory(name="Africa", slug="africa")
    labour = f.ThemeFactory(name="Labour", slug="labour")
    asylum = f.ThemeFactory(name="Asylum", slug="asylum")
    lk, ph, ma = f.StateFactory(code="LK"), f.StateFactory(code="PH"), f.StateFactory(code="MA")
    colombo = f.ProcessFactory(short_name="Colombo", slug="colombo", kind=enums.ProcessKind.GEOGRAPHIC)
    colombo.regions.set([south, east])  # two sub-regions of Asia: counted once for Asia
    colombo.themes.set([labour])
    bali = f.ProcessFactory(short_name="Bali", slug="bali", meets_ministerial=True)
    bali.regions.set([east])
    bali.themes.set([labour, asylum])
    rabat = f.ProcessFactory(
        short_name="Rabat", slug="rabat", kind=enums.ProcessKind.INTERREGIONAL, meets_ministerial=True
    )
    rabat.regions.set([africa])
    for process, state in [(colombo, lk), (colombo, ph), (bali, ph), (rabat, ma)]:
        f.MembershipFactory(process=process, state=state)
    f.MembershipFactory(process=rabat, state=lk, until=2010)  # a former member: not counted
    f.MembershipFactory(process=bali, state=lk, role=enums.MembershipRole.OBSERVER)
    f.EvaluationFactory(process=bali)


def test_every_option_counts_its_results(client, registry):
    html = client.get(URL).content.decode()

    assert option(html, "region", "asia") == "Asia (2)"
    assert option(html, "region", "east-asia") == "Asia › East Asia (2)"
    assert option(html, "region", "south-asia") == "Asia › South Asia (1)"
    assert option(html, "region", "africa") == "Africa (1)"
    assert option(html, "theme", "labour") == "Labour (2)"
    assert option(html, "theme", "asylum") == "Asylum (1)"
    assert option(html, "member", "LK") == "Sri Lanka (1)"
    assert option(html, "member", "PH") == "Philippines (2)"
    assert option(html, "observer", "LK") == "Sri Lanka (1)"
    assert option(html, "observer", "PH") == "Philippines (0)"
    assert option(html, "meeting_level", "ministerial") == "Ministerial (2)"
    assert option(html, "meeting_level", "technical") == "Technical / expert (0)"
    assert option(html, "evaluated", "yes") == "Yes (1)"
    assert option(html, "evaluated", "no") == "No (2)"
    assert option(html, "kind", "geographic") == "Geographic (2)"
    assert option(html, "kind", "interregional").endswith(" (1)")
    assert option(html, "region", "") == "Any"
    assert option(html, "kind", "") == "Any"


def test_counts_apply_the_other_filters_but_not_their_own(client, registry):
    html = client.get(URL, {"region": "asia", "theme": "labour"}).content.decode()

    # Within Asia: Colombo and Bali; Africa would give nothing with the theme kept.
    assert option(html, "region", "africa") == "Africa (0)"
    assert option(html, "region", "east-asia") == "Asia › East Asia (2)"
    # Its own filter is left out: Asylum would give Bali, within Asia.
    assert option(html, "theme", "asylum") == "Asylum (1)"
    assert option(html, "member", "MA") == "Morocco (0)"
    assert option(html, "member", "PH") == "Philippines (2)"
    assert option(html, "kind", "interregional").endswith(" (0)")
    assert '<span class="badge rounded-pill text-bg-primary filter-count">2 active</span>' in html


def test_facet_counts_run_a_fixed_number_of_queries(count_queries, registry):
    count_queries(URL, {"region": "asia"})  # the region tree, read once per content version
    _response, few = count_queries(URL, {"region": "asia"})
    for n in range(12):
        process = f.ProcessFactory(short_name=f"More {n}", slug=f"more-{n}")
        process.regions.set([f.RegionFactory(slug=f"more-region-{n}")])
        process.themes.set([f.ThemeFactory(slug=f"more-theme-{n}")])
        f.MembershipFactory(process=process, state=f.StateFactory())
    _response, many = count_queries(URL, {"region": "asia"})

    assert few == many
    # The region chosen and its sub-regions (2), the page and its regions (2) and the 11 facets' counts
    # in one query with the number of results (rcpdb.core.forms.read_facets: no COUNT query of its
    # own). The form's options and the region tree are read once per content version (the version moves
    # on commit: not in this test's transaction).
    assert many == 5


def test_finding_list_counts_options_of_plain_fields(client, db):
    workshop = f.WorkshopFactory(slug="geneva-2005")
    other = f.WorkshopFactory(slug="bangkok-2006")
    f.FindingFactory(workshop=workshop, kind="consensus")
    f.FindingFactory(workshop=workshop, kind="consensus")
    f.FindingFactory(workshop=other, kind="consensus")

    html = client.get(reverse("workshops:finding-list"), {"meeting": "geneva-2005"}).content.decode()

    assert option(html, "kind", "consensus").endswith(" (2)")
    assert option(html, "meeting", "bangkok-2006").endswith(" (1)")
    assert option(html, "meeting", "") == "Any"


def test_crispy_forms_renders_the_filter_form_with_the_python_selects(client, registry):
    html = client.get(URL, {"member": "LK"}).content.decode()

    # crispy-forms' bootstrap5 field template around the select written in Python (rcpdb/core/forms.py).
    assert '<div id="div_id_member" class="mb-3">' in html
    assert '<select name="member" class="select form-select" id="id_member">' in html
    assert '<option value="LK" selected>Sri Lanka (1)</option>' in html
    assert '<input type="text" name="q" maxlength="200" class="textinput form-control" id="id_q">' in html
