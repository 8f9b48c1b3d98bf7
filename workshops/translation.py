"""Meeting and session headings in English, French and Spanish (see ``processes/translation.py``)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Session, Workshop


@register(Workshop)
class WorkshopTranslation(TranslationOptions):
    fields = ("title",)
    empty_values = None  # an empty translation is stored as NULL: "not translated"


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title",)
    empty_values = None  # an empty translation is stored as NULL: "not translated"


register_history(Workshop, m2m_fields=["organizers", "processes"])
# A session's leads are SessionLead rows, each with its own history.
register_history(Session)
