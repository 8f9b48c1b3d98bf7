"""Form helpers shared by every app: the filter form of the list pages, rendered by crispy-forms.

crispy-forms (bootstrap5 pack) renders every form of the site, the filter forms included. What kept the
filter forms slow was Django's select template, which includes a template per option (~250 states, ~900
processes); ``Select`` and ``SelectMultiple`` write the same ``<select>`` in Python, so crispy-forms'
``field.html`` stays the one template of a field. Django's cached template loader (the default of
Django 5.2 whenever ``loaders`` is not set) keeps the crispy templates compiled between requests.

``FilterFormMixin`` prepares a list view's filter form: fast selects, "Any" as the empty choice, and the
facet counts of ``facet_counts`` beside each option. This module imports no rcpdb app.
"""

import hashlib
import html
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import connection
from django.db.models import CharField, Count, F, Value
from django.db.models.expressions import RawSQL
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from rcpdb.core.cache import cached_per_version

ANY_LABEL = _("Any")
DJANGO_EMPTY_LABEL = "---------"


def html_attrs(attrs):
    """What ``django/forms/widgets/attrs.html`` renders, built in Python."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def _escape_label(label):
    """``conditional_escape(label)`` without its lazy-argument check (a few microseconds an option)."""
    if hasattr(label, "__html__"):
        return label.__html__()
    return html.escape(str(label))


class Select(forms.Select):
    """A select with hundreds of options, rendered in Python: the same HTML as Django's template
    (``django/forms/widgets/select.html``), without a template include per option.

    ``facet_counts`` ({option value: number of results}) adds the number to each option's text.
    Named like Django's widget on purpose: crispy-forms turns the class name into a CSS class.
    """

    facet_counts = None

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):  # option groups
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        # As Django's optgroups(): the options whose value is one of the values are selected (the
        # first only, for a single select). Written with plain string operations: a page has ~1,500
        # options, and format_html() per option cost more than the rest of the form.
        wanted = set(self.format_value(value))
        counts = self.facet_counts
        parts, any_selected = [], False
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = text in wanted and (self.allow_multiple_selected or not any_selected)
            any_selected |= selected
            shown = _escape_label(label)
            if counts is not None and text != "":
                shown = f"{shown} ({counts.get(text, 0)})"
            # the option template ends with a newline
            parts.append(
                f'\n  <option value="{html.escape(text)}"{" selected" if selected else ""}>{shown}</option>\n'
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            html_attrs(final_attrs),
            mark_safe("".join(parts)),  # noqa: S308
        )


class SelectMultiple(Select):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False


def _fast_widget(widget):
    """The Python-rendered twin of Django's select widgets (any other widget is kept)."""
    if isinstance(widget, Select):
        return widget
    if type(widget) is forms.Select:
        fast = Select(attrs=widget.attrs)
    elif type(widget) is forms.SelectMultiple:
        fast = SelectMultiple(attrs=widget.attrs)
    else:
        return widget
    fast.choices = widget.choices
    fast.is_required = widget.is_required
    return fast


def checkbox_choices(records, name, chosen, id_prefix, value="slug", label="short_name"):
    """One Bootstrap checkbox per record (``value`` and ``label`` name its attributes), checked when its
    value is in ``chosen``: what a template loop writes, in Python (safe HTML). A chooser of every
    process (900 at 100x data) cost the template engine ~20 ms a page; this writes it in ~3.
    """
    chosen = {str(item) for item in chosen}
    parts = []
    for record in records:
        text = str(getattr(record, value))
        escaped = html.escape(text)
        checked = " checked" if text in chosen else ""
        parts.append(
            '<div class="form-check">\n'
            f'  <input class="form-check-input" type="checkbox" name="{html.escape(name)}" value="{escaped}" '
            f'id="{html.escape(id_prefix)}{escaped}"{checked}>\n'
            f'  <label class="form-check-label" for="{html.escape(id_prefix)}{escaped}">'
            f"{html.escape(str(getattr(record, label)))}</label>\n"
            "</div>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value is escaped above


# --- facet counts -----------------------------------------------------------------------------------


def facet_filter_names(filterset):
    """The filters of ``filterset`` whose options get a count: every choice filter but the sorting."""
    names = []
    for name, field in filterset.form.fields.items():
        if name == "ordering" or name in getattr(filterset, "facets_excluded", ()):
            continue
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField):
            names.append(name)
    return names


def queryset_without(filterset, name):
    """The FilterSet's results with every filter applied but ``name`` (and the sorting)."""
    queryset = filterset.queryset.all()
    cleaned = getattr(filterset.form, "cleaned_data", None) or {}
    for other, value in cleaned.items():
        if other in (name, "ordering"):
            continue
        queryset = filterset.filters[other].filter(queryset, value)
    return queryset


