"""The good-practice catalogue (Praxisbeispiele).

An :class:`Example` holds the text the public sees (once published) in ordinary columns, so
facets and the search read plain rows. Every write is an :class:`ExampleRevision` carrying a
full snapshot of the proposed content: while an example has never been published, the columns
follow the working revision; once published, a change waits in its own revision until the
editorial team publishes it, and only then is copied into the columns. :class:`ExampleEvent`
records who did what and when (the history of every revision, with review comments).

Writes go through ``guidance.catalogue.services``; reads through ``guidance.catalogue.selectors``;
what an example's content consists of is declared once in ``guidance.catalogue.content``.

Every model here belongs to the ``guidance`` app label (``Meta.app_label``): its tables, history and
migrations were created there (see ``guidance.catalogue.apps``).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core import search

__all__ = [
    "Criterion",
    "Example",
    "ExampleAttachment",
    "ExampleCriterion",
    "ExampleEvent",
    "ExampleLink",
    "ExampleParticipant",
    "ExampleRevision",
    "ExampleStatus",
    "Keyword",
    "LegalForm",
    "RevisionStatus",
]


class ExampleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


OPEN_REVISION_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW)


class LegalForm(models.TextChoices):
    PUBLIC_LAW_AGREEMENT = "oeffentlich_rechtlich", _("öffentlich-rechtliche Vereinbarung")
    ZWECKVEREINBARUNG = "zweckvereinbarung", _("Zweckvereinbarung")
    ZWECKVERBAND = "zweckverband", _("Zweckverband")
    COOPERATION_CONTRACT = "kooperationsvertrag", _("Kooperationsvertrag")
    INFORMAL = "informell", _("informelle Zusammenarbeit")
    OTHER = "sonstige", _("sonstige Rechtsform")


class Criterion(models.TextChoices):
    """The 12 Good-Practice criteria of the Kooperationsverbund Gesundheitliche Chancengleichheit."""

    KONZEPTION = "konzeption", _("Konzeption")
    ZIELGRUPPENBEZUG = "zielgruppenbezug", _("Zielgruppenbezug")
    SETTING = "setting", _("Setting-Ansatz")
    MULTIPLIKATOREN = "multiplikatoren", _("Multiplikatorenkonzept")
    NACHHALTIGKEIT = "nachhaltigkeit", _("Nachhaltigkeit")
    NIEDRIGSCHWELLIG = "niedrigschwellig", _("Niedrigschwellige Arbeitsweise")
    PARTIZIPATION = "partizipation", _("Partizipation")
    EMPOWERMENT = "empowerment", _("Empowerment")
    VERNETZUNG = "vernetzung", _("Integriertes Handlungskonzept/Vernetzung")
    QUALITAET = "qualitaet", _("Qualitätsmanagement")
    DOKUMENTATION = "dokumentation", _("Dokumentation und Evaluation")
    WIRKUNG = "wirkung", _("Belege für Wirkungen und Kosten")


class Keyword(models.Model):
    """The curated vocabulary of keywords (Stichworte); free tags live on the example."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        app_label = "guidance"
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Example(models.Model):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=ExampleStatus.choices, default=ExampleStatus.DRAFT)
    municipality = models.ForeignKey(
        "networks.Municipality", verbose_name=_("responsible municipality"), on_delete=models.PROTECT,
        related_name="examples",
        help_text=_("Its coordinators may edit the example; its profile feeds the facets."),
    )
    title = models.CharField(_("title"), max_length=250)
    keywords = models.ManyToManyField(Keyword, verbose_name=_("keywords"), blank=True, related_name="examples")
    free_tags = models.CharField(_("free tags"), max_length=300, blank=True, help_text=_("Comma-separated."))
    lead_actor = models.ForeignKey(
        "networks.Actor", verbose_name=_("lead organisation (registry)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    lead_name = models.CharField(_("lead organisation"), max_length=250, blank=True)
    municipalities = models.ManyToManyField(
        "networks.Municipality", verbose_name=_("municipalities involved"), blank=True,
        related_name="involved_in_examples",
    )
    occasion = models.TextField(_("occasion"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    implementation = models.TextField(_("implementation"), blank=True)
    financing = models.TextField(_("financing"), blank=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices, blank=True)
    since_year = models.PositiveSmallIntegerField(_("cooperation since (year)"), null=True, blank=True)
    since_month = models.PositiveSmallIntegerField(_("cooperation since (month)"), null=True, blank=True)
    contact_organisation = models.CharField(_("contact: organisation"), max_length=250, blank=True)
    contact_address = models.TextField(_("contact: address"), blank=True)
    contact_phone = models.CharField(_("contact: phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact: general e-mail"), blank=True)
    figures_note = models.TextField(
        _("note on figures"), blank=True,
        help_text=_("Where sources disagree (e.g. on the area), say so here."),
    )
    steps = models.ManyToManyField(
        "guidance.RoadmapStep", verbose_name=_("roadmap steps"), blank=True, related_name="examples",
    )
    target_groups = models.ManyToManyField(
        "networks.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="examples",
    )
    # Denormalised text for the search (kept in sync by the services).
    keywords_text = models.TextField(editable=False, blank=True)
    participants_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("last published"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector", "updated_at"])

    class Meta:
        app_label = "guidance"
        verbose_name = _("good-practice example")
        verbose_name_plural = _("good-practice examples")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "last_published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == ExampleStatus.PUBLISHED

    @property
    def since_display(self) -> str:
        from django.utils.dates import MONTHS

        if not self.since_year:
            return ""
        if self.since_month:
            return f"{MONTHS[self.since_month]} {self.since_year}"
        return str(self.since_year)

    @property
    def free_tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.free_tags.split(",") if tag.strip()]


# The keywords' and participants' names are kept as text on the example (by the services), so the
# stored vector needs no join.
search.register(
    Example,
    fields={
        "A": ["title"],
        "B": ["keywords_text"],
        "C": ["occasion", "goal", "implementation"],
        "D": ["financing", "lead_name", "participants_text", "contact_organisation"],
    },
    vector_field="search_vector",
)


class ExampleParticipant(models.Model):
    """Another participant (Sonstige Beteiligte): a registry actor where one exists, else text."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey(
        "networks.Actor", verbose_name=_("network partner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="example_participations",
    )
    name = models.CharField(_("name"), max_length=250)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "guidance"
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ExampleLink(models.Model):
    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    label = models.CharField(_("label"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "guidance"
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label or self.url


class ExampleCriterion(models.Model):
    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    justification = models.TextField(_("justification"))

    class Meta:
        app_label = "guidance"
        verbose_name = _("criterion met")
        verbose_name_plural = _("criteria met")
        constraints = [models.UniqueConstraint(fields=["example", "criterion"], name="catalogue_criterion_once")]

    def __str__(self) -> str:
        return self.get_criterion_display()


class ExampleRevision(models.Model):
    """One proposed state of an example: a full snapshot of its content in ``data``."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    status = models.CharField(_("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    data = models.JSONField(_("content"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        app_label = "guidance"
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["example", "-number"]
        constraints = [models.UniqueConstraint(fields=["example", "number"], name="catalogue_revision_number")]

    def __str__(self) -> str:
        return f"{self.example} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVISION_STATUSES


def _attachment_path(instance, filename: str) -> str:
    # A random directory: files are served through a permission-checking view, and their
    # storage paths cannot be guessed.
    import uuid

    return f"catalogue/{uuid.uuid4().hex}/{filename}"


class ExampleAttachment(models.Model):
    """A file; public only once the revision that added it has been published."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="attachments")
    revision = models.ForeignKey(ExampleRevision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        app_label = "guidance"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ExampleEvent(models.Model):
    """The history of an example: who did what to which revision, when, with which comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        SAVED = "saved", _("saved")
        SUBMITTED = "submitted", _("submitted")
        REVIEW_STARTED = "review_started", _("review started")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        ARCHIVED = "archived", _("archived")

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(ExampleRevision, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        app_label = "guidance"
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d}"
