"""The one search function of the portal.

Every list that searches calls :func:`search`. It hides which engine runs:

* PostgreSQL: German full-text search (``config="german"``) with weights, ranked by
  relevance; a stored, GIN-indexed ``SearchVectorField`` is used where the model has one.
  Every query word matches by prefix on its German stem ("Suchtberatung" finds
  "Suchtberatungsstelle", "Kommunen" finds "Kommune"), and a compound ending in a known
  tail also matches its head ("Suchtberatungsstellen" finds "Suchtberatung").
* SQLite (the embedded quick start): a case- and umlaut-insensitive substring match
  on a normalised form of the text (see :func:`normalize`), every word must occur (as
  itself, its light stem or its compound head), ranked so that matches in the most
  important fields come first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce
from django.dispatch import receiver

# Weights of the fields, from most to least important (PostgreSQL's A-D).
WEIGHTS = ("A", "B", "C", "D")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_LENGTH = 200


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
def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("sn_normalize", 1, normalize, deterministic=True)


class Normalize(Func):
    """SQL twin of :func:`normalize` (registered as a function on SQLite)."""

    function = "sn_normalize"
    output_field = None

    def __init__(self, expression, **extra):
        from django.db.models import TextField

        super().__init__(expression, output_field=TextField(), **extra)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


class _JoinText(Func):
    """``COALESCE(a, '') || ' ' || COALESCE(b, '') ...`` as one flat expression.

    Django's Concat nests one function per pair, which overflows SQLite's parser for
    many fields; this stays flat. Used only for the SQLite fallback.
    """

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "

    def __init__(self, *expressions):
        from django.db.models import TextField

        super().__init__(*expressions, output_field=TextField())


def _concat(fields: Sequence[str]):
    parts = [Coalesce(F(field), Value(""), output_field=TextField()) for field in fields]
    if len(parts) == 1:
        return parts[0]
    return _JoinText(*parts)


def search_vector(weighted_fields: Mapping[str, Sequence[str]]):
    """A weighted German ``SearchVector`` over the given fields (PostgreSQL only)."""
    from django.contrib.postgres.search import SearchVector

    vector = None
    for weight, fields in weighted_fields.items():
        for field in fields:
            part = SearchVector(field, weight=weight, config="german")
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


def search_query(query: str):
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


def search(
    queryset: QuerySet,
    query: str | None,
    *,
    fields: Mapping[str, Sequence[str]],
    vector_field: str | None = None,
) -> QuerySet:
    """Filter ``queryset`` to the rows matching ``query`` and annotate ``search_rank``.

    ``fields`` maps a weight ("A" most important ... "D") to field paths. With an empty
    query the queryset is returned unchanged (annotated with a constant rank).
    ``vector_field`` names a stored, GIN-indexed ``SearchVectorField`` kept in sync
    with the same fields and weights (used on PostgreSQL only).
    """
    words = terms(query)
    if not words:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if is_postgres():
        from django.contrib.postgres.search import SearchRank

        sq = search_query(query)
        vector = F(vector_field) if vector_field else search_vector(fields)
        if vector_field:
            qs = queryset.filter(**{vector_field: sq})
        else:
            qs = queryset.annotate(_sn_vector=vector).filter(_sn_vector=sq)
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
    html = escape(excerpt)
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
