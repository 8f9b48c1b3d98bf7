"""Text search, as every list's ``q`` filter and the site search use it: one meaning of ``q``.

``q`` is a web-search query: words, ``"exact phrases"``, ``or`` between alternatives and ``-word`` to
leave a word out. A record matches when every wanted word (or phrase) is in one of the fields its model
declares in ``search_document_fields`` (translated fields in every language) and no unwanted one is.

On PostgreSQL a query is full-text, ranked with names and titles weighted above body text, and the
matching passage comes from ``ts_headline``. Each word of the query also matches as the start of a word
(``secretar`` finds "secretariat", ``traffick`` "trafficking" and "traffickers"): the query's lexemes
become prefixes (``PrefixSearchQuery``). The match is full text only, so that the index answers it: a
word inside another ("ecretar") or a query of stop words alone ("of the") finds nothing there, as in
any full-text search engine. Elsewhere (SQLite) each word must appear somewhere in the record's fields
(``icontains``), records whose name matches come first, and the passage is cut in Python around the
first match.

Each searched table stores its weighted vector in a generated column, ``search_document`` (the
``0006_search_indexes`` migrations of processes and workshops), with a GIN index on it: a search reads
the stored vector instead of computing it for every row, and the index finds the matches without
reading the table.

On PostgreSQL the site search's statement of each kind of record is written once per worker and
language, with the query as a parameter (``prepared_statement``); it reads the matches once, to rank and
to count them, and reads whole only the records shown (``ranked_statement``). The meetings and authors
of the records shown are fetched once for all kinds (``attach_related``).

This module knows no app: each data app declares what its models are searched in
(``search_document_fields`` on the model) and how they are shown in the site search (its ``search.py``);
the site layer assembles them (rcpdb/site/search.py).
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import add, or_

from django.apps import apps
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Expression, F, Func, IntegerField, Q, Subquery, TextField, Value, When
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from rcpdb.core.localized import localized, text_lookups

MAX_QUERY_LENGTH = 500
# Words and quoted phrases used from one search; the rest are left out, and the page says so. Each
# term costs a LIKE per searched field on SQLite, so 250 one-letter words must not reach the database.
MAX_SEARCH_TERMS = 12
RESULTS_PER_GROUP = 10
EXCERPT_LENGTH = 240
# The reports are in English; naming the configuration keeps results independent of the server's default.
SEARCH_CONFIG = "english"
# Private-use characters: they never occur in the records, so they can mark the headline before escaping.
MARK_START, MARK_END = "\ue000", "\ue001"

# The vectors PostgreSQL stores in the ``search_document`` column of every model that declares
# ``search_document_fields`` (what it is searched in, with weights), built from exactly those fields by
# the 0006_search_indexes migrations (tests/site/test_search_indexes.py checks they agree). A search
# over other fields computes its vector.
DOCUMENT_COLUMN = "search_document"
SPEC_ATTRIBUTE = "search_document_fields"

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def is_postgresql():
    return connection.vendor == "postgresql"


def limit_terms(query):
    """``(the query with its first MAX_SEARCH_TERMS words and phrases only, how many were left out)``."""
    tokens = [match.group(0) for match in _TOKEN.finditer(query)]
    return " ".join(tokens[:MAX_SEARCH_TERMS]), max(len(tokens) - MAX_SEARCH_TERMS, 0)


def parse_terms(query):
    """The words and quoted phrases of a web-search query: ``(wanted, unwanted)``.

    ``or`` is dropped (the fallback needs every word), a leading ``-`` marks a word to exclude. Only
    the first ``MAX_SEARCH_TERMS`` words and phrases count.
    """
    wanted, unwanted = [], []
    for match in list(_TOKEN.finditer(query))[:MAX_SEARCH_TERMS]:
        if match.group(2) is not None:
            negated, term = match.group(1), match.group(2).strip()
        else:
            negated, term = match.group(3), match.group(4).strip('"')
        if not term or (not negated and term.lower() == "or"):
            continue
        (unwanted if negated else wanted).append(term)
    return wanted, unwanted


def contains_terms(fields, query):
    """A condition: every wanted term in one of ``fields`` (icontains), no unwanted term in any."""
    wanted, unwanted = parse_terms(query)
    if not wanted and not unwanted:
        return Q(pk__in=[])
    condition = Q()
    for term in wanted:
        condition &= reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields))
    for term in unwanted:
        condition &= ~reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields))
    return condition


def search_vector(weighted_fields):
    return reduce(
        add, (SearchVector(name, weight=weight, config=SEARCH_CONFIG) for name, weight in weighted_fields)
    )


def document_fields(model, weighted_fields):
    """``weighted_fields`` with each translated field expanded into its column in every language."""
    return [(lookup, weight) for name, weight in weighted_fields for lookup in text_lookups(model, name)]


class StoredDocument(Expression):
    """The record's stored search vector: the ``search_document`` column PostgreSQL keeps up to date."""

    def __init__(self):
        super().__init__(output_field=SearchVectorField())

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        # Not a model field: a column of the query's own table (relabelled with it in a subquery).
        target = SearchVectorField()
        target.column = DOCUMENT_COLUMN
        return Col(query.get_initial_alias(), target)