def _default_facet_path(filterset, name):
    flt = filterset.filters[name]
    path = flt.field_name
    to_field = flt.extra.get("to_field_name")
    if to_field and not path.endswith(f"__{to_field}") and path != to_field:
        path = f"{path}__{to_field}"
    return path


# The pseudo-facet of ``facet_counts_and_total``: {"": number of results} with every filter applied, read
# in the same query as the facets (the paginator's count, without a scan of its own).
TOTAL = "__total__"


@dataclass
class FacetQuery:
    """One facet's rows, read with every other facet of the page in one query (``read_facets``).

    ``queryset`` gives the columns named ``option`` (read as text) and ``number``; ``finish`` turns its
    rows [(option, number), ...] into {option: count} (default: the number is the option's count).
    Columns are read by name: a ``values_list`` may put them in any order.

    Or ``results`` (a queryset of the rows counted) with ``path``: the results grouped by the value at
    ``path`` (``""``: all of them, one row). Facets over the same results share one common table
    expression of their keys and of the columns they group by, so that a costly filter (words in the
    text) runs once, not once a facet, and a facet on a column of the results reads no table again
    (``_grouping``); a path of another shape regroups the rows of those keys (``_regrouped_sql``).
    """

    queryset: object = None
    option: str = "facet_option"
    number: str = "n"
    finish: Callable | None = None
    results: object = None
    path: str | None = None

    def counts(self, rows):
        if self.finish is not None:
            return self.finish(rows)
        return {option: n for option, n in rows if option is not None}


def grouped_counts(model, results, path):
    """{value at ``path``: number of distinct results}, as a ``FacetQuery`` over ``results``."""
    query = results.query
    if not query.where and not query.annotations and not query.distinct:
        # Nothing filters the results (the list unfiltered): group them as they are.
        return FacetQuery(
            results.order_by().values_list(path).annotate(n=Count("pk", distinct=True)), option=path
        )
    # Filters may join the relation counted here: group the results' rows, not the joined ones.
    return FacetQuery(results=results, path=path)


@dataclass
class _Grouping:
    """How ``read_facets`` counts a facet of ``path`` over the results' table expression: by one of
    its columns (``column``: the results' field; with ``join``, the column ``join_column`` of the row
    that field points to), or by the values at ``through_path`` of the many-to-many table
    ``through``, whose field ``source`` points to the results (none of these: all the results)."""

    column: str | None = None
    join: object = None
    join_column: str | None = None
    through: object = None
    source: str | None = None
    through_path: str | None = None
    # Whether a result may be counted twice under one option: not when the many-to-many table holds a
    # pair once (Django's own table) and the option is a unique field of the row it points to.
    distinct: bool = True


def _concrete(model, name):
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a field of the model: its rows are regrouped
        return None
    return field if getattr(field, "concrete", False) else None


def _grouping(model, path):
    """The ``_Grouping`` of ``path`` (a lookup path from ``model``), or None for a path of another
    shape (its rows regrouped, ``_regrouped_sql``)."""
    if path == "":
        return _Grouping()
    first, _, rest = path.partition("__")
    field = _concrete(model, first)
    if field is None:
        return None
    if field.many_to_many:
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        option = _concrete(field.related_model, rest) if rest and "__" not in rest else None
        unique = not rest or (option is not None and option.unique)
        return _Grouping(
            through=through,
            source=field.m2m_field_name(),
            through_path=f"{target}__{rest}" if rest else target,
            distinct=not (through._meta.auto_created and unique),
        )
    if not rest:
        return _Grouping(column=field.attname)
    if field.many_to_one and "__" not in rest:
        target = _concrete(field.related_model, rest)
        if target is not None and not target.is_relation:
            return _Grouping(column=field.attname, join=field, join_column=target.column)
    return None


def aggregate_facet(base, counted, finish=None):
    """A ``FacetQuery`` of one aggregate of ``base`` per option ({option: aggregate}): one row each
    (option, aggregate), no grouping."""
    parts = [
        base.annotate(facet_option=Value(option, output_field=CharField()))
        .values_list("facet_option")
        .annotate(n=aggregate)
        for option, aggregate in counted.items()
    ]
    queryset = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return FacetQuery(queryset, finish=finish)


