"""The filter form of the list pages: the HTML crispy-forms renders, with the options cached per content
version and language (rcpdb/filter_forms.py, render_filter_form)."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.urls import reverse
from django.utils import translation

from processes.filters import ProcessFilter
from processes.models import Process
from rcpdb.filter_forms import render_filter_form
from tests import factories as f
from workshops.filters import FindingFilter, WorkshopFilter
from workshops.models import Finding, Workshop

URL = reverse("processes:process-list")


def normalized(html):
    """The HTML without the whitespace around tags, which crispy-forms and browsers ignore."""
    return re.sub(r" ?([<>]) ?", r"\1", re.sub(r"\s+", " ", str(html))).strip()


@pytest.fixture
def registry(db):
    asia = f.RegionFactory(name="Asia", slug="asia")
    f.RegionFactory(name="Middle East", slug="middle-east", parent=asia)
    for code in ["CI", "MX", "US"]:
        f.StateFactory(code=code)
    themes = [
        f.ThemeFactory(slug="trafficking"),
        f.ThemeFactory(slug="asylum"),
        f.ThemeFactory(slug="health"),
    ]
    process = f.ProcessFactory(slug="bali", short_name="Bali <Process>")
    workshop = f.WorkshopFactory(slug="geneva-2005")
    f.SessionFactory(workshop=workshop)
    return {"process": process, "themes": themes, "workshop": workshop}


@pytest.mark.parametrize(
    ("filterset_class", "model", "data"),
    [
        (ProcessFilter, Process, None),
        (
            ProcessFilter,
            Process,
            {
                "q": 'smuggling "and" <trafficking>',
                "region": "asia",
                "member": "mx",
                "established_from": "1990",
                "ordering": "-established",
            },
        ),
        (FindingFilter, Finding, None),
        (FindingFilter, Finding, {"theme": ["trafficking", "health"], "process": "bali", "number": "3,4"}),
        (WorkshopFilter, Workshop, {"process": "bali", "date_after": "2005-01-01"}),
    ],
)
def test_filter_form_renders_what_crispy_forms_renders(registry, filterset_class, model, data):
    fast = filterset_class(data, queryset=model.objects.all())
    crispy = filterset_class(data, queryset=model.objects.all())
    assert fast.is_bound is (data is not None)
    assert not fast.form.errors

    html = render_filter_form(fast)

    assert normalized(html) == normalized(as_crispy_form(crispy.form))


def test_filter_form_marks_the_chosen_options_and_escapes_labels(client, registry):
    response = client.get(URL, {"member": "MX", "theme": "asylum"})
    findings = client.get(reverse("workshops:finding-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="MX" selected>Mexico</option>' in html
    assert '<option value="CI">Côte d&#x27;Ivoire</option>' in html
    assert '<option value="asylum" selected>' in html
    assert '<option value="trafficking">' in html
    # The empty choice of the member select is no longer chosen; the region select's still is.
    member_select = html.split('name="member"')[1].split("</select>")[0]
    assert '<option value="">---------</option>' in member_select
    assert member_select.count(" selected") == 1
    region_select = html.split('name="region"')[1].split("</select>")[0]
    assert '<option value="" selected>---------</option>' in region_select
    assert '<option value="bali">Bali &lt;Process&gt;</option>' in findings.content.decode()


def test_filter_form_with_errors_is_rendered_by_crispy_forms(client, registry):
    response = client.get(URL, {"member": "ZZ", "region": "asia"})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="select form-select is-invalid"' in html
    assert '<option value="asia" selected>Asia</option>' in html


def test_filter_options_are_built_once_per_content_version(count_queries, registry, monkeypatch):
    monkeypatch.setattr("rcpdb.filter_forms.content_version", lambda: "version-1")
    _, first = count_queries(URL)
    _, second = count_queries(URL)
    monkeypatch.setattr("rcpdb.filter_forms.content_version", lambda: "version-2")
    _, after_a_change = count_queries(URL)

    # The choices of the region, theme, member and observer selects: four queries, once per version.
    assert first - second == 4
    assert after_a_change == first


def test_filter_options_show_a_new_state_at_once(client, transactional_db, registry):
    client.get(URL)  # the options are cached
    f.StateFactory(code="NO")  # any committed save makes a new content version

    response = client.get(URL)

    html = response.content.decode()
    assert html.count('<option value="NO">Norway</option>') == 2  # member and observer


def test_filter_options_are_cached_per_language(client, registry):
    client.get(URL)
    with translation.override("fr"):
        french_url = reverse("processes:process-list")

    response = client.get(french_url)

    html = response.content.decode()
    assert '<option value="MX">Mexique</option>' in html
    assert '<option value="MX">Mexico</option>' not in html
