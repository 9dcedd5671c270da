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

Beside that, the help around a search:

* abbreviations and synonyms of the field (:mod:`portal.core.synonyms`, one maintained list): "SpDi"
  also finds "Sozialpsychiatrischer Dienst", "Suchtberatung" also "Drogenberatung";
* "Meinten Sie …?" (:func:`suggest`): for a query that found nothing, the closest known words (from
  the public titles and names the caller names, and the synonym list): trigram similarity
  (``pg_trgm``) on PostgreSQL, :mod:`difflib` on SQLite;
* snippets as plain text (:func:`plain_text`: no Markdown or HTML marks), with whole words marked
  from their start ("Sucht" marks "Sucht" and "Suchtberatung", never "besucht").

Which database engine runs is asked only here (and in :mod:`portal.core.db`).
"""

from __future__ import annotations

import difflib
import html as html_module
import re
import time
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
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


# --- Abbreviations and synonyms --------------------------------------------------------------

# Words of a long form that need not occur ("Kinder- und Jugendpsychiatrie": "kinder", "jugendpsychiatrie").
_FILLERS = frozenset({
    "und", "oder", "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "für", "fuer", "zur", "zum",
    "im", "in", "von", "vom", "mit", "aus", "an", "am", "bei", "zu",
})

Alternative = tuple[str, ...]  # words that must all occur (casefolded, as typed)
Unit = list[Alternative]  # one query word or phrase: any of its alternatives must occur


@dataclass(frozen=True)
class Synonyms:
    """The parsed synonym list: what a query word or phrase (normalised) may also be found as."""

    expansions: Mapping[tuple[str, ...], tuple[Alternative, ...]]
    longest: int  # the most words of a key
    terms: tuple[str, ...]  # every term as written, for "Meinten Sie …?"


def parse_synonyms(text: str) -> Synonyms:
    """Read the list format of :mod:`portal.core.synonyms` (``Kürzel -> Langform | Langform``,
    ``Begriff = Begriff``); a line in neither form raises ``ValueError``."""
    expansions: dict[tuple[str, ...], list[Alternative]] = {}
    written: list[str] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if "->" in line:
            short, _arrow, long = line.partition("->")
            pairs = [(short, [target for target in long.split("|")])]
        elif "=" in line:
            group = line.split("=")
            pairs = [(term, group[:index] + group[index + 1:]) for index, term in enumerate(group)]
        else:
            raise ValueError(f"synonyms, line {number}: neither 'A -> B' nor 'A = B': {line!r}")
        for source, targets in pairs:
            key = tuple(normalize(word) for word in _raw_words(source))
            alternatives = [tuple(w for w in _raw_words(target) if w not in _FILLERS) for target in targets]
            if not key or not all(alternatives):
                raise ValueError(f"synonyms, line {number}: an empty term: {line!r}")
            known = expansions.setdefault(key, [])
            known.extend(alternative for alternative in alternatives if alternative not in known)
            written.extend(term.strip() for term in (source, *targets))
    return Synonyms(
        expansions={key: tuple(alternatives) for key, alternatives in expansions.items()},
        longest=max((len(key) for key in expansions), default=1),
        terms=tuple(dict.fromkeys(written)),
    )


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    """The portal's synonym list (:mod:`portal.core.synonyms`), read once."""
    from portal.core.synonyms import SYNONYMS

    return parse_synonyms(SYNONYMS)


def query_units(query: str | None) -> list[Unit]:
    """The query as units that must all match: each word, or a phrase of the synonym list, with
    the alternatives it may be found as ("spdi" -> ``[("spdi",), ("sozialpsychiatrischer", "dienst")]``)."""
    words = _raw_words(query)
    keys = [normalize(word) for word in words]
    table = synonyms()
    units: list[Unit] = []
    index = 0
    while index < len(words):
        for length in range(min(table.longest, len(words) - index), 0, -1):
            expansion = table.expansions.get(tuple(keys[index:index + length]))
            if expansion is not None:
                typed = tuple(words[index:index + length])
                units.append([typed, *(alt for alt in expansion if alt != typed)])
                index += length
                break
        else:
            units.append([(words[index],)])
            index += 1
    return units


