"""Erase a person's data on request (DSGVO); history entries stay, anonymised."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from networks import selectors as registry_selectors
from networks import services as registry_services
from portal.accounts.services import erase_user


class Command(BaseCommand):
    help = (
        "Anonymise a user account (--user NAME) or erase a contact person (--contact ID); history stays, "
        "anonymised. --expired-access-requests deletes the declined requests for access older than "
        "ACCESS_REQUEST_RETENTION_DAYS (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="user name of the account to anonymise")
        parser.add_argument("--contact", type=int, help="id of the contact person to erase")
        parser.add_argument(
            "--expired-access-requests", action="store_true",
            help="delete the declined requests for access whose decision is older than ACCESS_REQUEST_RETENTION_DAYS",
        )

    def handle(self, *args, user=None, contact=None, expired_access_requests=False, **options):
        if not user and not contact and not expired_access_requests:
            raise CommandError("Give --user NAME, --contact ID or --expired-access-requests.")
        if expired_access_requests:
            deleted = registry_services.access_requests_delete_expired(by=None)
            self.stdout.write(f"{deleted} declined access requests deleted.")
        if user:
            try:
                account = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No account with the user name {user!r}.") from exc
            erase_user(user=account, by=None)
            self.stdout.write(f"Account {account.pk} anonymised; its history entries are kept without the name.")
        if contact:
            person = registry_selectors.contact_by_id(pk=contact)
            if person is None:
                raise CommandError(f"No contact person with id {contact}.")
            registry_services.contact_erase(contact=person, by=None)
            self.stdout.write(f"Contact person {contact} erased; its history entries are anonymised.")

