"""The registry: who the Regional Consultative Processes are and how each is organised.

Integrity rules live in named database constraints; ``clean()`` mirrors them with messages a
secretariat editor can act on (the admin runs ``full_clean()`` before anything is saved).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from rcpdb.core.formatting import format_period, join_names

from . import enums
from .querysets import MembershipQuerySet, ProcessQuerySet, RegionQuerySet, StateQuerySet
from .state_reference import search_text as state_search_text

FIRST_YEAR = 1945
# The database can only hold a fixed bound; clean() applies the moving one (next year).
LAST_YEAR_IN_DATABASE = 2100


def last_plausible_year():
    return datetime.date.today().year + 1


def validate_plausible_year(value):
    if value is None:
        return
    if not FIRST_YEAR <= value <= last_plausible_year():
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s."),
            code="implausible_year",
            params={"first": FIRST_YEAR, "last": last_plausible_year()},
        )


def year_field(verbose_name, **kwargs):
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.PositiveSmallIntegerField(verbose_name, validators=[validate_plausible_year], **kwargs)


def year_range_constraint(field, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR_IN_DATABASE}),
        name=name,
        violation_error_message=_("Enter a year between %(first)s and %(last)s.")
        % {"first": FIRST_YEAR, "last": LAST_YEAR_IN_DATABASE},
    )


def end_not_before_start_constraint(start, end, name, message):
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=message,
    )


class NaturalKeyManager(models.Manager):
    """Lets fixtures refer to reference data by slug (or code) instead of by id."""

    natural_key_field = "slug"

    def get_by_natural_key(self, key):
        return self.get(**{self.natural_key_field: key})


class Region(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The wider region this one belongs to, e.g. Africa for Southern Africa."),
    )
    description = models.TextField(_("description"), blank=True)
    m49_code = models.CharField(
        _("UN M49 code"),
        max_length=3,
        blank=True,
        db_index=True,
        help_text=_(
            "The region's code in the UN M49 standard (e.g. 015 for Northern Africa); empty for "
            "groupings that are not M49 regions."
        ),
    )

    objects = NaturalKeyManager.from_queryset(RegionQuerySet)()

    # history: registered in translation.py, after the translated fields (see there)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A region cannot lie inside itself or one of its sub-regions.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class StateManager(NaturalKeyManager.from_queryset(StateQuerySet)):
    natural_key_field = "code"


class State(models.Model):
    code = CountryField(_("country"), unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="states",
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other names people use for this country, one per line (e.g. Ivory Coast, Cape Verde). "
            "Search finds the state by these and by its names in every language."
        ),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        editable=False,
        help_text=_("The names and other names in lower case without accents, one per line."),
    )

    objects = StateManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self):
        return str(self.code.name)

    def save(self, *args, **kwargs):
        """Saves the state with its search text rebuilt from its names and aliases."""
        self.search_text = state_search_text(str(self.code), self.aliases)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "aliases" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("processes:state-detail", kwargs={"code": str(self.code)})

    def natural_key(self):
        return (str(self.code),)

    @property
    def name(self):
        return self.code.name


class Source(models.Model):
    slug = models.SlugField(
        _("key"),
        max_length=120,
        unique=True,
        help_text=_("A short unique key, e.g. iom-matrix-2015."),
    )
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published = models.DateField(_("published on"), null=True, blank=True)
    accessed = models.DateField(_("accessed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Sources are shared by every process. One a process editor adds stays theirs to change (and
    # delete) until a central editor saves it: then it is central again (processes/admin.py).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="sources_owned",
        help_text=_(
            "The process editor who added this source and may still change it. Empty: central editors only."
        ),
    )

    objects = NaturalKeyManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class Organization(models.Model):
    # What the site search and the list's ``q`` filter look in, with weights (rcpdb/core/search.py);
    # PostgreSQL stores this vector in the ``search_document`` column (migration 0006_search_indexes).
    search_document_fields = [("name", "A"), ("acronym", "A"), ("description", "B")]

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=enums.OrganizationKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
        help_text=_("For regional institutions: the region they cover."),
    )
    country = models.ForeignKey(
        State,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text=_("For a national body (a ministry, an agency): the state it belongs to."),
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = NaturalKeyManager()

    # history: registered in translation.py, after the translated fields (see there)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        """The name with its acronym, unless the name already is or contains it ("APC", "… (IOM)")."""
        if not self.acronym or self.acronym == self.name or f"({self.acronym})" in self.name:
            return self.name
        return f"{self.name} ({self.acronym})"

    def get_absolute_url(self):
        return reverse("processes:organization-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Theme(models.Model):
    # What the site search and the list's ``q`` filter look in, with weights (rcpdb/core/search.py);
    # PostgreSQL stores this vector in the ``search_document`` column (migration 0006_search_indexes).
    search_document_fields = [("name", "A"), ("description", "B")]

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = NaturalKeyManager()

    # history: registered in translation.py, after the translated fields (see there)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("processes:theme-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Sourced(models.Model):
    """A fact that says where it comes from and when it was last checked."""

    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        help_text=_("Where this fact was seen. Shown publicly next to it."),
    )
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("When this fact was last verified."),
    )

    class Meta:
        abstract = True


class Process(Sourced):
    # What the site search and the list's ``q`` filter look in, with weights (rcpdb/core/search.py);
    # PostgreSQL stores this vector in the ``search_document`` column (migration 0006_search_indexes).
    search_document_fields = [
        ("short_name", "A"),
        ("name", "A"),
        ("acronym", "A"),
        ("description", "B"),
        ("objectives", "B"),
        ("established_note", "C"),
        ("working_methods", "C"),
        ("meeting_structure", "C"),
    ]

    name = models.CharField(
        _("official name"),
        max_length=300,
        help_text=_("The full official name, e.g. Regional Conference on Migration."),
    )
    short_name = models.CharField(
        _("short name"), max_length=120, help_text=_("The common name, e.g. Puebla Process.")
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=enums.ProcessKind.choices)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="processes")
    established_year = year_field(
        _("year established"),
        help_text=_("If sources disagree, enter the best-supported year and add each claim below."),
    )
    established_note = models.TextField(
        _("how it was established"), blank=True, help_text=_("What triggered it, first meeting.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=enums.ProcessStatus.choices,
        default=enums.ProcessStatus.ACTIVE,
    )
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    working_methods = models.TextField(_("working methods"), blank=True)
    meets_ministerial = models.BooleanField(_("ministerial meetings"), default=False)
    meets_vice_ministerial = models.BooleanField(_("vice-ministerial meetings"), default=False)
    meets_senior_officials = models.BooleanField(_("senior officials' meetings"), default=False)
    meets_technical = models.BooleanField(_("technical or expert meetings"), default=False)
    meeting_structure = models.TextField(
        _("meeting structure"),
        blank=True,
        help_text=_("Named bodies and meetings, e.g. working groups, ad hoc groups."),
    )
    chair_arrangement = models.CharField(
        _("chair arrangement"), max_length=30, choices=enums.ChairArrangement.choices, blank=True
    )
    chair_note = models.TextField(_("about the chair"), blank=True)
    informal_nonbinding = models.BooleanField(
        _("informal and non-binding"),
        default=True,
        help_text=_("Untick only if the process takes binding decisions."),
    )
    civil_society_involvement = models.CharField(
        _("civil-society involvement"),
        max_length=20,
        choices=enums.Involvement.choices,
        default=enums.Involvement.UNKNOWN,
    )
    private_sector_involvement = models.CharField(
        _("private-sector involvement"),
        max_length=20,
        choices=enums.Involvement.choices,
        default=enums.Involvement.UNKNOWN,
    )
    involvement_note = models.TextField(_("about civil-society and private-sector involvement"), blank=True)
    self_financing = models.BooleanField(
        _("predictable self-financing mechanism"),
        null=True,
        blank=True,
        help_text=_("Leave unknown if no source says."),
    )
    funding_note = models.TextField(_("about funding"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="processes")
    website = models.URLField(_("website"), max_length=300, blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretariat editors"),
        blank=True,
        related_name="edited_processes",
        help_text=_("Staff who may edit this process's records (central editors may edit all)."),
    )

    objects = NaturalKeyManager.from_queryset(ProcessQuerySet)()

    # history (with regions, themes, sources, editors): registered in translation.py, after the
    # translated fields (see there)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            year_range_constraint("established_year", "process_established_year_plausible"),
        ]
        indexes = [
            models.Index(fields=["status"], name="process_status_idx"),
            models.Index(fields=["established_year"], name="process_established_idx"),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("processes:process-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def meeting_levels(self):
        return [level for level in enums.MeetingLevel if getattr(self, f"meets_{level.value}")]


class ProcessClaim(models.Model):
    """One source's claim on a fact that sources disagree about; all claims are kept and shown."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="claims"
    )
    topic = models.CharField(_("topic"), max_length=30, choices=enums.ClaimTopic.choices)
    value = models.CharField(_("claim"), max_length=300, help_text=_("What the source says, e.g. 1991."))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="claims"
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "topic", "value"]
        verbose_name = _("sourced claim")
        verbose_name_plural = _("sourced claims")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "topic", "source"],
                name="claim_one_per_source_and_topic",
                violation_error_message=_("This source already has a claim on this topic."),
            ),
        ]

    def __str__(self):
        return f"{self.get_topic_display()}: {self.value}"


