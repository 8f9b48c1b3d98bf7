"""The site's URLs with the analysis pages spliced into the ``processes`` namespace.

Used with ``@pytest.mark.urls`` until ``processes/urls.py`` includes ``processes.analysis_urls``
(then the real ``rcpdb.urls`` serves the same names and this module can go).
"""

from django.urls import include, path

from processes import analysis_urls
from processes import urls as process_urls
from rcpdb import urls as site_urls

urlpatterns = [
    # The analysis patterns come first, as they must in processes/urls.py ("compare" is no slug).
    path("", include((analysis_urls.urlpatterns + process_urls.urlpatterns, "processes"))),
    *(pattern for pattern in site_urls.urlpatterns if getattr(pattern, "namespace", None) != "processes"),
]
