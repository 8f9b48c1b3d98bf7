"""Records as they stood on a date, rebuilt from django-simple-history (generic: knows no app).

Every model of the data apps has a ``HistoricalRecords`` table; those with ``m2m_fields`` also keep, for
each history entry, the many-to-many links the record had at that moment. A record "as of" a date is
its last history entry made before the end of that day (in the site's time zone); it did not exist
then if it had no entry yet or its last one is a deletion (``history_type == "-"``).

Each helper runs ONE query, whatever the number of rows: pages built on them run a fixed number.
The rows returned are unsaved model instances (``HistoricalRecord.instance``) that also carry
``history_id``, ``history_date`` and ``history_type`` of the entry they were rebuilt from.
"""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone


class BadDate(ValueError):
    """An ``as_of`` parameter that is not a date YYYY-MM-DD the site can show."""


EARLIEST = datetime.date(2000, 1, 1)


def parse_as_of(value):
    """The date of an ``?as_of=`` parameter (None when absent or empty); ``BadDate`` when malformed,
    before ``EARLIEST`` or after today."""
    if value is None or value == "":
        return None
    try:
        day = datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise BadDate("not-a-date")
    if day < EARLIEST:
        raise BadDate("too-early")
    if day > timezone.localdate():
        raise BadDate("future")
    return day


def end_of(day):
    """The first moment after ``day`` in the site's time zone: entries before it count for ``day``."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start, timezone.get_default_timezone())


def history_model(model):
    return model.history.model


def latest_entries(model, day, *, include_deleted=False, **filters):
    """A QuerySet of ``model``'s history: each record's last entry before the end of ``day``, among
    the entries matching ``filters``; deletions left out unless ``include_deleted``."""
    historical = history_model(model)
    cutoff = end_of(day)
    pk = model._meta.pk.attname
    last = (
        historical.objects.filter(**{pk: OuterRef(pk)}, history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    entries = historical.objects.filter(history_date__lt=cutoff, **filters).filter(history_id=Subquery(last))
    if not include_deleted:
        entries = entries.exclude(history_type="-")
    return entries


def as_instance(entry):
    """The model instance an entry records, carrying the entry's id, date and type."""
    instance = entry.instance
    instance.history_id = entry.history_id
    instance.history_date = entry.history_date
    instance.history_type = entry.history_type
    instance.history_change_reason = entry.history_change_reason
    return instance


def rows_as_of(model, day, *, order=None, **filters):
    """The records of ``model`` matching ``filters`` as they stood on ``day`` (one query)."""
    rows = [as_instance(entry) for entry in latest_entries(model, day, **filters)]
    if order is not None:
        rows.sort(key=order)
    return rows


def record_as_of(model, day, **lookup):
    """(the record matching ``lookup`` as it stood on ``day`` or, if it was deleted by then, its last
    version; whether it was deleted) — (None, False) if it did not exist yet. One query."""
    entries = list(latest_entries(model, day, include_deleted=True, **lookup)[:1])
    if not entries:
        return None, False
    entry = entries[0]
    # A deletion entry repeats the record's last values.
    return as_instance(entry), entry.history_type == "-"


def m2m_history_model(model, field_name):
    """The table in which ``model``'s history keeps ``field_name``'s links of each entry."""
    historical = history_model(model)
    for related in historical._meta.related_objects:
        through = related.related_model
        if through.__name__ == f"{historical.__name__}_{field_name}":
            return through
    raise LookupError(f"{model.__name__}.{field_name} has no many-to-many history")


def m2m_field_columns(model, field_name):
    """(owner column, target column) of ``field_name`` in its history table."""
    field = model._meta.get_field(field_name)
    return f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


def linked_ids(model, field_name, rows):
    """{history id: [target ids]} for ``rows`` (rebuilt by ``rows_as_of``): one query."""
    rows = [row for row in rows if getattr(row, "history_id", None) is not None]
    result = {row.history_id: [] for row in rows}
    if not rows:
        return result
    through = m2m_history_model(model, field_name)
    _owner, target = m2m_field_columns(model, field_name)
    for history_id, target_id in (
        through.objects.filter(history_id__in=list(result)).order_by("pk").values_list("history_id", target)
    ):
        result[history_id].append(target_id)
    return result


def reverse_m2m_rows_as_of(model, field_name, target_id, day, *, order=None):
    """The records of ``model`` whose ``field_name`` linked to ``target_id`` on ``day`` (one query):
    e.g. the meetings that a process took part in, from the meetings' own history."""
    through = m2m_history_model(model, field_name)
    _owner, target = m2m_field_columns(model, field_name)
    holding = through.objects.filter(**{target: target_id}).values("history_id")
    entries = latest_entries(model, day).filter(history_id__in=holding)
    rows = [as_instance(entry) for entry in entries]
    if order is not None:
        rows.sort(key=order)
    return rows


def changes_queryset(model):
    """Every history entry of ``model``, newest first (for feeds and the recent-changes page)."""
    return history_model(model).objects.order_by("-history_date", "-history_id")
