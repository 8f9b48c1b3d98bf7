"""Every public table as files: a Frictionless Data Package and the JSON dump, built once per content
version and served as files (never assembled per request).

The files of a content version (rcpdb/core/cache.py) are built once that version is stored, after the
change commits: ``build_soon`` (connected in ``SiteConfig.ready()``) builds them in a background thread
of the worker whose request made the change, so that no request assembles them
(``OPEN_DATA_BUILD_AFTER_CHANGE``). ``manage.py build_open_data`` builds them too (after a deploy or an
import). ``ensure_built()`` returns the folder of the current version; a request that comes while it is
being built waits for it (a file lock, so that two workers never build at once) and then serves it; one
that finds it missing (the thread was stopped) builds it itself.

The folder (``settings.OPEN_DATA_DIR/<version>/``) holds:
- ``datapackage.json``: the Data Package, one resource per table, each with its Table Schema (types,
  enums of the coded values, primary and foreign keys);
- ``<table>.csv``: one UTF-8 CSV per table (no byte-order mark, no spreadsheet escaping: data for
  programs; the list pages' downloads are the spreadsheet-safe ones);
- ``dump.json``: the same tables as JSON arrays of objects;
- a gzip copy of each (``.gz``), served to clients that accept gzip.

The package and the dump say when they were built (``generated``, the package's ``created``) and the
date and time of the data they hold (``as_of``, UTC): the time of their content version, i.e. of the
last change to the content (``api.conditional.version_time``: when the site first served that version,
at or just after the change), the same time as the API's ``Last-Modified``.

Rows are read with ``values_list().iterator()`` and written as they come: a worker holds one chunk of
rows at a time whatever the data size. Names in every language are columns of their own
(``name_en``, ``name_fr``, ``name_es``). Rows are in ``id`` order (link tables: by both ids).
"""

import contextlib
import datetime
import decimal
import fcntl
import gzip
import json
import logging
import os
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator

from processes import enums
from processes import models as pm
from rcpdb.core import cache as page_cache
from workshops import models as wm

from .api.conditional import version_time

logger = logging.getLogger(__name__)

DATAPACKAGE = "datapackage.json"
DUMP = "dump.json"
LOCK = ".build.lock"

# Each public table: (name in the package, model). Link tables of their many-to-many fields follow.
PUBLIC_MODELS = [
    ("regions", pm.Region),
    ("states", pm.State),
    ("sources", pm.Source),
    ("organizations", pm.Organization),
    ("themes", pm.Theme),
    ("processes", pm.Process),
    ("claims", pm.ProcessClaim),
    ("list_completeness", pm.ListCompleteness),
    ("memberships", pm.Membership),
    ("organization_roles", pm.OrganizationRole),
    ("secretariats", pm.Secretariat),
    ("chair_terms", pm.ChairTerm),
    ("funding", pm.Funding),
    ("evaluations", pm.Evaluation),
    ("outputs", pm.Output),
    ("achievements", pm.Achievement),
    ("institution_links", pm.InstitutionLink),
    ("people", wm.Person),
    ("meetings", wm.Workshop),
    ("sessions", wm.Session),
    ("session_leads", wm.SessionLead),
    ("participation", wm.Participation),
    ("findings", wm.Finding),
    ("recommendations", wm.Recommendation),
    ("documents", wm.Document),
]
# Columns the processes table adds to its own: how many current members, observers and organisations
# (empty: not recorded) and how complete each list is.
PROCESS_COUNTS = ("member_count", "observer_count", "organization_count")
# Not public: who may edit a process, and the folded text the state search reads.
PRIVATE_FIELDS = {(pm.Process, "editors"), (pm.State, "search_text")}


def _translated(model):
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _field_type(field):
    if isinstance(field, models.ForeignKey):
        return _field_type(field.target_field)
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.AutoField | models.IntegerField):
        return "integer"
    if isinstance(field, models.DecimalField):
        return "number"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    return "string"


@dataclass
class Table:
    """One CSV of the package: its columns (database attnames) and their Table Schema."""

    name: str
    queryset: object
    columns: list
    schema: dict
    title: str = ""


