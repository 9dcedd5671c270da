"""Why a record changed: the reasons written into its history, stored as codes and translated when shown.

Every write that keeps a history (django-simple-history) goes through :func:`save`, which validates
the record, names the person who made the change and stores the reason's code. Pages show the reason
in the reader's language with :func:`reason_label`; texts stored by older versions of the portal are
shown as they are.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    CREATED = "created", _("created")
    EDITED = "edited", _("edited")
    VERIFIED = "verified", _("checked")
    DEACTIVATED = "deactivated", _("deactivated")
    ACTIVATED = "activated", _("reactivated")
    IMPORT = "import", _("imported")
    SEED = "seed", _("demo data loaded")
    SYNTHETIC = "synthetic", _("synthetic test data generated")
    DELETED = "deleted", _("deleted, personal data removed")
    ERASED = "erased", _("personal data erased on request (DSGVO)")


# What stays of a person's name after erasure on request (Art. 17 DSGVO), in accounts and contacts alike.
ERASED_TEXT = "gelöscht/anonymisiert"


def reason_label(code: str | None) -> str:
    """The reason in the active language; an unknown (older, free) text as it is."""
    if not code:
        return ""
    try:
        return str(Reason(code).label)
    except ValueError:
        return code


def save(instance: Any, *, by: Any, reason: Reason | None = None, update_fields: list[str] | None = None,
         clean: bool = True) -> None:
    """Validate and save ``instance`` with ``by`` and ``reason`` in its history record.

    ``by`` is the acting user, or None for the system (demo content, commands).
    """
    if clean:
        instance.full_clean()
    instance._history_user = by if getattr(by, "is_authenticated", False) else None
    if reason:
        instance._change_reason = reason.value
    instance.save(update_fields=update_fields)


def delete(instance: Any, *, by: Any, reason: Reason | None = None) -> None:
    """Delete ``instance``; its history keeps who deleted it and why."""
    instance._history_user = by if getattr(by, "is_authenticated", False) else None
    if reason:
        instance._change_reason = reason.value
    instance.delete()
