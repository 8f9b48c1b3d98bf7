"""Rate limits of anonymous clients: one budget per IP address, ``settings.API_ANONYMOUS_RATE``.

Over it the API answers 429 with ``Retry-After`` (DRF's throttling). The rate is read from the settings
at each request, so a deployment (or a test) may change it without a restart of the module.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    scope = "anonymous"

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE
