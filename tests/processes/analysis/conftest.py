import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # The coverage map is cached per data version; start every test from nothing.
    cache.clear()
    yield
    cache.clear()
