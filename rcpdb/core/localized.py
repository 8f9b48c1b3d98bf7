"""Queries over translated fields (see ``translation.py``): search every language, sort in the visitor's.

django-modeltranslation turns ``name__icontains`` into the current language's column only, and sorts
untranslated records (an empty column) apart from the rest. Here:

- ``text_lookups(model, "name")`` gives ``name_en``, ``name_fr``, ``name_es``: a visitor reading French
  still finds a process by its English or Spanish name;
- ``localized(model, "short_name")`` is an expression that reads the visitor's language and falls back
  to English where the translation is empty, as the pages show it, so the order matches what is shown.
"""

import unicodedata

from django.conf import settings
from django.db.models import CharField, F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator


def _translated_fields(model):
    try:
        return translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return {}


def _split(model, path):
    """The model owning the last part of ``a__b__name``, the prefix ``a__b__`` and the field name."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    prefix = "".join(f"{relation}__" for relation in relations)
    return model, prefix, name


def _languages():
    return list(settings.MODELTRANSLATION_LANGUAGES)


def text_lookups(model, path):
    """Every column to search for ``path``: one per language when the field is translated."""
    owner, prefix, name = _split(model, path)
    if name not in _translated_fields(owner):
        return [path]
    return [f"{prefix}{name}_{language}" for language in _languages()]


def localized(model, path):
    """``path`` in the active language, English where that translation is empty (an expression)."""
    owner, prefix, name = _split(model, path)
    if name not in _translated_fields(owner):
        return F(path)
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = (get_language() or default).split("-")[0]
    if language not in _languages() or language == default:
        return F(f"{prefix}{name}_{default}")
    # The translation fields are modeltranslation's own classes: name the plain type of the result.
    output_field = TextField() if isinstance(owner._meta.get_field(name), TextField) else CharField()
    return Coalesce(
        NullIf(F(f"{prefix}{name}_{language}"), Value("")),
        F(f"{prefix}{name}_{default}"),
        output_field=output_field,
    )


def sort_key(text):
    """Sorts names as a reader expects in English, French and Spanish: accents and case are ignored
    first ("Éthiopie" between "Espagne" and "Finlande"), then decide ties."""
    text = str(text)
    base = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return base.casefold(), text


def shows_fallback(obj, field):
    """True when the page shows ``obj.<field>`` in English because the visitor's language has no
    translation (modeltranslation's fallback): the page then marks the text ``lang="en"``.

    Reads only loaded columns: a deferred translation column is never fetched (no query), and is then
    taken as not known to be missing.
    """
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = (get_language() or default).split("-")[0]
    if obj is None or language == default or language not in _languages():
        return False
    if field not in _translated_fields(type(obj)):
        return False
    own, english = f"{field}_{language}", f"{field}_{default}"
    deferred = obj.get_deferred_fields()
    if own in deferred or english in deferred:
        return False
    return getattr(obj, own, None) in (None, "") and getattr(obj, english, None) not in (None, "")


_choice_labels = {}


def choice_label(record, name):
    """The label of ``record``'s choice field ``name`` in the visitor's language, as
    ``get_<name>_display()`` gives it, from a table made once per field and language (Django's rebuilds
    and hashes every choice's lazy label on each call: ~50 µs, thirty times a search page)."""
    field = record._meta.get_field(name)
    key = (field, get_language())
    labels = _choice_labels.get(key)
    if labels is None:
        labels = _choice_labels[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(record, field.attname)
    return labels.get(value, value)
