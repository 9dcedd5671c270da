"""Periodic e-mails sent at most once per period and person (reminders a scheduler sends).

A command asks :func:`recently_told` before it writes to someone and calls :func:`record` after the
mail has left; a second run within the period then skips that person.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from portal.core.models import SentNotice


def recently_told(*, kind: str, user_ids: Iterable[int], now: datetime, within: timedelta) -> set[int]:
    """The ids among ``user_ids`` who received a notice of ``kind`` after ``now - within``."""
    return set(
        SentNotice.objects.filter(kind=kind, user_id__in=list(user_ids), sent_at__gt=now - within)
        .values_list("user_id", flat=True)
    )


def record(*, kind: str, user: Any, now: datetime) -> None:
    """Remember that ``user`` received a notice of ``kind`` at ``now``."""
    SentNotice.objects.create(kind=kind, user=user, sent_at=now)
