from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "processes"

    def ready(self):
        # Any change to the registry makes every cached public page stale (rcpdb/core/cache.py).
        from rcpdb.core.cache import watch_app_models

        watch_app_models(self.label)
