"""Import and export in the admin (issue 7): CSV and XLSX, natural keys, preview, all or nothing,
row-level errors, formula escaping, and process editors limited to their own processes' rows."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from processes import models as pm
from rcpdb.site.demo import create_demo_users
from tests import factories as f
from workshops import models as wm

pytestmark = pytest.mark.django_db

MEMBERSHIP_HEADER = "process,state,role,since,until,note,sources,as_of"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.fixture
def users(editor_groups):
    puebla = f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    f.ProcessFactory(slug="bali", short_name="Bali Process")
    for code in ("MX", "GT", "US", "ID"):
        f.StateFactory(code=code)
    create_demo_users()
    return puebla, {user.username: user for user in get_user_model().objects.all()}


def upload(text, name="rows.csv"):
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data)


def preview(client, model, file, file_format=CSV_FORMAT):
    return client.post(url(model, "import"), {"format": file_format, "resource": "0", "import_file": file})


def confirm(client, model, preview_response):
    data = dict(preview_response.context["confirm_form"].initial)
    return client.post(url(model, "process_import"), data)


def export(client, model, file_format=CSV_FORMAT):
    resource = admin.site._registry[model].resource_classes[0]
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    return client.post(url(model, "export"), {"format": file_format, "resource": "0", **fields})


def test_import_with_one_bad_row_names_the_row_and_stores_nothing(client, users):
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    rows = "\n".join(
        [
            MEMBERSHIP_HEADER,
            "puebla,MX,member,1996,,,,",
            "puebla,XX,member,1996,,,,",
            "puebla,GT,member,1996,,,,",
        ]
    )

    response = preview(client, pm.Membership, upload(rows + "\n"))

    assert response.status_code == 200
    assert "Line number: 2 - No state with code “XX”." in response.content.decode()
    assert [
        (number, [str(e.error) for e in errors]) for number, errors in response.context["result"].row_errors()
    ] == [(2, ["No state with code “XX”."])]
    assert "confirm_form" not in response.context
    assert pm.Membership.objects.count() == 0


def test_import_with_an_invalid_row_shows_the_field_error(client, users):
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    rows = "\n".join([MEMBERSHIP_HEADER, "puebla,MX,member,1996,,,,", "puebla,GT,member,2001,1999,,,"])

    response = preview(client, pm.Membership, upload(rows + "\n"))

    invalid = response.context["result"].invalid_rows
    assert [(row.number, row.error_dict) for row in invalid] == [
        (2, {"until": ["The membership ends before it starts."]})
    ]
    assert "confirm_form" not in response.context
    assert pm.Membership.objects.count() == 0


def test_import_preview_then_confirm_stores_rows_named_by_natural_keys(client, users):
    puebla, accounts = users
    source = f.SourceFactory(slug="iom-matrix")
    client.force_login(accounts["demo-central"])
    rows = "\n".join(
        [MEMBERSHIP_HEADER, "puebla,MX,member,1996,,,iom-matrix,", "puebla,US,observer,2000,2004,Left.,,"]
    )

    previewed = preview(client, pm.Membership, upload(rows + "\n"))
    assert pm.Membership.objects.count() == 0
    response = confirm(client, pm.Membership, previewed)

    assert response.status_code == 302
    stored = pm.Membership.objects.order_by("state__code")
    assert [(m.process, str(m.state.code), m.role, m.since, m.until, m.note) for m in stored] == [
        (puebla, "MX", "member", 1996, None, ""),
        (puebla, "US", "observer", 2000, 2004, "Left."),
    ]
    assert list(stored[0].sources.all()) == [source]
    assert [h.history_user for h in pm.Membership.history.all()] == [accounts["demo-central"]] * 2


def test_import_again_updates_the_rows_it_names(client, users):
    _puebla, accounts = users
    membership = f.MembershipFactory(
        process=pm.Process.objects.get(slug="puebla"),
        state=pm.State.objects.get(code="MX"),
        since=1996,
        note="Old.",
    )
    client.force_login(accounts["demo-central"])

    confirm(
        client,
        pm.Membership,
        preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,New.,,\n")),
    )

    membership.refresh_from_db()
    assert membership.note == "New."
    assert pm.Membership.objects.count() == 1


def test_confirmation_is_all_or_nothing(client, users):
    puebla, accounts = users
    client.force_login(accounts["demo-central"])
    rows = "\n".join([MEMBERSHIP_HEADER, "puebla,MX,member,1996,,,,", "puebla,GT,member,1996,,,,"])
    previewed = preview(client, pm.Membership, upload(rows + "\n"))
    # Between preview and confirmation someone records Guatemala as a current observer.
    f.MembershipFactory(process=puebla, state=pm.State.objects.get(code="GT"), role="observer", since=None)

    response = confirm(client, pm.Membership, previewed)

    assert response.status_code == 302
    assert response["Location"] == url(pm.Membership, "import")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Nothing was imported: line 2: Guatemala already holds a role in this process (Observer, dates "
        "unknown). A state holds one role in a process at a time: end the other membership first."
    ]
    assert [str(m.state.code) for m in pm.Membership.objects.all()] == ["GT"]


def test_export_xlsx_round_trip(client, users):
    puebla, accounts = users
    f.ChairTermFactory(process=puebla, state=pm.State.objects.get(code="MX"), start_year=2019, end_year=2020)
    client.force_login(accounts["demo-central"])

    response = export(client, pm.ChairTerm, XLSX_FORMAT)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["process", "state", "co_chair", "start_year", "end_year", "note", "sources", "as_of"],
        ["puebla", "MX", None, 2019, 2020, None, None, None],
    ]
    pm.ChairTerm.objects.all().delete()
    previewed = preview(client, pm.ChairTerm, upload(response.content, "chairs.xlsx"), XLSX_FORMAT)
    confirm(client, pm.ChairTerm, previewed)
    assert [(str(t.state.code), t.start_year, t.end_year) for t in pm.ChairTerm.objects.all()] == [
        ("MX", 2019, 2020)
    ]


def test_export_escapes_formulas(client, users):
    puebla, accounts = users
    notes = {"MX": '=HYPERLINK("http://evil.example")', "GT": "+1+1", "US": "-2", "ID": "@SUM(A1)"}
    for code, note in notes.items():
        f.MembershipFactory(process=puebla, state=pm.State.objects.get(code=code), note=note)
    f.MembershipFactory(process=puebla, state=f.StateFactory(code="CA"), note="Plain note.")
    client.force_login(accounts["demo-central"])

    response = export(client, pm.Membership)

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["state"]: row["note"] for row in rows} == {
        "CA": "Plain note.",
        "GT": "'+1+1",
        "ID": "'@SUM(A1)",
        "MX": '\'=HYPERLINK("http://evil.example")',
        "US": "'-2",
    }


def test_process_editor_import_for_another_process_is_a_row_error(client, users):
    _puebla, accounts = users
    client.force_login(accounts["demo-puebla"])
    rows = "\n".join([MEMBERSHIP_HEADER, "puebla,MX,member,1996,,,,", "bali,ID,member,1996,,,,"])

    response = preview(client, pm.Membership, upload(rows + "\n"))

    assert [(row.number, row.error_dict) for row in response.context["result"].invalid_rows] == [
        (2, {"process": ["You may import rows only for the records you edit; this row names another one."]})
    ]
    assert "confirm_form" not in response.context
    assert pm.Membership.objects.count() == 0


def test_process_editor_finding_import_keeps_other_processes_and_refuses_adding_one(client, users):
    puebla, accounts = users
    bali = pm.Process.objects.get(slug="bali")
    workshop = f.WorkshopFactory(slug="shared", processes=[puebla, bali])
    session = f.SessionFactory(workshop=workshop, order=2)
    finding = f.FindingFactory(workshop=workshop, number=1, processes=[bali], text="Old.")
    client.force_login(accounts["demo-puebla"])
    header = "workshop,number,session,kind,text,themes,processes"

    kept = preview(client, wm.Finding, upload(f"{header}\nshared,1,2,observation,New.,,puebla\n"))
    confirm(client, wm.Finding, kept)
    refused = preview(client, wm.Finding, upload(f"{header}\nshared,5,,observation,Other.,,bali;puebla\n"))

    finding.refresh_from_db()
    assert (finding.text, finding.session) == ("New.", session)
    assert set(finding.processes.values_list("slug", flat=True)) == {"puebla", "bali"}
    assert [(n, [str(e.error) for e in errors]) for n, errors in refused.context["result"].row_errors()] == [
        (1, ["processes: you may add only the processes you edit, not bali."])
    ]
    assert wm.Finding.objects.count() == 1


def test_recommendation_export_names_the_meeting_by_slug(client, users):
    puebla, accounts = users
    workshop = f.WorkshopFactory(slug="lima-2005", processes=[puebla])
    f.RecommendationFactory(
        workshop=workshop, position=1, text="Share data.", themes=[f.ThemeFactory(slug="data")]
    )
    client.force_login(accounts["demo-puebla"])

    response = export(client, wm.Recommendation)

    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        [
            "workshop",
            "position",
            "paragraph",
            "kind",
            "number",
            "text",
            "addressed_to",
            "themes",
            "status",
            "follow_up_note",
        ],
        ["lima-2005", "1", "", "recommendation", "1", "Share data.", "", "data", "open", ""],
    ]


def test_reimport_fills_in_a_missing_since_year_and_the_preview_shows_the_change(client, users):
    puebla, accounts = users
    membership = f.MembershipFactory(process=puebla, state=pm.State.objects.get(code="MX"), since=None)
    f.MembershipFactory(process=puebla, state=pm.State.objects.get(code="GT"), role="observer", since=2001)
    client.force_login(accounts["demo-central"])
    exported = export(client, pm.Membership).content.decode("utf-8-sig")
    edited = exported.replace("puebla,MX,member,,", "puebla,MX,member,1996,")

    previewed = preview(client, pm.Membership, upload(edited))
    page = previewed.content.decode()
    confirm(client, pm.Membership, previewed)

    assert sorted(row.import_type for row in previewed.context["result"].rows) == ["skip", "update"]
    assert "<ins" in page and "1996" in page
    membership.refresh_from_db()
    assert membership.since == 1996
    assert sorted(pm.Membership.objects.values_list("state__code", "since")) == [("GT", 2001), ("MX", 1996)]


def test_reimport_with_a_third_period_adds_a_row(client, users):
    puebla, accounts = users
    mexico = pm.State.objects.get(code="MX")
    f.MembershipFactory(process=puebla, state=mexico, since=1996, until=2000)
    f.MembershipFactory(process=puebla, state=mexico, since=2005, until=2010)
    client.force_login(accounts["demo-central"])

    confirm(
        client,
        pm.Membership,
        preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,2015,,,,\n")),
    )

    assert sorted(pm.Membership.objects.values_list("since", "until")) == [
        (1996, 2000),
        (2005, 2010),
        (2015, None),
    ]
