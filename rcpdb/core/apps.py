from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared core, installed so that its template tags and signal wiring have a home."""

    name = "rcpdb.core"
    label = "core"
    verbose_name = "rcpdb core"
