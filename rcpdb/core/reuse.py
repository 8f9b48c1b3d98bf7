"""Querysets built once and handed out as clones.

A list's queryset with a dozen annotated subqueries (the member counts, how complete each list is)
costs the ORM ~5 ms to build, on every request, before any SQL runs: each annotation's subqueries are
resolved, copied and relabelled. ``built_once`` builds such a queryset once per language (the names it
orders by depend on the visitor's language) and worker, and gives each caller ``.all()`` of it: a
clone, which shares the resolved annotations (Django's clones share them too) and never the results.
What it builds must depend on nothing else: no date, no setting read at build time, no request.
"""

import functools

from django.utils.translation import get_language


def built_once(build):
    """Decorator: ``build()`` (no arguments, returning an unevaluated queryset) run once per language;
    each call returns a fresh clone. ``wrapper.build`` is the undecorated function."""
    built = {}

    @functools.wraps(build)
    def wrapper():
        language = get_language()
        queryset = built.get(language)
        if queryset is None:
            queryset = built[language] = build()
        return queryset.all()

    wrapper.build = build
    return wrapper
