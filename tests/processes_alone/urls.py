"""The registry's own pages (``processes/urls.py``) and a bare read-only API of ``processes``' own
serializers (namespace ``api``, as the site's: the records' ``api_url`` links resolve)."""

from django.urls import include, path
from rest_framework import routers, viewsets

from processes import serializers

router = routers.SimpleRouter()
registered = set()
for serializer_class in vars(serializers).values():
    api_name = getattr(serializer_class, "api_name", None)
    if isinstance(serializer_class, type) and api_name and api_name not in registered:
        registered.add(api_name)
        model = serializer_class.Meta.model
        viewset = type(
            f"{model.__name__}ViewSet",
            (viewsets.ReadOnlyModelViewSet,),
            {
                "queryset": model.objects.all(),
                "serializer_class": serializer_class,
                "lookup_url_kwarg": "key",
            },
        )
        router.register(api_name, viewset, basename=api_name)

urlpatterns = [
    path("en/", include("processes.urls")),
    path("api/", include((router.urls, "api"))),
]
