"""Synthetic networks on the real country for load tests (see ``portal.demo.national``)."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from networks.models import ActorType
from portal.demo import national as national_data


class Command(BaseCommand):
    help = (
        "Build synthetic networks on the official municipality register, for load tests. Loads the register "
        "first if it is not there (networks.services.register_load: every Kreis and Gemeinde with its real "
        "population), then gives every Kreis, region and kreisfreie Stadt the offices of a Jugendamt district "
        "and spreads 250,000 more partners (with contact persons, offers and target groups) by population, "
        "so that Berlin has thousands and most villages none; 400,000 cooperations among them, 5,000 published "
        "good-practice examples and roadmap progress for most Kreise, some towns and few villages (at --scale "
        "1.0). Kreise with curated content (the demo's) are left as they are. Every synthetic record is marked "
        "'(synthetisch)' (partners also by an address at synthetisch.invalid, examples by a 'synth-' slug); "
        "--remove deletes exactly these and never a municipality of the register. Idempotent: a second run "
        "changes nothing; --reset generates anew. Deterministic for a given --seed. Rows are written in "
        "batches (COPY on PostgreSQL), with one initial history row each for partners, contact persons and "
        "cooperations, written in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random generator (default 2026).")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Share of the partners, cooperations and examples: 1.0 = the whole country, "
                                 "0.003 for tests. The register and the Jugendamt offices do not scale.")
        parser.add_argument("--register", type=Path, default=None,
                            help="Load this register file (default: the bundled one, loaded only if missing).")
        parser.add_argument("--reset", action="store_true", help="Remove the synthetic data first, then generate.")
        parser.add_argument("--remove", action="store_true",
                            help="Only remove the synthetic data (the register and the demo content stay).")

    def handle(self, *args, **options):
        if not 0 < options["scale"] <= 1.0:
            raise CommandError("--scale must be greater than 0 and at most 1.0.")
        started = timezone.now()
        legacy = national_data.legacy_municipalities().exists()
        if options["remove"] or options["reset"]:
            national_data.remove(stdout=self.stdout)
            if options["remove"]:
                if legacy:
                    self.stdout.write("Invented municipalities of an earlier version were removed; if the register "
                                      "had been loaded over them, `manage.py load_register` restores it.")
                return
        elif legacy:
            # Invented municipalities of an earlier version carry AGS of real ones: they go before the register comes.
            self.stdout.write("Removing the invented country of an earlier version first.")
            national_data.remove(stdout=self.stdout)
        elif national_data.synthetic_present():
            self.stdout.write(
                f"Synthetic data present ({national_data.synthetic_actors().count():,} partners); nothing to do. "
                "--reset generates it anew, --remove deletes it."
            )
            return
        if not ActorType.objects.exists():
            self.stdout.write("No taxonomy yet: loading the demo content first.")
            call_command("seed_demo", force=True, stdout=self.stdout)
        try:
            # Had the register been loaded over invented municipalities (same AGS), they are gone now: load it again.
            national_data.ensure_register(path=options["register"], force=legacy, stdout=self.stdout)
        except (OSError, ValueError) as error:
            raise CommandError(f"The municipality register could not be read: {error}") from error
        generator = national_data.Generator(seed=options["seed"], scale=options["scale"], stdout=self.stdout)
        plan = generator.plan
        self.stdout.write(
            f"Generating {plan.actors:,} partners by population plus the Jugendamt offices, {plan.cooperations:,} "
            f"cooperations, {plan.examples:,} examples (seed {options['seed']})."
        )
        generator.run()
        self.stdout.write(self.style.SUCCESS(
            f"Synthetic networks ready in {(timezone.now() - started).total_seconds():.0f} s: "
            f"{national_data.synthetic_actors().count():,} partners in "
            f"{national_data.synthetic_actors().values('municipality').distinct().count():,} municipalities, "
            f"{national_data.synthetic_cooperations().count():,} cooperations, "
            f"{national_data.synthetic_examples().count():,} examples."
        ))
