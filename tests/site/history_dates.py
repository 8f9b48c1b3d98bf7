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


@contextmanager
def on_day(day, hour=12):
    """Every history entry written inside the block is dated ``day`` at ``hour`` (UTC)."""
    marks = {
        model: max(model.objects.values_list("history_id", flat=True), default=0)
        for model in historical_models()
    }
    yield
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), datetime.UTC)
    for model, mark in marks.items():
        model.objects.filter(history_id__gt=mark).update(history_date=when)
