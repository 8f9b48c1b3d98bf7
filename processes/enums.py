"""Choices of the processes registry. Labels are shown to the public and to staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    INTERNATIONAL = "international", _("International organisation")
    UN_AGENCY = "un_agency", _("UN agency")
    REGIONAL_INSTITUTION = "regional", _("Regional economic, political or security institution")
    NGO = "ngo", _("Non-governmental organisation")
    PRIVATE_SECTOR = "private", _("Private sector")
    RESEARCH = "research", _("Research body")
    COMMISSION = "commission", _("Commission")
    GOVERNMENT_BODY = "government", _("Government body")


class ProcessKind(models.TextChoices):
    GEOGRAPHIC = "geographic", _("Geographic")
    THEMATIC = "thematic", _("Thematic")
    INTERREGIONAL = "interregional", _("Interregional forum")


class ProcessStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CONCLUDED = "concluded", _("Concluded")
    UNCLEAR = "unclear", _("Unclear")


class MeetingLevel(models.TextChoices):
    """Each level maps to a boolean field ``meets_<value>`` on Process."""

    MINISTERIAL = "ministerial", _("Ministerial")
    VICE_MINISTERIAL = "vice_ministerial", _("Vice-ministerial")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials")
    TECHNICAL = "technical", _("Technical / expert")


class ChairArrangement(models.TextChoices):
    ROTATING = "rotating", _("Rotating chair")
    ROTATING_WITH_HOST = "rotating_host", _("Rotates with the host country")
    PERMANENT_CO_CHAIRS = "permanent_co_chairs", _("Permanent co-chairs")
    FIXED_TERM = "fixed_term", _("Fixed-term chair")
    OTHER = "other", _("Other")


class Involvement(models.TextChoices):
    """How far civil society or the private sector takes part."""

    UNKNOWN = "unknown", _("Unknown")
    NONE = "none", _("None")
    FOLLOW_UP = "follow_up", _("Follow-up activities only")
    SELECTIVE = "selective", _("Selective, ad hoc")
    REGULAR = "regular", _("Regular")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class OrganizationRoleKind(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    PARTNER = "partner", _("Partner")
    SECRETARIAT_HOST = "secretariat_host", _("Secretariat host")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    FOUNDING_SUPPORTER = "founding_supporter", _("Founding supporter")


class SecretariatArrangement(models.TextChoices):
    FIXED = "fixed", _("Fixed secretariat")
    TECHNICAL_SUPPORT_UNIT = "tsu", _("Technical support unit")
    ROTATING_WITH_CHAIR = "rotating", _("Rotating with the chair")
    NONE = "none", _("No secretariat")


class FundingKind(models.TextChoices):
    VOLUNTARY_STATE = "voluntary_state", _("Voluntary state contribution")
    DONOR_GRANT = "donor_grant", _("Donor grant")
    IN_KIND = "in_kind", _("In kind (e.g. a venue)")
    TRIPARTITE = "tripartite", _("Tripartite")
    SECRETARIAT_SUPPORT = "secretariat_support", _("Secretariat support")


class EvaluationKind(models.TextChoices):
    INTERNAL_REVIEW = "internal", _("Internal review")
    FRIENDS_OF_THE_CHAIR = "friends_of_chair", _("Friends of the Chair")
    WORKING_GROUP = "working_group", _("Working group review")
    EXTERNAL = "external", _("External evaluation")


class EndorsedBy(models.TextChoices):
    NONE = "", _("Not endorsed")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials")
    MINISTERS = "ministers", _("Ministers")


class OutputKind(models.TextChoices):
    DECLARATION = "declaration", _("Declaration")
    RECOMMENDATIONS = "recommendations", _("Non-binding recommendations")
    PLAN_OF_ACTION = "plan_of_action", _("Plan of action")
    GUIDELINES = "guidelines", _("Guidelines")
    MODEL_LEGISLATION = "model_legislation", _("Model legislation")
    DATABASE = "database", _("Statistical database")
    TRAINING = "training", _("Training")
    GOOD_PRACTICES = "good_practices", _("Good-practice compilation")
    WEBSITE = "website", _("Website")


class AchievementKind(models.TextChoices):
    LEGISLATION = "legislation", _("New or amended national legislation")
    AGREEMENT = "agreement", _("Inter-state agreement")
    BILATERAL = "bilateral", _("Bilateral cooperation")
    CAMPAIGN = "campaign", _("Information campaign")
    TRAINING = "training", _("Training")
    RESOURCE_CENTRE = "resource_centre", _("Migrant resource centre")
    DATA_EXCHANGE = "data_exchange", _("Data exchange")
    DECLINE_IRREGULAR = "decline_irregular", _("Decline in irregular arrivals")
    OTHER = "other", _("Other")


class AchievementLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    BILATERAL = "bilateral", _("Bilateral")
    REGIONAL = "regional", _("Regional")


class Attribution(models.TextChoices):
    CLEAR = "clear", _("Clearly attributable")
    PARTLY = "partly", _("Partly attributable")
    UNCLEAR = "unclear", _("Hard to attribute")


class InstitutionLinkNature(models.TextChoices):
    CONTACT = "contact", _("Contacts")
    EXPLORING = "exploring", _("Contacts being explored")
    FORMAL = "formal", _("Formal cooperation")
    OBSERVER = "observer", _("Observer")
    REGIONAL_BASIS = "regional_basis", _("Linked regional institution")


class ClaimTopic(models.TextChoices):
    """Facts on which sources may disagree; each claim keeps its own source."""

    ESTABLISHED = "established", _("Year established")
    MEMBER_COUNT = "member_count", _("Number of member states")
    OBSERVER_COUNT = "observer_count", _("Number of observer states")
    MEMBER_ORGANIZATION_COUNT = "member_organization_count", _("Number of member organisations")
    OBSERVER_ORGANIZATION_COUNT = "observer_organization_count", _("Number of observer organisations")
    PARTICIPANTS = "participants", _("Participants")
    OTHER = "other", _("Other")


# The claim topics that state how many there are in a list (shown beside the recorded list).
STATED_COUNT_TOPICS = (
    ClaimTopic.MEMBER_COUNT,
    ClaimTopic.OBSERVER_COUNT,
    ClaimTopic.MEMBER_ORGANIZATION_COUNT,
    ClaimTopic.OBSERVER_ORGANIZATION_COUNT,
)


class ListSection(models.TextChoices):
    """The lists of a process profile whose completeness is recorded (``ListCompleteness``)."""

    MEMBERS = "members", _("Member states")
    OBSERVERS = "observers", _("Observer states")
    ORGANIZATIONS = "organizations", _("Organisations")
    CHAIRS = "chairs", _("Chairs")
    FUNDING = "funding", _("Funding")
    EVALUATIONS = "evaluations", _("Evaluations")
    OUTPUTS = "outputs", _("Outputs")
    ACHIEVEMENTS = "achievements", _("Achievements")


class Completeness(models.TextChoices):
    """How complete a recorded list is. No row means "not recorded" (or "partial" once rows exist)."""

    COMPLETE = "complete", _("Complete")
    PARTIAL = "partial", _("Partial")
    NOT_RECORDED = "not_recorded", _("Not recorded")
