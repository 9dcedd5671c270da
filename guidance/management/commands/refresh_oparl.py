"""Read every linked council paper again (for example nightly from cron) and record each consultation
whose result changed. A failing council system is reported and skipped; the others are refreshed."""

import logging

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from guidance import selectors, services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Liest die verknüpften Vorlagen aus den Ratsinformationssystemen (OParl) neu und hält geänderte Ergebnisse fest."

    def add_arguments(self, parser):
        parser.add_argument("--kommune", default="", help="Nur die Vorlage dieser Kommune (Slug).")

    def handle(self, *args, **options):
        papers = selectors.linked_papers()
        if options["kommune"]:
            papers = papers.filter(municipality__slug=options["kommune"])
        refreshed = failed = changed = 0
        for paper in papers.iterator(chunk_size=100):
            label = f"{paper.municipality.name}: {paper.reference or paper.name}"
            try:
                changes = services.oparl_refresh_paper(paper=paper, by=None)
            except ValidationError as error:
                failed += 1
                message = " ".join(error.messages)
                logger.warning("OParl refresh failed for paper %s (%s): %s", paper.pk, paper.url, message)
                self.stderr.write(f"Fehler bei {label}: {message}")
                continue
            except Exception:  # one broken paper must not stop the others
                failed += 1
                logger.exception("OParl refresh failed for paper %s (%s)", paper.pk, paper.url)
                self.stderr.write(f"Fehler bei {label}: unerwarteter Fehler, siehe Protokoll.")
                continue
            refreshed += 1
            for change in changes:
                changed += 1
                self.stdout.write(
                    f"{label}: Ergebnis in „{change.committee or '–'}“ geändert: "
                    f"„{change.old_result or '–'}“ → „{change.new_result or '–'}“"
                )
        self.stdout.write(
            f"{refreshed} Vorlage(n) aktualisiert, {changed} geänderte(s) Ergebnis(se), {failed} Fehler."
        )
