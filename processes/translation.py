"""Content in English, French and Spanish (django-modeltranslation).

Each field named here gets one column per language (``name_en``, ``name_fr``, ``name_es``); reading
``process.name`` gives the visitor's language and falls back to English where a translation is missing
(``MODELTRANSLATION_FALLBACK_LANGUAGES``). The admin edits the three side by side.

The history of these models is registered here rather than with ``history = HistoricalRecords()`` on the
model, as django-simple-history documents for translated models: registered after the translation fields
exist, the historical tables get a column per language too, so a change to a French name is recorded and
reverted like any other.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Organization, Process, Region, Theme


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name", "description")
    empty_values = None  # an empty translation is stored as NULL: "not translated"


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "description")
    empty_values = None  # an empty translation is stored as NULL: "not translated"


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")
    empty_values = None  # an empty translation is stored as NULL: "not translated"


@register(Process)
class ProcessTranslation(TranslationOptions):
    fields = ("name", "short_name", "description", "objectives")
    empty_values = None  # an empty translation is stored as NULL: "not translated"


HISTORY_M2M = {
    Region: [],
    Organization: [],
    Theme: [],
    Process: ["regions", "themes", "sources", "editors"],
}
for _model, _m2m_fields in HISTORY_M2M.items():
    register_history(_model, m2m_fields=_m2m_fields)
