"""/api/: the browsable API root, one list and one detail per collection, the OpenAPI schema
(``schema/``, also ``openapi.json``), its documentation (``docs/``, Swagger UI), the JSON dump
and the data package (``data/datapackage.json`` and one CSV per table beside it)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.reverse import reverse

from . import files, views


class APIRootView(routers.APIRootView):
    """The open data of rcpdb: every collection below, the schema and its documentation, and the
    bulk files (the JSON dump and the Frictionless Data Package)."""

    page_cache_params = ("format",)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name in ("schema", "docs", "dump", "datapackage"):
            response.data[name] = reverse(f"api:{name}", request=request)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        return views.finalize(request, super().finalize_response(request, response, *args, **kwargs))


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


app_name = "api"
router = Router()
for prefix, viewset in views.COLLECTIONS:
    router.register(prefix, viewset, basename=prefix)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("openapi.json", SpectacularAPIView.as_view(), {"format": "json"}, name="openapi"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("dump.json", files.dump, name="dump"),
    path("data/datapackage.json", files.datapackage, name="datapackage"),
    path("data/<slug:name>.csv", files.table, name="table"),
    *router.urls,
]
