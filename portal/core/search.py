"""The one search module of the portal: what is searchable, how it is indexed, how it is queried.

Each searchable model declares once which fields are searched and how much each weighs
(:func:`register`, called beside the model). Everything else derives from that declaration:

* querying (:func:`search`): on PostgreSQL German full-text search (``config="german"``) with the
  weights, ranked by relevance, from the stored, GIN-indexed vector where the model has one. Every
  query word matches by prefix on its German stem ("Suchtberatung" finds "Suchtberatungsstelle",
  "Kommunen" finds "Kommune"), and a compound ending in a known tail also matches its head
  ("Suchtberatungsstellen" finds "Suchtberatung"). On SQLite (the embedded quick start) a case- and
  umlaut-insensitive substring match on a normalised form of the text (see :func:`normalize`): every
  word must occur (as itself, its light stem or its compound head), ranked so that matches in the
  most important fields come first.
* indexing (:func:`refresh`): the stored vector of a row is recomputed when the row is saved, and
  when a related row whose text it contains (a partner's type or municipality) is saved; bulk writers
  call :func:`refresh` themselves, since bulk inserts send no signals.

Which database engine runs is asked only here (and in :mod:`portal.core.db`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.core.db import is_postgres

# Weights of the fields, from most to least important (PostgreSQL's A-D).
WEIGHTS = ("A", "B", "C", "D")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_LENGTH = 200


# --- What is searchable --------------------------------------------------------------------


@dataclass(frozen=True)
class SearchSpec:
    """The searched fields of a model by weight ("A" most important ... "D"), and the name of its
    stored vector column, if it has one (PostgreSQL, GIN-indexed, kept in sync by this module)."""

    fields: Mapping[str, Sequence[str]]
    vector_field: str | None = None


_SPECS: dict[type[Model], SearchSpec] = {}


def register(model: type[Model], *, fields: Mapping[str, Sequence[str]], vector_field: str | None = None) -> None:
    """Declare ``model`` searchable over ``fields`` ({weight: [field paths]}).

    With ``vector_field``, the stored vector is recomputed whenever a row is saved, and whenever a
    related row is saved whose fields it contains (``"actor_type__name"``: a renamed type).
    """
    unknown = set(fields) - set(WEIGHTS)
    if unknown:
        raise ValueError(f"unknown search weights: {sorted(unknown)}")
    _SPECS[model] = SearchSpec(fields={weight: tuple(paths) for weight, paths in fields.items()},
                               vector_field=vector_field)
    if not vector_field:
        return

    def row_saved(sender: Any, instance: Model, using: str = "default", **kwargs: Any) -> None:
        refresh(model, pks=[instance.pk], using=using)

    post_save.connect(row_saved, sender=model, weak=False, dispatch_uid=f"search:{model._meta.label}")
    related: dict[str, set[str]] = {}
    for paths in fields.values():
        for path in paths:
            if "__" in path:
                relation, _sep, rest = path.partition("__")
                related.setdefault(relation, set()).add(rest.split("__", 1)[0])
    for relation, used in related.items():
        fk = model._meta.get_field(relation)
        if not fk.many_to_one:
            raise ValueError(f"{model._meta.label}: search path {relation!r} must follow a foreign key")
        _connect_related(model, fk, frozenset(used))


def _connect_related(model: type[Model], fk: Any, used: frozenset[str]) -> None:
    def related_saved(sender: Any, instance: Model, created: bool = False, update_fields: Any = None,
                      using: str = "default", **kwargs: Any) -> None:
        if created or (update_fields is not None and not used & set(update_fields)):
            return
        refresh(model, where={fk.attname: instance.pk}, using=using)

    # The related model may not be loaded yet: post_save resolves a lazy reference when it is.
    post_save.connect(related_saved, sender=fk.remote_field.model, weak=False,
                      dispatch_uid=f"search:{model._meta.label}:{fk.name}")


def unregister(model: type[Model]) -> None:
    """Forget a declaration made with :func:`register` without a vector (tests of this module)."""
    spec = _SPECS.pop(model, None)
    if spec is not None and spec.vector_field:
        raise ValueError("a model with a stored vector stays registered")


def spec_for(model: type[Model]) -> SearchSpec:
    try:
        return _SPECS[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not searchable (portal.core.search.register)") from None


def refresh(model: type[Model], *, pks: Iterable[Any] | None = None, where: Mapping[str, Any] | None = None,
            missing_only: bool = False, using: str = "default") -> None:
    """Recompute the stored vectors of ``model``'s rows: those in ``pks``, those matching ``where``,
    those without a vector yet (``missing_only``), or all. One UPDATE; nothing to do on SQLite."""
    spec = spec_for(model)
    if not spec.vector_field or not is_postgres(using):
        return
    rows = model._default_manager.db_manager(using).all()
    if pks is not None:
        ids = list(pks)
        if not ids:
            return
        rows = rows.filter(pk__in=ids)
    if where:
        rows = rows.filter(**where)
    if missing_only:
        rows = rows.filter(**{f"{spec.vector_field}__isnull": True})
    select, params = rows.annotate(_sn_vector=search_vector(spec.fields)).values_list("pk", "_sn_vector").query.sql_with_params()
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(model._meta.get_field(spec.vector_field).column)  # type: ignore[union-attr, arg-type]
    key = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = fresh.vector FROM ({select}) AS fresh (id, vector) "  # noqa: S608 - names from the model
            f"WHERE {table}.{key} = fresh.id",
            params,
        )


# --- What the site search shows ------------------------------------------------------------


@dataclass
class SearchHit:
    title: str
    url: str
    excerpt: str = ""  # HTML-safe, matches in <mark>
    meta: str = ""


@dataclass
class SearchGroup:
    """One app's answer to the site search: its best hits and how many there are in all."""

    key: str
    label: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    more_url: str = ""


