"""URLs of the whole site."""

from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "rcpdb administration"
admin.site.site_title = "rcpdb"
admin.site.index_title = "Records of the Regional Consultative Processes"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("processes.urls")),
    path("", include("workshops.urls")),
]
