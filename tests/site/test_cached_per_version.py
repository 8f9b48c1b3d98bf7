"""Per-content-version data (``rcpdb.core.cache.cached_per_version``): built once, dropped on any change."""

import pytest
from django.utils import translation

from rcpdb.core import cache as page_cache
from tests import factories as f


class Builder:
    """A builder that counts its calls and returns a new list each time."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return [f"build {self.calls}", translation.get_language()]


def test_built_once_per_content_version(db):
    builder = Builder()
    first = page_cache.cached_per_version("test:figures", builder)
    second = page_cache.cached_per_version("test:figures", builder)
    assert first == second == ["build 1", "en"]
    assert builder.calls == 1


def test_other_keys_are_built_apart(db):
    builder = Builder()
    assert page_cache.cached_per_version("test:one", builder) == ["build 1", "en"]
    assert page_cache.cached_per_version("test:two", builder) == ["build 2", "en"]
    assert builder.calls == 2


@pytest.mark.django_db(transaction=True)
def test_dropped_when_a_record_is_saved_or_deleted():
    builder = Builder()
    assert page_cache.cached_per_version("test:figures", builder) == ["build 1", "en"]
    process = f.ProcessFactory()  # any save of a watched app retires the version
    assert page_cache.cached_per_version("test:figures", builder) == ["build 2", "en"]
    assert page_cache.cached_per_version("test:figures", builder) == ["build 2", "en"]
    process.delete()
    assert page_cache.cached_per_version("test:figures", builder) == ["build 3", "en"]
    assert builder.calls == 3


@pytest.mark.django_db(transaction=True)
def test_dropped_when_a_many_to_many_relation_changes():
    process, theme = f.ProcessFactory(), f.ThemeFactory()
    builder = Builder()
    page_cache.cached_per_version("test:figures", builder)
    process.themes.add(theme)
    assert page_cache.cached_per_version("test:figures", builder) == ["build 2", "en"]


def test_dropped_by_a_bulk_load_bump(db, django_capture_on_commit_callbacks):
    builder = Builder()
    page_cache.cached_per_version("test:figures", builder)
    with django_capture_on_commit_callbacks(execute=True):  # the version moves after commit
        page_cache.bump_content_version()  # what bulk loads call: bulk_create sends no signal
    assert page_cache.cached_per_version("test:figures", builder) == ["build 2", "en"]


def test_one_copy_per_language(db):
    builder = Builder()
    with translation.override("fr"):
        assert page_cache.cached_per_version("test:labels", builder) == ["build 1", "fr"]
    with translation.override("es"):
        assert page_cache.cached_per_version("test:labels", builder) == ["build 2", "es"]
    with translation.override("fr"):
        assert page_cache.cached_per_version("test:labels", builder) == ["build 1", "fr"]
    assert page_cache.cached_per_version("test:labels", builder) == ["build 3", "en"]
    assert builder.calls == 3


def test_one_copy_for_every_language_when_not_translated(db):
    builder = Builder()
    with translation.override("fr"):
        assert page_cache.cached_per_version("test:counts", builder, per_language=False) == ["build 1", "fr"]
    with translation.override("es"):
        assert page_cache.cached_per_version("test:counts", builder, per_language=False) == ["build 1", "fr"]
    assert builder.calls == 1


def test_none_is_stored_like_any_value(db):
    calls = []

    def nothing():
        calls.append(1)

    assert page_cache.cached_per_version("test:none", nothing) is None
    assert page_cache.cached_per_version("test:none", nothing) is None
    assert len(calls) == 1


def test_a_caller_changing_its_copy_leaves_the_stored_value_alone(db):
    value = page_cache.cached_per_version("test:list", Builder())
    value.append("changed by a caller")
    assert page_cache.cached_per_version("test:list", Builder()) == ["build 1", "en"]


# --- the pages built on it: the same for every visitor, per language, new after any change -----------


@pytest.mark.django_db(transaction=True)
def test_home_figures_are_rebuilt_after_a_change(client):
    f.ProcessFactory(short_name="Puebla Process")
    assert (
        '<dd class="headline-figure mb-0" id="figure-processes">1</dd>' in client.get("/en/").content.decode()
    )
    f.ProcessFactory(short_name="Bali Process")  # the figures and the timeline were built for one process
    html = client.get("/en/").content.decode()
    assert '<dd class="headline-figure mb-0" id="figure-processes">2</dd>' in html
    assert "Bali Process" in html


def test_home_and_overlap_are_built_per_language(client, db):
    puebla, bali = f.ProcessFactory(short_name="Puebla Process"), f.ProcessFactory(short_name="Bali Process")
    mexico = f.StateFactory(code="MX")
    f.MembershipFactory(process=puebla, state=mexico)
    f.MembershipFactory(process=bali, state=mexico)
    assert "In figures" in client.get("/en/").content.decode()
    french = client.get("/fr/").content.decode()
    assert "En chiffres" in french
    assert "Dates de création des processus" in french
    assert "When the processes were established" not in french
    assert "<h1>Shared member states</h1>" in client.get("/en/processes/overlap/").content.decode()
    french_overlap = client.get("/fr/processes/overlap/").content.decode()
    assert "<h1>États membres communs</h1>" in french_overlap
    assert 'href="/fr/states/MX/"' in french_overlap  # links of the French copy stay under /fr/
