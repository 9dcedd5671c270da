"""Erasure on request (Art. 17 DSGVO): personal data removed, history kept but anonymised.

History entries stay (who changed a partner when is part of the audit trail), but they no longer name
the person: a user account keeps its id for the history's references and loses name, e-mail, login
and roles; a contact person's record and every history row of it lose name, function, phone and e-mail.
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

ANONYMISED = "gelöscht/anonymisiert"
CONTACT_FIELDS = ("name", "function", "phone", "email")


def anonymised_username(user) -> str:
    return f"geloescht-{user.pk}"


@transaction.atomic
def erase_user(*, user, by) -> None:
    """Anonymise ``user`` in place; history rows, events and revisions still point to the (now nameless) row."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    old_username = user.get_username()
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.username = anonymised_username(user)
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


def _anonymise_admin_log(instance, *, repr_: str) -> None:
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


@transaction.atomic
def erase_contact_person(*, contact, by) -> None:
    """Remove a contact person and anonymise every history row of them."""
    from networks.models import ContactPerson

    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    blank = {"name": ANONYMISED, "function": "", "phone": "", "email": ""}
    for field, value in blank.items():
        setattr(contact, field, value)
    contact._history_user = by
    contact._change_reason = "DSGVO: gelöscht auf Antrag"
    contact.save()
    contact_id = contact.pk
    _anonymise_admin_log(contact, repr_=ANONYMISED)
    contact._history_user = by
    contact.delete()
    ContactPerson.history.filter(id=contact_id).update(**blank)