def stored_document_models():
    """The models whose search vector PostgreSQL stores: those declaring ``search_document_fields``."""
    return [model for model in apps.get_models() if getattr(model, SPEC_ATTRIBUTE, None)]


def search_document(model, weighted_fields):
    """The weighted vector of ``weighted_fields``: the stored one where PostgreSQL keeps it."""
    stored = getattr(model, SPEC_ATTRIBUTE, None) or []
    if [tuple(pair) for pair in stored] == [tuple(pair) for pair in weighted_fields]:
        return StoredDocument()
    return search_vector(document_fields(model, weighted_fields))


class PrefixSearchQuery(SearchQuery):
    """``websearch_to_tsquery`` with every lexeme turned into a prefix: ``'traffick':* & 'border':*``.

    PostgreSQL folds the whole expression into a constant tsquery when it plans the query (every
    function in it is immutable), so ``search_document @@ query`` uses the GIN index.
    """

    # A lexeme in a tsquery's text form: quoted, with any quote inside doubled.
    LEXEME = r"'((?:[^']|'')+)'"

    def as_sql(self, compiler, connection, **kwargs):
        sql, params = super().as_sql(compiler, connection, **kwargs)
        return (
            f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery",
            [*params, self.LEXEME, r"'\1':*"],
        )


class SearchExcerpt(SearchHeadline):
    """``ts_headline`` whose options (the marks, the length of the passage) are composed once a worker:
    Django's ``SearchHeadline`` quotes them through the driver on every query (~0.5 ms a search group).
    The same SQL and parameters as ``SearchHeadline`` writes."""

    _composed = {}

    def as_sql(self, compiler, connection, function=None, template=None):
        if not self.options:
            return super().as_sql(compiler, connection, function=function, template=template)
        key = (connection.vendor, tuple(self.options.items()))
        composed = self._composed.get(key)
        if composed is None:
            composed = self._composed[key] = ", ".join(
                connection.ops.compose_sql(f"{option}=%s", [value]) for option, value in self.options.items()
            )
        sql, params = Func.as_sql(
            self, compiler, connection, function=function, template=template, options=", %s"
        )
        return sql, [*params, composed]


def web_search_query(query):
    return PrefixSearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def filter_by_text(queryset, query, weighted_fields=None, also=None):
    """Records matching ``query`` in ``weighted_fields`` (``[(field, "A"|"B"|"C"|"D"), ...]``; by default
    the model's ``search_document_fields``), or meeting the condition ``also`` (a ``Q``) where one is given.

    The list pages' ``q`` filter and the site search use this, so both find the same records.
    """
    if weighted_fields is None:
        weighted_fields = getattr(queryset.model, SPEC_ATTRIBUTE)
    also = also if also is not None else Q(pk__in=[])
    if is_postgresql():
        # alias(), not annotate(): the vector is matched and ranked, never read back.
        queryset = queryset.alias(search_document=search_document(queryset.model, weighted_fields))
        return queryset.filter(Q(search_document=web_search_query(query)) | also)
    # Translated fields are searched in every language: name_en, name_fr, name_es (rcpdb/core/localized.py).
    names = [name for name, _weight in document_fields(queryset.model, weighted_fields)]
    return queryset.filter(contains_terms(names, query) | also)


def state_needle(query):
    """The text a query looks for in state names: its wanted words and phrases, or "" when it
    leaves a word out (``-word`` reads as text, not as a name)."""
    wanted, unwanted = parse_terms(query)
    return "" if unwanted else " ".join(wanted)


@dataclass
class SearchHit:
    title: str
    url: str
    excerpt: str
    meta: str = ""


@dataclass
class SearchGroup:
    key: str
    label: str
    total: int
    hits: list = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


