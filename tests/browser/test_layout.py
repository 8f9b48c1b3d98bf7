"""Every kind of public page at five screen widths, in a real browser: the page never scrolls sideways,
table headers never split a word, the timeline's labels never collide; zero axe violations under the
WCAG 2.2 A/AA rules.

``make screenshots`` runs ``test_key_pages_screenshots`` with ``SCREENSHOTS_DIR`` set: screenshots of the
key pages at 390 and 1,366 px for review (the folder is in .gitignore).
"""

import os
from pathlib import Path

import pytest

from processes.models import Process
from tests import factories as f
from tests.browser.data import build_site

pytestmark = pytest.mark.browser

WIDTHS = [360, 390, 768, 1366, 1920]
WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}

# One address of every kind of public page.
PAGES = [
    ("home", "/"),
    ("process-list", "/processes/?region=asia"),
    ("state-list", "/states/"),
    ("organisation-list", "/organizations/"),
    ("theme-list", "/themes/"),
    ("meeting-list", "/workshops/"),
    ("finding-list", "/findings/"),
    ("recommendation-list", "/recommendations/"),
    ("process-profile", "/processes/colombo-process/"),
    ("state", "/states/LK/"),
    ("organisation", "/organizations/iom/"),
    ("theme", "/themes/labour-migration/"),
    ("meeting", "/workshops/rcp-workshop-2005/"),
    ("compare-chooser", "/processes/compare/"),
    ("compare-one", "/processes/compare/?p=colombo-process"),
    ("compare-three", "/processes/compare/?p=colombo-process&p=bali-process&p=puebla-process"),
    ("overlap", "/processes/overlap/"),
    ("coverage-map", "/coverage/"),
    ("timeline", "/timeline/"),
    ("search", "/search/?q=migration"),
    ("api-docs", "/api/"),
    ("bad-request", "/processes/?established_from=abc"),
    ("not-found", "/processes/no-such-process/"),
]