# --- Querying (continued) --------------------------------------------------------------------


def _tsquery_word(word: str) -> str:
    alternatives = [word]
    head = compound_head(word)
    if head:
        alternatives.append(head)
    for alternative in list(alternatives):
        spelled = umlaut_spelling(alternative)
        if spelled:
            alternatives.append(spelled)
    return "(" + " | ".join(f"{alt}:*" for alt in alternatives) + ")"


def search_query(query: str) -> Any:
    """A German ``SearchQuery`` for the words of ``query`` (PostgreSQL only).

    Every word must match (AND). Each word matches by prefix on its German stem, so
    "Suchtberatung" also finds "Suchtberatungsstelle"; a compound with a known tail also
    matches its head, so "Suchtberatungsstellen" finds "Suchtberatung". A word or phrase of the
    synonym list also matches as any of its synonyms (OR).
    """
    from django.contrib.postgres.search import SearchQuery

    parts = []
    for unit in query_units(query):
        alternatives = ["(" + " & ".join(_tsquery_word(word) for word in alternative) + ")" for alternative in unit]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
    return SearchQuery(" & ".join(parts), config="german", search_type="raw")


def _unit_match(column: str, unit: Unit) -> Q:
    match = Q()
    for alternative in unit:
        every = Q()
        for word in alternative:
            any_form = Q()
            for variant in word_variants(normalize(word)):
                any_form |= Q(**{f"{column}__contains": variant})
            every &= any_form
        match |= every
    return match


def search(queryset: QuerySet, query: str | None) -> QuerySet:
    """Filter ``queryset`` to the rows matching ``query`` and annotate ``search_rank``.

    The fields and weights are those the model registered (:func:`register`). With an empty query
    the queryset is returned unchanged (annotated with a constant rank).
    """
    spec = spec_for(queryset.model)
    fields = spec.fields
    if not terms(query):
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    units = query_units(query)
    if not units:  # only marks that are not letters ("___"): nothing can match
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
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

    # SQLite fallback: every word (or one of its synonyms) must occur in the normalised text of the fields.
    all_fields = [field for weight in WEIGHTS for field in fields.get(weight, ())]
    qs = queryset.annotate(_sn_text=Normalize(_concat(all_fields)))
    for unit in units:
        qs = qs.filter(_unit_match("_sn_text", unit))
    whens = []
    for index, weight in enumerate(WEIGHTS):
        weight_fields = fields.get(weight)
        if not weight_fields:
            continue
        qs = qs.annotate(**{f"_sn_{weight}": Normalize(_concat(weight_fields))})
        whens.append(When(_unit_match(f"_sn_{weight}", units[0]), then=Value(len(WEIGHTS) - index)))
    rank = Case(*whens, default=Value(0), output_field=IntegerField())
    return qs.annotate(search_rank=rank * Value(1.0, output_field=FloatField()))


# --- Snippets --------------------------------------------------------------------------------