class ListCompleteness(Sourced):
    """How complete one list of a process profile is (its members, observers, organisations...).

    ``complete`` (as of a date, per a source), ``partial`` or ``not_recorded``. A section without a row is
    "not recorded" while it has no rows and "partial" once it has some (``selectors.completeness_of``).
    """

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="completeness"
    )
    section = models.CharField(_("list"), max_length=20, choices=enums.ListSection.choices)
    status = models.CharField(_("completeness"), max_length=20, choices=enums.Completeness.choices)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["process", "section"]
        verbose_name = _("list completeness")
        verbose_name_plural = _("list completeness")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "section"],
                name="list_completeness_one_per_section",
                violation_error_message=_("This list already has a completeness entry."),
            ),
        ]

    def __str__(self):
        return f"{self.process} – {self.get_section_display()}: {self.get_status_display()}"


class Membership(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="memberships"
    )
    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=enums.MembershipRole.choices)
    since = year_field(_("from (year)"))
    until = year_field(_("to (year)"), help_text=_("Leave empty while the state still takes part."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["process", "role", "state"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            end_not_before_start_constraint(
                "since",
                "until",
                "membership_ends_after_start",
                _("The membership ends before it starts."),
            ),
            models.UniqueConstraint(
                fields=["process", "state"],
                condition=Q(until__isnull=True),
                name="membership_one_current_role_per_state",
                violation_error_message=_(
                    "This state already has a current role in this process. "
                    "End that membership first (fill in its 'to' year)."
                ),
            ),
            year_range_constraint("since", "membership_since_plausible"),
            year_range_constraint("until", "membership_until_plausible"),
        ]
        indexes = [models.Index(fields=["state", "role"], name="membership_state_role_idx")]

    def __str__(self):
        return f"{self.state} – {self.get_role_display()} of {self.process}"

    def clean(self):
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("The membership ends before it starts.")})
        # An admin inline checks all of a process's rows together, as submitted (processes/forms.py).
        if self.process_id and self.state_id and not getattr(self, "checked_with_siblings", False):
            others = Membership.objects.filter(process_id=self.process_id, state_id=self.state_id)
            if self.pk:
                others = others.exclude(pk=self.pk)
            for other in others:
                if self.overlaps(other):
                    # Keyed on the state, so the one-current-role constraint does not repeat it.
                    raise ValidationError({"state": self.overlap_error(other)})

    def overlaps(self, other):
        return self.state_id == other.state_id and periods_overlap(
            self.since, self.until, other.since, other.until, inclusive=True
        )

    def overlap_error(self, other):
        return ValidationError(
            _(
                "%(state)s already holds a role in this process (%(role)s, %(period)s). "
                "A state holds one role in a process at a time: end the other "
                "membership first."
            ),
            code="membership_overlap",
            params={
                "state": other.state,
                "role": other.get_role_display(),
                "period": format_period(other.since, other.until),
            },
        )


