"""Every ISO 3166-1 state in its UN M49 region, and the text a state is found by.

The data is committed (processes/data/, written by scripts/build_m49_data.py): ``m49.csv`` places each
ISO 3166-1 entry in its M49 region, sub-region and intermediate region; ``m49_regions.csv`` names the
regions in English, French and Spanish; ``state_aliases.csv`` lists common alternative names. The
migration ``0008_states_data`` calls :func:`ensure_states` with its historical models, so production
databases get the same states and regions as a fresh one.

A state is found by its ``search_text``: its names in English, French and Spanish (django-countries:
the name shown, the ISO name and former names), its aliases and its code, each :func:`fold`-ed
(lower case, no accents), one per line. A query folded the same way is looked up in it with a plain
``contains``, so "cote d'ivoire", "COTE D’IVOIRE" and "Côte d'Ivoire" find the same state on SQLite
and PostgreSQL alike.

This module imports no model: the migration passes its own.
"""

import csv
import re
import unicodedata
from pathlib import Path

from django.utils import translation
from django.utils.text import slugify
from django_countries import countries
from django_countries.data import COUNTRIES

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr", "es")
ALIAS_SEPARATOR = re.compile(r"[;\n]")
# Apostrophes and dashes that people type in different ways.
_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "-": " ", "‐": " ", "–": " ", "—": " "})


def fold(text):
    """``text`` in lower case, without accents, with one kind of apostrophe and spaces for dashes:
    "Côte d’Ivoire" → "cote d'ivoire", "Timor-Leste" → "timor leste"."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.translate(_PUNCTUATION).casefold().split())


def parse_aliases(text):
    """The names in an aliases text: one per line or separated by ";", blanks dropped."""
    return [name.strip() for name in ALIAS_SEPARATOR.split(text or "") if name.strip()]


def join_aliases(names):
    return "\n".join(names)


def country_names(code):
    """Every name django-countries has for ``code``, in English, French and Spanish."""
    names = []
    for language in LANGUAGES:
        with translation.override(language):
            names.append(str(countries.name(code)))
            if code in COUNTRIES:
                names.append(str(COUNTRIES[code]))
            names.extend(str(name) for name in countries.OLD_NAMES.get(code, []))
    return names


def search_text(code, aliases=""):
    """The folded names, aliases and code of a state, each once, one per line."""
    seen = []
    for name in [*country_names(code), *parse_aliases(aliases), code]:
        folded = fold(name)
        if folded and folded not in seen:
            seen.append(folded)
    return "\n".join(seen)


def _read(name):
    with (DATA / name).open(encoding="utf-8") as data:
        return list(csv.DictReader(line for line in data if not line.startswith("#")))


def m49_regions():
    """``[{m49_code, parent_code, slug, name_en, name_fr, name_es}]``, wider regions first."""
    return [{**row, "slug": slugify(row["name_en"])} for row in _read("m49_regions.csv")]


def m49_placement():
    """``{alpha2: m49 code of its most specific region, or ""}`` for every ISO 3166-1 entry."""
    return {
        row["alpha2"]: row["intermediate_code"] or row["subregion_code"] or row["region_code"]
        for row in _read("m49.csv")
    }


def builtin_aliases():
    """``{alpha2: [alias, ...]}`` from state_aliases.csv."""
    return {row["alpha2"]: parse_aliases(row["aliases"]) for row in _read("state_aliases.csv")}


def ensure_regions(Region):
    """The M49 regions, created or found (by M49 code, else by slug) and put under their parent.

    A region found keeps the names it has; only missing translations are filled in.
    Returns ``{m49_code: region}``.
    """
    by_code = {}
    for row in m49_regions():
        region = (
            Region.objects.filter(m49_code=row["m49_code"]).first()
            or Region.objects.filter(slug=row["slug"]).first()
            or Region(slug=row["slug"])
        )
        region.m49_code = row["m49_code"]
        region.parent = by_code.get(row["parent_code"])
        for language in LANGUAGES:
            field = f"name_{language}"
            if not getattr(region, field, None):
                setattr(region, field, row[field])
        region.name = region.name_en
        region.save()
        by_code[row["m49_code"]] = region
    return by_code


def ensure_states(State, Region):
    """Every ISO 3166-1 entry as a State in its M49 region, with its aliases and search text.

    States already there keep their id (and so their memberships); each is put in its M49 region,
    the built-in aliases are added to its own, and its search text is rebuilt. Returns
    ``(created, updated)`` counts.
    """
    regions = ensure_regions(Region)
    placement = m49_placement()
    aliases = builtin_aliases()
    existing = {str(state.code): state for state in State.objects.all()}
    created = updated = 0
    for code, region_code in placement.items():
        state = existing.get(code)
        if state is None:
            state = State(code=code)
            created += 1
        else:
            updated += 1
        state.region = regions.get(region_code)
        own = parse_aliases(state.aliases)
        state.aliases = join_aliases(own + [name for name in aliases.get(code, []) if name not in own])
        state.search_text = search_text(code, state.aliases)
        state.save()
    return created, updated
