"""Fill the database with a synthetic country for load tests (see ``portal.demo.national``)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from networks.models import ActorType
from portal.demo import national as national_data


class Command(BaseCommand):
    help = (
        "Generate a synthetic country on top of the demo content: about 11,000 municipalities in 16 states "
        "(Kreise and Gemeinden with valid-shaped, unique AGS), 250,000 network partners with contact persons, "
        "offers and target groups, 400,000 cooperations, 5,000 published good-practice examples and roadmap "
        "progress for every municipality (at --scale 1.0). Every record is marked '(synthetisch)' and its "
        "slug starts with 'synth-'. Deterministic for a given --seed. Rows are written with bulk_create in "
        "batches of 5,000; history rows are written in bulk (bulk_history_create, one initial row each) for "
        "municipalities, partners, contact persons and cooperations, never one by one; examples get a "
        "published revision instead. On "
        "PostgreSQL the examples' search vectors are set in one UPDATE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random generator (default 2026).")
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the whole country; 0.01 for tests.")
        parser.add_argument("--reset", action="store_true", help="Remove an existing synthetic country first.")
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if synthetic data exists.")

    def handle(self, *args, **options):
        if not 0 < options["scale"] <= 1.0:
            raise CommandError("--scale must be greater than 0 and at most 1.0.")
        if options["reset"]:
            national_data.reset(stdout=self.stdout)
        elif national_data.synthetic_present():
            if options["if_missing"]:
                self.stdout.write("Synthetic country already present; nothing to do.")
                return
            raise CommandError("A synthetic country exists already; use --reset to replace it.")
        if not ActorType.objects.exists():
            self.stdout.write("No taxonomy yet: loading the demo content first.")
            call_command("seed_demo", force=True, stdout=self.stdout)
        generator = national_data.Generator(seed=options["seed"], scale=options["scale"], stdout=self.stdout)
        plan = generator.plan
        self.stdout.write(
            f"Generating {plan.municipalities:,} municipalities, {plan.actors:,} partners, "
            f"{plan.cooperations:,} cooperations, {plan.examples:,} examples (seed {options['seed']})."
        )
        generator.run()
        self.stdout.write(self.style.SUCCESS("Synthetic country ready."))
