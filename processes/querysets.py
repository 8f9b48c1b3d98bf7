"""Chainable reads of the registry: ``Process.objects.active().in_region(asia).with_theme(t)``."""

from django.contrib.postgres.lookups import Unaccent
from django.db import connection, models
from django.db.models.functions import Lower

from . import enums
from .state_reference import fold


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
