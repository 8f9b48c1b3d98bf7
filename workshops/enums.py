"""Choices of the workshops app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopKind(models.TextChoices):
    INTER_PROCESS = "inter_process", _("Inter-process workshop")
    MINISTERIAL = "ministerial", _("Ministerial conference")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials' meeting")
    TECHNICAL = "technical", _("Technical workshop")


class LeadRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    FACILITATOR = "facilitator", _("Facilitator")
    PRESENTER = "presenter", _("Presenter")


class ParticipationRole(models.TextChoices):
    PRESIDING = "presiding", _("Presiding")
    COMMISSIONER = "commissioner", _("Commissioner")
    PRESENTER = "presenter", _("Presenter")
    ORGANISER = "organiser", _("Organiser")
    PARTICIPANT = "participant", _("Participant")
    REPRESENTED = "represented", _("Represented")


class FindingKind(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    CONSENSUS = "consensus", _("Consensus")
    DIVERGENCE = "divergence", _("Divergence")
    EXAMPLE = "example", _("Example")
    QUESTION = "question", _("Question")


class RecommendationKind(models.TextChoices):
    CONCLUSION = "conclusion", _("Conclusion")
    RECOMMENDATION = "recommendation", _("Recommendation")
    LESSON = "lesson", _("Lesson learned")


class FollowUpStatus(models.TextChoices):
    """Where a recommendation's follow-up stands. ``not_tracked`` (the default): no source records
    any follow-up, which is not the same as "open"."""

    NOT_TRACKED = "not_tracked", _("Not tracked")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    BACKGROUND_PAPER = "background", _("Background paper")
    PRESENTATION = "presentation", _("Presentation")
    MATRIX = "matrix", _("Matrix or overview")
    MANUAL = "manual", _("Manual")
    REFERENCE = "reference", _("Reference document")
