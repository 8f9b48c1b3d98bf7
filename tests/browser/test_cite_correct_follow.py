"""Cite it, correct it, follow it (issue 19), end to end in a real browser."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from rcpdb.site.models import Correction, CorrectionStatus
from tests import factories as f
from tests.browser.test_accessibility import violations_report
from tests.site.history_dates import on_day

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def build_history():
    with on_day(datetime.date(2026, 1, 10)):
        mexico = f.StateFactory(code="MX")
        puebla = f.ProcessFactory(
            slug="puebla", short_name="Puebla Process", acronym="RCM", description="First."
        )
        f.MembershipFactory(process=puebla, state=mexico)
    with on_day(datetime.date(2026, 2, 10)):
        puebla.description = "Second."
        puebla.save()
    return puebla


def test_reader_opens_a_dated_version_copies_and_downloads_its_citation(
    transactional_db, page, expect, axe, traffic, live_host, live_server
):
    build_history()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.goto("/en/processes/puebla/?as_of=2026-01-20")
    expect(page.locator(".as-of-banner")).to_contain_text("As it stood on 20 January 2026;")
    expect(page.locator("#profile")).to_contain_text("First.")
    page.get_by_role("button", name="Copy APA").click()
    expect(page.locator(".cite-status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download BibTeX").click()
    bibtex = Path(download_info.value.path()).read_text(encoding="utf-8")
    results = axe(page)
    page.get_by_role("link", name="Mexico").first.click()
    page.wait_for_url(re.compile(r"/en/states/MX/\?as_of=2026-01-20$"))
    page.get_by_role("link", name="see the current version").click()
    page.wait_for_url(re.compile(r"/en/states/MX/$"))

    assert copied.startswith("rcpdb. (2026, January 20). Puebla Process (RCM) [Process profile].")
    assert copied.endswith(f"from {live_server.url}/en/processes/puebla/?as_of=2026-01-20")
    assert bibtex.startswith("@misc{rcpdb-process-puebla-20260120,\n  author = {{rcpdb}},\n")
    assert download_info.value.suggested_filename == "rcpdb-process-puebla-20260120-bibtex.bib"
    assert results.violations_count == 0, violations_report(results)
    assert traffic.foreign_requests(host=live_host) == []
    assert traffic.csp_errors() == []


def log_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def send_suggestion(page, expect, wrong, should_say):
    """Fill in and send the open suggestion form of Puebla, as a visitor (source and email given)."""
    page.get_by_label("What is wrong").fill(wrong)
    page.get_by_label("What it should say").fill(should_say)
    page.get_by_label("Source (address or reference)").fill("https://example.org/rcm")
    page.get_by_label("Email for a reply").fill("visitor@example.org")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator(".correction-sent")).to_contain_text("sent to the editors of Puebla Process")


def test_visitor_suggests_a_correction_and_the_editor_declines_it(
    transactional_db, page, expect, axe, traffic, live_host, settings
):
    settings.CORRECTION_MIN_SECONDS = 0
    puebla = build_history()
    editor = f.UserFactory(username="puebla-editor", is_staff=True)
    puebla.editors.add(editor)

    page.goto("/en/processes/puebla/")
    page.get_by_role("link", name="Suggest a correction — Member states").click()
    expect(page.get_by_label("Section")).to_have_value("members")
    form_results = axe(page)
    send_suggestion(page, expect, "Mexico is listed without a source.", "Mexico, member since 1996.")

    log_in(page, "puebla-editor")
    page.goto("/admin/site/correction/")
    page.get_by_role("link", name=re.compile(r"Correction #\d+ of Puebla Process")).click()
    page.get_by_role("link", name="Decline").click()
    page.get_by_label(re.compile("Reason for declining")).fill("No source says so.")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(re.compile(r"/admin/site/correction/$"))

    correction = Correction.objects.get()
    assert (correction.status, correction.decline_reason) == (CorrectionStatus.DECLINED, "No source says so.")
    assert [m.subject for m in mail.outbox] == ["Your correction of Puebla Process was declined"]
    assert form_results.violations_count == 0, violations_report(form_results)
    assert traffic.foreign_requests(host=live_host) == []
    assert traffic.csp_errors() == []


def test_visitor_suggests_a_correction_and_the_editor_accepts_it(
    transactional_db, editor_groups, page, expect, axe, traffic, live_host, settings
):
    settings.CORRECTION_MIN_SECONDS = 0
    puebla = build_history()
    other = f.ProcessFactory(slug="bali", short_name="Bali Process")
    process_editors = Group.objects.get(name="Process editors")
    editor = f.UserFactory(username="puebla-editor", is_staff=True)
    editor.groups.set([process_editors])
    puebla.editors.add(editor)
    wrong_editor = f.UserFactory(username="bali-editor", is_staff=True)
    wrong_editor.groups.set([process_editors])
    other.editors.add(wrong_editor)

    page.goto("/en/processes/puebla/")
    page.get_by_role("link", name="Suggest a correction — Profile").click()
    send_suggestion(page, expect, "Second.", "Third, with a source.")
    correction = Correction.objects.get()

    # the editor of another process has no such suggestion
    log_in(page, "bali-editor")
    refused = page.goto(f"/admin/site/correction/{correction.pk}/accept/")
    assert refused.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.context.clear_cookies()

    log_in(page, "puebla-editor")
    page.goto("/admin/site/correction/")
    page.get_by_role("link", name=re.compile(r"Correction #\d+ of Puebla Process")).click()
    page.get_by_role("link", name="Accept: open the process's form").click()
    page.wait_for_url(re.compile(rf"/admin/site/correction/{correction.pk}/accept/$"))
    notice = page.locator(".correction-to-accept")
    expect(notice.get_by_role("heading", level=2)).to_have_text(
        f"Suggested correction #{correction.pk} (Profile section)"
    )
    expect(notice.get_by_role("link", name="https://example.org/rcm")).to_have_attribute(
        "href", "https://example.org/rcm"
    )
    expect(notice.get_by_role("link", name=f"Back to suggested correction #{correction.pk}")).to_be_visible()
    expect(page.locator("#id_description_en")).to_have_value("Third, with a source.")
    # The part this adds to the process's form (the admin's own inlines are not checked here). axe-core
    # itself applies inline styles on this page (refused by the CSP): the page's own errors come before.
    csp_errors_of_the_form = traffic.csp_errors()
    accept_results = axe(page, context=".correction-to-accept")
    traffic.console_errors.clear()
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/site/correction/$"))
    expect(page.locator(".messagelist")).to_contain_text(
        f"Suggested correction #{correction.pk} was accepted; the change to Puebla Process is in its history."
    )

    puebla.refresh_from_db()
    correction.refresh_from_db()
    entry = puebla.history.first()
    assert puebla.description == "Third, with a source."
    assert (entry.history_change_reason, entry.history_user) == (
        f"Correction #{correction.pk} accepted: Third, with a source.",
        editor,
    )
    assert (correction.status, correction.decided_by) == (CorrectionStatus.ACCEPTED, editor)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["visitor@example.org"], "Your correction of Puebla Process was accepted")
    ]
    assert accept_results.violations_count == 0, violations_report(accept_results)
    assert traffic.foreign_requests(host=live_host) == []
    assert csp_errors_of_the_form == [] and traffic.csp_errors() == []


def test_reader_follows_changes_by_page_and_feed(transactional_db, page, expect, axe, live_host):
    build_history()
    page.goto("/en/processes/puebla/")
    feed_address = page.locator(
        'link[rel="alternate"][type="application/atom+xml"][title="Changes to Puebla Process"]'
    )
    href = feed_address.get_attribute("href")
    feed = page.request.get(href)
    page.goto("/en/changes/")
    page.get_by_label("Process").select_option(label="Puebla Process")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/en/changes/\?process=puebla$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Recent changes: Puebla Process")
    results = axe(page)
    page.get_by_role("link", name="version before the change").first.click()
    page.wait_for_url(re.compile(r"/en/processes/puebla/\?as_of=2026-02-09$"))
    expect(page.locator("#profile")).to_contain_text("First.")

    assert href == "/en/processes/puebla/changes.atom"
    assert feed.status == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert "<title>Process Puebla Process changed: description</title>" in feed.text()
    assert results.violations_count == 0, violations_report(results)
