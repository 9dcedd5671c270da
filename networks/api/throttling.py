"""Anonymous use of the API is limited per client address (``HSDS_API_ANON_RATE``, e.g. ``120/min``)."""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle


class HsdsAnonThrottle(AnonRateThrottle):
    """DRF's anonymous throttle in Django's default cache, its rate read from the settings on every
    request (so an operator's or a test's setting applies without restarting). An empty rate: no limit."""

    scope = "hsds"

    def get_rate(self) -> str | None:
        return getattr(settings, "HSDS_API_ANON_RATE", "") or None

    def allow_request(self, request: Request, view: Any) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
