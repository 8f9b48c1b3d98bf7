"""What a process's record still needs (the staff page "Data checks" of the Process admin, issue 16).

Selectors only: each check returns what it found, the admin view links each finding to the form that
fixes it. A row is *stale* when its "as of" date is older than ``RCPDB_STALE_AFTER_DAYS`` (a setting,
a year by default) and *not checked* when it has none; *unsourced* when it names no source. A list of
the profile is *not recorded* when its completeness is not recorded; claims on one topic whose values
differ are *in conflict*.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from . import enums
from .models import (
    Achievement,
    ChairTerm,
    Evaluation,
    Funding,
    InstitutionLink,
    ListCompleteness,
    Membership,
    OrganizationRole,
    Output,
    ProcessClaim,
    Secretariat,
)

# Claims on these topics are different facts, not different values of one fact.
UNCOMPARABLE_TOPICS = {enums.ClaimTopic.OTHER, enums.ClaimTopic.PARTICIPANTS}
# The sourced rows of a process, in the order of its page.
SOURCED_ROW_MODELS = (
    ListCompleteness,
    Membership,
    OrganizationRole,
    ChairTerm,
    Secretariat,
    Funding,
    Evaluation,
    Output,
    Achievement,
    InstitutionLink,
)


@dataclass
class Finding:
    record: object
    problem: str  # "stale", "not checked", "unsourced", "not recorded", "in conflict"
    detail: str = ""


def stale_cutoff(today=None):
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.RCPDB_STALE_AFTER_DAYS)


def checks_for(process, today=None):
    """What ``process`` (its own record and its sourced rows) still needs: a dict of lists of
    :class:`Finding` under "stale", "not_checked", "unsourced", "not_recorded" and "conflicts"."""
    cutoff = stale_cutoff(today)
    found = {"stale": [], "not_checked": [], "unsourced": [], "not_recorded": [], "conflicts": []}
    records = [(process, process.sources.count())]
    for model in SOURCED_ROW_MODELS:
        rows = model.objects.filter(process=process).annotate(source_count=Count("sources"))
        records.extend((row, row.source_count) for row in rows)
    for record, source_count in records:
        if record.as_of is None:
            found["not_checked"].append(Finding(record, "not checked"))
        elif record.as_of < cutoff:
            found["stale"].append(Finding(record, "stale", str(record.as_of)))
        if source_count == 0:
            found["unsourced"].append(Finding(record, "unsourced"))
    recorded = {
        row.section: row
        for row in ListCompleteness.objects.filter(process=process)
        if row.status != enums.Completeness.NOT_RECORDED
    }
    found["not_recorded"] = [
        Finding(process, "not recorded", label)
        for section, label in enums.ListSection.choices
        if section not in recorded
    ]
    claims = {}
    for claim in ProcessClaim.objects.filter(process=process).order_by("topic", "value"):
        claims.setdefault(claim.topic, []).append(claim)
    for topic, claims_of_topic in claims.items():
        if topic in UNCOMPARABLE_TOPICS:
            continue
        if len({claim.value.strip().casefold() for claim in claims_of_topic}) > 1:
            values = ", ".join(claim.value for claim in claims_of_topic)
            found["conflicts"].extend(Finding(claim, "in conflict", values) for claim in claims_of_topic)
    return found
