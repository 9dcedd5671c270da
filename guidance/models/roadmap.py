"""The roadmap (Fahrplan) from recognising the problem to a working network.

A step has a checklist of concrete tasks (in the spirit of CTC's milestones and benchmarks),
the actor types to involve (from the registry) and material (templates, links, studies).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core import search


class Area(models.TextChoices):
    """The three areas of the guide, modelled on kommune-fuer-familien.de."""

    DECISION = "decision", _("Decision & design")
    ADMINISTRATION = "administration", _("Setting up & implementation")
    PRACTICE = "practice", _("Practice")


class RoadmapStep(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    why = models.TextField(_("why it matters (Markdown)"), blank=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, default=Area.ADMINISTRATION)
    involve = models.TextField(
        _("who to involve (Markdown)"), blank=True,
        help_text=_("Roles and bodies to involve beyond the actor types linked below."),
    )
    actor_types = models.ManyToManyField(
        "networks.ActorType", verbose_name=_("actor types to involve"), blank=True, related_name="roadmap_steps",
    )
    sources = models.TextField(_("sources (Markdown)"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[actor_types])

    class Meta:
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap steps")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("guidance:step", kwargs={"slug": self.slug})


search.register(RoadmapStep, fields={"A": ["title"], "B": ["summary"], "C": ["why", "involve"]})


class ChecklistTask(models.Model):
    """A concrete, checkable task of a step (a milestone with its benchmark)."""

    step = models.ForeignKey(RoadmapStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("task"), max_length=300)
    benchmark = models.CharField(
        _("benchmark"), max_length=300, blank=True,
        help_text=_("How you can tell that the task is done."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist task")
        verbose_name_plural = _("checklist tasks")
        ordering = ["step__number", "order", "id"]

    def __str__(self) -> str:
        return self.title


def validate_material_url(value: str) -> None:
    """Only web addresses and paths inside the portal: no ``javascript:`` or other schemes."""
    if value.startswith(("https://", "http://")) or (value.startswith("/") and not value.startswith("//")):
        return
    raise ValidationError(_("Please enter a web address starting with https:// or a path starting with /."))


class MaterialKind(models.TextChoices):
    TEMPLATE = "template", _("Template")
    STUDY = "study", _("Study or report")
    LAW = "law", _("Legal text")
    LINK = "link", _("Further information")
    TOOL = "tool", _("Tool in this portal")


class Material(models.Model):
    step = models.ForeignKey(RoadmapStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.LINK)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(
        _("link"), max_length=500, blank=True,
        help_text=_("A web address (https://…) or a path inside this portal (/leitfaden/…)."),
        validators=[validate_material_url],
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["step__number", "order", "id"]

    def __str__(self) -> str:
        return self.title