def highlight(text, terms):
    """``text`` escaped, with every occurrence of ``terms`` wrapped in ``<mark>``."""
    terms = [term for term in terms if term]
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def python_excerpt(text, terms, length=EXCERPT_LENGTH):
    """About ``length`` characters of ``text`` around the first term found, terms highlighted."""
    text = " ".join(text.split())
    lower = text.lower()
    positions = [lower.find(term.lower()) for term in terms if term]
    found = [position for position in positions if position >= 0]
    start = max(0, min(found) - length // 3) if found else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    snippet = highlight(text[start:end], terms)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{snippet}{suffix}")  # noqa: S308 - highlight() escapes


def headline_excerpt(headline):
    """A ``ts_headline`` result, escaped, its marks turned into ``<mark>``."""
    escaped = str(escape(headline))
    marked = re.sub(f"{MARK_START}(.*?){MARK_END}", r"<mark>\1</mark>", escaped, flags=re.S)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_END, ""))  # noqa: S308 - escaped


@dataclass
class GroupSpec:
    """How one kind of record is searched and shown."""

    key: str
    label: str
    queryset: object
    weighted_fields: list
    name_fields: list
    body_fields: list
    title: object
    url: object
    meta: object = None
    list_url_name: str = ""
    more_label: str = ""
    also: object = None  # query -> Q: records found besides the text matches
    # The relations the page shows of each record, {field name: queryset of the related model}: fetched
    # for the shown records of every group at once (``attach_related``), never joined to the matches.
    related: dict = field(default_factory=dict)

    def extra_condition(self, query):
        return self.also(query) if self.also else None

    def body_text(self, record):
        return " ".join(str(getattr(record, name) or "") for name in self.body_fields)


def ordered_matches(spec, query):
    """The first RESULTS_PER_GROUP records of ``spec`` matching ``query``, best first, each carrying the
    total count (``total``) and, on PostgreSQL, the matching passage (``headline``): one query.

    On PostgreSQL the statement is compiled once per worker and language (``prepared_statement``) and
    run with the query as its parameter; elsewhere the ORM writes it for each query (its conditions
    depend on the words). The records' relations are not fetched here: ``attach_related`` does it for
    every group at once.
    """
    statement = prepared_statement(spec) if is_postgresql() else None
    if statement is None:
        return list(ordered_matches_queryset(spec, query)[:RESULTS_PER_GROUP])
    sql, params = statement
    bound = tuple(query if param == _SEARCH_TEXT else param for param in params)
    return list(spec.queryset.model._default_manager.raw(sql, bound))


# Stands for the visitor's query in a statement compiled ahead of it: a private-use character, so no
# other parameter of the statement can equal it.
_SEARCH_TEXT = "\ue002"
_statements = {}


def prepared_statement(spec):
    """``(sql, params)`` of ``spec``'s ranked matches on PostgreSQL, with ``_SEARCH_TEXT`` for each
    parameter that is the query; compiled once per worker, language and kind of record. ``None`` where
    the statement's shape depends on the query (a spec with an ``also`` condition).

    Building and compiling the ranked, counted and excerpted query costs the ORM ~1.5–2.5 ms a group,
    seven groups a search, on every request; on PostgreSQL the query is a parameter of one fixed
    statement (``websearch_to_tsquery`` parses it in the database), so the statement is written once.
    """
    if spec.also is not None:
        return None
    key = (spec.key, spec.queryset.model._meta.label, get_language())
    statement = _statements.get(key)
    if statement is None:
        sql, params = ranked_statement(spec, _SEARCH_TEXT)
        if _SEARCH_TEXT not in params:  # pragma: no cover - every search passes the query as a parameter
            raise ValueError(f"The {spec.key} search does not take the query as a parameter.")
        statement = _statements[key] = (sql, tuple(params))
    return statement


def ranked_statement(spec, query):
    """``(sql, params)`` of the first RESULTS_PER_GROUP matches of ``query`` (PostgreSQL), best first:
    the records with their ``rank``, ``headline`` and the ``total`` of matches, in one statement that
    reads the matches once.

    ``ordered_matches_queryset`` writes the same as one ORM query; there the database reads the matches
    twice (once to rank them, once to count them) and carries every matching row, long texts and all,
    through the ranking. Here the matches are kept once, narrow (key, rank and sort columns), as a
    materialized CTE: the first ten are sorted from it, the total counted from it, and only those ten
    are read whole and excerpted. The pieces are the ORM's own SQL; only the frame is written here.
    """
    model = spec.queryset.model
    search = web_search_query(query)
    ordering = [*_own_columns(model), "pk"]
    columns = {f"search_sort_{index}": F(item.lstrip("-")) for index, item in enumerate(ordering)}
    matches = (
        filter_by_text(spec.queryset, query, spec.weighted_fields)
        .order_by()
        .annotate(search_rank=SearchRank(F("search_document"), search), **columns)
        .values("search_rank", *columns)
    )
    shown = spec.queryset.order_by().annotate(headline=_excerpt(model, spec, search))
    matches_sql, matches_params = matches.query.get_compiler(using=matches.db).as_sql()
    shown_sql, shown_params = shown.query.get_compiler(using=shown.db).as_sql()
    directions = ["DESC" if item.startswith("-") else "ASC" for item in ordering]
    order = ", ".join(
        ["best.search_rank DESC"]
        + [f"best.{name} {direction}" for name, direction in zip(columns, directions, strict=True)]
    )
    primary_key = connection.ops.quote_name(model._meta.pk.column)
    # Every piece is the ORM's compiled SQL or a name made here; the query is a parameter.
    sql = (
        f"WITH search_matches AS MATERIALIZED ({matches_sql}) "  # noqa: S608
        "SELECT shown.*, best.search_rank AS rank, (SELECT COUNT(*) FROM search_matches) AS total "
        f"FROM (SELECT * FROM search_matches best ORDER BY {order} LIMIT {int(RESULTS_PER_GROUP)}) best "
        f"INNER JOIN ({shown_sql}) shown ON shown.{primary_key} = best.search_sort_{len(ordering) - 1} "
        f"ORDER BY {order}"
    )
    return sql, (*matches_params, *shown_params)


