"""Every kind of public page runs the same number of SQL queries at 1x and at 100x data.

The query-count guards of the view tests use a handful of rows; here every kind of public page is
requested on the synthetic knowledge base (rcpdb/site/synthetic.py) at scale 1 and at scale 100 (900
processes, 20,000 memberships, 15,000 findings), page cache off, with the per-version caches (filter
options, and the data of rcpdb.core.cache.cached_per_version) empty and then filled: the counts must be the
same exact numbers at both scales, and at most 12 (issue 9's target). ``make bench`` reports the counts
of a served site at 1x, 10x and 100x.

Each filtered page and profile is chosen so that it shows records at both scales: Django skips the
prefetch queries of an empty list, so an empty page would run fewer queries for another reason.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processes import enums
from processes.models import Process
from rcpdb.site import synthetic

# The process profile is the most: one prefetch per many-to-many relation of each kind of row it shows
# (issue 17: prefetch_related rather than one hand-written UNION ALL), still the same at every scale.
MAX_QUERIES = 20  # the process profile and its API record


def pages():
    """(kind of page, path) on the synthetic data, whose slugs start with "syn1-"."""
    process = Process.objects.get(slug="syn1-process-0001")
    region = process.regions.order_by("slug").first()
    theme = process.themes.order_by("slug").first()
    member = process.memberships.filter(role=enums.MembershipRole.MEMBER).order_by("state__code").first()
    return [
        ("home", "/en/"),
        ("process list", "/en/processes/"),
        (
            "process list filtered",
            f"/en/processes/?region={region.slug}&theme={theme.slug}&kind={process.kind}",
        ),
        ("process list, last page", "/en/processes/?page=last"),
        ("process profile", "/en/processes/syn1-process-0001/"),
        ("state list", "/en/states/"),
        ("state profile", f"/en/states/{member.state.code}/"),
        ("organisation list", "/en/organizations/"),
        ("organisation profile", "/en/organizations/syn1-org-001/"),
        ("theme list", "/en/themes/"),
        ("theme page", f"/en/themes/{theme.slug}/"),
        ("compare", "/en/processes/compare/?p=syn1-process-0001&p=syn1-process-0002&p=syn1-process-0003"),
        ("overlap", "/en/processes/overlap/"),
        ("coverage map", "/en/coverage/"),
        ("timeline", "/en/timeline/"),
        ("search", "/en/search/?q=trafficking+border"),
        ("meeting list", "/en/workshops/"),
        ("meeting", "/en/workshops/syn1-meeting-001/"),
        ("finding list", "/en/findings/"),
        ("finding list filtered", "/en/findings/?kind=observation&theme=syn1-theme-02"),
        ("recommendation list", "/en/recommendations/"),
        ("API processes", "/api/processes/"),
        ("API findings", "/api/findings/"),
        ("API process", "/api/processes/syn1-process-0001/"),
        ("API process in French", "/api/processes/syn1-process-0001/?lang=fr"),
        ("API states", "/api/states/"),
        ("API memberships", "/api/memberships/"),
        ("API meetings", "/api/meetings/"),
    ]


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


# The same at scale 1 and at scale 100: (caches empty, caches filled).
EXPECTED = {
    "home": (6, 0),  # figures and timeline per content version (rcpdb.core.cache.cached_per_version)
    "process list": (8, 3),  # facet counts in one query; options, region tree, unfiltered counts per version
    "process list filtered": (10, 6),  # filtered: facets counted, with the results (no COUNT query)
    "process list, last page": (8, 3),
    # 12 row queries (the secretariat's hosts one), 8 link prefetches (one per relation of the rows it
    # has: its secretariat's host has a "secretariat host" role)
    "process profile": (20, 20),
    "state list": (4, 1),
    "state profile": (4, 4),
    "organisation list": (3, 2),
    "organisation profile": (6, 6),  # it hosts a secretariat: its derived role's sources are read too
    "theme list": (2, 2),
    "theme page": (6, 6),
    "compare": (10, 9),  # with the secretariats' hosts  # the processes to choose from, per content version
    "overlap": (2, 0),
    "coverage map": (4, 0),
    "timeline": (1, 0),
    "search": (9, 9),  # the states group always asks the database now (other names are data)
    "meeting list": (5, 3),
    "meeting": (12, 12),
    "finding list": (9, 4),  # the page, its count and two prefetches
    "finding list filtered": (9, 5),
    "recommendation list": (6, 3),
    "API processes": (4, 4),
    "API findings": (4, 4),
    "API process": (20, 20),  # everything the profile shows, read as the profile reads it
    "API process in French": (20, 20),
    "API states": (1, 1),
    "API memberships": (3, 3),
    "API meetings": (4, 4),
}


@pytest.mark.parametrize("scale", [1, 100])
def test_every_kind_of_public_page_runs_a_fixed_number_of_queries(client, db, scale):
    synthetic.generate_synthetic(scale=scale)

    counts = {}
    for name, path in pages():
        cache.clear()
        cold = count_queries(client, path)
        counts[name] = (cold, count_queries(client, path))

    assert counts == EXPECTED
    assert max(cold for cold, _warm in counts.values()) <= MAX_QUERIES
