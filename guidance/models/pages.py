"""Guidance pages: the texts of the guide, grouped by area."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guidance.models.roadmap import Area
from portal.core import search


class GuidancePage(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    sources = models.TextField(_("sources (Markdown)"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("guidance page")
        verbose_name_plural = _("guidance pages")
        ordering = ["area", "order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guidance:page", kwargs={"slug": self.slug})


search.register(GuidancePage, fields={"A": ["title"], "B": ["summary"], "C": ["body"]})