def attach_related(groups):
    """Fetches the relations every group's records show (``GroupSpec.related``) with one query per
    related model, whatever the number of groups, and sets them on the records.

    ``groups`` is ``[(spec, records), ...]``. A finding, a recommendation and a document of the same
    meeting share one fetched meeting.
    """
    wanted = {}  # related model -> (queryset, {pk: [(record, field name), ...]})
    for spec, records in groups:
        for name, queryset in spec.related.items():
            field_ = spec.queryset.model._meta.get_field(name)
            _queryset, slots = wanted.setdefault(field_.related_model, (queryset, {}))
            for record in records:
                pk = getattr(record, field_.attname)
                if pk is not None:
                    slots.setdefault(pk, []).append((record, name))
    for queryset, slots in wanted.values():
        if not slots:
            continue
        fetched = queryset.in_bulk(list(slots))
        for pk, places in slots.items():
            if pk in fetched:
                for record, name in places:
                    setattr(record, name, fetched[pk])


def ordered_matches_queryset(spec, query):
    """Every match of ``spec``'s records, best first, each carrying the total count.

    Full-text matches (PostgreSQL) are ranked, names and titles weighing most, ties in the record's
    own columns (no table joined: thousands of matches pass through the ranking); substring matches
    (SQLite) put records whose name matches first, then the usual order.
    """
    model = spec.queryset.model
    queryset = filter_by_text(spec.queryset, query, spec.weighted_fields, spec.extra_condition(query))
    if is_postgresql():
        search = web_search_query(query)
        queryset = queryset.annotate(
            rank=SearchRank(F("search_document"), search),
            headline=_excerpt(model, spec, search),
        )
        ordering = ["-rank", *_own_columns(model)]
    elif spec.name_fields:
        name_fields = [lookup for name in spec.name_fields for lookup in text_lookups(model, name)]
        queryset = queryset.annotate(
            name_match=Case(
                When(contains_terms(name_fields, query), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        ordering = ["-name_match", *model._meta.ordering]
    else:
        ordering = list(model._meta.ordering)
    return queryset.annotate(total=_match_count(spec, query)).order_by(*ordering, "pk")


def _match_count(spec, query):
    """How many records match: a subquery the database runs once (a window count would keep every
    matching row, with its long texts, until the end)."""
    matches = filter_by_text(
        spec.queryset.model.objects.all(), query, spec.weighted_fields, spec.extra_condition(query)
    )
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return Subquery(matches.order_by().annotate(n=count).values("n"), output_field=IntegerField())


def _excerpt(model, spec, search):
    """The passage of the record's body that matches ``search`` (``ts_headline``), marks around words."""
    return SearchExcerpt(
        _joined(model, spec.body_fields),
        search,
        config=SEARCH_CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=40,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _own_columns(model):
    """The model's ordering, each relation replaced by its column: ``["workshop_id", "number"]``."""
    ordering = []
    for item in model._meta.ordering:
        name = item.lstrip("-")
        if "__" in name:
            continue
        field = model._meta.get_field(name)
        ordering.append(item[: len(item) - len(name)] + (field.attname if field.is_relation else name))
    return ordering


def _joined(model, names):
    """The fields as one text (in the visitor's language, else English), for ``ts_headline``."""
    if len(names) == 1:
        return localized(model, names[0])
    parts = []
    for name in names:
        if parts:
            parts.append(Value(" \n "))
        parts.append(Coalesce(localized(model, name), Value(""), output_field=TextField()))
    return Concat(*parts, output_field=TextField())
