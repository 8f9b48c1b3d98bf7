"""Helpers for tests of dated versions: move the history entries a step wrote to a chosen day."""

import datetime
from contextlib import contextmanager

from django.apps import apps
from django.utils import timezone


def historical_models():
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
        and any(f.name == "history_date" for f in model._meta.fields)
    ]


def forget_history():
    """Delete every history entry (e.g. those of the migrations' reference data)."""
    for model in historical_models():
        model.objects.all().delete()


@contextmanager
def on_day(day, hour=12):
    """Every history entry written inside the block is dated ``day`` from ``hour`` (UTC) on, one
    second apart, in the order they were written."""
    marks = {
        model: max(model.objects.values_list("history_id", flat=True), default=0)
        for model in historical_models()
    }
    yield
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), datetime.UTC)
    written = [
        (entry.history_date, entry.history_id, model)
        for model, mark in marks.items()
        for entry in model.objects.filter(history_id__gt=mark).only("history_id", "history_date")
    ]
    written.sort(key=lambda item: (item[0], item[1]))
    for offset, (_date, history_id, model) in enumerate(written):
        moved = when + datetime.timedelta(seconds=offset)
        model.objects.filter(history_id=history_id).update(history_date=moved)


def private_local_caches(settings, name):
    """The default cache and the content version in local memory of this test's own (``name``), empty:
    caching of dated answers is tested the same with or without REDIS_URL."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name},
        "content_version": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"{name}-v",
        },
    }
    caches["default"].clear()
    caches["content_version"].clear()
