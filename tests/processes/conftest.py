import pytest

from tests.factories import ProcessFactory, StateFactory


@pytest.fixture
def mexico(db):
    return StateFactory(code="MX")


@pytest.fixture
def united_states(db):
    return StateFactory(code="US")


@pytest.fixture
def guatemala(db):
    return StateFactory(code="GT")


@pytest.fixture
def process(db):
    return ProcessFactory(short_name="Puebla Process", slug="puebla")
