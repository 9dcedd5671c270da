"""Erase a person's data on request (DSGVO); history entries stay, anonymised."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from networks import selectors as registry_selectors
from networks import services as registry_services
from portal.accounts.services import erase_user


class Command(BaseCommand):
    help = "Anonymise a user account (--user NAME) or erase a contact person (--contact ID); history stays, anonymised."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="user name of the account to anonymise")
        parser.add_argument("--contact", type=int, help="id of the contact person to erase")

    def handle(self, *args, user=None, contact=None, **options):
        if not user and not contact:
            raise CommandError("Give --user NAME or --contact ID.")
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

