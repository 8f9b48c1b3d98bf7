"""Erase the emails left with suggested corrections once CORRECTION_EMAIL_RETENTION_DAYS have passed
(run it daily, e.g. from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from rcpdb.site.corrections import erase_old_emails


class Command(BaseCommand):
    help = "Erase the emails of suggested corrections older than CORRECTION_EMAIL_RETENTION_DAYS."

    def handle(self, *args, **options):
        erased = erase_old_emails()
        self.stdout.write(
            f"Erased {erased} email(s) of suggestions older than "
            f"{settings.CORRECTION_EMAIL_RETENTION_DAYS} days."
        )