# HTML elements whose tags are taken out of a snippet (an unknown "<Wort>" stays: it is text).
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|address|article|aside|b|blockquote|br|caption|cite|code|dd|del|details|div|dl|dt|em|"
    r"figcaption|figure|font|footer|h[1-6]|header|hr|i|img|ins|kbd|li|mark|nav|ol|p|pre|q|s|section|small|"
    r"span|strong|sub|summary|sup|table|tbody|td|tfoot|th|thead|tr|u|ul)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_DROPPED = re.compile(r"<(script|style|iframe|object|template)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_MD_LINE = re.compile(
    r"^[ \t]*(?:"
    r"#{1,6}(?=[ \t]|$)"  # heading
    r"|(?:>[ \t]?)+"  # quote
    r"|(?:[-*+]|\d{1,3}[.)])(?=[ \t])"  # list item
    r"|(?:```|~~~).*$"  # code fence
    r"|(?:[-*_][ \t]*){3,}$"  # rule
    r"|\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$"  # table rule
    r")",
    re.MULTILINE,
)
_MD_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$", re.MULTILINE)
_MD_IMAGE_OR_LINK = re.compile(r"!?\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"
                          r"|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_MD_CODE = re.compile(r"`+")
_MD_TABLE_PIPE = re.compile(r"[ \t]*\|[ \t]*")


def plain_text(text: str | None) -> str:
    """Markdown or HTML as the plain text a reader sees: no "##", "**", link targets or tags, one line.

    For snippets; the pages themselves render Markdown with :mod:`portal.core.markdown`.
    """
    if not text:
        return ""
    text = _HTML_COMMENT.sub(" ", _HTML_DROPPED.sub(" ", str(text)))
    text = _HTML_TAG.sub(" ", text)
    text = _MD_HEADING_CLOSE.sub("", text)
    text = _MD_LINE.sub(" ", text)
    text = _MD_IMAGE_OR_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", text)
    text = _MD_CODE.sub("", text)
    text = _MD_TABLE_PIPE.sub(" ", text)
    text = html_module.unescape(text)
    return " ".join(text.split())


MIN_PREFIX_LENGTH = 4  # shorter query words mark only words equal to them ("JA" marks "JA", not "Jahr")


def _marked_variants(query: str | None) -> tuple[str, ...]:
    """The normalised forms whose words are marked: every query word and synonym, with its variants.
    A form of :data:`MIN_PREFIX_LENGTH` letters or more marks the words it begins, a shorter one ends
    in a space and marks only itself (see :func:`_is_marked`)."""
    variants: set[str] = set()
    for unit in query_units(query):
        for alternative in unit:
            for word in alternative:
                folded = normalize(word)
                if len(folded) >= MIN_PREFIX_LENGTH:
                    variants.update(word_variants(folded))
                elif len(folded) >= 2:
                    variants.add(folded + " ")
    return tuple(sorted(variants))


def _is_marked(token: str, variants: tuple[str, ...]) -> bool:
    return (normalize(token) + " ").startswith(variants)


_TOKEN = re.compile(r"[^\W_]+")


def _first_match(text: str, variants: tuple[str, ...]) -> int:
    for token in _TOKEN.finditer(text):
        if _is_marked(token.group(0), variants):
            return token.start()
    return -1


def matches(text: str | None, query: str | None) -> bool:
    """Whether a word of ``text`` starts with a query word (or a synonym or variant of one)."""
    variants = _marked_variants(query)
    return bool(text and variants) and _first_match(plain_text(text), variants) >= 0


def highlight(text: str | None, query: str | None, *, width: int = 220) -> str:
    """An HTML-safe plain-text excerpt of ``text`` (Markdown and HTML taken out) around the first
    matched word, matched words in ``<mark>``: words that start with a query word, its variant or
    synonym ("Sucht": "Sucht", "Suchtberatung"; not "besucht")."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    text = plain_text(text)
    if not text:
        return ""
    variants = _marked_variants(query)
    start = 0
    found = _first_match(text, variants) if variants else -1
    if found >= 0:
        start = max(0, found - width // 3)
        # Start at a word boundary of the text.
        floor = max(0, start - 30)
        while start > floor and text[start - 1].isalnum():
            start -= 1
    excerpt = text[start : start + width]
    html: str = escape(excerpt)
    html = _mark(html, variants)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - built from escaped text only


def mark_matches(text: str | None, query: str | None) -> str:
    """The whole of ``text``, HTML-escaped, with the words matching ``query`` in ``<mark>``."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    return mark_safe(_mark(escape(text or ""), _marked_variants(query)))  # noqa: S308 - built from escaped text only


def _mark(html: str, variants: tuple[str, ...]) -> str:
    # Match on the normalised form, mark the original characters; normalisation can change
    # lengths (ä -> ae), so walk the words of the excerpt. A word is marked when it starts with a
    # variant: never in the middle of a word.
    if not variants:
        return html

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if _is_marked(token, variants):
            return f"<mark>{token}</mark>"
        return token

    return re.sub(r"(?<![&#\w])[^\W_]+", replace, html)


# --- "Meinten Sie …?" ------------------------------------------------------------------------

VOCABULARY_ROWS = 5000  # rows read per source for the vocabulary (titles and names; a bound for huge tables)
VOCABULARY_SECONDS = 300  # how long a process keeps a vocabulary before reading it again
MIN_CORRECTED_LENGTH = 4  # shorter words are never corrected
SIMILARITY_POSTGRES = 0.45  # pg_trgm similarity a suggestion needs at least
SIMILARITY_SQLITE = 0.75  # difflib ratio a suggestion needs at least
_vocabularies: dict[str, tuple[float, dict[str, str], list[str]]] = {}


def forget_vocabulary() -> None:
    """Drop the vocabularies this process keeps (tests; a new title is known at the latest after
    :data:`VOCABULARY_SECONDS`)."""
    _vocabularies.clear()


def _vocabulary(name: str, sources: Sequence[QuerySet]) -> tuple[dict[str, str], list[str]]:
    """``({normalised word: word as written}, sorted normalised words)`` of the sources' two most
    important field weights and the synonym list; kept per process for a while under ``name``."""
    now = time.monotonic()
    kept = _vocabularies.get(name)
    if kept is not None and kept[0] > now:
        return kept[1], kept[2]
    words: dict[str, str] = {}

    def add(text: Any) -> None:
        for token in _TOKEN.findall(str(text or "")):
            if len(token) >= MIN_CORRECTED_LENGTH and token.isalpha():
                words.setdefault(normalize(token), token)

    for term in synonyms().terms:
        add(term)
        if term.isalpha() and len(term) < MIN_CORRECTED_LENGTH:
            words.setdefault(normalize(term), term)
    for queryset in sources:
        spec = spec_for(queryset.model)
        paths = [path for weight in WEIGHTS[:2] for path in spec.fields.get(weight, ())]
        for row in queryset.order_by().values_list(*paths)[:VOCABULARY_ROWS]:
            for value in row:
                add(value)
    ordered = sorted(words)
    _vocabularies[name] = (now + VOCABULARY_SECONDS, words, ordered)
    return words, ordered


def _known(word: str, words: Mapping[str, str], ordered: Sequence[str]) -> bool:
    """A word of the vocabulary, or the beginning of one (the search matches by prefix)."""
    if word in words:
        return True
    position = bisect_left(ordered, word)
    return position < len(ordered) and ordered[position].startswith(word)


def _closest(word: str, ordered: Sequence[str], using: str) -> str | None:
    if is_postgres(using):
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT candidate FROM unnest(%s::text[]) AS candidate WHERE similarity(candidate, %s) >= %s "
                "ORDER BY similarity(candidate, %s) DESC, candidate LIMIT 1",
                [list(ordered), word, SIMILARITY_POSTGRES, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    close = difflib.get_close_matches(word, ordered, n=1, cutoff=SIMILARITY_SQLITE)
    return close[0] if close else None


def suggest(query: str | None, *, name: str, sources: Sequence[QuerySet], using: str = "default") -> str:
    """"Meinten Sie …?": ``query`` with each unknown word replaced by the closest known word, or ""
    when no word needs or finds a correction.

    Known words are those of the titles and names in ``sources`` (querysets of registered models;
    their two most important field weights, at most :data:`VOCABULARY_ROWS` rows each) and the terms
    of the synonym list. ``sources`` must hold only what everyone may see: the vocabulary is kept per
    process under ``name`` and shared by every visitor. Similarity is ``pg_trgm``'s on PostgreSQL
    (migration ``portal.0003``) and :mod:`difflib`'s on SQLite.
    """
    typed = _raw_words(query)
    if not typed:
        return ""
    words, ordered = _vocabulary(name, sources)
    changed = False
    result = []
    for word in typed:
        folded = normalize(word)
        if len(folded) < MIN_CORRECTED_LENGTH or not folded.isalpha() or _known(folded, words, ordered):
            result.append(word)
            continue
        closest = _closest(folded, ordered, using)
        if closest is None or closest == folded:
            result.append(word)
            continue
        result.append(words[closest])
        changed = True
    return " ".join(result) if changed else ""
