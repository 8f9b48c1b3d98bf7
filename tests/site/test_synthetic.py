"""The synthetic knowledge base (rcpdb/site/synthetic.py) and ``manage.py generate_synthetic``."""

import hashlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from processes import models as pm
from rcpdb.core import cache as page_cache
from rcpdb.site import synthetic
from tests import factories as f
from workshops import models as wm

SCALE_1 = {
    "regions": 20,
    "states": 249,
    "themes": 20,
    "sources": 10,
    "organizations": 10,
    "processes": 9,
    "memberships": 200,
    "chair_terms": 27,
    "secretariats": 9,
    "workshops": 3,
    "sessions": 12,
    "findings": 150,
    "recommendations": 30,
}
MODELS = {
    "regions": pm.Region,
    "states": pm.State,
    "themes": pm.Theme,
    "sources": pm.Source,
    "organizations": pm.Organization,
    "processes": pm.Process,
    "memberships": pm.Membership,
    "chair_terms": pm.ChairTerm,
    "secretariats": pm.Secretariat,
    "workshops": wm.Workshop,
    "sessions": wm.Session,
    "findings": wm.Finding,
    "recommendations": wm.Recommendation,
}


class Rollback(Exception):
    pass


def fingerprint():
    """A hash of every row of both apps, with relations named by the related row, not by its id."""
    digest = hashlib.sha256()
    for label in ("processes", "workshops"):
        for model in sorted(apps.get_app_config(label).get_models(), key=lambda m: m.__name__):
            if model.__name__.startswith("Historical"):
                continue  # change history, if recorded, is not content
            rows = []
            for obj in model.objects.all():
                row = []
                for field in model._meta.concrete_fields:
                    if field.primary_key:
                        continue
                    value = getattr(obj, field.name)
                    row.append(str(value) if field.is_relation else repr(value))
                for field in model._meta.many_to_many:
                    row.append(sorted(str(related) for related in getattr(obj, field.name).all()))
                rows.append(repr(row))
            digest.update(f"{model.__name__}:{sorted(rows)}".encode())
    return digest.hexdigest()


def test_scaled_counts_at_scale_100_are_the_target_sizes():
    counts = synthetic.scaled_counts(100)

    assert counts["processes"] == 900
    assert counts["states"] == 249
    assert counts["memberships"] == 20_000
    assert counts["workshops"] == 300
    assert counts["findings"] == 15_000


def test_scaled_counts_keep_a_floor():
    counts = synthetic.scaled_counts(1)

    # 500 sources and 200 organisations at scale 100 would be 5 and 2 at scale 1: the floor is 10.
    assert counts["sources"] == 10
    assert counts["organizations"] == 10
    assert counts["processes"] == 9


def test_scale_below_one_is_refused():
    with pytest.raises(ValueError, match="The scale must be at least 1."):
        synthetic.scaled_counts(0)


def test_scale_1_writes_exact_counts(db):
    result = synthetic.generate_synthetic(scale=1)

    assert result.counts == SCALE_1
    assert {name: model.objects.count() for name, model in MODELS.items()} == SCALE_1


def test_scale_1_has_every_state_and_every_kind_of_record(db):
    synthetic.generate_synthetic(scale=1)

    assert pm.State.objects.count() == 249
    assert pm.State.objects.filter(region__isnull=True).count() == 0
    assert pm.Process.themes.through.objects.count() > 0
    assert wm.Finding.processes.through.objects.count() > 0
    assert pm.ChairTerm.objects.filter(end_year__isnull=True).count() == 9


def test_every_row_at_scale_1_is_valid(db):
    synthetic.generate_synthetic(scale=1)

    invalid = []
    for model in MODELS.values():
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except Exception as error:  # noqa: BLE001 - collect them all, then report
                invalid.append(f"{model.__name__} {obj.pk}: {error}")

    assert invalid == []


def test_same_seed_gives_identical_data(db):
    with pytest.raises(Rollback), transaction.atomic():
        synthetic.generate_synthetic(scale=1, seed=7)
        first = fingerprint()
        raise Rollback
    assert pm.Process.objects.count() == 0

    synthetic.generate_synthetic(scale=1, seed=7)

    assert fingerprint() == first


def test_another_seed_gives_other_data(db):
    with pytest.raises(Rollback), transaction.atomic():
        synthetic.generate_synthetic(scale=1, seed=7)
        first = fingerprint()
        raise Rollback

    synthetic.generate_synthetic(scale=1, seed=8)

    assert fingerprint() != first


def test_generation_bumps_the_page_cache_version_once_it_commits(db, django_capture_on_commit_callbacks):
    before = page_cache.content_version()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        synthetic.generate_synthetic(scale=1)

    assert callbacks == [page_cache._store_new_version]
    assert page_cache.content_version() != before


def test_command_refuses_a_database_with_processes(db):
    f.ProcessFactory(slug="puebla")

    with pytest.raises(CommandError) as error:
        call_command("generate_synthetic", "--scale", "1", stdout=io.StringIO())

    assert str(error.value) == (
        "This database already has 1 process(es). generate_synthetic is meant for an empty database "
        "(migrate a new one, e.g. DATABASE_URL=sqlite:////tmp/bench.sqlite3); pass --append to add "
        "synthetic data alongside what is there."
    )
    assert pm.Process.objects.count() == 1


def test_command_appends_next_to_existing_data_when_asked(db):
    f.ProcessFactory(slug="puebla")
    mexico = f.StateFactory(code="MX")
    synthetic.generate_synthetic(scale=1)
    out = io.StringIO()

    call_command("generate_synthetic", "--scale", "1", "--append", stdout=out)

    assert pm.Process.objects.count() == 1 + 9 + 9
    assert pm.Process.objects.filter(slug__startswith="syn1-").count() == 9
    assert pm.Process.objects.filter(slug__startswith="syn2-").count() == 9
    assert pm.State.objects.count() == 249
    assert pm.State.objects.get(code="MX").pk == mexico.pk
    assert "Generated synthetic data at scale 1 (seed 2005, slugs syn2-...)" in out.getvalue()


def test_command_prints_a_progress_bar_per_stage(db):
    out = io.StringIO()

    call_command("generate_synthetic", "--scale", "1", stdout=out)

    lines = out.getvalue().splitlines()
    assert "  findings               [##############################]     150/150" in lines
    assert "  memberships            [##############################]     200/200" in lines
    assert lines[-1].startswith("Generated synthetic data at scale 1 (seed 2005, slugs syn1-...) in ")
    assert lines[-1].endswith(
        "20 regions, 249 states, 20 themes, 10 sources, 10 organizations, 9 processes, 200 memberships, "
        "27 chair terms, 9 secretariats, 3 workshops, 12 sessions, 150 findings, 30 recommendations."
    )


def test_command_refuses_a_scale_below_one(db):
    with pytest.raises(CommandError, match="--scale must be 1 or more."):
        call_command("generate_synthetic", "--scale", "0", stdout=io.StringIO())


def test_the_planner_statistics_are_refreshed_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("the planner statistics (ANALYZE) are PostgreSQL's")
    synthetic.generate_synthetic(scale=1)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'workshops_finding'")
        (estimated,) = cursor.fetchone()
    # ANALYZE ran in the transaction and counted its rows (without it: -1 or an earlier, emptier count).
    assert estimated == wm.Finding.objects.count()
