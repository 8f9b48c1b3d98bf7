"""``processes`` runs without ``workshops`` and the site layer: it knows neither's fields."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import resolve

from processes import views as process_views
from rcpdb.site import profiles

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_reads_without_the_meetings_app_or_the_site():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.processes_alone.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "true",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - this interpreter, a file of the project
        [sys.executable, str(ROOT / "tests/processes_alone/run.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "apps": ["core", "processes"],
        "vendor": "sqlite",
        "members": ["TR"],
        "api_members": ["TR"],
        "api_has_meetings": False,
        "dated_members": ["TR"],
        "filtered": ["budapest"],
        "themes": [["asylum", 1]],
    }


def test_the_site_serves_its_compositions_at_the_registry_addresses():
    composed = {
        "/en/processes/bali/": profiles.ProcessProfileView,
        "/en/themes/": profiles.ThemeListView,
        "/en/themes/asylum/": profiles.ThemeDetailView,
    }
    for path, view_class in composed.items():
        match = resolve(path)
        assert (match.namespace, match.func.view_class) == ("processes", view_class)
    # The other registry pages are processes' own; compare is not read as a process slug.
    assert resolve("/en/processes/").func.view_class is process_views.ProcessListView
    assert resolve("/en/processes/compare/").url_name == "compare"
