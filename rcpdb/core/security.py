"""Login hardening and the security log.

Everything a reviewer of an incident needs goes to the ``rcpdb.security`` logger: successful logins,
failed logins (the username tried, never the password) and permission denials (any 403 answer, and
the admin's refusals of another process's records, see processes/admin_scoping.py).

The signal receivers are connected by ``connect_receivers()``, which the core app calls at start-up
(``rcpdb.core.apps.CoreConfig.ready``).
"""

import logging
import time

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.middleware.security import SecurityMiddleware
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger("rcpdb.security")

LOCKOUT_STATUS = 429


def client_ip(request):
    """The client's address: the connection's, or the one the trusted proxies in front recorded.

    With ``TRUSTED_PROXY_COUNT = n`` proxies, each appending to X-Forwarded-For, the client is the
    n-th entry from the right; anything further left was written by the client and is not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def _address(request):
    return client_ip(request) if request is not None else "-"


def log_login(sender, request, user, **kwargs):
    log.info("login: user=%s address=%s", user.get_username(), _address(request))


def log_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in ``credentials``; only the username is logged.
    log.warning("login failed: user=%s address=%s", credentials.get("username", ""), _address(request))


class PermissionDeniedLogMiddleware:
    """Logs every 403 answer: who, what and from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            log.warning(
                "permission denied: user=%s method=%s path=%s address=%s",
                (user.get_username() if user is not None and user.is_authenticated else "") or "anonymous",
                request.method,
                request.path,
                _address(request),
            )
        return response


LAST_ACTIVITY_KEY = "rcpdb_staff_last_activity"
# The stored time of last activity is refreshed at most this often (seconds), not on every request.
ACTIVITY_RESOLUTION = 60


def _now():
    """The current time in seconds (a function, so that tests can move the clock)."""
    return time.time()


class StaffSessionIdleTimeoutMiddleware:
    """Logs a staff user out after ``STAFF_SESSION_IDLE_TIMEOUT`` seconds without a request.

    Put after AuthenticationMiddleware. The time of the last request is kept in the session (refreshed
    at most once a minute); the next request after a longer pause ends the session, so the admin asks
    for a login again. Other sessions (there are none for the public) are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = _now()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int | float) and now - last > settings.STAFF_SESSION_IDLE_TIMEOUT:
                log.info(
                    "session expired after inactivity: user=%s address=%s",
                    user.get_username(),
                    _address(request),
                )
                logout(request)
            elif not isinstance(last, int | float) or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def start_staff_activity(sender, request, user, **kwargs):
    """A staff session's idle time counts from its login."""
    session = getattr(request, "session", None)
    if session is not None and user.is_staff:
        session[LAST_ACTIVITY_KEY] = _now()


class SecurityHeadersMiddleware:
    """The outermost middleware: Django's security headers on every answer, error pages included.

    ``SecurityMiddleware`` adds X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy and
    (over HTTPS, when configured) Strict-Transport-Security on the way out, but not to an answer made
    from an exception it raised itself, such as the 400 for a bad Host header with the HTTPS redirect on.
    This adds the same headers to whatever comes back (never twice: each is only set when missing),
    without reading the Host header. X-Frame-Options, the CSP and the Permissions-Policy come from
    their middleware, listed right after this one for the same reason.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = SecurityMiddleware(get_response)

    def __call__(self, request):
        return self.headers.process_response(request, self.get_response(request))


def lockout_response(request, original_response=None, credentials=None):
    """The admin login page again, saying why the login is refused and for how long."""
    hours = settings.AXES_COOLOFF_TIME
    message = ngettext(
        "Too many failed log-ins for this account from your address. "
        "Logging in is blocked for %(hours)d hour; try again later or ask a central editor.",
        "Too many failed log-ins for this account from your address. "
        "Logging in is blocked for %(hours)d hours; try again later or ask a central editor.",
        hours,
    ) % {"hours": hours}
    username = (credentials or {}).get("username", "")
    log.warning("login locked out: user=%s address=%s", username, _address(request))
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "lockout_message": message,
    }
    return TemplateResponse(request, "admin/lockout.html", context, status=LOCKOUT_STATUS).render()


def connect_receivers():
    """Log logins and failed logins, and start a staff session's idle clock at login."""
    user_logged_in.connect(log_login, dispatch_uid="rcpdb_security_logged_in")
    user_login_failed.connect(log_login_failed, dispatch_uid="rcpdb_security_login_failed")
    user_logged_in.connect(start_staff_activity, dispatch_uid="rcpdb_security_staff_activity")
