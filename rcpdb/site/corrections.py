"""Suggested corrections: the visitor's form, its spam defences, and the reviewers' decisions.

Bounded and spam-proof without outside services: a honeypot field that people never see, a signed
time stamp (a form sent within ``CORRECTION_MIN_SECONDS`` of being shown, or after
``CORRECTION_MAX_SECONDS``, is refused), ``CORRECTIONS_PER_ADDRESS_PER_DAY`` per network address (kept
as a keyed hash only), and size limits on every field. Reviewers are the process's own editors and the
central editors (``processes.editors``). An accepted correction is made in the process's admin
form, opened pre-filled where the suggestion maps onto a field (``prefill``); the history entries the
save writes are credited to the suggestion (their change reason, ``Correction.change_reason``). The
visitor, if they left an email, is told the outcome by mail; the email is erased after the retention
period.
"""

import datetime
import hashlib
import hmac

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from processes.editors import editable_process_ids, is_central_editor

from .models import Correction, CorrectionStatus

SIGNER_SALT = "rcpdb.corrections.started"
HONEYPOT = "website"


class Refused(Exception):
    """A submission refused before validation (honeypot, timing, rate): ``status`` and ``message``."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def address_key(request):
    """A keyed hash of the sender's address: enough to count their suggestions, never the address."""
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def started_token():
    """The signed moment the form was shown (its hidden ``started`` field)."""
    return signing.dumps({"shown": timezone.now().timestamp()}, salt=SIGNER_SALT)


class CorrectionForm(forms.ModelForm):
    started = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Correction
        fields = ["section", "wrong", "should_say", "source", "email"]
        widgets = {
            "wrong": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "should_say": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        help_texts = {
            "source": gettext_lazy("A web address or a reference (title, publisher, date) that supports it."),
            "email": gettext_lazy("Optional: only to tell you what was decided. Never shown, erased later."),
        }


def check_submission(request, data):
    """Raise ``Refused`` for a honeypot filled in, a form sent too fast or too late, or an address over
    its daily limit."""
    if data.get(HONEYPOT):
        raise Refused(400, _("This suggestion was refused: a field meant to stay empty was filled in."))
    try:
        shown_at = signing.loads(
            data.get("started", ""), salt=SIGNER_SALT, max_age=settings.CORRECTION_MAX_SECONDS
        )["shown"]
    except signing.SignatureExpired:
        raise Refused(400, _("This form is too old: open it again and resend your suggestion.")) from None
    except (signing.BadSignature, KeyError, TypeError):
        raise Refused(400, _("This form was not sent from rcpdb: open it again and resend it.")) from None
    waited = timezone.now().timestamp() - shown_at
    if waited > settings.CORRECTION_MAX_SECONDS:
        raise Refused(400, _("This form is too old: open it again and resend your suggestion."))
    if waited < settings.CORRECTION_MIN_SECONDS:
        raise Refused(
            400, _("This form was sent too quickly after it was opened: wait a moment and resend it.")
        )
    since = timezone.now() - datetime.timedelta(days=1)
    sent = Correction.objects.filter(address_key=address_key(request), created__gte=since).count()
    if sent >= settings.CORRECTIONS_PER_ADDRESS_PER_DAY:
        raise Refused(
            429,
            _("You have sent %(count)s suggestions today, the most rcpdb accepts: please try again tomorrow.")
            % {"count": settings.CORRECTIONS_PER_ADDRESS_PER_DAY},
        )


def submit(form, process, request):
    """Save a valid suggestion into the review queue."""
    correction = form.save(commit=False)
    correction.process = process
    correction.address_key = address_key(request)
    correction.save()
    return correction


def reviewable(user):
    """The suggestions ``user`` may review: all for central editors, their processes' for process
    editors, none for anyone else."""
    if not (user.is_active and user.is_staff):
        return Correction.objects.none()
    if is_central_editor(user):
        return Correction.objects.all()
    return Correction.objects.filter(process_id__in=editable_process_ids(user))


def may_review(user, correction):
    return reviewable(user).filter(pk=correction.pk).exists()


def source_url(correction):
    """The suggestion's source as a web address to link to, or "" when it is a reference."""
    source = correction.source.strip()
    return source if source.startswith(("https://", "http://")) and " " not in source else ""


def prefill(correction, process, field_names):
    """``{form field: value}``: what the process's change form opens with instead of the record.

    Two mappings, each made only when it is unambiguous: the text quoted as wrong, found exactly once
    in exactly one of the process's text fields among ``field_names``, is replaced there by what it
    should say; and a source recorded in rcpdb with exactly the suggestion's address is added to the
    process's sources. Anything else is left to the editor, who sees the whole suggestion."""
    values = {}
    wrong = correction.wrong.strip()
    found = []
    for name in field_names:
        try:
            field = process._meta.get_field(name)
        except LookupError:
            continue
        if not isinstance(field, models.CharField | models.TextField) or field.choices or not field.editable:
            continue
        text = getattr(process, field.attname) or ""
        found.extend([(name, text)] * text.count(wrong) if wrong else [])
    if len(found) == 1:
        name, text = found[0]
        values[name] = text.replace(wrong, correction.should_say.strip())
    address = source_url(correction)
    if address and "sources" in field_names:
        matches = list(process.sources.model.objects.filter(url=address).values_list("pk", flat=True)[:2])
        current = list(process.sources.values_list("pk", flat=True)) if process.pk else []
        if len(matches) == 1 and matches[0] not in current:
            values["sources"] = [*current, matches[0]]
    return values


def _notify(correction, subject, body, *, on_commit=False):
    """Mail the visitor, if they left an email: now, or once the transaction is committed."""
    if not correction.email:
        return
    email = correction.email

    def send():
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])

    if on_commit:
        transaction.on_commit(send)
    else:
        send()