def _grouped_sql(table, columns, grouping, quote):
    """(SQL, params, the name of its option column) of one facet counted from the results' table
    expression ``table``, whose columns ``columns`` maps from the results' field names."""
    if grouping.through is not None:
        keys = RawSQL(f"SELECT pk FROM {table}", ())  # noqa: S608, S611
        queryset = (
            grouping.through._default_manager.filter(**{f"{grouping.source}__in": keys})
            .order_by()
            .values_list(grouping.through_path)
            .annotate(n=Count(grouping.source, distinct=grouping.distinct))
        )
        sql, params = queryset.query.sql_with_params()
        return sql, params, grouping.through_path
    if grouping.column is None:
        return f"SELECT '' AS facet_option, COUNT(*) AS n FROM {table}", [], "facet_option"  # noqa: S608
    column = columns[grouping.column]
    if grouping.join is None:
        return (
            f"SELECT {column} AS facet_option, COUNT(*) AS n FROM {table} GROUP BY 1",  # noqa: S608
            [],
            "facet_option",
        )
    target = grouping.join.related_model._meta.db_table
    target_key = grouping.join.target_field.column
    return (
        f"SELECT joined.{quote(grouping.join_column)} AS facet_option, COUNT(*) AS n "  # noqa: S608
        f"FROM {table} INNER JOIN {quote(target)} joined ON joined.{quote(target_key)} = {table}.{column} "
        "GROUP BY 1",
        [],
        "facet_option",
    )


def _regrouped_sql(model, path, table):
    """(SQL, params, option column) of a facet whose path ``_grouping`` does not write (a reverse
    relation, two hops): the rows of the results' keys, grouped by the value at ``path``."""
    keys = RawSQL(f"SELECT pk FROM {table}", ())  # noqa: S608, S611
    queryset = (
        model._default_manager.filter(pk__in=keys)
        .order_by()
        .values_list(path)
        .annotate(n=Count("pk", distinct=True))
    )
    sql, params = queryset.query.sql_with_params()
    return sql, params, path


def read_facets(queries):
    """{name: {option: count}} of every ``FacetQuery`` in ``queries`` ({name: query}), in one query:
    each facet's rows in a common table expression of its own, tagged with its name, joined with
    UNION ALL (the options read as text on every database). Facets over the same results read their
    keys, and the columns they group by, from one table expression, which SQLite and PostgreSQL
    compute once as it is used more than once."""
    if not queries:
        return {}
    quote = connection.ops.quote_name
    # The results' table expressions: the SQL of their keys -> (name, results, columns wanted).
    shared, groupings, keys_of = {}, {}, {}
    for name, query in queries.items():
        if query.results is None:
            continue
        key = keys_of[name] = query.results.order_by().values("pk").query.sql_with_params()
        entry = shared.setdefault(key, [f"facet_results{len(shared)}", query.results, set()])
        grouping = groupings[name] = _grouping(query.results.model, query.path)
        if grouping is not None and grouping.column is not None:
            entry[2].add(grouping.column)
    shared_tables, shared_params, columns_of = [], [], {}
    for key, (table, results, wanted) in shared.items():
        # Selected under their names ("pk" and ours) and read by name: values() orders its columns as
        # it likes. (With expressions alone, values() would select every field of the model too.)
        columns = {attname: f"facet_c{number}" for number, attname in enumerate(sorted(wanted))}
        expressions = {name: F(attname) for attname, name in columns.items()}
        sql, params = results.order_by().values("pk", **expressions).query.sql_with_params()
        shared_tables.append(f"{table} AS ({sql})")
        shared_params += params
        columns_of[key] = (table, columns)
    tables, selects, table_params, select_params = [], [], [], []
    for number, (name, query) in enumerate(queries.items()):
        option = query.option
        if query.results is None:
            sql, params = query.queryset.query.sql_with_params()
        else:
            table, columns = columns_of[keys_of[name]]
            if groupings[name] is not None:
                sql, params, option = _grouped_sql(table, columns, groupings[name], quote)
            else:
                sql, params, option = _regrouped_sql(query.results.model, query.path, table)
        # Django's own SQL of each queryset, its values as parameters; the names are ours and Django's.
        tables.append(f"facet{number} AS ({sql})")
        table_params += params
        selects.append(
            f"SELECT %s, CAST({quote(option)} AS TEXT), {quote(query.number)} FROM facet{number}"  # noqa: S608
        )
        select_params.append(name)
    rows = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join([*shared_tables, *tables])} {' UNION ALL '.join(selects)}",
            [*shared_params, *table_params, *select_params],
        )
        for name, option, n in cursor.fetchall():
            rows[name].append((option, n))
    return {name: query.counts(rows[name]) for name, query in queries.items()}


def facet_counts(filterset):
    """{filter name: {option value: results}} for every facet of a valid ``filterset``.

    Each count is the number of results that option would give with the other filters applied. One
    query for all the facets of the page whatever the data size: a FilterSet gives a method
    ``facet_<name>(results)`` returning a ``FacetQuery`` for a filter whose option is not a plain field
    value (a method filter), else the results are grouped by the filter's field; ``read_facets`` reads
    them all at once.
    """
    return facet_counts_and_total(filterset)[0]