def _column_schema(field, name):
    schema = {"name": name, "type": _field_type(field)}
    if field.verbose_name:
        schema["title"] = str(field.verbose_name)
    if field.primary_key or (not field.null and not getattr(field, "blank", False)):
        schema["constraints"] = {"required": True}
    if field.choices and not isinstance(field, models.ForeignKey):
        schema.setdefault("constraints", {})["enum"] = [str(value) for value, _label in field.flatchoices]
    return schema


def tables():
    """Every public table and link table, with its schema: what the package and the dump hold."""
    names = {model: name for name, model in PUBLIC_MODELS}
    found = []
    for name, model in PUBLIC_MODELS:
        translated = _translated(model)
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.name not in translated and (model, field.name) not in PRIVATE_FIELDS
        ]
        columns, schema_fields, foreign_keys = [], [], []
        for field in fields:
            columns.append(field.attname)
            schema_fields.append(_column_schema(field, field.attname))
            if isinstance(field, models.ForeignKey) and field.related_model in names:
                foreign_keys.append(
                    {
                        "fields": field.attname,
                        "reference": {"resource": names[field.related_model], "fields": "id"},
                    }
                )
        queryset = model._default_manager.order_by("pk")
        if model is pm.Process:
            # What the process list shows: counts (null when the list is not recorded), completeness.
            queryset = queryset.with_list_counts().with_list_statuses()
            for column in PROCESS_COUNTS:
                columns.append(column)
                schema_fields.append({"name": column, "type": "integer", "constraints": {"minimum": 0}})
            for section in enums.ListSection:
                columns.append(f"{section.value}_list")
                schema_fields.append(
                    {
                        "name": f"{section.value}_list",
                        "type": "string",
                        "constraints": {"required": True, "enum": list(enums.Completeness.values)},
                    }
                )
        found.append(
            Table(
                name=name,
                title=str(model._meta.verbose_name_plural),
                queryset=queryset,
                columns=columns,
                schema={"fields": schema_fields, "primaryKey": ["id"], "foreignKeys": foreign_keys},
            )
        )
        for m2m in model._meta.many_to_many:
            if (model, m2m.name) in PRIVATE_FIELDS or m2m.remote_field.through._meta.auto_created is False:
                continue  # a through model with its own table (session leads) is a table above
            through = m2m.remote_field.through
            owner, target = m2m.m2m_column_name(), m2m.m2m_reverse_name()
            link_columns = [owner, target]
            found.append(
                Table(
                    name=f"{name}_{m2m.name}",
                    title=f"{model._meta.verbose_name_plural}: {m2m.verbose_name}",
                    queryset=through.objects.order_by(owner, target),
                    columns=link_columns,
                    schema={
                        "fields": [
                            {"name": owner, "type": "integer", "constraints": {"required": True}},
                            {"name": target, "type": "integer", "constraints": {"required": True}},
                        ],
                        "primaryKey": link_columns,
                        "foreignKeys": [
                            {"fields": owner, "reference": {"resource": name, "fields": "id"}},
                            {
                                "fields": target,
                                "reference": {"resource": names[m2m.related_model], "fields": "id"},
                            },
                        ],
                    },
                )
            )
    return found


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _json_value(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


@contextlib.contextmanager
def _consistent_snapshot():
    """One transaction for all the reads (a repeatable snapshot on PostgreSQL): tables that agree."""
    outermost = not connection.in_atomic_block  # inside a transaction (a test's) its snapshot serves
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def data_time(version):
    """When the data of content ``version`` was last changed: the version's time, ISO 8601 in UTC."""
    return datetime.datetime.fromtimestamp(version_time(version), tz=datetime.UTC).isoformat()


def build(folder, *, version):
    """Write the package, its CSVs and the dump (and their gzip copies) into the new ``folder``."""
    import csv

    folder = Path(folder)
    folder.mkdir(parents=True)
    generated = timezone.now().replace(microsecond=0).isoformat()
    as_of = data_time(version)
    resources = []
    with _consistent_snapshot(), open(folder / DUMP, "w", encoding="utf-8") as dump:
        dump.write(json.dumps({"generated": generated, "as_of": as_of, "version": version})[:-1])
        for table in tables():
            with open(folder / f"{table.name}.csv", "w", encoding="utf-8", newline="") as file:
                writer = csv.writer(file, lineterminator="\n")
                writer.writerow(table.columns)
                dump.write(f", {json.dumps(table.name)}: [")
                first = True
                for row in table.queryset.values_list(*table.columns).iterator(chunk_size=2000):
                    writer.writerow([_csv_value(value) for value in row])
                    record = {
                        column: _json_value(value) for column, value in zip(table.columns, row, strict=True)
                    }
                    dump.write(("" if first else ", ") + json.dumps(record, ensure_ascii=False))
                    first = False
                dump.write("]")
            resources.append(
                {
                    "name": table.name,
                    "title": table.title,
                    "path": f"{table.name}.csv",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": table.schema,
                }
            )
        dump.write("}\n")
    package = {
        "profile": "tabular-data-package",
        "name": "rcpdb",
        "title": "rcpdb: the Regional Consultative Processes on migration",
        "description": "Every public table of rcpdb, one CSV each; dump.json holds the same rows as JSON.",
        "version": version,
        "created": generated,
        "as_of": as_of,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }
    (folder / DATAPACKAGE).write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    for path in list(folder.iterdir()):
        with open(path, "rb") as source, gzip.open(f"{path}.gz", "wb", compresslevel=6) as target:
            shutil.copyfileobj(source, target, length=1024 * 1024)
    return folder


def storage():
    root = Path(settings.OPEN_DATA_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def ensure_built(version=None, *, only_if_current=False):
    """The folder of the files of ``version`` (the current content version), built if missing.
    ``only_if_current``: build nothing (None) if ``version`` is no longer the current one by then."""
    version = version or page_cache.content_version()
    root = storage()
    folder = root / version
    if (folder / DATAPACKAGE).is_file():
        return folder
    with open(root / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker building: wait for it, then use its files
        try:
            if only_if_current and version != page_cache.content_version():
                return None  # a later change came first: its files are the ones to build
            if not (folder / DATAPACKAGE).is_file():
                staging = Path(tempfile.mkdtemp(dir=root, prefix=".build-"))
                build(staging / uuid.uuid4().hex, version=version).rename(folder)
                shutil.rmtree(staging, ignore_errors=True)
                _remove_old(root, keep=version)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def _remove_old(root, *, keep):
    """Remove the folders of earlier versions (a file being served stays readable until closed)."""
    for path in root.iterdir():
        if path.is_dir() and path.name != keep and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def file_names(folder):
    """The names of the files a client may ask for: the package, the dump and the CSVs."""
    return sorted(
        name for name in os.listdir(folder) if not name.endswith(".gz") and not name.startswith(".")
    )


_builders = []
_migrating = threading.Event()


def migration_started(sender=None, **kwargs):
    """``pre_migrate``: the tables may not match the models until the migration ends."""
    _migrating.set()


def migration_ended(sender=None, **kwargs):
    """``post_migrate`` (sent once every migration has run)."""
    _migrating.clear()


def build_soon(sender=None, version=None, **kwargs):
    """After a content change commits (``rcpdb.core.cache.content_changed``): build the files of the
    new ``version`` in a background thread, unless ``OPEN_DATA_BUILD_AFTER_CHANGE`` is off or a
    migration is running (its data migrations change content on a schema that is not yet the models')."""
    if not settings.OPEN_DATA_BUILD_AFTER_CHANGE or _migrating.is_set():
        return
    thread = threading.Thread(
        target=_build_in_background, args=(version,), name="rcpdb-open-data", daemon=True
    )
    _builders[:] = [*(builder for builder in _builders if builder.is_alive()), thread]  # bounded
    thread.start()


def _build_in_background(version):
    try:
        ensure_built(version, only_if_current=True)
    except Exception:
        logger.exception("The open data files of version %s could not be built.", version)
    finally:
        connection.close()  # the thread's own connection


def wait_for_builds(timeout=60):
    """Wait for the background builds started so far (tests, and commands that change content)."""
    while _builders:
        _builders.pop().join(timeout)
