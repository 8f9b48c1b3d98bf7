"""Import and export of process records in the admin (django-import-export): CSV and XLSX.

Files name things by their natural keys — the process slug, the state's ISO code, organisation and
source slugs — never by database ids, so a file can be written by hand or moved between databases.
A row is identified by the columns in ``import_id_fields``: an existing row with the same values is
updated, otherwise a new one is created.

An import is all or nothing (``use_transactions``), and an admin import is always previewed first:
the preview names each row with an error and offers no "Confirm" while any row has one. Exported
text that a spreadsheet would run as a formula is prefixed with an apostrophe (``escape_formula``).

``scope_ids`` limits a resource to rows whose ``scope_field`` (the process) is one of those ids:
exports leave other rows out, and an import row naming another process is a row error. The admin
passes the editor's processes (and ``process_ids``, the processes they edit, for rows that name
processes otherwise); ``None`` (central editors) means no limit.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .admin_permissions import record_links
from .models import ChairTerm, Funding, Membership, Organization, Process, Source, State

LIST_SEPARATOR = ";"
# A text cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Prefix a would-be formula with an apostrophe, as OWASP advises, so it is shown as text.

    (django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=".)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class KeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a natural key (a slug or an ISO code), always as plain text."""

    def render(self, value, obj=None, **kwargs):
        rendered = super().render(value, obj, **kwargs)
        return "" if rendered is None else str(rendered)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(str(value).strip() if value is not None else value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
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
            raise ValueError(
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
        import_id_fields = ["process", "state", "role", "since"]


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
