from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site layer on top of the data apps ``processes`` and ``workshops``."""

    name = "rcpdb.site"
    label = "site"
    verbose_name = "rcpdb site"