def filters_set(filterset):
    """The names of the filters a visitor has set (the sorting is not a filter)."""
    cleaned = getattr(filterset.form, "cleaned_data", None) or {}
    return [name for name, value in cleaned.items() if name != "ordering" and value not in (None, "", [], ())]


def _key(prefix, *parts):
    """A cache key for data that depends on ``parts`` (text; hashed, so any length fits)."""
    return f"{prefix}:" + hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def facet_counts_and_total(filterset):
    """(``facet_counts``, the number of results or None). The number is read in the same query as
    the counts, for the paginator. With no filter set the counts are kept per content version and the
    number is None: a page count must never come from a cache (a write that bumped no version would
    then hide records), and the unfiltered count is a cheap query of its own."""
    if not filters_set(filterset):
        # The same for every visitor until the content changes.
        kind = type(filterset)
        key = _key("facet-counts", f"{kind.__module__}.{kind.__qualname__}", filterset.queryset.query)
        counts = cached_per_version(key, lambda: _facet_counts(filterset, total=False), per_language=False)
        return counts, None
    counts = _facet_counts(filterset, total=True)
    return counts, counts.pop(TOTAL)[""]


def _total_query(filterset):
    return FacetQuery(results=filterset.qs, path="", finish=lambda rows: {"": rows[0][1] if rows else 0})


def _facet_counts(filterset, *, total):
    queries = {TOTAL: _total_query(filterset)} if total else {}
    for name in facet_filter_names(filterset):
        results = queryset_without(filterset, name)
        method = getattr(filterset, f"facet_{name}", None)
        if method is not None:
            queries[name] = method(results)
        elif filterset.filters[name].method is None:
            path = _default_facet_path(filterset, name)
            queries[name] = grouped_counts(filterset.queryset.model, results, path)
    return read_facets(queries)


def cached_model_choices(field):
    """A model choice field's options [(value, label), ...] as text, built once per content version and
    language (``cached_per_version``): a page with ~900 processes, ~1,200 sessions and ~300 meetings to
    choose from then builds no model instance for its options. The key holds all the options depend on:
    the field's class, its iterator, its empty label and its queryset's SQL."""
    key = _key(
        "filter-choices",
        f"{type(field).__module__}.{type(field).__qualname__}",
        f"{field.iterator.__module__}.{field.iterator.__qualname__}",
        field.to_field_name,
        field.empty_label,
        field.queryset.model._meta.label,
        field.queryset.query,
    )
    return cached_per_version(key, lambda: [(str(value), str(label)) for value, label in field.choices])


def countable(filterset):
    """Whether facet counts apply: an unfiltered list, or one whose filters are valid."""
    return filterset.form.is_valid() or not filterset.form.is_bound


def prepare_filter_form(filterset, *, counts=None):
    """Ready ``filterset``'s form for crispy-forms: fast selects, "Any" for the empty choice, counts
    (``counts``: those ``facet_counts`` gave already)."""
    form = filterset.form
    if counts is None:
        counts = facet_counts(filterset) if countable(filterset) else {}
    for name, field in form.fields.items():
        if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
            field.empty_label = ANY_LABEL
        elif isinstance(field, forms.ChoiceField) and not hasattr(field, "empty_label"):
            field.choices = [
                (value, ANY_LABEL if value == "" and label == DJANGO_EMPTY_LABEL else label)
                for value, label in field.choices
            ]
        field.widget = _fast_widget(field.widget)
        if isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, Select):
            field.widget.choices = cached_model_choices(field)
        if name in counts and isinstance(field.widget, Select):
            field.widget.facet_counts = counts[name]
    return form


class FilterFormMixin:
    """A list view whose filter form (templates/includes/filter_form.html) crispy-forms renders with
    facet counts; ``active_filter_count`` says how many filters are set (the phone disclosure)."""

    _known_total = None

    def get_context_data(self, **kwargs):
        if getattr(self, "download_format", None):  # a download (rcpdb/core/downloads.py): no form
            return super().get_context_data(**kwargs)
        # The facet counts first: their query also counts the results, which the paginator then uses.
        counts, self._known_total = (
            facet_counts_and_total(self.filterset) if countable(self.filterset) else ({}, None)
        )
        context = super().get_context_data(**kwargs)
        prepare_filter_form(self.filterset, counts=counts)
        context["active_filter_count"] = len(filters_set(self.filterset))
        return context

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self._known_total is not None:
            paginator.count = self._known_total  # Paginator.count is a cached_property: no COUNT query
        return paginator
