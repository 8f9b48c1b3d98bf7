"""Names never repeat their acronym: "APC (APC)", "… (IOM) (IOM)" or "IOM (… (IOM))"."""

import pytest
from django.urls import reverse

from processes.models import Organization
from rcpdb.core.templatetags.rcpdb_tags import short_org
from tests import factories as f


@pytest.mark.parametrize(
    ("name", "acronym", "expected"),
    [
        ("International Organization for Migration", "IOM", "International Organization for Migration (IOM)"),
        (
            "International Organization for Migration (IOM)",
            "IOM",
            "International Organization for Migration (IOM)",
        ),
        ("UNHCR", "UNHCR", "UNHCR"),
        ("Budapest Group", "", "Budapest Group"),
    ],
)
def test_organisation_name_shows_its_acronym_once(name, acronym, expected):
    assert str(Organization(name=name, acronym=acronym)) == expected


def test_an_organisation_in_parentheses_is_named_by_its_acronym():
    iom = Organization(name="International Organization for Migration", acronym="IOM")

    assert short_org(iom) == '<abbr title="International Organization for Migration">IOM</abbr>'
    assert short_org(Organization(name="Budapest Group", acronym="")) == "Budapest Group"
    assert short_org(None) == ""


def test_process_list_and_profile_do_not_repeat_an_acronym_the_short_name_holds(client, db):
    f.ProcessFactory(short_name="APC", acronym="APC", slug="apc", name="Asia-Pacific Consultations")
    f.ProcessFactory(short_name="5+5 Dialogue", acronym="5+5", slug="five", name="5+5 Dialogue on Migration")
    f.ProcessFactory(short_name="Puebla Process", acronym="RCM", slug="puebla")

    html = client.get(reverse("processes:process-list")).content.decode()
    profile = client.get(reverse("processes:process-detail", args=["apc"])).content.decode()

    assert '<a href="/en/processes/apc/">APC</a>\n' in html
    assert '<a href="/en/processes/five/">5+5 Dialogue</a>\n' in html
    assert '<a href="/en/processes/puebla/">Puebla Process</a> (RCM)' in html
    assert "(APC)" not in html + profile and "(5+5)" not in html
    assert "<title>APC · rcpdb</title>" in profile
