"""URLs of the whole site."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from rcpdb.site import search, views
from rcpdb.site.sitemaps import sitemaps

# admin.site is rcpdb.core.admin_site.AdminSite: with OTP_REQUIRED=true, staff log in with a password
# and a TOTP token (README, "Staff accounts and security").

# Without a language prefix: machine-facing addresses and the admin (which follows the browser's language).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("rcpdb.site.api.urls")),
    # Read-only: GET and HEAD only, 405 for any other method, like every public view.
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path(
        "robots.txt",
        require_safe(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8")
        ),
        name="robots",
    ),
    # The public pages, in each language: /en/..., /fr/..., /es/.... A visit to / (or any page without
    # the prefix) is redirected to the visitor's language: the browser's preferred one, else English.
    *i18n_patterns(
        path("", views.home, name="home"),
        path("search/", search.search_view, name="search"),
        path("", include("rcpdb.site.urls")),
        path("", include("rcpdb.site.registry_urls")),
        path("", include("workshops.urls")),
        prefix_default_language=True,
    ),
]

# Django's own views, rendering our templates 400.html, 404.html and 500.html.
handler400 = "django.views.defaults.bad_request"
handler404 = "django.views.defaults.page_not_found"
handler500 = "django.views.defaults.server_error"
