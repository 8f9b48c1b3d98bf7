"""URL patterns of the cross-process pages, spliced into ``processes/urls.py`` (namespace ``processes``).

They must come before ``processes/<slug>/`` there, or "compare" and "overlap" would be read as slugs.
"""

from django.urls import path

from . import analysis_views

urlpatterns = [
    path("processes/compare/", analysis_views.compare, name="compare"),
    path("processes/compare.csv", analysis_views.compare_csv, name="compare-csv"),
    path("processes/overlap/", analysis_views.overlap, name="overlap"),
    path("coverage/", analysis_views.coverage, name="coverage"),
    path("timeline/", analysis_views.timeline, name="timeline"),
]
