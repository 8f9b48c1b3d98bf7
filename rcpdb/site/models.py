"""Site-wide records: corrections suggested by visitors."""

from django.conf import settings
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

# simple-history's change reason column holds 100 characters.
CHANGE_REASON_LENGTH = 100


class CorrectionSection(models.TextChoices):
    """The sections of a process profile a correction may be about."""

    PROFILE = "profile", _("Profile")
    CLAIMS = "claims", _("What the sources say")
    MEMBERS = "members", _("Member states")
    OBSERVERS = "observers", _("Observer states")
    ORGANIZATIONS = "organizations", _("Organisations")
    CHAIRS = "chairs", _("Chairs")
    SECRETARIAT = "secretariat", _("Secretariat")
    FUNDING = "funding", _("Funding")
    EVALUATIONS = "evaluations", _("Evaluations")
    OUTPUTS = "outputs", _("Outputs")
    ACHIEVEMENTS = "achievements", _("Achievements")
    INSTITUTIONS = "institutions", _("Regional institutions")
    THEMES = "themes", _("Themes")
    MEETINGS = "meetings", _("Meetings")
    FINDINGS = "findings", _("Findings")


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Correction(models.Model):
    """A visitor's suggested correction of one section of a process profile, reviewed by the process's
    own editors (and central editors). The email, if any, is never shown publicly and is erased
    ``CORRECTION_EMAIL_RETENTION_DAYS`` after the suggestion (``manage.py erase_correction_emails``)."""

    process = models.ForeignKey(
        "processes.Process", verbose_name=_("process"), on_delete=models.CASCADE, related_name="corrections"
    )
    section = models.CharField(_("section"), max_length=20, choices=CorrectionSection.choices)
    wrong = models.TextField(_("what is wrong"), max_length=2000)
    should_say = models.TextField(_("what it should say"), max_length=2000)
    source = models.CharField(_("source (address or reference)"), max_length=500)
    email = models.EmailField(_("email for a reply"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    address_key = models.CharField(
        _("sender key"),
        max_length=64,
        editable=False,
        help_text=_("A keyed hash of the sender's network address, for rate limits (never the address)."),
    )
    created = models.DateTimeField(_("suggested on"), auto_now_add=True)
    decided = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email_erased = models.DateTimeField(_("email erased on"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("suggested correction")
        verbose_name_plural = _("suggested corrections")
        indexes = [
            models.Index(fields=["address_key", "created"], name="correction_rate_idx"),
            models.Index(fields=["status", "created"], name="correction_queue_idx"),
        ]

    def __str__(self):
        return _("Correction #%(number)s of %(process)s (%(section)s)") % {
            "number": self.pk,
            "process": self.process,
            "section": self.get_section_display(),
        }

    @property
    def change_reason(self):
        """The change reason of the history entries its acceptance writes: "Correction #12 accepted: "
        and what it should say, shortened to fit the history's column (in English, like the rest of
        the history's own text)."""
        prefix = f"Correction #{self.pk} accepted: "
        summary = " ".join(self.should_say.split())
        return prefix + Truncator(summary).chars(CHANGE_REASON_LENGTH - len(prefix))
