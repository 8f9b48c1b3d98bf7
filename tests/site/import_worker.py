"""One admin import session in a process of its own, for tests/site/test_import_hardening.py.

Run as ``python -m tests.site.import_worker '<json>'`` with DATABASE_URL and IMPORT_PREVIEW_DIR set:
this process shares nothing with the test or another worker but the database and the preview folder
(its caches are its own local memory). The JSON says what to do, in this order:

- ``login``: a username to log in (a session row in the database), or ``session``: a session key;
- ``logged_in`` / ``go``: files to create once logged in, and to wait for before going on;
- ``preview``: ``{"model": "app.model", "file": path, "format": "0"|"1"}``;
- ``confirm``: ``true`` (the preview just made) or the confirm form's data from another worker;
- ``hold``: ``{"ready": path, "release": path}``: the confirmed import, holding its lock, creates
  ``ready`` and waits for ``release`` before storing its first row;
- ``dump``: ``"app.model"``: print that model's rows.

Prints one JSON line: the status code, form errors and messages of each step.
"""

import json
import sys
import time
from pathlib import Path


def wait_for(path, seconds=60):
    deadline = time.monotonic() + seconds
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {path}")
        time.sleep(0.05)


def answer(response):
    from django.contrib.messages import get_messages

    context = response.context or {}
    form = context.get("form")
    confirm_form = context.get("confirm_form")
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "form_errors": {name: list(errors) for name, errors in form.errors.items()} if form else {},
        "messages": [str(m) for m in get_messages(response.wsgi_request)],
        "confirm": dict(confirm_form.initial) if confirm_form is not None and confirm_form.initial else None,
        "body": response.content.decode(errors="replace")[:20000],
    }


def main(spec):
    import django

    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    out = {}
    client = Client()
    if spec.get("login"):
        client.force_login(get_user_model().objects.get(username=spec["login"]))
    if spec.get("session"):
        client.cookies["sessionid"] = spec["session"]
    out["session"] = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    if spec.get("logged_in"):
        Path(spec["logged_in"]).touch()
    if spec.get("go"):
        wait_for(spec["go"])
    if spec.get("hold"):
        from processes.resources import ScopedResource

        original = ScopedResource.import_row
        held = []

        def holding_import_row(self, row, instance_loader, **kwargs):
            if not kwargs.get("dry_run") and not held:
                held.append(True)
                Path(spec["hold"]["ready"]).touch()
                wait_for(spec["hold"]["release"])
            return original(self, row, instance_loader, **kwargs)

        ScopedResource.import_row = holding_import_row

    model = None
    if spec.get("preview"):
        model = apps.get_model(spec["preview"]["model"])
        with open(spec["preview"]["file"], "rb") as upload:
            response = client.post(
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import"),
                {"format": spec["preview"].get("format", "0"), "resource": "0", "import_file": upload},
            )
        out["preview"] = answer(response)
    if spec.get("confirm"):
        model = model or apps.get_model(spec["model"])
        data = out["preview"]["confirm"] if spec["confirm"] is True else spec["confirm"]
        if data is None:
            out["confirm"] = None
        else:
            response = client.post(
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import"), data
            )
            out["confirm"] = answer(response)
    if spec.get("dump"):
        out["dump"] = [[obj.pk, str(obj)] for obj in apps.get_model(spec["dump"]).objects.order_by("pk")]
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
