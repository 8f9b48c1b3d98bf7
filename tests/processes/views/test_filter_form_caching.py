"""What the filter forms keep per content version (rcpdb/core/forms.py): the options of every model
choice, and the facet counts of the unfiltered list; and the Python select, written as Django's."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rcpdb.core.forms import Select, SelectMultiple, prepare_filter_form
from tests import factories as f
from workshops.filters import FindingFilter
from workshops.models import Finding

pytestmark = pytest.mark.django_db(transaction=True)  # the content version moves on commit
FINDINGS = reverse("workshops:finding-list")


def option_values(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


CHOICES = [("", "Any"), ("mx", "Mexico & co"), ("us", "United <States>"), (None, "None"), ("mx", "Again")]


@pytest.mark.parametrize(
    ("python", "django", "value"),
    [
        (Select, forms.Select, None),
        (Select, forms.Select, "mx"),  # a single select selects the first option of the value only
        (Select, forms.Select, ""),
        (SelectMultiple, forms.SelectMultiple, ["mx", "us"]),
        (SelectMultiple, forms.SelectMultiple, []),
    ],
)
def test_the_python_select_writes_what_django_s_template_writes(python, django, value):
    attrs = {"class": "form-select", "id": "id_state", "required": True, "disabled": False}

    ours = python(choices=CHOICES).render("state", value, attrs=attrs)
    theirs = django(choices=CHOICES).render("state", value, attrs=attrs)

    assert ours == theirs


def test_option_groups_are_left_to_django():
    grouped = [("Americas", [("mx", "Mexico"), ("us", "United States")]), ("lk", "Sri Lanka")]

    ours = Select(choices=grouped).render("state", "us")

    assert ours == forms.Select(choices=grouped).render("state", "us")
    assert '<optgroup label="Americas">' in ours


def queries_of(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url, params or {}).content.decode()
    return html, [query["sql"] for query in captured.captured_queries]


def test_model_choices_are_read_once_per_content_version(client):
    f.FindingFactory(workshop=f.WorkshopFactory(slug="geneva-2005", title="Geneva 2005"))

    first_html, first = queries_of(client, FINDINGS)
    second_html, second = queries_of(client, FINDINGS)
    f.WorkshopFactory(slug="bangkok-2006", title="Bangkok 2006")  # a content change
    third_html, third = queries_of(client, FINDINGS)

    assert option_values(second_html, "meeting") == option_values(first_html, "meeting")
    assert ("geneva-2005", "Geneva 2005 (1)") in option_values(first_html, "meeting")
    # The second visitor's page reads no option list: not the meetings, sessions, themes or processes.
    options = re.compile(r'(DECLARE .* FOR )?SELECT "workshops_workshop"\."id"')  # PostgreSQL: a cursor

    def meeting_options(queries):
        return [sql for sql in queries if options.match(sql)]

    assert len(meeting_options(first)) == 1
    assert meeting_options(second) == []
    assert len(second) == len(first) - 5  # 4 option lists and the facet counts of the unfiltered list
    # After the change the new meeting is offered, counted with no finding.
    assert ("bangkok-2006", "Bangkok 2006 (0)") in option_values(third_html, "meeting")
    assert len(third) == len(first)


def test_filtered_counts_are_counted_for_each_request(client):
    geneva = f.WorkshopFactory(slug="geneva-2005")
    f.FindingFactory(workshop=geneva, kind="consensus", text="Labour migration.")
    f.FindingFactory(workshop=geneva, kind="consensus", text="Trafficking in persons.")
    f.FindingFactory(workshop=geneva, kind="observation", text="Trafficking again.")
    queries_of(client, FINDINGS)  # fills the per-version caches

    html, queries = queries_of(client, FINDINGS, {"q": "trafficking"})

    assert dict(option_values(html, "kind"))["consensus"].endswith(" (1)")
    assert dict(option_values(html, "kind"))["observation"].endswith(" (1)")
    assert dict(option_values(html, "meeting"))["geneva-2005"].endswith(" (2)")
    # The facets over the same results read their keys from one table expression: the words are
    # looked for once for all the facets, and for the number of results (the paginator's count).
    facet_query = next(sql for sql in queries if sql.startswith("WITH"))
    assert facet_query.count(" AS (SELECT") == 7  # the results' keys, the number of results, 5 facets
    assert facet_query.lower().count("trafficking") == 1
    assert not [sql for sql in queries if sql.startswith("SELECT COUNT(*)")]
    assert html.count('class="finding mb-3"') == 2


def test_a_language_has_its_own_options(client):
    f.ThemeFactory(slug="labour", name_en="Labour", name_fr="Travail")

    english = option_values(client.get(FINDINGS).content.decode(), "theme")
    french = option_values(client.get("/fr" + FINDINGS[3:]).content.decode(), "theme")

    assert ("labour", "Labour (0)") in english
    assert ("labour", "Travail (0)") in french


def test_an_unbound_form_gets_the_cached_options_as_text():
    f.WorkshopFactory(slug="geneva-2005", title="Geneva 2005")
    form = prepare_filter_form(FindingFilter({}, queryset=Finding.objects.all()))

    assert ("geneva-2005", "Geneva 2005") in form.fields["meeting"].widget.choices
    assert form.fields["meeting"].widget.choices[0] == ("", "Any")


def test_the_page_count_of_a_filtered_list_comes_with_its_facets(client):
    geneva = f.WorkshopFactory(slug="geneva-2005")
    for number in range(1, 28):
        f.FindingFactory(workshop=geneva, number=number, text=f"Trafficking, paragraph {number}.")
    f.FindingFactory(workshop=geneva, number=99, text="Labour migration.")  # not a result

    first = client.get(FINDINGS, {"q": "trafficking"})
    last = client.get(FINDINGS, {"q": "trafficking", "page": "last"})

    assert first.context["paginator"].count == 27
    assert (first.context["paginator"].num_pages, len(first.context["object_list"])) == (2, 25)
    assert [finding.number for finding in last.context["object_list"]] == [26, 27]
    assert client.get(FINDINGS, {"q": "trafficking", "page": 3}).status_code == 404


def test_an_unfiltered_list_never_takes_its_page_count_from_a_cache(client):
    f.FindingFactory(workshop=f.WorkshopFactory(slug="geneva-2005"), number=1)
    client.get(FINDINGS)  # the unfiltered facet counts are now kept for this content version
    # A write that changes no content version (bulk_create sends no signal) must not hide records: the
    # paginator counts them itself.
    workshop = Finding.objects.get().workshop
    Finding.objects.bulk_create([Finding(workshop=workshop, number=2, text="More.")])

    assert client.get(FINDINGS).context["paginator"].count == 2
