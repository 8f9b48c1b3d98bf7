"""Reads of the registry's pages that show what the meetings add (``profiles.py``, the API's
``serializers.py``): ``processes``' selectors extended with ``workshops``' own. Each runs a fixed number
of queries whatever the data size."""

from processes import as_of, selectors
from rcpdb.core import history
from workshops import selectors as meeting_selectors


def process_profile_queryset():
    """``processes``' profile reads, plus the findings that concern each process."""
    return selectors.process_profile_queryset().prefetch_related(
        meeting_selectors.process_findings_prefetch()
    )


def profile_sections(process):
    """``processes``' profile sections, with ``process.meeting_list`` loaded alongside."""
    return selectors.profile_sections(process, links=[meeting_selectors.meetings_link(process)])


def process_as_of(slug, day):
    """The profile as it stood on ``day`` (``processes.as_of.process_as_of``), with its meetings and
    the findings that concerned it then; None if the process did not exist yet."""
    version = as_of.process_as_of(slug, day, links=lambda process: [meeting_selectors.meetings_link(process)])
    if version is not None:
        findings = meeting_selectors.process_findings_as_of(version.record, day)
        history.set_prefetched(version.record, "findings", findings)
    return version


def theme_list_queryset():
    return selectors.theme_list_queryset().annotate(**meeting_selectors.theme_counts())


def theme_profile_queryset():
    """The theme page's themes: their processes and outputs, and how many findings and recommendations
    each has (``theme_items`` adds the newest of them to the one shown)."""
    return selectors.theme_profile_queryset().annotate(**meeting_selectors.theme_counts())


def theme_items(theme):
    """``theme`` with its newest findings and recommendations (``attach_theme_items``)."""
    return meeting_selectors.attach_theme_items(theme)
