"""Load the demo content: taxonomy, registry, guidance, good practice and demo accounts.

Idempotent: running it twice leaves the database as after the first run.
Never run in production; the demo accounts share a published password.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import catalogue, guidance, registry
from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users


class Command(BaseCommand):
    help = "Load the demo content and the demo accounts (idempotent; not for production)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED and not options["force"]:
            raise CommandError("seed_demo creates accounts with a published password; not on production settings.")
        # The order matters: the guide links to the registry's actor types, the catalogue to both.
        registry.seed(stdout=self.stdout)
        guidance.seed(stdout=self.stdout)
        catalogue.seed(stdout=self.stdout)
        created = ensure_demo_users()
        registry.assign_demo_roles(stdout=self.stdout)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo accounts created: {', '.join(created)}"))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): {', '.join(DEMO_USERS)}")
