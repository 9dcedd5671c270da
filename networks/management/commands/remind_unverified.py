"""Remind coordinators of partners not verified for a year: ``manage.py remind_unverified``.

Meant for a scheduler (cron, a systemd timer), for example every Monday morning::

    0 7 * * 1  cd /srv/starkes-netz && .venv/bin/python manage.py remind_unverified

Each coordinator gets at most one e-mail per period (``--every``, 7 days): a second run in the same
week sends nothing (``portal.core.notices`` records who was told when).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from networks import services


class Command(BaseCommand):
    help = (
        "Erinnert Koordinatorinnen und Koordinatoren per E-Mail an die aktiven Partner ihrer Kommunen, die "
        "seit einem Jahr (--days) oder nie geprüft wurden: eine E-Mail je Person, höchstens eine je Woche "
        "(--every). Für einen regelmäßigen Aufruf (cron); --dry-run zeigt nur, wer eine E-Mail bekäme."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365,
                            help="Partner gelten nach so vielen Tagen ohne Prüfung als ungeprüft (Standard: 365).")
        parser.add_argument("--every", type=int, default=7,
                            help="Höchstens eine Erinnerung je Person in so vielen Tagen (Standard: 7).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Nichts verschicken und nichts vermerken, nur anzeigen.")

    def handle(self, *args, days, every, dry_run, **options):
        try:
            run = services.remind_unverified(days=days, every_days=every, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError("Die Anzahl der Tage muss mindestens 1 sein.") from error
        verb = "bekäme eine Erinnerung" if dry_run else "erinnert"
        for address in run.sent:
            self.stdout.write(f"{address}: {verb}")
        for address in run.skipped:
            self.stdout.write(f"{address}: übersprungen (in den letzten {every} Tagen schon erinnert)")
        summary = (f"{len(run.sent)} Erinnerung(en) {'würden verschickt' if dry_run else 'verschickt'}, "
                   f"{run.partners} ungeprüfte Partner, {len(run.skipped)} übersprungen.")
        self.stdout.write(self.style.SUCCESS(summary))
