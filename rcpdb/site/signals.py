"""Credit a history entry to the suggested correction it makes (see rcpdb/site/admin.py)."""

from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from . import corrections
from .models import Correction, CorrectionStatus

CORRECTION_PARAM = "_correction"


def _correction_of_request():
    """The pending suggestion named by the admin request being handled, if its user may review it."""
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or request.method != "POST":
        return None
    raw = request.GET.get(CORRECTION_PARAM, "")
    if not raw.isdigit():
        return None
    correction = Correction.objects.filter(pk=int(raw), status=CorrectionStatus.PENDING).first()
    if correction is None or not corrections.may_review(request.user, correction):
        return None
    return correction, request


@receiver(pre_create_historical_record)
def credit_correction(sender, instance, history_instance, **kwargs):
    """A change saved from the form opened by "Accept" is credited to the suggestion, which is then
    accepted (and the visitor told) once the request's changes are committed."""
    found = _correction_of_request()
    if found is None:
        return
    correction, request = found
    process_id = (
        instance.pk
        if instance._meta.label_lower == "processes.process"
        else getattr(instance, "process_id", None)
    )
    if process_id != correction.process_id:
        return
    history_instance.history_change_reason = correction.change_reason
    if not getattr(request, "_rcpdb_correction_accepted", False):
        request._rcpdb_correction_accepted = True
        from django.db import transaction

        transaction.on_commit(lambda: corrections.accept(correction, request.user))
