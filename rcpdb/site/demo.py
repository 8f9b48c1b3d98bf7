"""Writes of the workshops app: loading the demo knowledge base, and its demo accounts (who join the
editor groups ``migrate`` makes: rcpdb/site/migrations/0001_editor_groups.py).

A demo load is all or nothing. Every loaded record that has no history yet gets its first history
entry ("Created", by nobody, "Loaded from the demo fixtures"), so the admin's History starts from the
demo data; a second load adds none.

A demo load is all or nothing. Fixture files are read in name order and every object is checked
twice: its fields before it is saved (so an over-long text or a bad choice is named, not left to a
database error), and ``full_clean()`` once its whole file is saved (so rules that look at other
rows — overlapping chair terms, unique constraints — see them all, and the error names the file at
fault). Any problem raises ``FixtureError`` with one line naming the fixture file and the object,
and the transaction rolls back.

Only the project's own models (``processes.*`` and ``workshops.*``) can be loaded: a fixture naming any
other model (``auth.user``...) is refused before anything is saved. YAML is read with the safe loader
after a check of its events: more than ``MAX_YAML_ALIASES`` aliases, or an alias inside an anchored
block (how "billion laughs" bombs grow), is refused before anything is expanded. A folder with a
``MANIFEST.json`` (fixtures/demo has one; ``write_manifest()`` or ``load_demo --write-manifest``
regenerates it) must hold exactly the files it lists, each with its checksum and object count, so a
set missing a file or a file cut short at a record boundary is refused and nothing is loaded.
"""

import hashlib
import json
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from processes.editors import CENTRAL_EDITORS_GROUP
from processes.models import Process
from rcpdb.core.cache import bump_content_version
from rcpdb.core.history import record_links

FIXTURE_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A hand-written fixture needs few aliases, if any; an alias inside an anchored block is never needed.
MAX_YAML_ALIASES = 20
# The apps whose models a fixture may create or change: the project's own, nothing else.
LOADABLE_APPS = ("processes", "workshops")
MANIFEST_NAME = "MANIFEST.json"
REGENERATE_MANIFEST = "python manage.py load_demo --write-manifest"

# Made, with their permissions, by the migration rcpdb/site/migrations/0001_editor_groups.py.
PROCESS_EDITORS_GROUP = "Process editors"
EDITOR_GROUPS = (CENTRAL_EDITORS_GROUP, PROCESS_EDITORS_GROUP)
INITIAL_HISTORY_REASON = "Loaded from the demo fixtures"
DEMO_PROCESS_EDITOR_OF = "puebla"


def default_demo_fixtures():
    return Path(settings.BASE_DIR) / "fixtures" / "demo"


class FixtureError(Exception):
    """A fixture cannot be loaded. ``str()`` is one line: '<fixture>: <what is wrong>'."""

    def __init__(self, fixture, problem):
        self.fixture = fixture
        self.problem = _one_line(problem)
        super().__init__(f"{fixture}: {self.problem}")


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str


@dataclass
class LoadResult:
    fixtures: list[str]
    objects: int
    seconds: float
    accounts: list[DemoAccount] = field(default_factory=list)


@transaction.atomic
def load_demo(directory=None, *, with_demo_users=False):
    """Load every fixture in ``directory`` (default fixtures/demo) and, if asked, the demo accounts."""
    result = load_fixtures(directory or default_demo_fixtures())
    if with_demo_users:
        result.accounts = create_demo_users()
    bump_content_version()  # cached pages are stale now, whatever the model signals did or did not say
    return result


