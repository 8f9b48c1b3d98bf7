from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "processes"

    def ready(self):
        # Any change to the registry makes every cached public page stale (rcpdb/cache.py).
        from rcpdb.cache import watch_app_models

        watch_app_models(self.label)
        # The site's security receivers (login logging, the staff idle clock started at login) are
        # connected at start-up, not on the first request that happens to load the middleware.
        from rcpdb import security  # noqa: F401
