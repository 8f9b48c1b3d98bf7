from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site layer on top of the data apps ``processes`` and ``workshops``."""

    name = "rcpdb.site"
    label = "site"
    verbose_name = "rcpdb site"

    def ready(self):
        from rcpdb.core import cache

        from . import bulk

        cache.content_changed.connect(bulk.build_soon, dispatch_uid="rcpdb.site.bulk.build_soon")