def periods_overlap(start_a, end_a, start_b, end_b, *, inclusive):
    """Whether two year ranges overlap; an empty start means 'always', an empty end 'still'.

    With ``inclusive=False`` a range may begin in the year the other ends (a chair hand-over).
    """
    low, high = -(10**6), 10**6
    start_a, start_b = start_a or low, start_b or low
    end_a, end_b = end_a or high, end_b or high
    if start_a == start_b:
        return True
    if inclusive:
        return start_a <= end_b and start_b <= end_a
    return start_a < end_b and start_b < end_a


SECRETARIAT_HOST_DERIVED = _(
    "A current secretariat host is named on the process's secretariat, among its host organisations; "
    "this role then follows from it."
)


class OrganizationRole(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="organization_roles"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="process_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=enums.OrganizationRoleKind.choices)
    since = year_field(_("from (year)"))
    until = year_field(_("to (year)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["process", "role", "organization"]
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            end_not_before_start_constraint(
                "since",
                "until",
                "organization_role_ends_after_start",
                _("The role ends before it starts."),
            ),
            models.UniqueConstraint(
                fields=["process", "organization", "role"],
                condition=Q(until__isnull=True),
                name="organization_role_unique_current",
                violation_error_message=_("This organisation already has this role in this process."),
            ),
            year_range_constraint("since", "organization_role_since_plausible"),
            year_range_constraint("until", "organization_role_until_plausible"),
        ]

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()} of {self.process}"

    derived = False  # set by sync_secretariat_host_roles on the roles it adds

    def clean(self):
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("The role ends before it starts.")})
        # A current "secretariat host" role follows from the secretariat's host organisations: only
        # processes/services.py, sync_secretariat_host_roles, adds one (``derived``), and one the
        # secretariat does not name is refused.
        if (
            self.role == enums.OrganizationRoleKind.SECRETARIAT_HOST
            and self.until is None
            and self.process_id
            and self.organization_id
            and (
                (self._state.adding and not self.derived)
                or not Secretariat.objects.filter(
                    process_id=self.process_id, hosts=self.organization_id
                ).exists()
            )
        ):
            raise ValidationError({"role": SECRETARIAT_HOST_DERIVED})


