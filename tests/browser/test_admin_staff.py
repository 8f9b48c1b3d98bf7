"""Secretariat staff in the admin, in a real browser (issue 16): entering a whole process, the
unsaved-changes warning, the Process page at 1,366 px, bulk entry of 16 states with one source, a
process editor adding a source and citing it, export → edit → re-import updating memberships."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from processes import models as pm
from processes.state_reference import ensure_states
from rcpdb.site.demo import create_demo_users
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("editor_groups")]

# The 16 members of a process entered in one paste (names as a secretariat would type them).
SIXTEEN = [
    "Bahrain",
    "Kuwait",
    "Oman",
    "Qatar",
    "Saudi Arabia",
    "UAE",
    "Afghanistan",
    "Bangladesh",
    "China",
    "India",
    "Indonesia",
    "Nepal",
    "Pakistan",
    "Philippines",
    "Sri Lanka",
    "Vietnam",
]
# Today's admin took about 220 form actions for a 16-member process (issue 16); the goal is a quarter.
TODAY_FORM_ACTIONS = 220


class Actions:
    """Every form action staff perform (a click, a fill, a pick, a key press), counted."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def select(self, locator, **kwargs):
        self.count += 1
        locator.select_option(**kwargs)

    def autocomplete(self, field_id, text, option):
        """Open an autocomplete, type, pick: three actions."""
        self.click(self.page.locator(f"#{field_id} + .select2 .select2-selection"))
        self.fill(self.page.locator(".select2-container--open .select2-search__field"), text)
        self.click(self.page.locator(".select2-results__option", has_text=option).first)


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def central(transactional_db, editor_groups):
    ensure_states(pm.State, pm.Region)
    f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    create_demo_users()
    return pm.Process.editors.field.related_model.objects.get(username="demo-central")


def test_a_sixteen_member_process_in_a_quarter_of_the_form_actions(
    page, live_server, central, expect, traffic
):
    source = f.SourceFactory(title="Colombo Process: member states (2024)")
    iom = f.OrganizationFactory(name="International Organization for Migration", acronym="IOM")
    log_in(page, live_server, central)
    act = Actions(page)

    page.goto("/admin/processes/process/add/")
    act.fill(page.get_by_label("Official name [en]"), "Regional Ministerial Consultative Process")
    act.fill(page.get_by_label("Short name [en]"), "Colombo Process")
    act.select(page.locator("#id_kind"), index=1)
    act.autocomplete("id_sources", "Colombo", source.title)
    act.fill(page.locator("#id_as_of"), "2024-06-30")
    act.autocomplete("id_chair_terms-0-state", "Nepal", "Nepal")
    act.fill(page.locator("#id_chair_terms-0-start_year"), "2023")
    act.select(page.locator("#id_secretariat-0-arrangement"), index=1)
    act.autocomplete("id_secretariat-0-hosts", "IOM", iom.name)
    for name in ("chair_terms", "secretariat"):
        act.click(page.locator(f"#{name}-group button.apply-sourcing"))
    act.click(page.locator("input[name=_continue]").first)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    act.click(page.get_by_role("link", name="Add several members"))
    act.fill(page.get_by_label("states by name or code"), "\n".join(SIXTEEN))
    act.fill(page.get_by_label("from (year)"), "2003")
    act.click(page.get_by_role("button", name="Add"))
    expect(page.locator(".messagelist")).to_contain_text("16 rows added.")

    process = pm.Process.objects.get(short_name="Colombo Process")
    members = process.memberships.all()
    assert members.count() == 16
    assert {m.role for m in members} == {"member"}
    assert all(list(m.sources.all()) == [source] for m in members)
    assert {str(m.as_of) for m in members} == {"2024-06-30"}
    chair = process.chair_terms.get()
    assert (str(chair.state.code), chair.start_year, list(chair.sources.all())) == ("NP", 2023, [source])
    assert (list(process.secretariat.hosts.all()), list(process.secretariat.sources.all())) == (
        [iom],
        [source],
    )
    host_role = process.organization_roles.get()  # derived from the secretariat, with its source
    assert (host_role.organization, host_role.role, list(host_role.sources.all())) == (
        iom,
        "secretariat_host",
        [source],
    )
    assert act.count <= TODAY_FORM_ACTIONS // 4, act.count
    assert traffic.csp_errors() == []


def test_leaving_a_changed_form_asks_first(page, live_server, central, expect):
    process = pm.Process.objects.get(slug="puebla")
    log_in(page, live_server, central)
    change_url = f"/admin/processes/process/{process.pk}/change/"
    page.goto(change_url)
    dialogs = []

    page.locator(".breadcrumbs a").nth(2).click()  # nothing changed: no question
    page.wait_for_url(re.compile(r"/admin/processes/process/$"))
    page.goto(change_url)
    page.get_by_label("Short name [en]").fill("Puebla Process (changed)")
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator(".breadcrumbs a").nth(2).click()
    stayed = page.url
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator(".breadcrumbs a").nth(2).click()
    page.wait_for_url(re.compile(r"/admin/processes/process/$"))

    assert stayed.endswith(change_url)
    assert dialogs == ["This form has changes that are not saved. Leave it and lose them?"] * 2
    assert pm.Process.objects.get(pk=process.pk).short_name == "Puebla Process"


