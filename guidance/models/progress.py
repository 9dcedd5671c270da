"""Each municipality's way along the roadmap: a status per step, ticked tasks and evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guidance.models.roadmap import ChecklistTask, RoadmapStep


class StepStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class StepProgress(models.Model):
    municipality = models.ForeignKey(
        "networks.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="roadmap_progress",
    )
    step = models.ForeignKey(RoadmapStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.OPEN)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    responsible = models.CharField(_("responsible person or office"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.TextField(
        _("evidence"), blank=True,
        help_text=_("What documents the result, e.g. minutes, a concept, an agreement."),
    )
    evidence_link = models.URLField(_("link to the evidence"), blank=True)
    done_tasks = models.ManyToManyField(
        ChecklistTask, verbose_name=_("ticked tasks"), blank=True, related_name="ticked_in",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[done_tasks])

    class Meta:
        verbose_name = _("progress on a step")
        verbose_name_plural = _("progress on the steps")
        ordering = ["municipality__name", "step__number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "step"], name="guidance_progress_unique_step"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.step}"


class ResolutionResult(models.TextChoices):
    PENDING = "pending", _("pending (not yet decided)")
    ADOPTED = "adopted", _("adopted")
    ADOPTED_AMENDED = "adopted_amended", _("adopted with amendments")
    DEFERRED = "deferred", _("deferred")
    REJECTED = "rejected", _("rejected")


class ResolutionEvidence(models.Model):
    """Structured evidence of the resolution step (modelled on OParl's Paper and AgendaItem)."""

    progress = models.OneToOneField(
        StepProgress, verbose_name=_("progress"), on_delete=models.CASCADE, related_name="resolution",
    )
    committee = models.CharField(
        _("committee or council"), max_length=200, blank=True,
        help_text=_("e.g. Jugendhilfeausschuss, Kreistag, Rat der Stadt"),
    )
    session_date = models.DateField(_("date of the session"), null=True, blank=True)
    reference = models.CharField(
        _("Drucksache / Vorlage number"), max_length=60, blank=True, help_text=_("e.g. 0257/2015"),
    )
    result = models.CharField(_("result"), max_length=20, choices=ResolutionResult.choices, blank=True)
    link = models.URLField(_("link to the council information system"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution evidence")
        verbose_name_plural = _("resolution evidence")

    def __str__(self) -> str:
        return self.reference or str(self.progress)
