"""The API's process detail as it stood on a date (issue 19): ``/api/processes/<slug>/?as_of=``."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_max_age

from processes import models as pm
from rcpdb.core.cache import CACHE_HEADER
from tests.site import test_as_of
from tests.site.history_dates import on_day, private_local_caches
from tests.site.test_as_of import fill

pytestmark = pytest.mark.django_db

# A process created on 10 January 2026 and edited on 10 February and 10 March (tests/site/test_as_of.py).
edited = test_as_of.edited


def detail(client, day=None, slug="puebla", **params):
    if day is not None:
        params["as_of"] = day if isinstance(day, str) else day.isoformat()
    return client.get(reverse("api:processes-detail", kwargs={"key": slug}), params)


def record(client, day=None, slug="puebla"):
    response = detail(client, day, slug)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def summary(data):
    return {
        "short_name": data["short_name"],
        "description": data["description"],
        "themes": data["themes"],
        "members": [(m["state"], [s["title"] for s in m["sources"]]) for m in data["members"]],
        "member_count": data["member_count"],
        "url": data["url"],
        "api_url": data["api_url"],
    }


def test_the_record_as_it_stood_between_each_edit(client, edited):
    asylum, health = pm.Theme.objects.order_by("pk").values_list("slug", flat=True)

    def addresses(day):
        return {
            "url": f"http://testserver/en/processes/puebla/?as_of={day}",
            "api_url": f"http://testserver/api/processes/puebla/?as_of={day}",
        }

    assert summary(record(client, "2026-01-20")) == {
        "short_name": "Puebla Process",
        "description": "First text.",
        "themes": [asylum],
        "members": [("MX", ["Report A"])],
        "member_count": 1,
        **addresses("2026-01-20"),
    }
    assert summary(record(client, "2026-02-20")) == {
        "short_name": "Puebla Process",
        "description": "Second text.",
        "themes": [asylum],
        "members": [("GT", []), ("MX", ["Report B"])],
        "member_count": 2,
        **addresses("2026-02-20"),
    }
    assert summary(record(client, "2026-03-20")) == {
        "short_name": "Regional Conference",
        "description": "Second text.",
        "themes": [health],
        "members": [("MX", ["Report B"])],
        "member_count": 1,
        **addresses("2026-03-20"),
    }


def test_todays_version_is_the_current_record_in_the_same_shape(client, edited):
    fill(edited, 2)
    today = timezone.localdate().isoformat()
    current = record(client)
    dated = record(client, today)
    for name in ("url", "api_url"):
        assert dated.pop(name) == f"{current.pop(name)}?as_of={today}"
    assert dated == current


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-45", "The date must be written YYYY-MM-DD, for example 2026-03-03."),
        ("abc", "The date must be written YYYY-MM-DD, for example 2026-03-03."),
        ("", "The date must be written YYYY-MM-DD, for example 2026-03-03."),
        ("2999-01-01", "The date is in the future: rcpdb can only show how a record stood on a past day."),
        ("1999-12-31", "rcpdb has no record from before 2000."),
    ],
)
def test_a_bad_date_is_a_json_400_with_a_clear_message(client, edited, value, message):
    response = detail(client, value)
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": message, "fields": {}}


def test_before_the_record_existed_or_after_it_was_deleted_is_a_json_404(client, edited):
    before = detail(client, "2026-01-09")
    assert before.status_code == 404
    assert json.loads(before.content) == {
        "error": "This record did not exist yet on that date.",
        "fields": {},
    }
    unknown = detail(client, "2026-02-20", slug="nowhere")
    assert unknown.status_code == 404
    assert json.loads(unknown.content) == {"error": "There is no such record.", "fields": {}}
    with on_day(datetime.date(2026, 4, 1)):
        pm.Process.objects.get(slug="puebla").delete()
    deleted = detail(client, "2026-04-02")
    assert deleted.status_code == 404
    assert json.loads(deleted.content) == {
        "error": "This record had been deleted by that date.",
        "fields": {},
    }
    # before its deletion it is still there
    assert record(client, "2026-03-20")["short_name"] == "Regional Conference"


def test_a_slug_changed_since_still_opens_the_past(client, edited):
    with on_day(datetime.date(2026, 4, 1)):
        edited.slug = "rcm"
        edited.save()
    assert record(client, "2026-01-20", slug="rcm")["description"] == "First text."
    assert record(client, "2026-01-20", slug="puebla")["description"] == "First text."


def test_etag_and_cache_control_differ_from_the_current_ones(client, edited):
    current = detail(client)
    past = detail(client, "2026-02-20")
    other_past = detail(client, "2026-01-20")
    today = detail(client, timezone.localdate())
    etags = [response["ETag"] for response in (current, past, other_past, today)]
    assert len(set(etags)) == 4 and all(etag.startswith('"') for etag in etags)
    assert "Cache-Control" not in current
    assert get_max_age(past) == 86400 and "public" in past["Cache-Control"]
    assert get_max_age(today) == 0 and "public" in today["Cache-Control"]


def test_the_dated_answer_revalidates_with_its_own_etag(client, transactional_db, edited, settings, tmp_path):
    # transactional: the 304 closes the response, which on PostgreSQL drops a test transaction's
    # connection; a content version of its own: another test worker's saves would change the ETag
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"{tmp_path}"},
        "content_version": {"BACKEND": "rcpdb.core.cache.TokenFileCache", "LOCATION": str(tmp_path / "v")},
    }
    past = detail(client, "2026-02-20")
    again = client.get(past.wsgi_request.get_full_path(), HTTP_IF_NONE_MATCH=past["ETag"])
    assert again.status_code == 304
    assert detail(client, HTTP_IF_NONE_MATCH=past["ETag"]).status_code == 200


def test_dated_api_details_are_cached_under_their_date(client, edited, settings):
    settings.PAGE_CACHE_SECONDS = 300
    private_local_caches(settings, "as-of-api")
    current = detail(client)
    first = detail(client, "2026-01-20")
    again = detail(client, "2026-01-20")
    other_day = detail(client, "2026-02-20")
    assert first.get(CACHE_HEADER) != "hit" and again.get(CACHE_HEADER) == "hit"
    assert json.loads(again.content)["description"] == "First text."
    assert json.loads(other_day.content)["description"] == "Second text."
    assert other_day.get(CACHE_HEADER) != "hit"
    assert json.loads(current.content)["short_name"] == "Regional Conference"


def test_the_dated_detail_runs_a_fixed_number_of_queries(client, edited):
    """The same number with one row in every section as with four, counted warm (compared within
    the test: factory sequences of earlier tests in the worker may add a query to both)."""
    day = timezone.localdate().isoformat()

    def count():
        assert detail(client, day).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert detail(client, day).status_code == 200
        return len(queries)

    fill(edited, 1)
    with_one = count()
    fill(edited, 3)
    assert count() == with_one
    assert with_one <= 32


def test_the_schema_documents_as_of_on_the_process_detail_only(client, db):
    schema = json.loads(client.get(reverse("api:openapi")).content)
    operation = schema["paths"]["/api/processes/{key}/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["as_of"]["in"] == "query"
    assert parameters["as_of"]["schema"] == {"type": "string", "format": "date"}
    assert "as it stood at the end of this day" in parameters["as_of"]["description"]
    assert set(operation["responses"]) == {"200", "400", "404"}
    error = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    state_parameters = {p["name"] for p in schema["paths"]["/api/states/{key}/"]["get"]["parameters"]}
    assert "as_of" not in state_parameters