def _decide(correction, **decision):
    """Record ``decision`` on ``correction`` if it is still pending: True if this call decided it,
    False if another reviewer decided it first (two app workers, two reviewers: one decision, one
    message to the visitor). ``correction`` is refreshed either way."""
    decision.update(decided=timezone.now())
    decided = (
        type(correction).objects.filter(pk=correction.pk, status=CorrectionStatus.PENDING).update(**decision)
    )
    correction.refresh_from_db()
    return bool(decided)


def accept(correction, user):
    """Mark ``correction`` accepted and tell the visitor once committed: called inside the
    transaction that saves the change credited to it (the admin's change form). False (and nothing
    sent) when another reviewer decided it first."""
    if not _decide(correction, status=CorrectionStatus.ACCEPTED, decided_by=user):
        return False
    _notify(
        correction,
        _("Your correction of %(process)s was accepted") % {"process": correction.process.short_name},
        _(
            "Thank you. Your suggested correction of the %(section)s section of %(process)s was accepted "
            "and the record has been corrected."
        )
        % {"section": correction.get_section_display(), "process": correction.process.short_name},
        on_commit=True,
    )
    return True


def decline(correction, user, reason):
    """Decline ``correction`` with ``reason`` and tell the visitor why. False (and nothing sent)
    when another reviewer decided it first."""
    if not _decide(correction, status=CorrectionStatus.DECLINED, decline_reason=reason, decided_by=user):
        return False
    _notify(
        correction,
        _("Your correction of %(process)s was declined") % {"process": correction.process.short_name},
        _(
            "Thank you for your suggested correction of the %(section)s section of %(process)s. "
            "The editors declined it, for this reason:\n\n%(reason)s"
        )
        % {
            "section": correction.get_section_display(),
            "process": correction.process.short_name,
            "reason": reason,
        },
    )
    return True


def decided_meanwhile(correction):
    """The message for a reviewer whose decision came second."""
    if correction.status == CorrectionStatus.ACCEPTED:
        text = _("Suggestion #%(number)s had already been accepted on %(when)s by %(who)s.")
    else:
        text = _("Suggestion #%(number)s had already been declined on %(when)s by %(who)s.")
    return text % {
        "number": correction.pk,
        "who": correction.decided_by or _("another reviewer"),
        "when": date_format(timezone.localtime(correction.decided), "DATETIME_FORMAT")
        if correction.decided
        else _("a date not recorded"),
    }


def erase_old_emails(now=None):
    """Erase the emails of suggestions older than ``CORRECTION_EMAIL_RETENTION_DAYS``; how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CORRECTION_EMAIL_RETENTION_DAYS)
    return Correction.objects.filter(created__lt=cutoff).exclude(email="").update(email="", email_erased=now)
