"""Every kind of public page in French and Spanish, in a real browser: zero WCAG 2.1 A/AA violations,
the page's language declared, the navigation translated, nothing fetched from another host.

The English pages are checked by test_accessibility.py; the API documentation has no language prefix.
"""

import pytest

from tests.browser.data import build_site
from tests.browser.test_accessibility import PAGES, violations_report

pytestmark = pytest.mark.browser

NAVIGATION = {"fr": "Processus", "es": "Procesos"}


def language_params():
    for name, path, status, _text in PAGES:
        if path.startswith("/api/"):
            continue
        for language in NAVIGATION:
            yield pytest.param(language, f"/{language}{path}", status, id=f"{language}-{name}")


@pytest.mark.parametrize(("language", "path", "status"), list(language_params()))
def test_public_page_in_each_language_is_accessible(
    transactional_db, page, axe, traffic, live_host, language, path, status
):
    build_site()

    response = page.goto(path, wait_until="load")
    results = axe(page)

    assert response.status == status
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role(
        "navigation", name={"fr": "Navigation principale", "es": "Navegación principal"}[language]
    ).count()
    assert NAVIGATION[language] in page.locator("header.site-header").inner_text()
    assert results.violations_count == 0, violations_report(results)
    assert traffic.foreign_requests(host=live_host) == []
    assert traffic.csp_errors() == []


def test_switcher_takes_the_visitor_to_the_same_page_in_spanish(transactional_db, page, live_host):
    build_site()
    page.goto("/en/processes/?region=asia", wait_until="load")

    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/es/processes/?region=asia")

    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Procesos"
