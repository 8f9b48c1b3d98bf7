"""Chainable reads of the registry: ``Process.objects.active().in_region(asia).with_theme(t)``."""

from django.contrib.postgres.lookups import Unaccent
from django.db import connection, models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from rcpdb.core.search import state_needle

from . import enums
from .state_reference import fold

RECORDED_STATUSES = (enums.Completeness.COMPLETE, enums.Completeness.PARTIAL)


def section_rows(section):
    """The rows that make up the list ``section`` (an ``enums.ListSection``) of every process."""
    from . import models as m

    return {
        enums.ListSection.MEMBERS: lambda: m.Membership.objects.members(),
        enums.ListSection.OBSERVERS: lambda: m.Membership.objects.observers(),
        enums.ListSection.ORGANIZATIONS: lambda: m.OrganizationRole.objects.all(),
        enums.ListSection.CHAIRS: lambda: m.ChairTerm.objects.all(),
        enums.ListSection.FUNDING: lambda: m.Funding.objects.all(),
        enums.ListSection.EVALUATIONS: lambda: m.Evaluation.objects.all(),
        enums.ListSection.OUTPUTS: lambda: m.Output.objects.all(),
        enums.ListSection.ACHIEVEMENTS: lambda: m.Achievement.objects.all(),
    }[enums.ListSection(section)]()


def effective_status(status, has_rows):
    """The completeness of a list: its recorded status, else "partial" with rows, else "not recorded"."""
    if status:
        return enums.Completeness(status)
    return enums.Completeness.PARTIAL if has_rows else enums.Completeness.NOT_RECORDED


def _completeness_rows(section, process_ref="pk"):
    from .models import ListCompleteness

    return ListCompleteness.objects.filter(process=OuterRef(process_ref), section=section)


def list_recorded(section, process_ref="pk"):
    """SQL: true when the process's list ``section`` is recorded (it has rows, or is complete/partial).

    ``process_ref`` names the process's id in the outer query (``"pk"`` on processes).
    """
    return Q(Exists(section_rows(section).filter(process=OuterRef(process_ref)))) | Q(
        Exists(_completeness_rows(section, process_ref).filter(status__in=RECORDED_STATUSES))
    )


def list_status(section):
    """SQL: the completeness of the process's list ``section`` (see ``effective_status``)."""
    explicit = Subquery(_completeness_rows(section).values("status")[:1])
    fallback = Case(
        When(Exists(section_rows(section).filter(process=OuterRef("pk"))), then=Value("partial")),
        default=Value("not_recorded"),
    )
    return Coalesce(explicit, fallback, output_field=models.CharField())


def recorded_count(section, counted, *, distinct_field="pk"):
    """SQL: how many of ``counted`` (rows of the list ``section``) a process has; NULL (not recorded)
    when the list is not recorded (see the contract in docs: no rows and no complete/partial status)."""
    totals = (
        counted.filter(process=OuterRef("pk"))
        .order_by()
        .values("process")
        .annotate(total=Count(distinct_field, distinct=True))
        .values("total")
    )
    return Case(
        When(list_recorded(section), then=Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))),
        default=Value(None),
        output_field=IntegerField(),
    )


class RegionQuerySet(models.QuerySet):
    def descendant_ids(self, region):
        """The ids of ``region`` and every region below it (one query: the table is small)."""
        children = {}
        for pk, parent_id in self.model.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        region_id = getattr(region, "pk", region)
        found, todo = set(), [region_id]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            todo.extend(children.get(current, []))
        return found

    def with_descendants(self, region):
        return self.filter(pk__in=self.descendant_ids(region))


