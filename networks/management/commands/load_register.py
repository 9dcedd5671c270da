"""Load the official municipality register (Destatis, Gemeindeverzeichnis 31.12.2019) into the registry."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from networks import register, services


class Command(BaseCommand):
    help = (
        "Loads every Land, Regierungsbezirk, Kreis, Gemeindeverband and Gemeinde of the official register "
        "(idempotent: existing municipalities are matched by AGS and updated)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=None, help="the register CSV (default: the bundled one)")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            data = register.read(options["file"])
        except (OSError, register.RegisterError) as error:
            raise CommandError(f"Das Gemeindeverzeichnis konnte nicht gelesen werden: {error}") from error
        result = services.register_load(data=data)
        self.stdout.write(
            f"Gemeindeverzeichnis: {result.areas} Verwaltungsebenen, {result.places} Kreise und Gemeinden "
            f"({result.created} neu, {result.updated} aktualisiert, {result.unchanged} unverändert) in {time.monotonic() - started:.1f} s. "
            f"Quelle: {register.ATTRIBUTION}"
        )
