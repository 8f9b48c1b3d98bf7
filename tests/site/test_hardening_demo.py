"""Issue 21, item 10: load_demo loads only the project's own models, refuses YAML alias bombs before
expanding them and refuses a fixture set that differs from its manifest (a file missing or cut short)."""

import json
import shutil
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from processes import models as pm
from rcpdb.site import demo
from workshops import models as wm

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"

BILLION_LAUGHS = """\
- model: processes.theme
  fields:
    slug: lol
    name: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    description: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
- model: processes.theme
  fields:
    slug: lol2
    name: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    description: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
- model: processes.theme
  fields:
    slug: lol3
    name: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    description: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
- model: processes.theme
  fields:
    slug: lol4
    name: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    description: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
- model: processes.theme
  fields:
    slug: lol5
    name: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    description: [*i,*i,*i,*i,*i,*i,*i,*i,*i]
"""


def load(*args):
    call_command("load_demo", *args)


def one_fixture(tmp_path, text, name="01_test.yaml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path)


def test_a_fixture_naming_auth_user_is_refused_and_changes_nothing(tmp_path):
    folder = one_fixture(
        tmp_path,
        "- model: processes.theme\n  fields: {slug: asylum, name: Asylum}\n"
        "- model: auth.user\n"
        "  fields: {username: intruder, is_superuser: true, is_staff: true, password: x}\n",
    )

    with pytest.raises(CommandError) as error:
        load("--fixtures", folder)

    assert str(error.value) == (
        f"{tmp_path.resolve()}/01_test.yaml: auth.user (object 2): the model 'auth.user' is not one of "
        "the project's own (processes.*, workshops.*); load_demo loads nothing else."
    )
    assert "\n" not in str(error.value)
    assert not get_user_model().objects.filter(username="intruder").exists()
    assert not pm.Theme.objects.exists()


@pytest.mark.parametrize(
    "model", ["auth.group", "axes.accessattempt", "otp_totp.totpdevice", "sessions.session"]
)
def test_no_other_apps_model_is_loaded(tmp_path, model):
    folder = one_fixture(tmp_path, f"- model: {model}\n  fields: {{}}\n")

    with pytest.raises(CommandError, match=f"the model '{model}' is not one of the project's own"):
        load("--fixtures", folder)


def test_a_billion_laughs_file_is_refused_before_expansion(tmp_path):
    assert len(BILLION_LAUGHS.encode()) < 1400  # 9**10 strings once expanded
    folder = one_fixture(tmp_path, BILLION_LAUGHS)

    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as error:
            load("--fixtures", folder)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert str(error.value) == (
        f"{tmp_path.resolve()}/01_test.yaml: YAML alias *a at line 5 inside an anchored block: refused."
    )
    assert peak < 20 * 1024 * 1024
    assert not pm.Theme.objects.exists()


def test_more_aliases_than_the_bound_are_refused(tmp_path):
    lines = ["- model: processes.theme", "  fields: {slug: a, name: &n Asylum}"]
    for number in range(demo.MAX_YAML_ALIASES + 1):
        lines += ["- model: processes.theme", f"  fields: {{slug: t{number}, name: *n}}"]
    folder = one_fixture(tmp_path, "\n".join(lines) + "\n")

    with pytest.raises(CommandError, match=r"more than 20 YAML aliases \(line 44\): refused\.$"):
        load("--fixtures", folder)
    assert not pm.Theme.objects.exists()


def test_a_few_plain_aliases_still_load(tmp_path):
    folder = one_fixture(
        tmp_path,
        "- model: processes.theme\n  fields: {slug: a, name: Asylum, description: &d Shared text}\n"
        "- model: processes.theme\n  fields: {slug: b, name: Borders, description: *d}\n",
    )

    load("--fixtures", folder)

    assert list(pm.Theme.objects.order_by("slug").values_list("slug", "description")) == [
        ("a", "Shared text"),
        ("b", "Shared text"),
    ]


# --- The manifest --------------------------------------------------------------------------------


@pytest.fixture
def demo_copy(tmp_path):
    for path in DEMO.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_the_committed_manifest_matches_the_demo_fixtures(demo_copy):
    (demo_copy / demo.MANIFEST_NAME).unlink()

    load("--fixtures", str(demo_copy), "--write-manifest")

    regenerated = json.loads((demo_copy / demo.MANIFEST_NAME).read_text())
    committed = json.loads((DEMO / demo.MANIFEST_NAME).read_text())
    assert regenerated == committed
    assert set(committed["files"]) == {
        "00_sources.yaml",
        "01_reference.yaml",
        "02_processes.yaml",
        "03_workshop.yaml",
        "04_completeness.yaml",
        "05_count_claims.yaml",
    }


def test_a_file_cut_short_at_a_record_boundary_loads_nothing(demo_copy):
    path = demo_copy / "03_workshop.yaml"
    text = path.read_text()
    path.write_text(text[: text.rindex("- model: workshops.document")])
    expected = json.loads((demo_copy / demo.MANIFEST_NAME).read_text())["files"]["03_workshop.yaml"]

    with pytest.raises(CommandError) as error:
        load("--fixtures", str(demo_copy))

    assert str(error.value) == (
        f"{path.resolve()}: differs from MANIFEST.json ({expected['objects'] - 1} objects, "
        f"{expected['objects']} expected; the checksum differs): the file is changed or cut short. "
        "If the change is intended, run python manage.py load_demo --write-manifest."
    )
    assert (pm.Process.objects.count(), wm.Workshop.objects.count(), pm.Source.objects.count()) == (0, 0, 0)


def test_a_missing_file_loads_nothing(demo_copy):
    (demo_copy / "02_processes.yaml").unlink()

    with pytest.raises(CommandError) as error:
        load("--fixtures", str(demo_copy))

    assert str(error.value) == (
        f"{demo_copy.resolve()}/MANIFEST.json: lists 02_processes.yaml, not in the folder: "
        "the fixture set is incomplete."
    )
    assert pm.Source.objects.count() == 0


def test_an_unlisted_file_is_refused(demo_copy):
    shutil.copy(demo_copy / "01_reference.yaml", demo_copy / "04_extra.yaml")

    with pytest.raises(CommandError, match="MANIFEST.json: does not list 04_extra.yaml. If it belongs"):
        load("--fixtures", str(demo_copy))


def test_the_demo_folder_needs_its_manifest(demo_copy):
    (demo_copy / demo.MANIFEST_NAME).unlink()
    files = demo.fixture_files(demo_copy)

    with pytest.raises(demo.FixtureError) as error:
        demo.check_manifest(demo_copy, files, required=True)

    assert str(error.value) == (
        f"{demo_copy.resolve()}/MANIFEST.json: missing: the fixture set cannot be checked. "
        "Run python manage.py load_demo --write-manifest."
    )


def test_after_an_intended_change_regenerating_the_manifest_is_enough(demo_copy, shipped_states):
    path = demo_copy / "01_reference.yaml"
    path.write_text(path.read_text().replace("# Reference data", "# Edited reference data", 1))
    with pytest.raises(CommandError, match="differs from MANIFEST.json"):
        load("--fixtures", str(demo_copy))

    load("--fixtures", str(demo_copy), "--write-manifest")
    load("--fixtures", str(demo_copy))

    assert pm.Process.objects.count() == 9
