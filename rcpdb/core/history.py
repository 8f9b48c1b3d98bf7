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
    version; whether it was deleted) — (None, False) if it did not exist yet. One query; two when the
    key (a slug) was another on ``day``: the address of today still opens the record's past."""
    entries = list(latest_entries(model, day, include_deleted=True, **lookup)[:1])
    if not entries:  # the key may have changed since: the record that has (or had) it, on that day
        pk = model._meta.pk.attname
        ids = history_model(model).objects.filter(**lookup).values(pk)
        entries = list(latest_entries(model, day, include_deleted=True, **{f"{pk}__in": ids})[:1])
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


def by_pk(rows):
    return {row.pk: row for row in rows}


def targets_as_of(model, ids, day):
    """{pk: ``model`` record as it stood on ``day``} for ``ids`` (one query; none if ``ids`` is empty).
    A record with no history entry yet by then is taken as it is now, so that a link is never lost."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    found = by_pk(rows_as_of(model, day, **{f"{model._meta.pk.attname}__in": ids}))
    missing = ids - set(found)
    if missing:
        found.update(by_pk(model.objects.filter(pk__in=missing)))
    return found


def set_related(row, name, targets):
    """Fill the foreign key ``name`` of ``row`` from ``targets`` (or leave it None)."""
    field_ = row._meta.get_field(name)
    target = targets.get(getattr(row, field_.attname))
    field_.set_cached_value(row, target)


def set_prefetched(owner, name, rows):
    """Make ``owner.<name>.all()`` return ``rows`` without a query, as a prefetch would."""
    manager = getattr(owner, name)
    queryset = manager.none()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    owner.__dict__.setdefault("_prefetched_objects_cache", {})[
        manager.prefetch_cache_name if hasattr(manager, "prefetch_cache_name") else name
    ] = queryset


def attach_m2m_as_of(model, field_name, rows, day, *, order=None):
    """``row.<field_name>.all()`` of each of ``rows`` (rebuilt by ``rows_as_of``): its links as they
    stood on ``day``, to the targets as they stood then (two queries)."""
    ids = linked_ids(model, field_name, rows)
    target_model = model._meta.get_field(field_name).related_model
    targets = targets_as_of(target_model, {pk for listed in ids.values() for pk in listed}, day)
    for row in rows:
        listed = [targets[pk] for pk in ids.get(getattr(row, "history_id", None), []) if pk in targets]
        if order is not None:
            listed.sort(key=order)
        set_prefetched(row, field_name, listed)


def changes_queryset(model):
    """Every history entry of ``model``, newest first (for feeds and the recent-changes page)."""
    return history_model(model).objects.order_by("-history_date", "-history_id")
