"""What visitors do, in a real browser: a newcomer's first journey, and the filter form by keyboard alone."""

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.data import build_site

pytestmark = pytest.mark.browser


def process_names_listed(page):
    return page.locator("table.process-table tbody th a").all_inner_texts()


def test_new_visitor_finds_compares_and_downloads_asian_processes(
    transactional_db, page, expect, traffic, live_host
):
    build_site()

    page.goto("/")
    page.get_by_role("link", name="Browse and filter the processes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Processes")
    page.get_by_label("Region (with its sub-regions)").select_option(label="Asia (1)")  # with its count
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/processes/\?"))
    after_filter = parse_qs(urlsplit(page.url).query)
    listed_in_asia = process_names_listed(page)
    page.get_by_role("link", name="Colombo Process").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Colombo Process (CP)")
    page.get_by_role("link", name="Compare with other processes").click()
    # The chooser opens with the profile's process only, asking for another.
    expect(page.get_by_role("status")).to_contain_text("Add at least one more process")
    expect(page.get_by_label("Colombo Process")).to_be_checked()
    expect(page.get_by_label("Puebla Process")).not_to_be_checked()
    page.get_by_label("Bali Process").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url(re.compile(r"/processes/compare/\?"))
    compared = page.locator("#comparison thead th a").all_inner_texts()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this comparison (CSV)").click()
    download = download_info.value
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))

    assert after_filter["region"] == ["asia"]
    assert listed_in_asia == ["Colombo Process"]
    assert compared == ["Bali Process", "Colombo Process"]
    assert download.suggested_filename == "rcpdb-comparison.csv"
    assert rows[0][1:] == ["Bali Process", "Colombo Process"]
    assert traffic.foreign_requests(host=live_host) == []
    assert traffic.csp_errors() == []


def focus_by_tabbing(page, selector, *, limit=80):
    """Press Tab from the top of the page until ``selector`` has the focus; the number of presses."""
    target = page.locator(selector)
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab")


@pytest.mark.parametrize("submit_key", ["Enter", "Space"])
def test_process_filters_work_with_the_keyboard_alone(transactional_db, page, submit_key):
    build_site()
    page.goto("/processes/")
    listed_before = process_names_listed(page)

    focus_by_tabbing(page, "#id_region")
    page.keyboard.type("Asia-")  # type-ahead picks "Asia-Pacific" in the closed list
    chosen = page.locator("#id_region").input_value()
    focus_by_tabbing(page, "form.filter-form button[type=submit]")
    page.keyboard.press(submit_key)
    page.wait_for_url(re.compile(r"/processes/\?"))

    assert listed_before == ["Bali Process", "Colombo Process", "Puebla Process"]
    assert chosen == "asia-pacific"
    assert parse_qs(urlsplit(page.url).query)["region"] == ["asia-pacific"]
    assert process_names_listed(page) == ["Bali Process"]
    assert page.locator(".result-count").inner_text() == "1 result"
