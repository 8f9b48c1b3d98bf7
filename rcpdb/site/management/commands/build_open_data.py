"""Build the data package and the JSON dump of the current content version (rcpdb/site/bulk.py)."""

from django.core.management.base import BaseCommand

from rcpdb.site import bulk


class Command(BaseCommand):
    help = "Build the Frictionless Data Package and the JSON dump of the current content, if not built yet."

    def handle(self, *args, **options):
        folder = bulk.ensure_built()
        if options["verbosity"]:
            self.stdout.write(f"Open data files in {folder}")