@transaction.atomic
def load_fixtures(directory):
    started = time.perf_counter()
    directory = Path(directory)
    files = fixture_files(directory)
    check_manifest(directory, files, required=directory.resolve() == default_demo_fixtures().resolve())
    loaded = []
    for path in files:
        name = display_name(path)
        saved = []
        for index, item in enumerate(_read_fixture(path, name), start=1):
            label = _describe(item, index)
            deserialized = _deserialize(item, name, label)
            instance = deserialized.object
            try:
                # Foreign keys: checked by the database and by full_clean() once the file is saved.
                instance.clean_fields(exclude=_relation_fields(type(instance)))
            except ValidationError as error:
                raise FixtureError(name, f"{label}: {_validation_message(error)}") from None
            # No history entry per many-to-many link saved: record_initial_history() writes one, links
            # included, for each new record, and a second load writes none.
            instance.skip_history_when_saving = True
            try:
                deserialized.save()
            except DatabaseError as error:
                raise FixtureError(name, f"{label}: {error}") from None
            finally:
                del instance.skip_history_when_saving
            saved.append((label, instance))
        # SQLite and PostgreSQL check foreign keys only at commit: check each file now, to name it.
        try:
            connection.check_constraints()
        except DatabaseError as error:
            raise FixtureError(name, str(error)) from None
        # Once the whole file is saved, so that rules looking at other rows see all of them.
        for label, instance in saved:
            try:
                instance.full_clean()
            except ValidationError as error:
                raise FixtureError(name, f"{label}: {_validation_message(error)}") from None
        loaded.extend(instance for _label, instance in saved)

    _reset_sequences({type(instance) for instance in loaded})
    record_initial_history(loaded)
    return LoadResult(
        fixtures=[display_name(path) for path in files],
        objects=len(loaded),
        seconds=time.perf_counter() - started,
    )


def record_initial_history(instances):
    """A first history entry for each instance that has none; returns how many were written."""
    by_model = defaultdict(dict)
    for instance in instances:
        by_model[type(instance)][instance.pk] = instance
    written = 0
    for model, objects in by_model.items():
        history = getattr(model, "history", None)
        if history is None:
            continue
        pk_name = model._meta.pk.attname
        recorded = set(
            history.filter(**{f"{pk_name}__in": list(objects)}).values_list(pk_name, flat=True).distinct()
        )
        missing = [obj for pk, obj in objects.items() if pk not in recorded]
        entries = history.bulk_history_create(missing, default_change_reason=INITIAL_HISTORY_REASON)
        record_links(entries or [])  # bulk-created entries hold no many-to-many links of their own
        written += len(missing)
    return written


def _relation_fields(model):
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def fixture_files(directory):
    directory = Path(directory)
    if not directory.is_dir():
        raise FixtureError(display_name(directory), "no such folder.")
    files = sorted(
        path for path in directory.iterdir() if path.suffix in FIXTURE_SUFFIXES and path.name != MANIFEST_NAME
    )
    if not files:
        raise FixtureError(
            display_name(directory), "no fixture files (*.yaml, *.yml, *.json) in this folder."
        )
    return files


