"""Import and export of process records in the admin (django-import-export): CSV and XLSX.

Files name things by their natural keys — the process slug, the state's ISO code, organisation and
source slugs — never by database ids, so a file can be written by hand or moved between databases.
A row is identified by the columns in ``import_id_fields``: an existing row with the same values is
updated, otherwise a new one is created (a membership by process, state and role, whatever its "since"
year: ``MembershipResource.get_instance``). The preview shows each updated row's changes.

An import is all or nothing (``use_transactions``), and an admin import is always previewed first:
the preview names each row with an error and offers no "Confirm" while any row has one. Exported
text that a spreadsheet would run as a formula is prefixed with an apostrophe (``escape_formula``),
and an import removes that apostrophe again, so an unchanged export imports as it was.

Hardening (issue 21, processes/imports.py): one import of a model at a time (``acquire_import_lock``),
a time budget (``IMPORT_MAX_SECONDS``) after which the import is undone and said to be too large,
row errors in plain words (``ReadableError``), and no sequence reset after an import.

``scope_ids`` limits a resource to rows whose ``scope_field`` (the process) is one of those ids:
exports leave other rows out, and an import row naming another process is a row error. The admin
passes the editor's processes (and ``process_ids``, the processes they edit, for rows that name
processes otherwise); ``None`` (central editors) means no limit.
"""

import contextlib
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from rcpdb.core.history import record_links

from .imports import (
    ImportRefused,
    ImportValueError,
    ReadableError,
    acquire_import_lock,
    describe_bad_value,
    escape_formula,
    unescape_formula,
)
from .models import ChairTerm, Funding, Membership, Organization, Process, Source, State

LIST_SEPARATOR = ";"


class KeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a natural key (a slug or an ISO code), always as plain text."""

    def render(self, value, obj=None, **kwargs):
        rendered = super().render(value, obj, **kwargs)
        return "" if rendered is None else str(rendered)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(str(value).strip() if value is not None else value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ImportValueError(
                _("No %(model)s with %(field)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from None


class KeyListWidget(widgets.ManyToManyWidget):
    """Many-to-many as natural keys separated by ";". An unknown key is an error, not silently dropped."""

    def __init__(self, model, field="slug"):
        super().__init__(model, separator=LIST_SEPARATOR, field=field)

    def clean(self, value, row=None, **kwargs):
        keys = [key.strip() for key in str(value or "").split(self.separator) if key.strip()]
        found = self.model._default_manager.filter(**{f"{self.field}__in": keys})
        missing = sorted(set(keys) - {str(getattr(item, self.field)) for item in found})
        if missing:
            raise ImportValueError(
                _("No %(model)s with %(field)s: %(keys)s.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "keys": ", ".join(missing)}
            )
        return found


def key_field(name, model, key="slug"):
    return fields.Field(attribute=name, column_name=name, widget=KeyWidget(model, field=key))


def key_list_field(name, model, key="slug"):
    return fields.Field(attribute=name, column_name=name, widget=KeyListWidget(model, field=key))


class ScopedResource(resources.ModelResource):
    """Rows limited to the parents in ``scope_ids`` (see the module docstring)."""

    scope_field = "process"

    def __init__(self, *, scope_ids=None, process_ids=None, **kwargs):
        super().__init__(**kwargs)
        self.scope_ids = None if scope_ids is None else frozenset(scope_ids)
        self.process_ids = None if process_ids is None else frozenset(process_ids)

    def get_error_result_class(self):
        return ReadableError

    def import_data(self, dataset, dry_run=False, **kwargs):
        """The library's import, as the only import of this model running (previews included),
        within IMPORT_MAX_SECONDS. Raises ImportBusy or ImportTooLarge (everything undone)."""
        using = self.get_db_connection_name()
        with transaction.atomic(using=using):
            acquire_import_lock(self._meta.model, using)
            self._deadline = time.monotonic() + settings.IMPORT_MAX_SECONDS
            self._rows_total = len(dataset)
            return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        deadline = getattr(self, "_deadline", None)
        if deadline is not None and time.monotonic() > deadline:
            raise ImportTooLarge(kwargs.get("row_number", 1) - 1, self._rows_total)
        return super().import_row(row, instance_loader, **kwargs)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        missing = [
            self.fields[name].column_name
            for name in self._meta.import_id_fields
            if self.fields[name].column_name not in (dataset.headers or [])
        ]
        if missing:
            raise ImportValueError(
                _("The file lacks the columns that identify a row: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )

    def before_import_row(self, row, **kwargs):
        """Undo the export's formula escaping: an exported ``'=1+1`` imports as ``=1+1``."""
        super().before_import_row(row, **kwargs)
        for key, value in row.items():
            row[key] = unescape_formula(value)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A value a widget cannot read is a row error in words, not Python's."""
        try:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        except ImportValueError:
            raise
        except (ValueError, TypeError, ArithmeticError) as error:
            raise ImportValueError(describe_bad_value(field, row.get(field.column_name))) from error

    def get_instance(self, instance_loader, row):
        """The row's existing record; a key value that cannot be read is named, in words."""
        try:
            return super().get_instance(instance_loader, row)
        except ImportValueError:
            raise
        except (ValueError, TypeError, ArithmeticError) as error:
            for name in self._meta.import_id_fields:
                field = self.fields[name]
                try:
                    field.clean(row)
                except (ValueError, TypeError, ArithmeticError):
                    value = row.get(field.column_name)
                    raise ImportValueError(
                        f"{field.column_name}: {describe_bad_value(field, value)}"
                    ) from error
            raise

    def after_import(self, dataset, result, **kwargs):
        """Nothing: ModelResource resets the table's id sequence here, to the largest id this
        transaction sees, which rewinds it under a concurrent insert (two imports then collide on the
        primary key). Rows never carry ids, so the sequence is always right as it is."""
        return resources.Resource.after_import(self, dataset, result, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.scope_ids is not None:
            queryset = queryset.filter(**{f"{self.scope_field}__in": self.scope_ids})
        return queryset

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        if self.scope_ids is not None:
            queryset = queryset.filter(**{f"{self.scope_field}__in": self.scope_ids})
        return queryset

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def save_m2m(self, instance, row, **kwargs):
        """One history entry per imported row, holding its links (not one more entry per link)."""
        instance.skip_history_when_saving = True
        try:
            super().save_m2m(instance, row, **kwargs)
        finally:
            del instance.skip_history_when_saving
        latest = instance.history.first() if hasattr(instance, "history") else None
        if latest is not None and latest._history_m2m_fields:
            record_links([latest])

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        parent_id = getattr(instance, f"{self.scope_field}_id", None)
        if self.scope_ids is not None and parent_id is not None and parent_id not in self.scope_ids:
            errors[self.scope_field] = ValidationError(
                _("You may import rows only for the records you edit; this row names another one.")
            )
        super().validate_instance(instance, errors, validate_unique)


class ImportTooLarge(ImportRefused):
    def __init__(self, done, total):
        super().__init__(
            _(
                "The import took longer than %(seconds)s seconds and was undone (%(done)s of %(total)s "
                "rows read): split the file into smaller ones."
            )
            % {"seconds": settings.IMPORT_MAX_SECONDS, "done": done, "total": total}
        )


class ProcessRowMeta:
    use_transactions = True
    clean_model_instances = True
    skip_unchanged = True
    report_skipped = True


class MembershipResource(ScopedResource):
    process = key_field("process", Process)
    state = key_field("state", State, key="code")
    sources = key_list_field("sources", Source)

    class Meta(ProcessRowMeta):
        model = Membership
        fields = ["process", "state", "role", "since", "until", "note", "sources", "as_of"]
        export_order = fields
        # A membership is identified by its process, state and role: a file that fills in (or corrects)
        # the "since" year updates the row instead of adding a duplicate (``get_instance``).
        import_id_fields = ["process", "state", "role"]

    def get_instance(self, instance_loader, row):
        """The membership of the row's process, state and role: the one with the row's "since" year;
        else the one with no "since" year; else the only one. None (a new row) when several remain,
        e.g. a state that was a member twice and a file naming a third period."""
        with contextlib.suppress(Membership.MultipleObjectsReturned):
            super().get_instance(instance_loader, row)  # names a key value it cannot read
        keys = {name: self.fields[name].clean(row) for name in self._meta.import_id_fields}
        field = self.fields["since"]
        try:
            since = field.clean(row) if field.column_name in row else None
        except ImportValueError:
            raise
        except (ValueError, TypeError, ArithmeticError) as error:
            value = row.get(field.column_name)
            raise ImportValueError(f"{field.column_name}: {describe_bad_value(field, value)}") from error
        candidates = list(self.get_queryset().filter(**keys))
        for matches in (
            [c for c in candidates if since is not None and c.since == since],
            [c for c in candidates if c.since is None],
            candidates,
        ):
            if len(matches) == 1:
                return matches[0]
        return None


class ChairTermResource(ScopedResource):
    process = key_field("process", Process)
    state = key_field("state", State, key="code")
    co_chair = key_field("co_chair", State, key="code")
    sources = key_list_field("sources", Source)

    class Meta(ProcessRowMeta):
        model = ChairTerm
        fields = ["process", "state", "co_chair", "start_year", "end_year", "note", "sources", "as_of"]
        export_order = fields
        import_id_fields = ["process", "start_year"]


class FundingResource(ScopedResource):
    process = key_field("process", Process)
    state = key_field("state", State, key="code")
    organization = key_field("organization", Organization)
    sources = key_list_field("sources", Source)

    class Meta(ProcessRowMeta):
        model = Funding
        fields = [
            "process",
            "state",
            "organization",
            "kind",
            "year",
            "amount",
            "currency",
            "note",
            "sources",
            "as_of",
        ]
        export_order = fields
        import_id_fields = ["process", "state", "organization", "kind", "year"]
