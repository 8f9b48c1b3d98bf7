"""The read-only open-data API on Django REST framework: viewsets, router, schema and documentation.

The records' shapes are the data apps' serializers (``processes/serializers.py``,
``workshops/serializers.py``); the filters are the public pages' FilterSets. See ``views.py``.
"""
