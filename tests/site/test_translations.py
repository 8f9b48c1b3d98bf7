"""The French and Spanish interface catalogues are complete, checked and compiled.

A catalogue fails the check when it has an untranslated entry (an empty ``msgstr``), a ``fuzzy`` one
(a guess gettext made that nobody has checked), a translation that drops or adds a placeholder, a
compiled ``.mo`` that differs from its ``.po``, or when the code holds a string the catalogue lacks
(``makemessages`` run on a copy of the project; it needs GNU gettext, which CI installs).
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["fr", "es"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_0-9]*\}")


def parse_po(text):
    """The entries of a ``.po`` file: dicts with ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` (a list)
    and ``flags``. Enough of the format for what makemessages writes."""
    entries = []
    entry = None
    field = None

    def start():
        return {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set()}

    for line in text.splitlines():
        line = line.strip()
        if not line:
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = start()
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
        else:
            keyword, _space, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(value)
            else:
                field = keyword
                entry[field] = value
    if entry is not None and entry["msgid"] is not None:
        entries.append(entry)
    return entries


def catalogue(language):
    return parse_po((ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))


def messages(language):
    """The translated entries, the header (msgid "") left out."""
    return [entry for entry in catalogue(language) if entry["msgid"]]


def test_parse_po_reads_flags_contexts_plurals_and_continued_lines():
    text = (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "person"\nmsgid "posi"\n"tion"\nmsgstr "poste"\n\n'
        'msgid "%(n)s result"\nmsgid_plural "%(n)s results"\nmsgstr[0] "%(n)s résultat"\nmsgstr[1] ""\n'
    )

    entries = parse_po(text)

    assert [(e["msgctxt"], e["msgid"], e["msgid_plural"], e["msgstr"], e["flags"]) for e in entries] == [
        (None, "", None, ["Language: fr\n"], set()),
        ("person", "position", None, ["poste"], {"fuzzy", "python-format"}),
        (None, "%(n)s result", "%(n)s results", ["%(n)s résultat", ""], set()),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    entries = catalogue(language)

    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    untranslated = [entry["msgid"] for entry in entries[1:] if not all(entry["msgstr"])]

    assert len(entries) > 700
    assert fuzzy == []
    assert untranslated == []


def placeholders(text):
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    changed = []
    for entry in messages(language):
        if entry["msgid_plural"] is None:
            if placeholders(entry["msgstr"][0]) != placeholders(entry["msgid"]):
                changed.append(entry["msgid"])
            continue
        plural = placeholders(entry["msgid_plural"])
        singular, *others = entry["msgstr"]
        # The singular may say "the process you chose" instead of "1 process": a subset is enough.
        if not placeholders(singular) <= plural or any(placeholders(other) != plural for other in others):
            changed.append(entry["msgid"])

    assert changed == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    different = []
    for entry in messages(language):
        msgid = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            found = [compiled._catalog.get(msgid)]
        else:
            found = [compiled._catalog.get((msgid, n)) for n in range(len(entry["msgstr"]))]
        if found != entry["msgstr"]:
            different.append(entry["msgid"])

    assert different == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None and os.environ.get("CI") != "true",
    reason="GNU gettext is not installed here (CI installs it): apt-get install gettext",
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_in_the_catalogue(language, tmp_path):
    """``make messages`` on a copy of the project finds nothing new: the committed catalogue is complete."""
    for name in ["processes", "workshops", "rcpdb", "templates", "locale"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")

    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "rcpdb.settings", "DATABASE_URL": ""},
    )
    refreshed = parse_po((tmp_path / "locale" / language / "LC_MESSAGES" / "django.po").read_text("utf-8"))

    missing = [
        entry["msgid"] for entry in refreshed[1:] if not all(entry["msgstr"]) or "fuzzy" in entry["flags"]
    ]
    assert missing == []