# The words of a header cell on one line each: no cell is narrower than its longest word.
SPLIT_HEADER_WORDS = """() => {
  const split = [];
  for (const th of document.querySelectorAll("main thead th")) {
    const text = th.innerText.trim();
    if (!text) continue;
    const range = document.createRange();
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /\\S+/g;
      let match;
      while ((match = re.exec(node.textContent))) {
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""

OVERLAPPING_LABELS = """() => {
  const boxes = [...document.querySelectorAll(
    "svg.timeline-chart text.timeline-label, svg.timeline-chart text.timeline-year"
  )].map((el) => [el.textContent, el.getBoundingClientRect()]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, s] = boxes[j];
      const meet = r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;
      if (meet) hits.push(a + " / " + b);
    }
  }
  return {count: boxes.length, hits};
}"""


def horizontal_overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_page_scrolls_sideways_or_splits_a_header_word(transactional_db, page, name, path):
    build_site()

    page.goto(path, wait_until="load")
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = horizontal_overflow(page)
        split = page.evaluate(SPLIT_HEADER_WORDS)
        if overflow > 0 or split:
            problems[width] = {"overflow_px": overflow, "split_header_words": split}

    assert problems == {}


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_pages_have_no_wcag_22_aa_violation_on_a_phone(transactional_db, page, axe, name, path):
    build_site()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path, wait_until="load")

    results = axe(page)  # WCAG 2.2 A and AA (conftest.py)

    assert results.violations_count == 0, results.generate_report()


DEMO_PROCESSES = [
    ("Puebla Process", "RCM", 1996, "Regional Conference on Migration"),
    ("Lima Process", "SACM", 2000, "South American Conference on Migration"),
    ("Bali Process", "", 2002, "Bali Regional Ministerial Conference on People Smuggling"),
    ("Colombo Process", "", 2003, "Labour Migration Ministerial Consultations for Countries of Origin"),
    ("Budapest Process", "", 1993, "Budapest Group"),
    ("IGC", "IGC", 1985, "Inter-governmental Consultations on Asylum, Refugee and Migration Policies"),
    ("APC", "APC", 1996, "Inter-governmental Asia-Pacific Consultations on Refugees"),
    ("MIDSA", "MIDSA", 2000, "Migration Dialogue for Southern Africa"),
    ("5+5 Dialogue", "5+5", 2002, "5+5 Dialogue on Migration in the Western Mediterranean"),
]
MORE_PROCESSES = [
    ("MIDWA", "MIDWA", 2001, "Migration Dialogue for West Africa"),
    ("Abu Dhabi Dialogue", "ADD", 2008, "Abu Dhabi Dialogue"),
    ("Almaty Process", "", 2013, "Almaty Process on Refugee Protection and International Migration"),
    ("Rabat Process", "", 2006, "Euro-African Dialogue on Migration and Development"),
    ("Khartoum Process", "", 2014, "EU-Horn of Africa Migration Route Initiative"),
]


def make_processes(count):
    if count <= len(DEMO_PROCESSES) + len(MORE_PROCESSES):
        for n, (short_name, acronym, year, name) in enumerate((DEMO_PROCESSES + MORE_PROCESSES)[:count]):
            f.ProcessFactory(
                short_name=short_name, acronym=acronym, established_year=year, name=name, slug=f"p{n}"
            )
        return
    Process.objects.bulk_create(
        f.ProcessFactory.build(
            short_name=f"Process {n}", acronym=f"P{n}", slug=f"p{n}", established_year=1980 + n % 46
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [9, 14, 900])
def test_timeline_labels_never_overlap(transactional_db, page, count):
    make_processes(count)

    page.goto("/timeline/", wait_until="load")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found = page.evaluate(OVERLAPPING_LABELS)
        assert found["count"] >= (count if count < 900 else 2)
        assert found["hits"] == [], (width, found["hits"])
        assert horizontal_overflow(page) <= 0
        chart_width = page.evaluate(
            "() => document.querySelector('svg.timeline-chart').getBoundingClientRect().width"
        )
        main_width = page.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
        assert chart_width >= main_width - 1  # full width (it scrolls in its own box on a phone)


def test_filters_fold_above_the_results_on_a_phone_with_the_active_count(transactional_db, page, expect):
    build_site()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/processes/?region=asia&kind=geographic", wait_until="load")

    summary = page.locator("details.filter-disclosure > summary")
    expect(summary).to_contain_text("2 active")
    expect(page.locator("#id_region")).to_be_hidden()
    assert summary.bounding_box()["y"] < page.locator("table.process-table").bounding_box()["y"]
    summary.click()
    expect(page.locator("#id_region")).to_be_visible()
    expect(page.locator("#id_region option[value='asia']")).to_contain_text("(")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload(wait_until="load")
    expect(page.locator("#id_region")).to_be_visible()


def test_header_menu_opens_on_a_phone(transactional_db, page, expect):
    build_site()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/", wait_until="load")

    header_height = page.locator("header.site-header").bounding_box()["height"]
    assert header_height < 80
    processes = page.locator("header.site-header").get_by_role("link", name="Processes")
    expect(processes).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(processes).to_be_visible()


def test_focus_indicator_is_a_solid_ring(transactional_db, page):
    build_site()
    page.goto("/processes/", wait_until="load")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )

    assert style == ["solid", "3px"]


KEY_PAGES = [
    ("home", "/"),
    ("processes", "/processes/"),
    ("profile", "/processes/colombo-process/"),
    ("compare", "/processes/compare/?p=colombo-process&p=bali-process&p=puebla-process"),
    ("coverage", "/coverage/"),
    ("timeline", "/timeline/"),
    ("meeting", "/workshops/rcp-workshop-2005/"),
    ("search", "/search/?q=migration"),
]


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS_DIR"), reason="make screenshots sets SCREENSHOTS_DIR")
def test_key_pages_screenshots(transactional_db, page):
    build_site()
    folder = Path(os.environ["SCREENSHOTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in KEY_PAGES:
            page.goto(path, wait_until="load")
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            assert (folder / f"{name}-{width}.png").stat().st_size > 0