class Secretariat(Sourced):
    process = models.OneToOneField(
        Process,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="secretariat",
        error_messages={"unique": _("This process already has a secretariat; edit that one instead.")},
    )
    arrangement = models.CharField(
        _("arrangement"), max_length=20, choices=enums.SecretariatArrangement.choices
    )
    # Several for a joint secretariat (IOM and UNHCR). The organisation roles "secretariat host" of the
    # process are derived from these (processes/services.py, sync_secretariat_host_roles), never entered.
    hosts = models.ManyToManyField(
        Organization,
        verbose_name=_("host organisations"),
        blank=True,
        related_name="hosted_secretariats",
        help_text=_("One or several (a joint secretariat). Their “secretariat host” roles follow from this."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    since = year_field(_("since (year)"))
    staff = models.PositiveSmallIntegerField(_("staff"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=["sources", "hosts"])

    class Meta:
        ordering = ["process"]
        verbose_name = _("secretariat")
        verbose_name_plural = _("secretariats")
        constraints = [
            year_range_constraint("since", "secretariat_since_plausible"),
            models.CheckConstraint(
                condition=Q(staff__isnull=True) | Q(staff__gte=0),
                name="secretariat_staff_not_negative",
                violation_error_message=_("The number of staff cannot be negative."),
            ),
        ]

    def __str__(self):
        return _("Secretariat of %(process)s") % {"process": self.process}

    def host_list(self):
        """The host organisations by name (prefetched ``hosts`` when there are)."""
        return sorted(self.hosts.all(), key=lambda organization: str(organization.name).casefold())

    def hosts_display(self):
        """ "IOM", "IOM and UNHCR", "ICMPD, IOM and UNHCR": the hosts by acronym (else name)."""
        return join_names(
            [organization.acronym or str(organization.name) for organization in self.host_list()]
        )


class ChairTerm(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="chair_terms"
    )
    state = models.ForeignKey(
        State, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="chair_terms"
    )
    co_chair = models.ForeignKey(
        State,
        verbose_name=_("co-chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_chair_terms",
    )
    start_year = year_field(_("from (year)"), null=False, blank=False)
    end_year = year_field(_("to (year)"), help_text=_("Leave empty for the current chair."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["process", "-start_year"]
        verbose_name = _("chair term")
        verbose_name_plural = _("chair terms")
        constraints = [
            end_not_before_start_constraint(
                "start_year",
                "end_year",
                "chair_term_ends_after_start",
                _("The chair term ends before it starts."),
            ),
            # Full overlap is checked in clean(); the database guarantees what it portably can.
            models.UniqueConstraint(
                fields=["process", "start_year"],
                name="chair_term_unique_start",
                violation_error_message=_("Another chair term of this process starts in the same year."),
            ),
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(end_year__isnull=True),
                name="chair_term_one_current",
                violation_error_message=_(
                    "This process already has a current chair. Enter the year its term ended first."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(co_chair=models.F("state")),
                name="chair_term_co_chair_differs",
                violation_error_message=_("The co-chair must be a different state from the chair."),
            ),
            year_range_constraint("start_year", "chair_term_start_plausible"),
            year_range_constraint("end_year", "chair_term_end_plausible"),
        ]

    def __str__(self):
        chairs = f"{self.state} / {self.co_chair}" if self.co_chair_id else str(self.state)
        return f"{chairs}, {format_period(self.start_year, self.end_year)}"

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The chair term ends before it starts.")})
        if self.co_chair_id and self.co_chair_id == self.state_id:
            raise ValidationError({"co_chair": _("The co-chair must be a different state from the chair.")})
        # An admin inline checks all of a process's rows together, as submitted (processes/forms.py).
        if self.process_id and self.start_year and not getattr(self, "checked_with_siblings", False):
            others = ChairTerm.objects.filter(process_id=self.process_id).select_related("state")
            if self.pk:
                others = others.exclude(pk=self.pk)
            for other in others:
                if self.overlaps(other):
                    # Keyed on the start, so the same-start-year constraint does not repeat it.
                    raise ValidationError({"start_year": self.overlap_error(other)})

    def overlaps(self, other):
        return periods_overlap(
            self.start_year, self.end_year, other.start_year, other.end_year, inclusive=False
        )

    def overlap_error(self, other):
        return ValidationError(
            _(
                "This term overlaps the chair term of %(state)s (%(period)s). "
                "Terms of one process must not overlap; a term may begin in the year "
                "the previous one ends."
            ),
            code="chair_term_overlap",
            params={
                "state": other.state,
                "period": format_period(other.start_year, other.end_year),
            },
        )


class Funding(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="fundings"
    )
    state = models.ForeignKey(
        State,
        verbose_name=_("contributing state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fundings",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("contributing organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fundings",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=enums.FundingKind.choices)
    year = year_field(_("year"))
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. USD, CHF.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["process", "-year"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.CheckConstraint(
                condition=(Q(state__isnull=False) & Q(organization__isnull=True))
                | (Q(state__isnull=True) & Q(organization__isnull=False)),
                name="funding_exactly_one_contributor",
                violation_error_message=_("Name exactly one contributor: either a state or an organisation."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""),
                name="funding_amount_has_currency",
                violation_error_message=_("Give the currency of the amount."),
            ),
            year_range_constraint("year", "funding_year_plausible"),
        ]

    def __str__(self):
        return f"{self.contributor} – {self.get_kind_display()}"

    @property
    def contributor(self):
        return self.state or self.organization

    def clean(self):
        # "Exactly one contributor" is left to the named constraint, which full_clean() validates
        # too: raising it here as well would show the message twice.
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("The amount cannot be negative.")})
        if self.amount is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the amount.")})


class Evaluation(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=enums.EvaluationKind.choices)
    start_date = models.DateField(_("started on"), null=True, blank=True)
    end_date = models.DateField(_("completed on"), null=True, blank=True)
    conducted_by = models.CharField(_("conducted by"), max_length=200, blank=True)
    endorsed_by = models.CharField(
        _("endorsed by"), max_length=20, choices=enums.EndorsedBy.choices, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["process", "-start_date"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            end_not_before_start_constraint(
                "start_date",
                "end_date",
                "evaluation_ends_after_start",
                _("The evaluation ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=datetime.date(FIRST_YEAR, 1, 1)),
                name="evaluation_start_plausible",
                violation_error_message=_("Enter a date from 1945 on."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.process}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The evaluation ends before it starts.")})
        for field in ("start_date", "end_date"):
            value = getattr(self, field)
            if value is not None:
                try:
                    validate_plausible_year(value.year)
                except ValidationError as error:
                    raise ValidationError({field: error}) from None


class Output(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="outputs"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=enums.OutputKind.choices)
    year = year_field(_("year"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="outputs")

    history = HistoricalRecords(m2m_fields=["themes", "sources"])

    class Meta:
        ordering = ["process", "-year", "title"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        constraints = [year_range_constraint("year", "output_year_plausible")]

    def __str__(self):
        return self.title


class Achievement(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="achievements"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=enums.AchievementKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=enums.AchievementLevel.choices)
    states = models.ManyToManyField(
        State, verbose_name=_("states concerned"), blank=True, related_name="achievements"
    )
    year = year_field(_("year"))
    attribution = models.CharField(
        _("attribution to the process"),
        max_length=10,
        choices=enums.Attribution.choices,
        default=enums.Attribution.UNCLEAR,
        help_text=_("How clearly the outcome can be credited to the process."),
    )

    history = HistoricalRecords(m2m_fields=["states", "sources"])

    class Meta:
        ordering = ["process", "-year", "title"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        constraints = [year_range_constraint("year", "achievement_year_plausible")]

    def __str__(self):
        return self.title


class InstitutionLink(Sourced):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="institution_links"
    )
    institution = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="process_links",
        help_text=_("A regional economic, political or security institution."),
    )
    nature = models.CharField(_("nature"), max_length=20, choices=enums.InstitutionLinkNature.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["process", "institution"]
        verbose_name = _("institution link")
        verbose_name_plural = _("institution links")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "institution"],
                name="institution_link_unique",
                violation_error_message=_("This process is already linked to this institution."),
            ),
        ]

    def __str__(self):
        return f"{self.process} – {self.institution}"
