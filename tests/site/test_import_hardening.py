"""Admin imports under real use and hostile files (issue 21 items 1, 2, 7 and the import parts of 10).

Previews shared by separate processes and not evicted by page traffic; limits refused before parsing
with the worker's memory measured; concurrent imports serialised per model with no sequence rewind;
plain-language errors, the formula round trip and formula cells refused.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection
from django.test import Client

from processes import models as pm
from processes.imports import ImportRefused, readable
from processes.resources import MembershipResource
from tests import factories as f
from tests.site.test_import_export import (
    CSV_FORMAT,
    MEMBERSHIP_HEADER,
    XLSX_FORMAT,
    confirm,
    export,
    preview,
    upload,
    url,
    users,  # noqa: F401 - a fixture
)
from workshops import models as wm

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
FINDING_HEADER = "workshop,number,session,kind,text,themes,processes"
EXPIRED = "The preview has expired: upload the file again."
BUSY = "Another import of findings is running: try again in a moment."


@pytest.fixture(autouse=True)
def _own_preview_folder(settings, tmp_path):
    settings.IMPORT_PREVIEW_DIR = str(tmp_path / "previews")


def preview_files():
    folder = Path(settings.IMPORT_PREVIEW_DIR) / "import-previews"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def import_errors(response):
    return response.context["form"].errors.get("import_file", [])


# Workbooks built in the tests -----------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook(sheet_xml, padding=0):
    """An XLSX built by hand; ``padding`` bytes of spaces inside the sheet make a zip bomb."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head, tail = sheet_xml.split("<sheetData>")
            sheet.write((head + "<sheetData>").encode())
            chunk = b" " * (1024 * 1024)
            for _ in range(padding // len(chunk)):
                sheet.write(chunk)
            sheet.write(tail.encode())
    return buffer.getvalue()


def inline_row(number, values):
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def dimension_workbook():
    """The 1.7 KB workbook whose <dimension> claims every cell of the sheet."""
    rows = inline_row(1, MEMBERSHIP_HEADER.split(",")) + inline_row(2, ["puebla", "MX", "member", "1996"])
    return workbook(
        SHEET_START + '<dimension ref="A1:XFD1048576"/><sheetData>' + rows + "</sheetData></worksheet>"
    )


def plain_workbook(rows_xml):
    return workbook(SHEET_START + "<sheetData>" + rows_xml + "</sheetData></worksheet>")


# Item 1: previews shared by every worker, never evicted ------------------------------------------------


def test_flood_of_anonymous_page_requests_does_not_evict_a_pending_preview(client, users, settings):  # noqa: F811
    _puebla, accounts = users
    settings.PAGE_CACHE_SECONDS = 3600  # the page cache on, as in production
    staff = Client()
    staff.force_login(accounts["demo-central"])
    previewed = preview(staff, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\n"))

    for n in range(1, 401):
        assert client.get(f"/robots.txt?n={n}").status_code == 200
    response = confirm(staff, pm.Membership, previewed)

    assert response.status_code == 302
    assert response["Location"] == url(pm.Membership, "changelist")
    assert [(str(m.state.code), m.since) for m in pm.Membership.objects.all()] == [("MX", 1996)]
    assert preview_files() == []  # the confirmed preview is removed


def test_an_expired_preview_is_a_form_error_not_a_500(client, users, settings):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    previewed = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\n"))
    name = previewed.context["confirm_form"].initial["import_file_name"]
    assert preview_files() == [name]
    stored = Path(settings.IMPORT_PREVIEW_DIR) / "import-previews" / name
    os.utime(stored, (stored.stat().st_mtime - settings.IMPORT_PREVIEW_SECONDS - 5,) * 2)

    response = confirm(client, pm.Membership, previewed)

    assert response.status_code == 200
    assert import_errors(response) == [EXPIRED]
    assert EXPIRED in response.content.decode()
    assert pm.Membership.objects.count() == 0
    assert preview_files() == []  # the expired file is deleted


@pytest.mark.parametrize("name", ["0" * 32, "../../../etc/passwd", ""])
def test_a_missing_or_forged_preview_name_is_a_form_error(client, users, name):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    data = {"import_file_name": name, "original_file_name": "rows.csv", "format": CSV_FORMAT, "resource": "0"}

    response = client.post(url(pm.Membership, "process_import"), data)

    assert response.status_code == 200
    assert EXPIRED in response.content.decode() or "This field is required." in response.content.decode()
    assert pm.Membership.objects.count() == 0


def test_old_previews_are_deleted_when_a_new_one_is_saved(client, users, settings):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    first = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\n"))
    old = (
        Path(settings.IMPORT_PREVIEW_DIR)
        / "import-previews"
        / first.context["confirm_form"].initial["import_file_name"]
    )
    os.utime(old, (old.stat().st_mtime - settings.IMPORT_PREVIEW_SECONDS - 5,) * 2)

    second = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,GT,member,1996,,,,\n"))

    assert preview_files() == [second.context["confirm_form"].initial["import_file_name"]]


def test_a_refused_or_failing_file_is_never_stored(client, users, settings):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    settings.IMPORT_MAX_BYTES = 100

    too_big = preview(
        client, pm.Membership, upload(MEMBERSHIP_HEADER + "\n" + "puebla,MX,member,1996,,,,\n" * 5)
    )
    bad_row = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,XX,member,1996,,,,\n"))

    assert import_errors(too_big) == ["The file is 180\xa0bytes; an import may be at most 100\xa0bytes."]
    assert "confirm_form" not in bad_row.context
    assert preview_files() == []


# Processes sharing nothing but the database and the preview folder -----------------------------------


def shared_database(tmp_path):
    """A DATABASE_URL that other processes can open, holding what this test has committed."""
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker(spec, database_url, tmp_path, wait=True, lock_wait="0.5"):
    """Run tests/site/import_worker.py in a new process (its caches its own local memory)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rcpdb.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "DEBUG": "true",
        "CONN_MAX_AGE": "0",
        "IMPORT_PREVIEW_DIR": str(tmp_path / "previews"),
        "CONTENT_VERSION_DIR": str(tmp_path / "content-version"),
        "IMPORT_LOCK_WAIT_SECONDS": lock_wait,
    }
    command = [sys.executable, "-m", "tests.site.import_worker", json.dumps(spec)]
    process = subprocess.Popen(  # noqa: S603 - our own worker with fixed arguments
        command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    return finish(process) if wait else process


def finish(process):
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr[-3000:]
    return json.loads(stdout.strip().splitlines()[-1])


def wait_for(path, process, seconds=60):
    import time

    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()[1][-3000:]
        assert time.monotonic() < deadline, f"no {path}"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_preview_in_one_process_confirms_in_another(users, tmp_path):  # noqa: F811
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\npuebla,US,observer,2000,2004,,,\n")
    database = shared_database(tmp_path)

    first = worker(
        {"login": "demo-central", "preview": {"model": "processes.membership", "file": str(csv_file)}},
        database,
        tmp_path,
    )
    assert first["preview"]["status"] == 200 and first["preview"]["confirm"] is not None
    second = worker(
        {
            "session": first["session"],
            "model": "processes.membership",
            "confirm": first["preview"]["confirm"],
            "dump": "processes.membership",
        },
        database,
        tmp_path,
    )

    assert second["confirm"]["status"] == 302, second["confirm"]["body"][:2000]
    assert second["confirm"]["location"] == url(pm.Membership, "changelist")
    assert len(second["dump"]) == 2
    assert list((tmp_path / "previews" / "import-previews").iterdir()) == []


# Item 7: concurrent imports ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_one_waits_its_turn(users, tmp_path):  # noqa: F811
    puebla, _accounts = users
    f.WorkshopFactory(slug="lima-2005", processes=[puebla])
    files = {}
    for number in (1, 2):
        files[number] = tmp_path / f"finding-{number}.csv"
        files[number].write_text(f"{FINDING_HEADER}\nlima-2005,{number},,observation,Finding {number}.,,\n")
    database = shared_database(tmp_path)
    ready, release = tmp_path / "ready", tmp_path / "release"
    second_logged_in, second_go = tmp_path / "second-logged-in", tmp_path / "second-go"

    def spec(number):
        return {
            "login": "demo-central",
            "preview": {"model": "workshops.finding", "file": str(files[number])},
        }

    # The second logs in first (on SQLite the import's write lock would hold up its session row).
    second = worker(
        {**spec(2), "logged_in": str(second_logged_in), "go": str(second_go)}, database, tmp_path, False
    )
    wait_for(second_logged_in, second)
    first = worker(
        {**spec(1), "confirm": True, "hold": {"ready": str(ready), "release": str(release)}},
        database,
        tmp_path,
        False,
    )
    wait_for(ready, first)  # the first import is running, its lock held
    second_go.touch()
    refused = finish(second)
    release.touch()
    done = finish(first)
    retried = worker({**spec(2), "confirm": True, "dump": "workshops.finding"}, database, tmp_path)

    assert refused["preview"]["status"] == 200, refused["preview"]["body"][:3000]
    assert refused["preview"]["form_errors"] == {"import_file": [BUSY]}
    assert refused["preview"]["confirm"] is None
    assert done["preview"]["status"] == 200
    assert done["confirm"]["status"] == 302
    assert done["confirm"]["messages"] == [
        "Import finished: 1 new, 0 updated, 0 deleted and 0 skipped findings."
    ]
    assert retried["confirm"]["status"] == 302
    assert [text for _pk, text in retried["dump"]] == [
        str(wm.Finding(workshop=wm.Workshop.objects.get(slug="lima-2005"), number=n, text=f"Finding {n}."))
        for n in (1, 2)
    ]
    assert len({pk for pk, _text in retried["dump"]}) == 2


@pytest.mark.django_db(transaction=True)
def test_a_second_concurrent_import_waits_for_the_first_then_succeeds(users, tmp_path):  # noqa: F811
    puebla, _accounts = users
    f.WorkshopFactory(slug="lima-2005", processes=[puebla])
    files = {}
    for number in (1, 2):
        files[number] = tmp_path / f"finding-{number}.csv"
        files[number].write_text(f"{FINDING_HEADER}\nlima-2005,{number},,observation,Finding {number}.,,\n")
    database = shared_database(tmp_path)
    ready, release = tmp_path / "ready", tmp_path / "release"
    second_logged_in, second_go = tmp_path / "second-logged-in", tmp_path / "second-go"

    def spec(number):
        return {
            "login": "demo-central",
            "preview": {"model": "workshops.finding", "file": str(files[number])},
            "confirm": True,
        }

    second = worker(
        {**spec(2), "logged_in": str(second_logged_in), "go": str(second_go), "dump": "workshops.finding"},
        database,
        tmp_path,
        wait=False,
        lock_wait="30",
    )
    wait_for(second_logged_in, second)
    first = worker(
        {**spec(1), "hold": {"ready": str(ready), "release": str(release)}}, database, tmp_path, wait=False
    )
    wait_for(ready, first)
    second_go.touch()
    import time

    time.sleep(1.5)  # the second is now waiting for the lock
    assert second.poll() is None
    release.touch()
    done, waited = finish(first), finish(second)

    assert done["confirm"]["status"] == 302
    assert waited["preview"]["form_errors"] == {}
    assert waited["confirm"]["status"] == 302
    assert waited["confirm"]["messages"] == [
        "Import finished: 1 new, 0 updated, 0 deleted and 0 skipped findings."
    ]
    assert len(waited["dump"]) == 2
    assert len({pk for pk, _text in waited["dump"]}) == 2


@pytest.mark.django_db(transaction=True)
def test_an_import_does_not_rewind_the_id_sequence(users):  # noqa: F811
    """An admin adds a finding (uncommitted) while an import commits: the next id is still free."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no sequences to rewind (ids come from the table)")
    puebla, accounts = users
    workshop = f.WorkshopFactory(slug="lima-2005", processes=[puebla])
    inserted, commit = threading.Event(), threading.Event()
    errors = []

    def concurrent_add():
        from django.db import connection as thread_connection
        from django.db import transaction

        try:
            with transaction.atomic():
                wm.Finding.objects.create(workshop=workshop, number=50, kind="observation", text="Added.")
                inserted.set()
                commit.wait(30)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            inserted.set()
        finally:
            thread_connection.close()

    from workshops.resources import FindingResource

    original = FindingResource.after_import

    def after_import_while_another_adds(self, dataset, result, **kwargs):
        if not kwargs.get("dry_run"):
            thread.start()
            inserted.wait(30)
        return original(self, dataset, result, **kwargs)

    thread = threading.Thread(target=concurrent_add)
    staff = Client()
    staff.force_login(accounts["demo-central"])
    previewed = preview(
        staff, wm.Finding, upload(f"{FINDING_HEADER}\nlima-2005,1,,observation,Imported.,,\n")
    )
    FindingResource.after_import = after_import_while_another_adds
    try:
        response = confirm(staff, wm.Finding, previewed)
    finally:
        FindingResource.after_import = original
        commit.set()
        thread.join(30)

    later = wm.Finding.objects.create(workshop=workshop, number=60, kind="observation", text="Later.")

    assert errors == []
    assert response.status_code == 302
    assert sorted(wm.Finding.objects.values_list("number", flat=True)) == [1, 50, 60]
    assert later.pk > max(wm.Finding.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_an_import_over_the_time_budget_is_undone_and_said_too_large(client, users, settings):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    settings.IMPORT_MAX_SECONDS = 0

    response = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\n"))

    assert response.status_code == 200
    assert import_errors(response) == [
        "The import took longer than 0 seconds and was undone (0 of 1 rows read): split the file into "
        "smaller ones."
    ]
    assert pm.Membership.objects.count() == 0


# Item 2: limits before parsing, bounded memory ------------------------------------------------------


def test_the_dimension_workbook_is_refused_with_a_message(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    data = dimension_workbook()
    assert len(data) < 2000

    response = preview(client, pm.Membership, upload(data, "dimension.xlsx"), XLSX_FORMAT)

    assert response.status_code == 200
    assert import_errors(response) == [
        "The worksheet says it spans A1:XFD1048576 (1048576 rows, 16384 columns); an import may have at "
        "most 5000 rows and 50 columns."
    ]
    assert preview_files() == []


def test_a_zip_bomb_is_refused_from_its_directory(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    bomb = workbook(
        SHEET_START + "<sheetData>" + inline_row(1, ["process"]) + "</sheetData></worksheet>", 25 << 20
    )
    assert len(bomb) < 200_000

    response = preview(client, pm.Membership, upload(bomb, "bomb.xlsx"), XLSX_FORMAT)

    assert response.status_code == 200
    assert import_errors(response) == [
        "Part xl/worksheets/sheet1.xml of the workbook is compressed too much to be a spreadsheet: it cannot "
        "be imported."
    ]


def test_a_workbook_unpacking_beyond_the_limit_is_refused(client, users, settings):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024

    response = preview(
        client,
        pm.Membership,
        upload(plain_workbook(inline_row(1, ["x" * 2_000_000])), "big.xlsx"),
        XLSX_FORMAT,
    )

    assert import_errors(response) == ["The workbook unpacks to more than 1.0\xa0MB: it cannot be imported."]


def test_a_big_part_that_is_read_whole_is_refused(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    buffer = io.BytesIO(plain_workbook(inline_row(1, ["process"])))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/styles.xml", b"<styleSheet>" + b" " * (6 << 20) + b"</styleSheet>")

    response = preview(client, pm.Membership, upload(buffer.getvalue(), "styles.xlsx"), XLSX_FORMAT)

    assert import_errors(response) == ["The workbook unpacks to more than 5.0\xa0MB: it cannot be imported."]


def test_a_zip_that_lies_about_its_sizes_reads_as_damaged(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    data = bytearray(
        workbook(
            SHEET_START + "<sheetData>" + inline_row(1, ["process"]) + "</sheetData></worksheet>", 4 << 20
        )
    )
    # Every central-directory entry now declares 1000 bytes unpacked.
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        if data[start + 24 : start + 28] != b"\xff\xff\xff\xff":
            data[start + 24 : start + 28] = (1000).to_bytes(4, "little")
        start += 4

    response = preview(client, pm.Membership, upload(bytes(data), "liar.xlsx"), XLSX_FORMAT)

    assert response.status_code == 200
    assert import_errors(response)[0] in {
        "The file is not an XLSX workbook, or it is damaged.",
        "Part xl/worksheets/sheet1.xml of the workbook is compressed too much to be a spreadsheet: it cannot "
        "be imported.",
    }


MEMORY_PROBE = """
import sys
import django
django.setup()
from processes.imports import ImportRefused, read_xlsx
data = open(sys.argv[1], "rb").read()
try:
    read_xlsx(data)
    print("read")
except ImportRefused as refused:
    print(refused.message)
# The peak of this process's own memory (VmHWM, in kB): unlike ru_maxrss, which keeps the peak of the
# process that started it across exec (the test worker's), it counts only what the probe used.
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


@pytest.mark.parametrize("kind", ["dimension", "bomb", "wide-row"])
def test_a_hostile_workbook_is_refused_within_150_mb(tmp_path, kind):
    if kind == "dimension":
        data = dimension_workbook()
    elif kind == "bomb":
        data = workbook(
            SHEET_START + "<sheetData>" + inline_row(1, ["process"]) + "</sheetData></worksheet>", 50 << 20
        )
    else:  # no dimension, every row one cell in the last column
        rows = "".join(
            f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(1, 3000)
        )
        data = plain_workbook(inline_row(1, ["process"]) + rows)
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)

    def bounded():  # a regression must not take the shared machine down
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    result = subprocess.run(  # noqa: S603 - our own probe with fixed arguments
        [sys.executable, "-c", MEMORY_PROBE, str(path)],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "rcpdb.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=bounded,  # noqa: PLW1509 - no threads started in the child before exec
    )
    # The probe's own peak (its VmHWM): neither the test worker nor other children of the run count.
    message, peak_kb = result.stdout.strip().splitlines()[-2:]

    assert result.returncode == 0, result.stderr[-2000:]
    assert message != "read"
    assert message.startswith(("The worksheet says", "The workbook unpacks", "Cell XFD2 has a value"))
    assert int(peak_kb) < 150 * 1024


def test_too_many_rows_or_columns_are_refused(client, users, settings):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    settings.IMPORT_MAX_ROWS = 2
    settings.IMPORT_MAX_COLUMNS = 8
    rows = "".join(f"puebla,{code},member,1996,,,,\n" for code in ("MX", "GT", "US"))
    sheet = plain_workbook(
        inline_row(1, MEMBERSHIP_HEADER.split(","))
        + "".join(inline_row(n, ["puebla", code, "member"]) for n, code in ((2, "MX"), (3, "GT"), (4, "US")))
    )

    long_csv = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\n{rows}"))
    long_xlsx = preview(client, pm.Membership, upload(sheet, "rows.xlsx"), XLSX_FORMAT)
    wide_csv = preview(
        client, pm.Membership, upload(f"{MEMBERSHIP_HEADER},extra\npuebla,MX,member,1996,,,,,\n")
    )
    fitting = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\n"))

    too_long = "The file has more than 2 rows: split it into files of at most 2 rows."
    assert import_errors(long_csv) == [too_long]
    assert import_errors(long_xlsx) == [too_long]
    assert import_errors(wide_csv) == ["The file has 9 columns; an import may have at most 8."]
    assert "confirm_form" in fitting.context
    assert pm.Membership.objects.count() == 0


def test_an_import_of_many_rows_within_the_limits_completes(client, users, settings):  # noqa: F811
    puebla, accounts = users
    # Rows cost 10-150 ms each, depending on the machine: the time budget is not what this tests.
    settings.IMPORT_MAX_SECONDS = 600
    codes = [f"{a}{b}" for a in "JKLOPQRW" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][:120]
    for code in codes:
        f.StateFactory(code=code)
    client.force_login(accounts["demo-central"])
    rows = "".join(f"puebla,{code},member,1996,,,,\n" for code in codes)

    previewed = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\n{rows}"))
    response = confirm(client, pm.Membership, previewed)

    assert response.status_code == 302
    assert pm.Membership.objects.filter(process=puebla).count() == 120


# Item 10: plain errors, formula round trip, formula cells -------------------------------------------


def test_preview_errors_are_plain_language(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    funding_header = "process,state,organization,kind,year,amount,currency,note,sources,as_of"

    bad_number = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,abc,,,,\n"))
    bad_amount = preview(
        client, pm.Funding, upload(f"{funding_header}\npuebla,MX,,donor_grant,2000,12x,USD,,,\n")
    )
    bad_date = preview(
        client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,2020-13-45\n")
    )
    no_key_columns = preview(client, pm.Membership, upload("process,note\npuebla,Hello.\n"))

    def invalid(response):
        return [(row.number, row.error_dict) for row in response.context["result"].invalid_rows]

    assert [
        (n, [str(e.error) for e in errors]) for n, errors in bad_number.context["result"].row_errors()
    ] == [(1, ["since: “abc” is not a whole number."])]
    assert invalid(bad_amount) == [(1, {"amount": ["“12x” is not a number."]})]
    assert invalid(bad_date) == [(1, {"as_of": ["“2020-13-45” is not a date: write it as YYYY-MM-DD."]})]
    assert [str(e.error) for e in no_key_columns.context["result"].base_errors] == [
        "The file lacks the columns that identify a row: state, role."
    ]
    for response in (bad_number, bad_amount, bad_date, no_key_columns):
        page = response.content.decode()
        assert "Traceback" not in page and "decimal" not in page and "import_id_fields" not in page


def test_a_database_error_in_a_row_is_shown_in_words(client, users, monkeypatch):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])

    def refuse(self, instance, is_create, row, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "processes_membership_pkey"')

    monkeypatch.setattr(MembershipResource, "save_instance", refuse)
    response = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\n"))

    assert [(n, [str(e.error) for e in errors]) for n, errors in response.context["result"].row_errors()] == [
        (1, ["This row repeats a record that already exists, or appears twice in the file."])
    ]
    page = response.content.decode()
    assert "processes_membership_pkey" not in page and "Traceback" not in page


def test_readable_maps_database_errors():
    assert readable(IntegrityError("NOT NULL constraint failed: processes_membership.state_id")) == (
        "A required value is missing in this row."
    )
    assert (
        readable(IntegrityError("FOREIGN KEY constraint failed"))
        == "This row names a record that does not exist."
    )
    assert (
        readable(IntegrityError("CHECK constraint failed: x"))
        == "A value in this row is outside the allowed range."
    )
    assert readable(KeyError("x")) == "This row could not be imported: a value could not be read."


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT])
def test_export_then_unchanged_reimport_keeps_formula_like_text(client, users, file_format):  # noqa: F811
    puebla, accounts = users
    notes = {"MX": "=1+1", "GT": "'quoted", "US": "-2 years", "ID": "Plain."}
    for code, note in notes.items():
        f.MembershipFactory(process=puebla, state=pm.State.objects.get(code=code), since=1996, note=note)
    client.force_login(accounts["demo-central"])
    exported = export(client, pm.Membership, file_format).content
    pm.Membership.objects.update(note="changed")

    name = "rows.csv" if file_format == CSV_FORMAT else "rows.xlsx"
    response = confirm(
        client, pm.Membership, preview(client, pm.Membership, upload(exported, name), file_format)
    )

    assert response.status_code == 302
    assert {str(m.state.code): m.note for m in pm.Membership.objects.all()} == notes


def test_an_xlsx_formula_cell_is_refused_naming_the_cell(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(MEMBERSHIP_HEADER.split(","))
    sheet.append(["puebla", "MX", "member", 1996, None, "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)

    response = preview(client, pm.Membership, upload(buffer.getvalue(), "formula.xlsx"), XLSX_FORMAT)

    assert response.status_code == 200
    assert import_errors(response) == [
        "Cell F2 holds a formula (=1+1): imports take values only. Replace the formula by its value and "
        "upload the file again."
    ]
    assert pm.Membership.objects.count() == 0


def test_a_busy_confirmation_keeps_the_preview_for_another_try(client, users, monkeypatch):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    previewed = preview(client, pm.Membership, upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,,,\n"))
    from processes import resources
    from processes.imports import ImportBusy

    def busy(model, using="default"):
        raise ImportBusy(model)

    monkeypatch.setattr(resources, "acquire_import_lock", busy)
    refused = confirm(client, pm.Membership, previewed)
    monkeypatch.undo()
    accepted = confirm(client, pm.Membership, previewed)

    assert refused.status_code == 200
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [
        "Another import of memberships is running: try again in a moment."
    ]
    assert accepted.status_code == 302
    assert pm.Membership.objects.count() == 1


def test_non_utf8_csv_is_refused_in_words(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])

    response = preview(
        client,
        pm.Membership,
        upload(f"{MEMBERSHIP_HEADER}\npuebla,MX,member,1996,,Señal,,\n".encode("latin-1")),
    )

    assert import_errors(response) == [
        "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again."
    ]


def test_a_value_in_an_unnamed_column_is_refused_naming_the_cell(client, users):  # noqa: F811
    _puebla, accounts = users
    client.force_login(accounts["demo-central"])
    sheet = plain_workbook(
        inline_row(1, ["process", "state", "role", "since"])
        + '<row r="2"><c r="B2" t="inlineStr"><is><t>MX</t></is></c>'
        '<c r="G2" t="inlineStr"><is><t>stray</t></is></c></row>'
    )

    response = preview(client, pm.Membership, upload(sheet, "stray.xlsx"), XLSX_FORMAT)

    assert import_errors(response) == ["Cell G2 has a value but its column has no name in the first row."]


def test_refusals_are_import_refused():
    with pytest.raises(ImportRefused):
        from processes.imports import read_csv

        read_csv(b"a,b\n1,2,3\n")
