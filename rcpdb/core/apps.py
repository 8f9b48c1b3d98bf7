from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    """The shared core, installed so that its template tags and signal wiring have a home."""

    default = True
    name = "rcpdb.core"
    label = "core"
    verbose_name = "rcpdb core"

    def ready(self):
        # The site's security receivers (login logging, the staff idle clock started at login) are
        # connected at start-up, not on the first request that happens to load the middleware.
        from . import security

        security.connect_receivers()


class RcpdbAdminConfig(admin_apps.AdminConfig):
    """Django's admin with rcpdb's admin site: a second factor at login when ``OTP_REQUIRED``."""

    default = False  # installed by its full path; "rcpdb.core" alone is CoreConfig
    default_site = "rcpdb.core.admin_site.AdminSite"
