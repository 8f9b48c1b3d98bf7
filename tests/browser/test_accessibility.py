"""Every kind of public page, in a real browser: zero WCAG 2.2 A/AA violations, nothing fetched from
another host, no Content-Security-Policy error.

Set ``BROWSER_SHOTS_DIR`` to keep a full-page screenshot of each page there.
"""

import os
from pathlib import Path

import pytest

from tests.browser.data import build_site

pytestmark = pytest.mark.browser

# (test id, address, expected status, text the page must show)
PAGES = [
    ("home", "/", 200, "Regional Consultative Processes on migration"),
    ("processes-asia", "/processes/?region=asia", 200, "Colombo Process"),
    (
        "processes-ministerial",
        "/processes/?meeting_level=ministerial&ordering=-established",
        200,
        "Bali Process",
    ),
    ("states-asia", "/states/?region=asia", 200, "Sri Lanka"),
    ("organisations-un", "/organizations/?kind=un_agency", 200, "UN Refugee Agency"),
    ("themes-labour", "/themes/?q=labour", 200, "Labour migration"),
    ("meetings", "/workshops/?kind=inter_process", 200, "Workshop on Regional Consultative Processes"),
    ("findings-consensus", "/findings/?kind=consensus", 200, "Informality lets states discuss"),
    ("recommendations-in-progress", "/recommendations/?status=in_progress", 200, "share information"),
    ("process-profile", "/processes/colombo-process/", 200, "Colombo Declaration"),
    ("state", "/states/LK/", 200, "Sri Lanka"),
    ("organisation", "/organizations/iom/", 200, "International Organization for Migration"),
    ("theme", "/themes/labour-migration/", 200, "Labour migration"),
    ("meeting", "/workshops/rcp-workshop-2005/", 200, "Opening session"),
    ("compare-chooser", "/processes/compare/", 200, "Puebla Process"),
    ("compare-one", "/processes/compare/?p=colombo-process", 200, "Add at least one more process"),
    ("compare-two", "/processes/compare/?p=colombo-process&p=bali-process", 200, "Bali Process"),
    ("overlap", "/processes/overlap/", 200, "Philippines"),
    ("coverage-map", "/coverage/", 200, "New Zealand"),
    ("timeline", "/timeline/", 200, "2003"),
    ("search", "/search/?q=migration", 200, "Regional Conference on Migration"),
    ("api-docs", "/api/", 200, "/api/processes/"),
    ("bad-request", "/processes/?established_from=abc", 400, "Enter a whole number."),
    ("not-found", "/processes/no-such-process/", 404, "Page not found"),
]


def violations_report(results):
    return "\n" + results.generate_report()


# Known violations waiting for a fix outside the templates; strict, so a fix makes the test say so.
KNOWN_VIOLATIONS: dict[str, str] = {}


def page_params():
    for name, path, status, text in PAGES:
        marks = (
            [pytest.mark.xfail(reason=KNOWN_VIOLATIONS[name], strict=True)]
            if name in KNOWN_VIOLATIONS
            else []
        )
        yield pytest.param(path, status, text, id=name, marks=marks)


@pytest.mark.parametrize(("path", "status", "text"), list(page_params()))
def test_public_page_is_accessible_and_self_contained(
    transactional_db, page, axe, traffic, live_host, path, status, text
):
    build_site()

    response = page.goto(path, wait_until="load")
    results = axe(page)

    shots = os.environ.get("BROWSER_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
    assert response.status == status
    assert text in page.locator("main").inner_text()
    assert results.violations_count == 0, violations_report(results)
    assert traffic.foreign_requests(host=live_host) == []
    assert traffic.csp_errors() == []
    if status == 200:
        assert traffic.console_errors == []