class StateQuerySet(models.QuerySet):
    def search(self, query):
        """States found by a web-search query (words, "phrases"; rcpdb/core/search.py) in their names: its
        wanted words as one name (``matching``), or none when it leaves a word out (``-word``), which a
        name cannot be searched for."""
        needle = state_needle(query)
        return self.matching(needle) if needle else self.none()

    def matching(self, text):
        """States whose name (in English, French or Spanish), other name or code contains ``text``,
        whatever its case and accents: "ivory", "cote d'ivoire" and "CI" all find Côte d'Ivoire.

        The folded text is looked up in the stored, folded ``search_text`` (processes/state_reference.py),
        the same on every database. On PostgreSQL the aliases are also read through ``unaccent(lower())``,
        so a state whose aliases were changed without ``save()`` (a bulk update) is found too.
        """
        folded = fold(text)
        if not folded:
            return self.none()
        condition = models.Q(search_text__contains=folded)
        queryset = self
        if connection.vendor == "postgresql":
            queryset = self.alias(aliases_folded=Unaccent(Lower("aliases")))
            condition |= models.Q(aliases_folded__contains=folded)
        if len(folded) == 2 and folded.isascii() and folded.isalpha():
            condition |= models.Q(code=folded.upper())
        return queryset.filter(condition)


class ProcessQuerySet(models.QuerySet):
    def with_list_counts(self):
        """Annotate ``member_count``, ``observer_count`` (current states) and ``organization_count``
        (organisations with a role): each NULL when that list is not recorded."""
        from .models import Membership, OrganizationRole

        current = Membership.objects.current()
        return self.annotate(
            member_count=recorded_count(enums.ListSection.MEMBERS, current.members()),
            observer_count=recorded_count(enums.ListSection.OBSERVERS, current.observers()),
            organization_count=recorded_count(
                enums.ListSection.ORGANIZATIONS, OrganizationRole.objects.all(), distinct_field="organization"
            ),
        )

    def with_list_statuses(self):
        """Annotate ``<section>_list`` (e.g. ``members_list``): the completeness of every list."""
        return self.annotate(
            **{f"{section.value}_list": list_status(section) for section in enums.ListSection}
        )

    def with_recorded_flags(self):
        """Annotate ``members_recorded``, ``observers_recorded`` and ``organizations_recorded``."""
        sections = (enums.ListSection.MEMBERS, enums.ListSection.OBSERVERS, enums.ListSection.ORGANIZATIONS)
        return self.annotate(
            **{
                f"{section.value}_recorded": ExpressionWrapper(
                    list_recorded(section), output_field=BooleanField()
                )
                for section in sections
            }
        )

    def unrecorded(self, *sections):
        """Processes for which at least one of the lists ``sections`` is not recorded."""
        condition = Q()
        for section in sections:
            condition |= ~Q(**{f"{enums.ListSection(section).value}_recorded": True})
        return self.with_recorded_flags().filter(condition)

    def active(self):
        return self.filter(status=enums.ProcessStatus.ACTIVE)

    def in_region(self, region):
        """Processes in ``region`` or any of its sub-regions."""
        from .models import Region

        return self.filter(regions__in=Region.objects.descendant_ids(region)).distinct()

    def with_theme(self, theme):
        return self.filter(themes=theme).distinct()

    def _with_role(self, state, role):
        return self.filter(
            memberships__state=state,
            memberships__role=role,
            memberships__until__isnull=True,
        ).distinct()

    def with_member(self, state):
        """Processes in which ``state`` is a current member."""
        return self._with_role(state, enums.MembershipRole.MEMBER)

    def with_observer(self, state):
        """Processes in which ``state`` is a current observer."""
        return self._with_role(state, enums.MembershipRole.OBSERVER)

    def with_meeting_level(self, level):
        return self.filter(**{f"meets_{enums.MeetingLevel(level).value}": True})

    def evaluated(self, flag=True):
        return self.filter(evaluations__isnull=not flag).distinct()

    def established_between(self, start=None, end=None):
        qs = self
        if start is not None:
            qs = qs.filter(established_year__gte=start)
        if end is not None:
            qs = qs.filter(established_year__lte=end)
        return qs


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(until__isnull=True)

    def members(self):
        return self.filter(role=enums.MembershipRole.MEMBER)

    def observers(self):
        return self.filter(role=enums.MembershipRole.OBSERVER)
