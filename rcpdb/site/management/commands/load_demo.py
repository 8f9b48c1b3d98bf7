"""``python manage.py load_demo``: the 2005 workshop and its nine processes, in one transaction."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rcpdb.site import demo

ADMIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = (
        "Load the demo knowledge base (the 2005 GCIM–IOM workshop and its nine processes) in one "
        "transaction. Safe to run again: it updates rather than duplicates. A broken fixture changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=None,
            metavar="DIR",
            help="Folder of fixture files, loaded in name order (default: fixtures/demo).",
        )
        parser.add_argument(
            "--write-manifest",
            action="store_true",
            help="Do not load: (re)write MANIFEST.json in the fixture folder (each file's object count and "
            "sha256), which load_demo checks. Run it after changing the fixtures on purpose.",
        )
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="Also create the staff accounts demo-central and demo-puebla and print their passwords "
            "(only when DEBUG is on).",
        )

    def handle(self, *args, fixtures=None, with_demo_users=False, write_manifest=False, **options):
        if write_manifest:
            try:
                path = demo.write_manifest(fixtures)
            except demo.FixtureError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(self.style.SUCCESS(f"Wrote {demo.display_name(path)}."))
            return
        if with_demo_users and not settings.DEBUG:
            raise CommandError(
                "--with-demo-users creates accounts with printed passwords, so it only runs when DEBUG is on."
            )
        try:
            result = demo.load_demo(fixtures, with_demo_users=with_demo_users)
        except (demo.FixtureError, demo.MissingEditorGroups) as error:
            raise CommandError(str(error)) from None

        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.objects} objects from {len(result.fixtures)} fixtures "
                f"({', '.join(result.fixtures)}) in {result.seconds:.2f} s."
            )
        )
        if result.accounts:
            self.stdout.write("Demo accounts (new passwords on every run; for local use only):")
            for account in result.accounts:
                self.stdout.write(f"  {account.username:<14} password: {account.password}   ({account.role})")
            self.stdout.write(
                f"Log in at {ADMIN_URL} once the server runs (python manage.py runserver 127.0.0.1:8000)."
            )
