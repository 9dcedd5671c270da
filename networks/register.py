"""The official municipality register (Destatis, Gemeindeverzeichnis) as records the registry loads.

The file is the Federal Statistical Office's extract of the Gemeindeverzeichnis-Informationssystem
(GV-ISys), Gebietsstand and population 31.12.2019, published under the Datenlizenz Deutschland –
Namensnennung 2.0; it lies in ``fixtures/register/`` with its README. :func:`read` turns its rows into
:class:`Area` (Länder, Regierungsbezirke, regions, Gemeindeverbände) and :class:`Place` records
(Kreise, kreisfreie Städte and Gemeinden, with their figures); Kreis figures are the sums of their
Gemeinden. Writing them is :func:`networks.services.register_load`.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

SOURCE = "Destatis, Gemeindeverzeichnis, Stand 31.12.2019"
ATTRIBUTION = (
    "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, "
    "Gebietsstand 31.12.2019, Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
)
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
DATE = datetime.date(2019, 12, 31)
MAX_BYTES = 5 * 1024 * 1024  # the file is 1.8 MB; anything much larger is not the register

# Record types (satzart) and kinds (textkennzeichen), as the register's README defines them.
LAND, REGIERUNGSBEZIRK, REGION, KREIS, VERBAND, GEMEINDE = "10", "20", "30", "40", "50", "60"
VERBAND_DESIGNATIONS = {
    "51": "Amt", "52": "Samtgemeinde", "53": "Verbandsgemeinde", "54": "Verwaltungsgemeinschaft",
    "55": "Kirchspielslandgemeinde", "56": "Verwaltungsverband", "58": "erfüllende Gemeinde",
}
KREIS_KINDS = {"41": "kreisfreie_stadt", "42": "kreisfreie_stadt", "43": "kreis", "44": "kreis", "45": "region"}
GEMEINDE_KINDS = {"60": "gemeinde", "63": "stadt", "64": "gemeinde", "65": "gemeindefrei", "67": "stadt"}
UNINHABITED = "66"  # gemeindefreie Gebiete without inhabitants: counted in the Kreis's area, not loaded
KREIS_PREFIX = {"43": "Kreis", "44": "Landkreis"}


def default_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "register" / "gemeindeverzeichnis-2019.csv"


class RegisterError(ValueError):
    """The file is not the register as described in its README."""


@dataclass
class Area:
    key: str
    name: str
    kind: str  # networks.models.RegionKind
    bundesland: str
    designation: str = ""
    parent_key: str = ""
    kreis_ags: str = ""


@dataclass
class Place:
    ags: str
    regional_key: str
    official_name: str
    name: str
    kind: str  # networks.models.MunicipalityKind
    bundesland: str
    regierungsbezirk: str = ""
    kreis_ags: str = ""  # the Kreis a kreisangehörige Gemeinde belongs to
    verband_key: str = ""
    population: int = 0
    male: int = 0
    female: int = 0
    area_km2: Decimal = Decimal("0")
    postcode: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    seat: str = ""
    members: list[str] = field(default_factory=list)

    @property
    def has_youth_office(self) -> bool:
        return self.kind in {"kreis", "kreisfreie_stadt", "region"}


@dataclass
class Register:
    areas: list[Area]
    places: list[Place]  # Kreise first, then Gemeinden

    def place(self, ags: str) -> Place | None:
        return next((p for p in self.places if p.ags == ags), None)


def _int(value: str) -> int:
    digits = value.replace(" ", "").replace("\xa0", "")
    return int(digits) if digits else 0


def _decimal(value: str) -> Decimal | None:
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise RegisterError(f"not a number: {value!r}") from error


def display_name(official: str, textkennzeichen: str) -> str:
    """A name as people say it: "Heinsberg" (Kreis) → "Kreis Heinsberg"; a Gemeinde keeps its official
    name ("Heinsberg, Stadt")."""
    if _is_region(official):
        return official
    prefix = KREIS_PREFIX.get(textkennzeichen)
    return f"{prefix} {official}" if prefix else official


def _is_region(official: str) -> bool:
    """Region Hannover, Städteregion Aachen, Regionalverband Saarbrücken: Kreise of their own kind."""
    return official.lower().startswith(("region ", "städteregion ", "regionalverband "))


def rb_name(official: str) -> str:
    """"Reg.-Bez. Köln" → "Köln"; Rheinland-Pfalz's former ones, "früher: Reg.-Bez. Trier" → "Trier (ehemals)"."""
    former = official.startswith("früher:")
    name = official.removeprefix("früher:").strip().removeprefix("Reg.-Bez.").strip()
    return f"{name} (ehemals)" if former else name


