"""The official municipality register: parsed as its README describes, loaded idempotently in bulk, with
Kreis figures that are the sums of their Gemeinden, and demo municipalities updated rather than duplicated."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from networks import register, services
from networks.models import Actor, Municipality, Region
from tests.factories.networks import ActorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

KREIS_KINDS = ("kreis", "kreisfreie_stadt", "region")


def excerpt(*prefixes: str) -> list[str]:
    """The register's header and the rows whose key starts with one of ``prefixes`` (land+rb+kreis)."""
    with register.default_path().open(encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().splitlines(keepends=True)
    keep = [lines[0]]
    for line in lines[1:]:
        parts = line.split(",")
        key = parts[2] + parts[3] + parts[4]
        if any(key.startswith(p) or (parts[0] == "10" and p.startswith(parts[2])) for p in prefixes):
            keep.append(line)
    return keep


def test_the_whole_country_loads_with_the_registers_totals():
    out = io.StringIO()
    call_command("load_register", stdout=out)
    assert "Quelle: © Statistisches Bundesamt (Destatis)" in out.getvalue()

    assert Region.objects.filter(kind="land").count() == 16
    assert Region.objects.filter(kind="regierungsbezirk").count() > 0
    assert Region.objects.filter(kind="verband", designation="Verbandsgemeinde").count() > 100
    kreise = Municipality.objects.filter(kind__in=KREIS_KINDS)
    assert kreise.count() == 401
    # 11,004 Gemeinde records without the 208 uninhabited areas; 107 kreisfreie Städte are one record each.
    assert Municipality.objects.count() == 401 + 11_004 - 208 - 107
    assert kreise.aggregate(total=Sum("population"))["total"] == 83_166_711

    heinsberg = Municipality.objects.get(ags="05370000")
    assert (heinsberg.name, heinsberg.kind, heinsberg.population, heinsberg.area_km2) == (
        "Kreis Heinsberg", "kreis", 255_555, Decimal("627.92"))
    assert heinsberg.members.count() == 10 and heinsberg.has_youth_office
    # Every Kreis's figures are the sums of its Gemeinden.
    for kreis in kreise.filter(kind="kreis").annotate(
        members_population=Sum("members__population"), members_male=Sum("members__population_male")
    ):
        assert (kreis.population, kreis.population_male) == (kreis.members_population, kreis.members_male), kreis
    hamburg = Municipality.objects.get(ags="02000000")
    assert hamburg.kind == "kreisfreie_stadt" and hamburg.population == 1_847_253 and hamburg.parent is None
    village = Municipality.objects.get(ags="05370008")  # Gangelt
    assert village.parent == heinsberg and village.postcode == "52538" and village.latitude is not None
    assert village.population_source == "Destatis, Gemeindeverzeichnis, Stand 31.12.2019"
    assert Municipality.objects.get(name="Region Hannover").kind == "region"
    amt = Municipality.objects.filter(verband__designation="Amt").select_related("verband").first()
    assert amt is not None and amt.verband.bundesland == amt.bundesland

    # A second run changes nothing and creates nothing.
    out = io.StringIO()
    call_command("load_register", stdout=out)
    assert "0 neu, 0 aktualisiert" in out.getvalue()
    assert Municipality.objects.count() == 401 + 11_004 - 208 - 107


def test_existing_municipalities_are_updated_not_duplicated_and_keep_their_partners():
    kreis = MunicipalityFactory(name="Kreis Heinsberg", slug="kreis-heinsberg", kind="kreis", ags="05370000",
                                population=248_233, area_km2=Decimal("1110"), children_under_18=None)
    town = MunicipalityFactory(name="Gemeinde Gangelt", slug="gemeinde-gangelt", kind="gemeinde", ags="05370008",
                               parent=kreis, has_youth_office=True)
    partner = ActorFactory(municipality=town)

    data = register.parse(excerpt("05370"))
    result = services.register_load(data=data)
    assert result.created == 9 and result.updated == 2

    kreis.refresh_from_db()
    town.refresh_from_db()
    assert Municipality.objects.filter(ags="05370000").count() == 1
    assert (kreis.slug, kreis.name, kreis.population, kreis.area_km2) == (
        "kreis-heinsberg", "Kreis Heinsberg", 255_555, Decimal("627.92"))
    assert town.official_name == "Gangelt" and town.parent == kreis
    assert town.has_youth_office  # recorded for the Gemeinde: the register does not take it away
    assert Actor.objects.get(pk=partner.pk).municipality == town
    new = Municipality.objects.get(ags="05370016")
    assert new.name == "Heinsberg, Stadt" and new.slug == "heinsberg-stadt" and not new.has_youth_office

    again = services.register_load(data=register.parse(excerpt("05370")))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 11)


def test_a_file_that_is_not_the_register_is_refused_with_a_german_message(tmp_path):
    bad = tmp_path / "liste.csv"
    bad.write_text("name;ort\nA;B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Gemeindeverzeichnis konnte nicht gelesen werden"):
        call_command("load_register", file=bad, stdout=io.StringIO())
    assert Municipality.objects.count() == 0
