from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class SiteConfig(AppConfig):
    """The site layer on top of the data apps ``processes`` and ``workshops``."""

    name = "rcpdb.site"
    label = "site"
    verbose_name = "rcpdb site"

    def ready(self):
        from rcpdb.core import cache

        from . import bulk

        cache.content_changed.connect(bulk.build_soon, dispatch_uid="rcpdb.site.bulk.build_soon")
        # No build while the schema is half migrated (data migrations change content); the first
        # request after the migration builds the files.
        pre_migrate.connect(bulk.migration_started, dispatch_uid="rcpdb.site.bulk.migration_started")
        post_migrate.connect(bulk.migration_ended, dispatch_uid="rcpdb.site.bulk.migration_ended")
