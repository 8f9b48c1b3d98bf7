"""Meetings and what was said there: sessions, people, numbered findings, recommendations.

This app builds on ``processes``; ``processes`` never imports from here.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from processes.models import (
    NaturalKeyManager,
    Organization,
    Process,
    Theme,
    end_not_before_start_constraint,
    validate_plausible_year,
    year_field,
    year_range_constraint,
)

from . import enums


class Person(models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("As written in the report, e.g. Dr. R.K. Jenny.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    objects = NaturalKeyManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Workshop(models.Model):
    # What the site search and the list's ``q`` filter look in, with weights (rcpdb/core/search.py);
    # PostgreSQL stores this vector in the ``search_document`` column (migration 0006_search_indexes).
    search_document_fields = [("title", "A"), ("summary", "B"), ("city", "C")]

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=enums.WorkshopKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    organizers = models.ManyToManyField(
        Organization, verbose_name=_("organisers"), blank=True, related_name="organized_workshops"
    )
    processes = models.ManyToManyField(
        Process,
        verbose_name=_("processes represented"),
        blank=True,
        related_name="workshops",
    )
    summary = models.TextField(_("summary"), blank=True)
    report_url = models.URLField(_("report link"), max_length=500, blank=True)

    objects = NaturalKeyManager()

    # history (with organizers, processes): registered in translation.py, after the translated fields

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            end_not_before_start_constraint(
                "start_date",
                "end_date",
                "workshop_ends_after_start",
                _("The meeting ends before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["-start_date"], name="workshop_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:workshop-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The meeting ends before it starts.")})
        if self.start_date:
            try:
                validate_plausible_year(self.start_date.year)
            except ValidationError as error:
                raise ValidationError({"start_date": error}) from None


class Session(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("order"), help_text=_("Position on the agenda: 1, 2, 3 ..."))
    title = models.CharField(_("title"), max_length=300)
    guiding_questions = models.TextField(
        _("guiding questions"), blank=True, help_text=_("One question per line.")
    )
    leads = models.ManyToManyField(
        Person, verbose_name=_("led by"), through="SessionLead", blank=True, related_name="sessions_led"
    )

    # history: registered in translation.py, after the translated fields (leads: each SessionLead row
    # keeps its own history)

    class Meta:
        ordering = ["workshop", "order"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "order"],
                name="session_order_unique_in_workshop",
                violation_error_message=_("Another session of this meeting already has this order number."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def get_absolute_url(self):
        return f"{self.workshop.get_absolute_url()}#session-{self.order}"

    @property
    def guiding_question_list(self):
        return [line.strip() for line in self.guiding_questions.splitlines() if line.strip()]


class SessionLead(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="session_leads"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="session_leads"
    )
    role = models.CharField(_("role"), max_length=20, choices=enums.LeadRole.choices)
    on_behalf_of = models.ForeignKey(
        Organization,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "role", "person"]
        verbose_name = _("session lead")
        verbose_name_plural = _("session leads")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "role"],
                name="session_lead_unique",
                violation_error_message=_("This person already has this role in this session."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class Participation(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("took part as"), max_length=20, choices=enums.ParticipationRole.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["workshop", "role", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False) | Q(process__isnull=False),
                name="participation_names_a_participant",
                violation_error_message=_("Name who took part: a person, an organisation or a process."),
                violation_error_code="participation_empty",
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.get_role_display()}"

    @property
    def participant(self):
        return self.person or self.organization or self.process

    # No clean() for "names a participant": full_clean() validates the CheckConstraint itself, with
    # its message, so a clean() repeating the rule would show the same message twice.


class Finding(models.Model):
    # What the site search and the list's ``q`` filter look in, with weights (rcpdb/core/search.py);
    # PostgreSQL stores this vector in the ``search_document`` column (migration 0006_search_indexes).
    search_document_fields = [("text", "B")]

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="findings"
    )
    number = models.PositiveSmallIntegerField(
        _("paragraph number"), help_text=_("The paragraph number in the report.")
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        null=True,
        blank=True,
        # RESTRICT, not PROTECT: a session with findings cannot be deleted on its own, but deleting the
        # whole meeting deletes its sessions and findings together.
        on_delete=models.RESTRICT,
        related_name="findings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=enums.FindingKind.choices)
    text = models.TextField(_("text"))
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="findings")
    processes = models.ManyToManyField(
        Process, verbose_name=_("processes concerned"), blank=True, related_name="findings"
    )

    history = HistoricalRecords(m2m_fields=["themes", "processes"])

    class Meta:
        ordering = ["workshop", "number"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "number"],
                name="finding_number_unique_in_workshop",
                violation_error_message=_("This meeting already has a finding with this paragraph number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="finding_number_positive",
                violation_error_message=_("Paragraph numbers start at 1."),
            ),
        ]
        indexes = [models.Index(fields=["kind"], name="finding_kind_idx")]

    def __str__(self):
        return _("Paragraph %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return f"{self.workshop.get_absolute_url()}#finding-{self.number}"

    def clean(self):
        # A cross-table rule the database cannot express portably: kept here and in the admin.
        if self.session_id and self.workshop_id and self.session.workshop_id != self.workshop_id:
            raise ValidationError(
                {"session": _("This session belongs to another meeting. Choose a session of this meeting.")}
            )


class Recommendation(models.Model):
    # What the site search and the list's ``q`` filter look in, with weights (rcpdb/core/search.py);
    # PostgreSQL stores this vector in the ``search_document`` column (migration 0006_search_indexes).
    search_document_fields = [("text", "B"), ("addressed_to", "C"), ("follow_up_note", "C")]

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="recommendations"
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order within the meeting's conclusions.")
    )
    paragraph = models.PositiveSmallIntegerField(
        _("paragraph"), null=True, blank=True, help_text=_("The report paragraph it comes from.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=enums.RecommendationKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number within its kind"),
        null=True,
        blank=True,
        help_text=_(
            "Its number among the meeting's rows of the same kind, as the report numbers them "
            "(Lesson learned 1, 2 ...). Left empty, the next free number of its kind is given."
        ),
    )
    text = models.TextField(_("text"))
    addressed_to = models.CharField(_("addressed to"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="recommendations"
    )
    status = models.CharField(
        _("follow-up status"),
        max_length=20,
        choices=enums.FollowUpStatus.choices,
        default=enums.FollowUpStatus.NOT_TRACKED,
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True)

    history = HistoricalRecords(m2m_fields=["themes"])

    class Meta:
        ordering = ["workshop", "position"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "position"],
                name="recommendation_position_unique",
                violation_error_message=_("Another recommendation of this meeting has this position."),
            ),
            models.UniqueConstraint(
                fields=["workshop", "kind", "number"],
                name="recommendation_number_unique_in_kind",
                violation_error_message=_("Another row of this kind of this meeting has this number."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="recommendation_status_idx")]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        # An empty number becomes the next free one of its kind in the meeting (admin and imports).
        if self.number is None and self.workshop_id and self.kind:
            highest = (
                Recommendation.objects.filter(workshop_id=self.workshop_id, kind=self.kind)
                .exclude(pk=self.pk)
                .aggregate(highest=models.Max("number"))["highest"]
            )
            self.number = (highest or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.workshop.get_absolute_url()}#recommendation-{self.position}"

    @property
    def label(self):
        """Its kind and its number within that kind, as the report numbers it: "Lesson learned 1".
        A row without a number (entered before numbering existed) falls back to its position."""
        number = self.number if self.number is not None else self.position
        return f"{self.get_kind_display()} {number}"

    @property
    def paragraph_url(self):
        """The anchor of the report paragraph it comes from on the meeting page, or None."""
        if self.paragraph is None:
            return None
        return f"{self.workshop.get_absolute_url()}#finding-{self.paragraph}"


class Document(models.Model):
    # What the site search and the list's ``q`` filter look in, with weights (rcpdb/core/search.py);
    # PostgreSQL stores this vector in the ``search_document`` column (migration 0006_search_indexes).
    search_document_fields = [("title", "A"), ("description", "B")]

    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.ForeignKey(
        Organization,
        verbose_name=_("author organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    year = year_field(_("year"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=enums.DocumentKind.choices)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [year_range_constraint("year", "document_year_plausible")]

    def __str__(self):
        return self.title