# --- Querying ------------------------------------------------------------------------------


def normalize(text: str | None) -> str:
    """Fold case, umlauts and accents so that "ÜBERGANG", "Übergang" and "uebergang" compare equal."""
    if not text:
        return ""
    text = str(text)
    if text.isascii():
        return text.lower()  # nothing to fold beyond case (the common case: fast)
    folded = text.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def terms(query: str | None) -> list[str]:
    """The normalised words of a query, without punctuation or operators."""
    return _WORD.findall(normalize((query or "")[:MAX_QUERY_LENGTH]))


@receiver(connection_created)
def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("sn_normalize", 1, normalize, deterministic=True)


class Normalize(Func):
    """SQL twin of :func:`normalize` (registered as a function on SQLite)."""

    function = "sn_normalize"

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, output_field=TextField(), **extra)


class _JoinText(Func):
    """``COALESCE(a, '') || ' ' || COALESCE(b, '') ...`` as one flat expression.

    Django's Concat nests one function per pair, which overflows SQLite's parser for
    many fields; this stays flat. Used only for the SQLite fallback.
    """

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "

    def __init__(self, *expressions: Any) -> None:
        super().__init__(*expressions, output_field=TextField())


def _concat(fields: Sequence[str]) -> Any:
    parts = [Coalesce(F(field), Value(""), output_field=TextField()) for field in fields]
    if len(parts) == 1:
        return parts[0]
    return _JoinText(*parts)


def search_vector(weighted_fields: Mapping[str, Sequence[str]]) -> Any:
    """A weighted German ``SearchVector`` over the given fields (PostgreSQL only)."""
    from django.contrib.postgres.search import SearchVector

    vector: Any = None
    for weight, paths in weighted_fields.items():
        for path in paths:
            part = SearchVector(path, weight=weight, config="german")
            vector = part if vector is None else vector + part
    return vector


# Tails of German compounds that are common in this domain. A query word ending in one of them
# also looks for its head ("Suchtberatungsstellen" -> "Suchtberatung"), because the snowball
# stem of a compound is not a prefix of the stem of its head.
COMPOUND_TAILS = tuple(
    sorted(
        {
            "stelle", "stellen", "dienst", "dienste", "diensten", "dienstes", "angebot", "angebote",
            "angeboten", "angebots", "einrichtung", "einrichtungen", "netzwerk", "netzwerke", "netzwerken",
            "verbund", "verbuende", "verbünde", "konzept", "konzepte", "gruppe", "gruppen", "konferenz",
            "konferenzen", "vereinbarung", "vereinbarungen", "zentrum",
            "zentren", "projekt", "projekte", "gremium", "gremien", "team", "teams",
        },
        key=len,
        reverse=True,
    )
)
_FUGEN_S_AFTER = ("ung", "heit", "keit", "ion", "tät", "taet", "schaft", "tum")
MIN_HEAD_LENGTH = 5


def compound_head(word: str) -> str | None:
    """The head of a compound ending in a known tail, without a linking "s"; else None."""
    for tail in COMPOUND_TAILS:
        if word.endswith(tail) and len(word) - len(tail) >= MIN_HEAD_LENGTH:
            head = word[: -len(tail)]
            if head.endswith("s") and head[:-1].endswith(_FUGEN_S_AFTER):
                head = head[:-1]
            return head if len(head) >= MIN_HEAD_LENGTH else None
    return None


_LIGHT_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")


def light_stem(word: str) -> str:
    """A crude German stem for the SQLite fallback and highlighting ("kommunen" -> "kommun")."""
    for ending in _LIGHT_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_HEAD_LENGTH:
            return word[: -len(ending)]
    return word


def word_variants(word: str) -> list[str]:
    """The forms a (normalised) query word may take in a text: itself, its light stem, its head."""
    variants = [word]
    for extra in (light_stem(word), compound_head(word)):
        if extra and extra not in variants:
            variants.append(extra)
        if extra:
            stem = light_stem(extra)
            if stem not in variants:
                variants.append(stem)
    return variants


_UMLAUT_SPELLINGS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"))