def test_saving_a_changed_form_asks_nothing(page, live_server, central, expect):
    process = pm.Process.objects.get(slug="puebla")
    log_in(page, live_server, central)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"/admin/processes/process/{process.pk}/change/")
    page.get_by_label("Short name [en]").fill("Puebla Process (renamed)")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    assert dialogs == []
    assert pm.Process.objects.get(pk=process.pk).short_name == "Puebla Process (renamed)"


def test_process_page_fits_a_1366_pixel_screen(page, live_server, central):
    process = pm.Process.objects.get(slug="puebla")
    for code in ["AE", "MX", "GT", "US"]:
        f.MembershipFactory(process=process, state=pm.State.objects.get(code=code), note="A long note " * 5)
    f.ChairTermFactory(process=process, state=pm.State.objects.get(code="MX"))
    f.FundingFactory(process=process)
    log_in(page, live_server, central)
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(f"/admin/processes/process/{process.pk}/change/")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    scrolled_inlines = page.evaluate(
        "Array.from(document.querySelectorAll('.inline-group .tabular'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.closest('.inline-group').id)"
    )
    delete_column_right = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('td.delete'))"
        ".map(e => e.getBoundingClientRect().right))"
    )

    assert widths[0] <= widths[1], widths
    assert scrolled_inlines == []
    assert delete_column_right <= 1366


def test_history_shows_a_deleted_membership(page, live_server, central, expect):
    process = pm.Process.objects.get(slug="puebla")
    membership = f.MembershipFactory(process=process, state=pm.State.objects.get(code="GT"))
    log_in(page, live_server, central)

    page.goto(f"/admin/processes/process/{process.pk}/change/")
    page.locator(f"input[name$='-id'][value='{membership.pk}']").locator("xpath=ancestor::tr").locator(
        "input[name$='-DELETE']"
    ).check()
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("link", name="History").click()
    rows = page.locator("#row-changes tbody tr", has_text="Guatemala")

    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Deleted")  # newest first
    expect(rows.first).to_contain_text(central.username)
    expect(rows.nth(1)).to_contain_text("Created")
    assert not pm.Membership.objects.filter(pk=membership.pk).exists()


def test_a_process_editor_adds_a_source_and_cites_it_on_a_membership(page, live_server, central, expect):
    process = pm.Process.objects.get(slug="puebla")
    editor = pm.Process.editors.field.related_model.objects.get(username="demo-puebla")
    log_in(page, live_server, editor)

    page.goto(f"/admin/processes/process/{process.pk}/change/")
    page.locator("#id_memberships-0-state + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Guatemala")
    page.locator(".select2-results__option", has_text="Guatemala").first.click()
    page.locator("#id_memberships-0-role").select_option("member")
    with page.expect_popup() as opened:
        page.locator("#add_id_memberships-0-sources").click()
    popup = opened.value
    popup.get_by_label("Title").fill("Puebla Process: Guatemala joins (2024 communiqué)")
    popup.get_by_label("URL").fill("https://example.org/puebla/communique-2024")
    popup.locator("input[name=_save]").first.click()
    popup.wait_for_event("close")
    expect(page.locator("#id_memberships-0-sources")).to_contain_text("Guatemala joins")
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    source = pm.Source.objects.get()
    membership = process.memberships.get()
    assert (source.title, source.owner) == ("Puebla Process: Guatemala joins (2024 communiqué)", editor)
    assert (membership.state.code, list(membership.sources.all())) == ("GT", [source])


def test_export_edit_reimport_updates_a_membership_whose_since_year_was_filled_in(
    page, live_server, central, expect, tmp_path
):
    process = pm.Process.objects.get(slug="puebla")
    mexico = f.MembershipFactory(process=process, state=pm.State.objects.get(code="MX"), since=None)
    f.MembershipFactory(process=process, state=pm.State.objects.get(code="GT"), role="observer", since=2001)
    editor = pm.Process.editors.field.related_model.objects.get(username="demo-puebla")
    log_in(page, live_server, editor)

    page.goto("/admin/processes/membership/export/")
    page.locator("#id_format").select_option(label="csv")
    with page.expect_download() as downloaded:
        page.locator("input[type=submit]").first.click()
    exported = Path(downloaded.value.path()).read_text(encoding="utf-8-sig")
    edited = tmp_path / "memberships.csv"
    edited.write_text(exported.replace("puebla,MX,member,,", "puebla,MX,member,1996,"), encoding="utf-8")
    page.goto("/admin/processes/membership/import/")
    page.locator("#id_format").select_option(label="csv")
    page.locator("#id_import_file").set_input_files(str(edited))
    page.locator("input[type=submit]").first.click()
    preview = page.locator("table.import-preview")
    expect(preview).to_contain_text("Update")
    expect(preview.locator("ins")).to_contain_text("1996")
    page.locator("input[type=submit]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("1 update")

    mexico.refresh_from_db()
    assert "puebla,MX,member,,," in exported
    assert mexico.since == 1996
    assert sorted(pm.Membership.objects.values_list("state__code", "role", "since")) == [
        ("GT", "observer", 2001),
        ("MX", "member", 1996),
    ]
