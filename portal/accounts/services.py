"""Erasure of an account on request (Art. 17 DSGVO): personal data removed, history kept but anonymised.

History entries stay (who changed a partner when is part of the audit trail), but they no longer name
the person: the account keeps its id for the history's references and loses name, e-mail, login and
roles; the account's requests for access are deleted. Contact persons of the registry are erased by
``networks.services.contact_erase``.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from networks import services as registry_services
from portal.core.history import ERASED_TEXT
from portal.core.rules import is_admin

ANONYMISED = ERASED_TEXT


def anonymised_username(*, user: Any) -> str:
    return f"geloescht-{user.pk}"


@transaction.atomic
def erase_user(*, user: Any, by: Any) -> None:
    """Anonymise ``user`` in place; history rows, events and revisions still point to the (now nameless) row.

    Administrators only (the admin action), or the system (``erase_personal_data``, ``by=None``)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if by is not None and not is_admin(by):
        raise PermissionDenied

    # The person's requests for access name them (and say why): they go with the account's data.
    registry_services.access_requests_erase(user=user, by=by)
    old_username = user.get_username()
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.username = anonymised_username(user=user)
    user.first_name = ANONYMISED
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    user.coordinated_municipalities.clear()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=old_username).delete()
    _delete_sessions_of(user.pk)
    _anonymise_admin_log(user, repr_=user.username)


def _anonymise_admin_log(instance: Any, *, repr_: str) -> None:
    """The admin's own log names the object it changed (``object_repr``); keep the entry, drop the name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).update(object_repr=repr_)


def _delete_sessions_of(user_id: int) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
