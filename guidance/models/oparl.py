"""The council's record: a municipality's OParl system and the paper (Vorlage) its resolution was
decided on, read from the council information system (guidance/oparl.py) and refreshed by
``manage.py refresh_oparl``."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CouncilSystem(models.Model):
    """The OParl interface of a municipality's council information system."""

    municipality = models.OneToOneField(
        "networks.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="council_system",
    )
    entry_url = models.URLField(_("OParl entry address"), max_length=500)
    name = models.CharField(_("name of the system"), max_length=200, blank=True)
    body_url = models.URLField(_("OParl body"), max_length=500, blank=True)
    body_name = models.CharField(_("name of the body"), max_length=200, blank=True)
    paper_list_url = models.URLField(_("list of papers"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("last read"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council information system")
        verbose_name_plural = _("council information systems")

    def __str__(self) -> str:
        return self.name or self.entry_url


class LinkedPaper(models.Model):
    """The OParl paper a municipality's resolution was decided on, as last read from the council."""

    municipality = models.OneToOneField(
        "networks.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="resolution_paper",
    )
    url = models.URLField(_("OParl address of the paper"), max_length=500)
    web_url = models.URLField(_("web page of the paper"), max_length=500, blank=True)
    name = models.CharField(_("title"), max_length=500)
    reference = models.CharField(_("Drucksache / Vorlage number"), max_length=100, blank=True)
    date = models.DateField(_("date of the paper"), null=True, blank=True)
    paper_type = models.CharField(_("type of paper"), max_length=200, blank=True)
    consultations = models.JSONField(_("consultations"), default=list, blank=True)
    files = models.JSONField(_("files"), default=list, blank=True)
    snapshot = models.JSONField(_("data as read"), default=dict, blank=True)
    fetched_at = models.DateTimeField(_("last read"), default=timezone.now)
    linked_at = models.DateTimeField(_("linked on"), default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["snapshot", "fetched_at"])

    class Meta:
        verbose_name = _("linked council paper")
        verbose_name_plural = _("linked council papers")
        ordering = ["-date", "municipality__name"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()

    @property
    def original_url(self) -> str:
        """The paper's web page if the system names one, else its OParl address."""
        return self.web_url or self.url

    @property
    def consultation_rows(self) -> list[dict]:
        """The consultations with their meeting date as a date (stored as ISO text)."""
        rows = []
        for item in self.consultations or []:
            row = dict(item)
            try:
                row["meeting_date"] = datetime.date.fromisoformat(item.get("meeting_date") or "")
            except ValueError:
                row["meeting_date"] = None
            rows.append(row)
        return rows


class ConsultationChange(models.Model):
    """A consultation's result as it changed between two readings of the paper."""

    paper = models.ForeignKey(
        LinkedPaper, verbose_name=_("paper"), on_delete=models.CASCADE, related_name="changes",
    )
    consultation_url = models.URLField(_("OParl address of the consultation"), max_length=500, blank=True)
    committee = models.CharField(_("committee or council"), max_length=200, blank=True)
    meeting_date = models.DateField(_("date of the session"), null=True, blank=True)
    old_result = models.CharField(_("previous result"), max_length=300, blank=True)
    new_result = models.CharField(_("new result"), max_length=300, blank=True)
    detected_at = models.DateTimeField(_("noticed on"), default=timezone.now)

    class Meta:
        verbose_name = _("change of a consultation's result")
        verbose_name_plural = _("changes of consultations' results")
        ordering = ["-detected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.committee}: {self.old_result} → {self.new_result}"
