"""Querysets built once per language and handed out as clones (rcpdb/core/reuse.py): the list's and
the profile's querysets are not rebuilt on every request, and a clone never holds another's results
or filters."""

import pytest
from django.utils import translation

from processes import selectors
from processes.serializers import ProcessSerializer
from rcpdb.core.reuse import built_once
from tests import factories as f


def test_a_queryset_is_built_once_per_language_and_each_call_gets_a_clone():
    calls = []

    @built_once
    def numbers():
        calls.append(translation.get_language())
        from processes.models import Process

        return Process.objects.order_by("pk")

    with translation.override("en"):
        first, second = numbers(), numbers()
    with translation.override("fr"):
        numbers()

    assert calls == ["en", "fr"]
    assert first is not second and first.query is not second.query


@pytest.mark.django_db
def test_a_clone_sees_records_added_after_the_first_call_and_no_other_clone_s_filter():
    f.ProcessFactory(short_name="Bali", slug="bali")
    assert [p.slug for p in selectors.process_list_queryset()] == ["bali"]
    narrowed = selectors.process_list_queryset().filter(slug="nothing")
    assert list(narrowed) == []

    f.ProcessFactory(short_name="Almaty", slug="almaty")

    assert [p.slug for p in selectors.process_list_queryset()] == ["almaty", "bali"]
    assert [p.slug for p in ProcessSerializer.get_queryset()] == ["almaty", "bali"]
    assert selectors.process_profile_queryset().get(slug="almaty").short_name == "Almaty"


@pytest.mark.django_db
def test_each_language_gets_its_own_order():
    f.ProcessFactory(short_name="Zeta", short_name_fr="Alpha", slug="zeta")
    f.ProcessFactory(short_name="Beta", short_name_fr="Gamma", slug="beta")

    with translation.override("en"):
        assert [p.slug for p in selectors.process_list_queryset()] == ["beta", "zeta"]
    with translation.override("fr"):
        assert [p.slug for p in selectors.process_list_queryset()] == ["zeta", "beta"]
    with translation.override("en"):
        assert [p.slug for p in selectors.process_list_queryset()] == ["beta", "zeta"]
