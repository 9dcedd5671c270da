"""The registry: municipalities, actor types, actors (network partners), their contact
persons and cooperations.

Writes go through ``networks.services``; reads through ``networks.selectors``; permissions are the
predicates in ``networks.rules``. Models that people edit carry a ``version`` for optimistic locking
(``portal.core.locking``) and a history. Searchable models declare their searched fields beside them.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.validators import validate_ags
from portal.core import search


class Bundesland(models.TextChoices):
    """Federal states; the value is the state key, the first two digits of the AGS."""

    SH = "01", "Schleswig-Holstein"
    HH = "02", "Hamburg"
    NI = "03", "Niedersachsen"
    HB = "04", "Bremen"
    NW = "05", "Nordrhein-Westfalen"
    HE = "06", "Hessen"
    RP = "07", "Rheinland-Pfalz"
    BW = "08", "Baden-Württemberg"
    BY = "09", "Bayern"
    SL = "10", "Saarland"
    BE = "11", "Berlin"
    BB = "12", "Brandenburg"
    MV = "13", "Mecklenburg-Vorpommern"
    SN = "14", "Sachsen"
    ST = "15", "Sachsen-Anhalt"
    TH = "16", "Thüringen"


class MunicipalityKind(models.TextChoices):
    GEMEINDE = "gemeinde", _("Gemeinde")
    STADT = "stadt", _("Stadt (kreisangehörig)")
    KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")
    KREIS = "kreis", _("Kreis / Landkreis")
    REGION = "region", _("Region / Städteregion")
    GEMEINDEFREI = "gemeindefrei", _("Inhabited unincorporated area")


class RegionKind(models.TextChoices):
    LAND = "land", _("Land")
    REGIERUNGSBEZIRK = "regierungsbezirk", _("Regierungsbezirk")
    REGION = "region", _("Region (Baden-Württemberg)")
    VERBAND = "verband", _("Gemeindeverband")


class Region(models.Model):
    """An administrative level of the official register that is not a municipality itself: the
    Länder, the Regierungsbezirke (and Baden-Württemberg's regions) and the Gemeindeverbände
    (Ämter, Samtgemeinden, Verbandsgemeinden, Verwaltungsgemeinschaften ...). Loaded from the
    register by ``load_register``; nobody edits them."""

    key = models.CharField(
        _("key"), max_length=12, unique=True,
        help_text=_("The leading digits of the Regionalschlüssel that identify the area."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    designation = models.CharField(
        _("designation"), max_length=100, blank=True, help_text=_("E.g. Amt, Samtgemeinde, Verbandsgemeinde."),
    )
    bundesland = models.CharField(_("federal state"), max_length=2, choices=Bundesland.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE, related_name="parts",
    )
    kreis = models.ForeignKey(
        "Municipality", verbose_name=_("Kreis"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="verbaende",
    )

    class Meta:
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.name} ({self.designation})" if self.designation else self.name


class MunicipalityManager(models.Manager["Municipality"]):
    def get_by_natural_key(self, ags: str) -> "Municipality":
        return self.get(ags=ags)


class Municipality(models.Model):
    """A Kreis, kreisfreie Stadt or Gemeinde of the official register (or one added by hand). Its natural
    key is the AGS, so fixtures (the demo content) find it whether or not the register was loaded first."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True, validators=[validate_ags],
        help_text=_("8 digits, e.g. 05370000 for Kreis Heinsberg."),
    )
    official_name = models.CharField(
        _("official name"), max_length=200, blank=True, help_text=_("As the municipality register writes it."),
    )
    regional_key = models.CharField(
        _("Regionalschlüssel"), max_length=12, blank=True, db_index=True,
        help_text=_("12 digits: state, Regierungsbezirk, Kreis, Gemeindeverband, Gemeinde."),
    )
    bundesland = models.CharField(_("federal state"), max_length=2, choices=Bundesland.choices)
    regierungsbezirk = models.CharField(_("Regierungsbezirk"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("Kreis"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members", limit_choices_to={"kind__in": ["kreis", "region"]},
    )
    verband = models.ForeignKey(
        Region, verbose_name=_("Gemeindeverband"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="municipalities", limit_choices_to={"kind": RegionKind.VERBAND},
    )
    seat = models.CharField(_("administrative seat"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True, help_text=_("Of the seat of administration."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("male population"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("female population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area in km²"), max_digits=9, decimal_places=2, null=True, blank=True)
    children_under_18 = models.PositiveIntegerField(_("children under 18"), null=True, blank=True)
    children_under_3 = models.PositiveIntegerField(_("children under 3"), null=True, blank=True)
    population_date = models.DateField(
        _("date of the population figure"), null=True, blank=True,
        help_text=_("Reference date of population and area, if it differs from the child figures."),
    )
    population_source = models.CharField(_("source of population and area"), max_length=300, blank=True)
    figures_date = models.DateField(
        _("date of the figures"), null=True, blank=True,
        help_text=_("Reference date of the child figures (and of population and area unless given separately)."),
    )
    figures_source = models.CharField(_("source of the figures"), max_length=300, blank=True)
    notes = models.TextField(
        _("notes on the figures"), blank=True,
        help_text=_("E.g. contradicting sources or how a figure was derived."),
    )
    has_youth_office = models.BooleanField(_("has its own Jugendamt"), default=False)
    website = models.URLField(_("website"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinators"), blank=True,
        related_name="coordinated_municipalities",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector"])

    objects = MunicipalityManager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["bundesland", "kind"]),
            models.Index(fields=["postcode"], name="networks_muni_postcode_idx"),
            # The list of municipalities pages through all of them by name.
            models.Index(fields=["name", "id"], name="networks_muni_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:municipality-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.ags,)


search.register(
    Municipality,
    fields={"A": ["name", "official_name"], "B": ["ags", "postcode", "seat"], "C": ["regierungsbezirk"]},
    vector_field="search_vector",
)


class Sector(models.TextChoices):
    """The legal system / sector an actor type belongs to."""

    JUGENDHILFE = "jugendhilfe", _("Child and youth welfare (SGB VIII)")
    GESUNDHEIT = "gesundheit", _("Health care (SGB V, ÖGD)")
    SUCHTHILFE = "suchthilfe", _("Addiction help")
    PSYCHIATRIE = "psychiatrie", _("Psychiatry and social psychiatry")
    EINGLIEDERUNG = "eingliederung", _("Integration assistance (SGB IX)")
    ARBEIT = "arbeit", _("Basic income and employment (SGB II/III)")
    SOZIALES = "soziales", _("Social welfare and counselling")
    BILDUNG = "bildung", _("Education (schools, day care)")
    JUSTIZ = "justiz", _("Justice, police and protection from violence")
    SELBSTHILFE = "selbsthilfe", _("Self-help and civil society")


class ActorType(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    sector = models.CharField(_("sector / legal system"), max_length=20, choices=Sector.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    recommended = models.BooleanField(
        _("recommended for the network"), default=False,
        help_text=_("Recommended actor types count in the gap analysis."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor type")
        verbose_name_plural = _("actor types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    """A curated vocabulary of target groups, shared by the registry and the catalogue."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """A municipality a partner serves beyond its home.

    Declared by someone who keeps the partner; it counts for the municipality served (its page, gap
    analysis, exports and documents) only once confirmed: at once when the person declaring it also
    coordinates that municipality, otherwise when one of its coordinators (or an admin) confirms it.
    """

    actor = models.ForeignKey("Actor", verbose_name=_("network partner"), on_delete=models.CASCADE)
    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality served"), on_delete=models.CASCADE)
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        db_table = "networks_actor_serves"  # the table of the plain relation it replaced
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        unique_together = [("actor", "municipality")]  # as on the plain relation's table
        indexes = [models.Index(fields=["municipality", "confirmed_at"], name="networks_servicearea_confirmed")]

    def __str__(self) -> str:
        return f"{self.actor} → {self.municipality}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class TraegerKind(models.TextChoices):
    PUBLIC = "public", _("Public body")
    FREE_WELFARE = "free_welfare", _("Free welfare association (e.g. Caritas, Diakonie, AWO)")
    PRIVATE = "private", _("Private provider")
    OTHER = "other", _("Other (association, self-help)")


class Actor(models.Model):
    """A network partner: an organisation or service in a municipality."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name of the organisation"), max_length=250)
    actor_type = models.ForeignKey(ActorType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="actors")
    traeger_kind = models.CharField(_("kind of provider (Träger)"), max_length=20, choices=TraegerKind.choices)
    traeger_name = models.CharField(_("provider (Träger)"), max_length=250, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("home municipality"), on_delete=models.PROTECT, related_name="actors",
    )
    serves = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities served"), blank=True, related_name="served_by",
        through=ServiceArea,
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("town"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    offer = models.TextField(_("what it offers these families"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("target groups"), blank=True, related_name="actors")
    languages = models.CharField(_("languages"), max_length=200, blank=True, help_text=_("Comma-separated, e.g. Deutsch, Türkisch"))
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Stored search text (PostgreSQL, GIN-indexed), kept in sync by portal.core.search.
    search_vector = SearchVectorField(null=True, editable=False)
    # The history also keeps the municipalities served and the target groups at each change.
    history = HistoricalRecords(excluded_fields=["search_vector"], m2m_fields=[serves, target_groups])

    class Meta:
        verbose_name = _("network partner")
        verbose_name_plural = _("network partners")
        ordering = ["name"]
        indexes = [
            # A municipality's page counts its partners per type and pages through them by type and name
            # from this index alone (index-only scans; the rows, with their search text, are wide).
            models.Index(fields=["municipality", "is_active", "actor_type", "name", "id"],
                         name="networks_actor_home_type_idx"),
            models.Index(fields=["actor_type", "is_active"]),
            # The importer's duplicate check reads partners by postal code or e-mail address.
            models.Index(fields=["postal_code"], name="networks_actor_postal_idx"),
            models.Index(Lower("email"), name="networks_actor_email_idx"),
            # The registry's list pages through all partners by name (a stable order read from the index).
            models.Index(fields=["name", "id"], name="networks_actor_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:actor-detail", kwargs={"pk": self.pk})


search.register(
    Actor,
    fields={
        "A": ["name"],
        "B": ["actor_type__name", "traeger_name"],
        "C": ["offer", "city", "municipality__name"],
        "D": ["languages", "accessibility"],
    },
    vector_field="search_vector",
)


class ContactPerson(models.Model):
    """Personal data: visible only to signed-in staff, never public, never in public exports."""

    actor = models.ForeignKey(Actor, verbose_name=_("network partner"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CooperationKind(models.TextChoices):
    AGREEMENT = "agreement", _("Cooperation agreement")
    WORKING_GROUP = "working_group", _("Working group (Arbeitskreis)")
    STEERING_GROUP = "steering_group", _("Steering group")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    NETWORK = "network", _("Network meeting")
    OTHER = "other", _("Other")


class Cooperation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=CooperationKind.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="cooperations",
    )
    actors = models.ManyToManyField(Actor, verbose_name=_("partners involved"), related_name="cooperations")
    since = models.DateField(_("since"), null=True, blank=True)
    meeting_frequency = models.CharField(_("how often it meets"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    link = models.URLField(_("link"), blank=True)
    document = models.FileField(_("document"), upload_to="cooperations/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[actors])

    class Meta:
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        ordering = ["title"]
        indexes = [
            # A municipality's page counts its cooperations per kind and pages through them by title.
            models.Index(fields=["municipality", "is_active", "title", "id", "kind"],
                         name="networks_coop_home_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("networks:cooperation-detail", kwargs={"pk": self.pk})


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class AccessRequest(models.Model):
    """Someone asks to coordinate a municipality's network. No account exists before the editorial
    team or an admin approves; approval creates (or upgrades) the account and assigns the municipality."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    function = models.CharField(_("function"), max_length=200, help_text=_("E.g. Jugendamtsleitung, Frühe-Hilfen-Koordination."))
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="access_requests",
    )
    justification = models.TextField(_("justification"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="access_requests",
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} – {self.municipality}"