def umlaut_spelling(word: str) -> str | None:
    """"hueckelhoven" -> "hückelhoven": the umlaut form of a transliterated word, else None.

    Used on PostgreSQL, whose German configuration keeps umlauts; SQLite compares the
    normalised (transliterated) forms directly.
    """
    restored = word
    for plain, umlaut in _UMLAUT_SPELLINGS:
        restored = restored.replace(plain, umlaut)
    return restored if restored != word else None


def _raw_words(query: str | None) -> list[str]:
    # Letters and digits only: nothing of the tsquery syntax can pass.
    return [w for w in re.findall(r"[^\W_]+", (query or "")[:MAX_QUERY_LENGTH].casefold()) if w]


def search_query(query: str) -> Any:
    """A German ``SearchQuery`` for the words of ``query`` (PostgreSQL only).

    Every word must match (AND). Each word matches by prefix on its German stem, so
    "Suchtberatung" also finds "Suchtberatungsstelle"; a compound with a known tail also
    matches its head, so "Suchtberatungsstellen" finds "Suchtberatung".
    """
    from django.contrib.postgres.search import SearchQuery

    parts = []
    for word in _raw_words(query):
        alternatives = [word]
        head = compound_head(word)
        if head:
            alternatives.append(head)
        for alternative in list(alternatives):
            spelled = umlaut_spelling(alternative)
            if spelled:
                alternatives.append(spelled)
        parts.append("(" + " | ".join(f"{alt}:*" for alt in alternatives) + ")")
    return SearchQuery(" & ".join(parts), config="german", search_type="raw")


def search(queryset: QuerySet, query: str | None) -> QuerySet:
    """Filter ``queryset`` to the rows matching ``query`` and annotate ``search_rank``.

    The fields and weights are those the model registered (:func:`register`). With an empty query
    the queryset is returned unchanged (annotated with a constant rank).
    """
    spec = spec_for(queryset.model)
    fields = spec.fields
    words = terms(query)
    if not words:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if is_postgres(queryset.db):
        from django.contrib.postgres.search import SearchRank

        sq = search_query(query or "")
        if spec.vector_field:
            vector = F(spec.vector_field)
            qs = queryset.filter(**{spec.vector_field: sq})
        else:
            qs = queryset.annotate(_sn_vector=search_vector(fields)).filter(_sn_vector=sq)
            vector = F("_sn_vector")
        return qs.annotate(search_rank=SearchRank(vector, sq))

    # SQLite fallback: every word must occur in the normalised text of the fields.
    all_fields = [field for weight in WEIGHTS for field in fields.get(weight, ())]
    qs = queryset.annotate(_sn_text=Normalize(_concat(all_fields)))
    for word in words:
        match = Q()
        for variant in word_variants(word):
            match |= Q(_sn_text__contains=variant)
        qs = qs.filter(match)
    whens = []
    for index, weight in enumerate(WEIGHTS):
        weight_fields = fields.get(weight)
        if not weight_fields:
            continue
        qs = qs.annotate(**{f"_sn_{weight}": Normalize(_concat(weight_fields))})
        first = Q()
        for variant in word_variants(words[0]):
            first |= Q(**{f"_sn_{weight}__contains": variant})
        whens.append(When(first, then=Value(len(WEIGHTS) - index)))
    rank = Case(*whens, default=Value(0), output_field=IntegerField())
    return qs.annotate(search_rank=rank * Value(1.0, output_field=FloatField()))


def highlight(text: str | None, query: str | None, *, width: int = 220) -> str:
    """An HTML-safe excerpt of ``text`` around the first matched word, matches in ``<mark>``."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    text = text or ""
    words = terms(query)
    if not text:
        return ""
    normalized = normalize(text)
    start = 0
    for word in words:
        found = min((normalized.find(v) for v in word_variants(word) if v in normalized), default=-1)
        if found >= 0:
            start = max(0, found - width // 3)
            # Start at a word boundary of the original text.
            floor = max(0, start - 30)
            while start > floor and text[start - 1].isalnum():
                start -= 1
            break
    excerpt = text[start : start + width]
    html: str = escape(excerpt)
    variants = {v for word in words if len(word) >= 2 for v in word_variants(word)}
    html = _mark(html, variants)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - built from escaped text only


def mark_matches(text: str | None, query: str | None) -> str:
    """The whole of ``text``, HTML-escaped, with the words matching ``query`` in ``<mark>``."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    variants = {v for word in terms(query) if len(word) >= 2 for v in word_variants(word)}
    return mark_safe(_mark(escape(text or ""), variants))  # noqa: S308 - built from escaped text only


def _mark(html: str, variants: set[str]) -> str:
    # Match on the normalised form, mark the original characters; normalisation can change
    # lengths (ä -> ae), so walk the words of the excerpt.
    def replace(match: re.Match) -> str:
        token = match.group(0)
        folded = normalize(token)
        if any(variant in folded for variant in variants):
            return f"<mark>{token}</mark>"
        return token

    return re.sub(r"(?<![&#\w])\w+", replace, html)
