from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"

    def ready(self):
        # Any change to meetings and findings makes every cached public page stale (rcpdb/core/cache.py).
        from rcpdb.core.cache import watch_app_models

        watch_app_models(self.label)
