"""The read-only JSON API: /api/ (documentation), one list and one detail endpoint per collection,
/api/dump.json (everything at once), /api/openapi.json. See rcpdb/api.py."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("dump.json", api.dump, name="dump"),
    path("openapi.json", api.openapi, name="openapi"),
]
for _name, _collection in api.COLLECTIONS.items():
    urlpatterns += [
        path(f"{_name}/", api.collection_list, {"collection": _collection}, name=f"{_name}-list"),
        path(
            f"{_name}/<str:key>/",
            api.collection_detail,
            {"collection": _collection},
            name=f"{_name}-detail",
        ),
    ]