def _file_facts(path):
    return {
        "objects": len(_read_fixture(path, display_name(path))),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def write_manifest(directory=None):
    """Write ``MANIFEST.json`` for the fixture files in ``directory``: each one's object count and sha256.

    Run it after changing the fixtures on purpose (``python manage.py load_demo --write-manifest``).
    Every file is read as ``load_demo`` reads it, so a broken file raises FixtureError and writes nothing.
    Returns the manifest's path.
    """
    directory = Path(directory or default_demo_fixtures())
    files = fixture_files(directory)
    manifest = {
        "about": f"The demo fixture set, checked by load_demo. Regenerate with: {REGENERATE_MANIFEST}",
        "files": {path.name: _file_facts(path) for path in files},
    }
    target = directory / MANIFEST_NAME
    target.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target


def check_manifest(directory, files, *, required):
    """Refuse a fixture set that differs from its ``MANIFEST.json``: a file missing, added, changed or cut."""
    path = Path(directory) / MANIFEST_NAME
    name = display_name(path)
    if not path.exists():
        if required:
            raise FixtureError(
                name, f"missing: the fixture set cannot be checked. Run {REGENERATE_MANIFEST}."
            )
        return
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))["files"]
        expected = {
            str(file): (int(facts["objects"]), str(facts["sha256"])) for file, facts in listed.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        raise FixtureError(name, f"not a manifest of fixture files. Run {REGENERATE_MANIFEST}.") from None
    present = {file.name: file for file in files}
    missing = sorted(set(expected) - set(present))
    if missing:
        raise FixtureError(
            name, f"lists {', '.join(missing)}, not in the folder: the fixture set is incomplete."
        )
    unlisted = sorted(set(present) - set(expected))
    if unlisted:
        raise FixtureError(
            name,
            f"does not list {', '.join(unlisted)}. If it belongs to the set, run {REGENERATE_MANIFEST}.",
        )
    for file_name, file in present.items():
        objects, digest = expected[file_name]
        if hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            found = len(_read_fixture(file, display_name(file)))
            raise FixtureError(
                display_name(file),
                f"differs from {MANIFEST_NAME} ({found} objects, {objects} expected; the checksum differs): "
                f"the file is changed or cut short. If the change is intended, run {REGENERATE_MANIFEST}.",
            )


def display_name(path):
    """The path as a newcomer would type it: relative to the project when it lies inside it."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def _read_fixture(path, name):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FixtureError(name, "the file is not UTF-8 text.") from None
    if FIXTURE_SUFFIXES[path.suffix] == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise FixtureError(
                name, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}."
            ) from None
    else:
        try:
            _refuse_alias_bombs(text, name)
            data = yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or error.context
            raise FixtureError(
                name, f"invalid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}."
            ) from None
        except yaml.YAMLError as error:
            raise FixtureError(name, f"invalid YAML: {error}") from None
        except ValueError as error:  # a value YAML recognises but cannot build, e.g. the date 2005-13-45
            raise FixtureError(name, f"invalid YAML value: {error}.") from None
    if not isinstance(data, list) or not data:
        raise FixtureError(name, "expected a list of objects, each with 'model' and 'fields'.")
    return data


def _refuse_alias_bombs(text, name):
    """Read the YAML events (nothing is expanded) and refuse too many aliases or nested ones."""
    aliases = 0
    open_blocks = []  # for each open sequence or mapping: was it anchored?
    anchored_open = 0
    for event in yaml.parse(text, Loader=YAML_LOADER):
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            open_blocks.append(event.anchor is not None)
            anchored_open += event.anchor is not None
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            anchored_open -= open_blocks.pop()
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            line = event.start_mark.line + 1
            if anchored_open:
                raise FixtureError(
                    name, f"YAML alias *{event.anchor} at line {line} inside an anchored block: refused."
                )
            if aliases > MAX_YAML_ALIASES:
                raise FixtureError(name, f"more than {MAX_YAML_ALIASES} YAML aliases (line {line}): refused.")


def _describe(item, index):
    """How an error names the object: by model and pk, or by its natural key, or by position."""
    if not isinstance(item, dict):
        return f"object {index}"
    model = item.get("model", "?")
    if "pk" in item:
        return f"{model} pk={item['pk']}"
    fields = item.get("fields")
    if isinstance(fields, dict):
        for key in ("slug", "code"):
            if key in fields:
                return f"{model} {key}={fields[key]}"
    return f"{model} (object {index})"


def _deserialize(item, name, label):
    model = _check_shape(item, name, label)
    try:
        (deserialized,) = serializers.deserialize("python", [item], handle_forward_references=False)
    except Exception as error:  # every deserializer failure becomes one readable line
        problem = _diagnose_reference(model, item["fields"]) or error
        raise FixtureError(name, f"{label}: {problem}") from None
    return deserialized


def _check_shape(item, name, label):
    if not isinstance(item, dict) or not isinstance(item.get("fields"), dict) or "model" not in item:
        raise FixtureError(name, f"{label}: expected a mapping with 'model' and 'fields'.")
    try:
        model = apps.get_model(str(item["model"]))
    except (LookupError, ValueError):
        raise FixtureError(name, f"{label}: unknown model '{item['model']}'.") from None
    if model._meta.app_label not in LOADABLE_APPS:
        raise FixtureError(
            name,
            f"{label}: the model '{item['model']}' is not one of the project's own "
            f"({', '.join(app + '.*' for app in LOADABLE_APPS)}); load_demo loads nothing else.",
        )
    writable = {f.name for f in model._meta.concrete_fields} | {f.name for f in model._meta.many_to_many}
    for field_name in item["fields"]:
        if field_name not in writable:
            raise FixtureError(name, f"{label}: unknown field '{field_name}' on {item['model']}.")
    return model


def _diagnose_reference(model, fields):
    """Which field holds the reference that could not be resolved, in words."""
    for field_name, value in fields.items():
        field = model._meta.get_field(field_name)
        if field.is_relation:
            target = field.related_model
            keys = value if field.many_to_many and isinstance(value, list) else [value]
            for key in keys:
                if key is None:
                    continue
                try:
                    if isinstance(key, list | tuple):
                        target._default_manager.get_by_natural_key(*key)
                    else:
                        target._default_manager.get(pk=key)
                except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
                    shown = json.dumps(key, ensure_ascii=False, default=str)
                    return f"{field_name}: no {target._meta.verbose_name} with key {shown}."
        else:
            try:
                field.to_python(value)
            except ValidationError as error:
                return f"{field_name}: {' '.join(error.messages)}"
    return None


def _validation_message(error):
    if hasattr(error, "error_dict"):
        parts = []
        errors = error.message_dict
        for field_name, messages in errors.items():
            base, _sep, language = field_name.rpartition("_")
            if language in settings.MODELTRANSLATION_LANGUAGES and errors.get(base) == messages:
                continue  # name_en repeats what name says (the English column mirrors it)
            text = " ".join(messages)
            parts.append(text if field_name == NON_FIELD_ERRORS else f"{field_name}: {text}")
        return "; ".join(parts)
    return " ".join(error.messages)


def _one_line(text):
    return " ".join(str(text).split())


def _reset_sequences(models):
    """After explicit primary keys, PostgreSQL's sequences must move past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class MissingEditorGroups(Exception):
    """The editor groups are missing: the database is not migrated (``python manage.py migrate``)."""


@transaction.atomic
def create_demo_users():
    """Two staff accounts for trying the admin; new passwords on every call. For DEBUG only.

    The accounts join the editor groups that ``migrate`` made (with their permissions); they are
    never made here.
    """
    groups = {group.name: group for group in Group.objects.filter(name__in=EDITOR_GROUPS)}
    missing = [name for name in EDITOR_GROUPS if name not in groups]
    if missing:
        raise MissingEditorGroups(
            f"The groups {', '.join(missing)} are missing: run `python manage.py migrate` first."
        )
    central_group = groups[CENTRAL_EDITORS_GROUP]
    process_group = groups[PROCESS_EDITORS_GROUP]
    central = _demo_user("demo-central", central_group)
    puebla_editor = _demo_user("demo-puebla", process_group)
    edited = Process.objects.get(slug=DEMO_PROCESS_EDITOR_OF)
    if not edited.editors.filter(pk=puebla_editor[0].pk).exists():  # add() writes a history entry anyway
        edited.editors.add(puebla_editor[0])
    return [
        DemoAccount(central[0].username, central[1], "central editor: may edit everything"),
        DemoAccount(puebla_editor[0].username, puebla_editor[1], "secretariat editor of the Puebla Process"),
    ]


def _demo_user(username, group):
    user, _ = get_user_model().objects.get_or_create(username=username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.is_staff = True
    user.is_active = True
    user.is_superuser = False
    user.full_clean()
    user.save()
    user.groups.set([group])
    return user, password