def rows(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    reader = csv.DictReader(lines)
    expected = {"satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde", "gemeindename",
                "flaeche", "bevoelkerung", "maennlich", "weiblich", "postleitzahl", "laengengrad", "breitengrad"}
    missing = expected - set(reader.fieldnames or [])
    if missing:
        raise RegisterError(f"columns missing: {', '.join(sorted(missing))}")
    yield from reader


def read(path: Path | None = None) -> Register:
    path = path or default_path()
    if path.stat().st_size > MAX_BYTES:
        raise RegisterError("file too large for the municipality register")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return parse(handle)


def parse(lines: Iterable[str] | io.TextIOBase) -> Register:
    areas: list[Area] = []
    kreise: dict[str, Place] = {}
    gemeinden: list[Place] = []
    uninhabited_area: dict[str, Decimal] = {}
    rb_names: dict[str, str] = {}
    for row in rows(lines):  # type: ignore[arg-type]
        satzart, kind = row["satzart"].strip(), row["textkennzeichen"].strip()
        land, rb, kreis, vb, gem = (row[k].strip() for k in ("land", "rb", "kreis", "vb", "gemeinde"))
        name = row["gemeindename"].strip()
        if satzart == LAND:
            areas.append(Area(key=land, name=name, kind="land", bundesland=land))
        elif satzart == REGIERUNGSBEZIRK:
            rb_names[land + rb] = rb_name(name)
            areas.append(Area(key=land + rb, name=name, kind="regierungsbezirk", bundesland=land, parent_key=land))
        elif satzart == REGION:
            areas.append(Area(key=land + rb + kreis, name=name, kind="region", bundesland=land,
                              parent_key=land + rb if land + rb in rb_names else land))
        elif satzart == KREIS:
            ags = f"{land}{rb}{kreis}000"
            kreise[ags] = Place(
                ags=ags, regional_key=f"{land}{rb}{kreis}0000000", official_name=name,
                name=display_name(name, kind), kind="region" if _is_region(name) else KREIS_KINDS.get(kind, "kreis"),
                bundesland=land,
                regierungsbezirk=rb_names.get(land + rb, ""),
            )
        elif satzart == VERBAND and kind in VERBAND_DESIGNATIONS:
            areas.append(Area(key=f"{land}{rb}{kreis}{vb}", name=name, kind="verband", bundesland=land,
                              designation=VERBAND_DESIGNATIONS[kind], kreis_ags=f"{land}{rb}{kreis}000"))
        elif satzart == GEMEINDE:
            kreis_ags, ags = f"{land}{rb}{kreis}000", f"{land}{rb}{kreis}{gem}"
            if kind == UNINHABITED:
                uninhabited_area[kreis_ags] = uninhabited_area.get(kreis_ags, Decimal(0)) + (
                    _decimal(row["flaeche"]) or Decimal(0))
                continue
            place = Place(
                ags=ags, regional_key=f"{land}{rb}{kreis}{vb}{gem}", official_name=name, name=name,
                kind=GEMEINDE_KINDS.get(kind, "gemeinde"), bundesland=land,
                regierungsbezirk=rb_names.get(land + rb, ""), kreis_ags=kreis_ags,
                verband_key=f"{land}{rb}{kreis}{vb}",
                population=_int(row["bevoelkerung"]), male=_int(row["maennlich"]), female=_int(row["weiblich"]),
                area_km2=_decimal(row["flaeche"]) or Decimal(0), postcode=row["postleitzahl"].strip()[:5],
                latitude=_decimal(row["breitengrad"]), longitude=_decimal(row["laengengrad"]),
            )
            gemeinden.append(place)
    if not kreise or not gemeinden:
        raise RegisterError("no Kreise or no Gemeinden: this is not the municipality register")
    verband_keys = {a.key for a in areas if a.kind == "verband"}
    places: list[Place] = []
    for kreis in kreise.values():
        kreis.area_km2 = uninhabited_area.get(kreis.ags, Decimal(0))
    for gemeinde in gemeinden:
        if gemeinde.verband_key not in verband_keys:
            gemeinde.verband_key = ""
        kreis = kreise.get(gemeinde.kreis_ags)
        if kreis is None:
            raise RegisterError(f"Gemeinde {gemeinde.ags} without its Kreis")
        kreis.population += gemeinde.population
        kreis.male += gemeinde.male
        kreis.female += gemeinde.female
        kreis.area_km2 += gemeinde.area_km2
        kreis.members.append(gemeinde.ags)
    for kreis in kreise.values():
        if kreis.kind == "kreisfreie_stadt" and len(kreis.members) == 1:
            # A kreisfreie Stadt is its own single Gemeinde, with the same AGS: one place.
            (only,) = [g for g in gemeinden if g.ags == kreis.members[0]]
            kreis.postcode, kreis.latitude, kreis.longitude = only.postcode, only.latitude, only.longitude
            kreis.regional_key = only.regional_key
            kreis.name = only.name
        places.append(kreis)
    kreisfrei = {k.ags for k in kreise.values() if k.kind == "kreisfreie_stadt" and len(k.members) == 1}
    for gemeinde in gemeinden:
        if gemeinde.ags in kreisfrei:
            continue
        if gemeinde.kreis_ags in kreisfrei:  # pragma: no cover - defensive; such a Kreis has one member
            continue
        places.append(gemeinde)
    # A Kreis's point: the register gives none, so the mean of its Gemeinden's seats weighted by their
    # area, which lies near the middle of the Kreis.
    by_ags = {g.ags: g for g in gemeinden}
    for kreis in kreise.values():
        located = [by_ags[a] for a in kreis.members if by_ags[a].latitude is not None]
        if kreis.latitude is None and located:
            weight = sum((g.area_km2 for g in located), Decimal(0)) or Decimal(len(located))
            kreis.latitude = (sum(g.latitude * (g.area_km2 or 1) for g in located) / weight).quantize(Decimal("0.000001"))  # type: ignore[operator]
            kreis.longitude = (sum(g.longitude * (g.area_km2 or 1) for g in located) / weight).quantize(Decimal("0.000001"))  # type: ignore[operator]
    return Register(areas=areas, places=places)
