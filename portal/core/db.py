"""Small database helpers that work the same on PostgreSQL and SQLite.

Which engine runs is asked here (:func:`is_postgres`) and in :mod:`portal.core.search`, nowhere else.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Aggregate, CharField, Model, TextField, Value
from django.db.models.functions import Cast, Concat

# Control characters that never occur in names or numbers: they separate items and their parts.
ITEM_SEPARATOR = "\x1e"
PART_SEPARATOR = "\x1f"


class JoinedText(Aggregate):
    """The texts of a group joined by ``ITEM_SEPARATOR``, in no defined order.

    PostgreSQL's ``STRING_AGG`` and SQLite's ``GROUP_CONCAT``; read the result with ``split_items``.
    """

    function = "STRING_AGG"
    template = f"%(function)s(%(expressions)s, '{ITEM_SEPARATOR}')"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def parts(*fields: str) -> Concat:
    """One text of several fields, for ``JoinedText``: numbers are cast to text."""
    expressions: list[Any] = []
    for i, field in enumerate(fields):
        if i:
            expressions.append(Value(PART_SEPARATOR))
        expressions.append(Cast(field, CharField()))
    return Concat(*expressions, output_field=TextField())


def split_items(joined: str | None) -> list[list[str]]:
    """The items of a ``JoinedText`` result, each as the list of its parts."""
    if not joined:
        return []
    return [item.split(PART_SEPARATOR) for item in joined.split(ITEM_SEPARATOR)]


def is_postgres(using: str = "default") -> bool:
    """True when the database ``using`` is PostgreSQL (production); False for SQLite."""
    return connections[using].vendor == "postgresql"


def analyze(using: str = "default") -> None:
    """Let the database refresh its statistics after a bulk load (PostgreSQL and SQLite alike)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def bulk_insert(model: type[Model], objs: list[Any], *, using: str = "default", batch_size: int = 5000) -> list[Any]:
    """Insert many new rows at once and set their primary keys: PostgreSQL's COPY (several times
    faster than INSERT for thousands of rows), ``bulk_create`` elsewhere. Sends no signals."""
    if is_postgres(using):
        return copy_insert(model, objs, using=using)
    return model._default_manager.db_manager(using).bulk_create(objs, batch_size=batch_size)


def copy_insert(model: type[Model], objs: list[Any], *, using: str = "default") -> list[Any]:
    """Insert many new model instances at once with PostgreSQL's COPY and set their primary keys.

    Several times faster than ``bulk_create`` for thousands of rows: no giant INSERT statement is
    built and parsed. The keys come from the table's own sequence first. Sends no signals, like
    ``bulk_create``. PostgreSQL only; callers use ``bulk_create`` elsewhere.
    """
    from django.db import connections

    connection = connections[using]
    if not objs:
        return objs
    meta = model._meta
    pk = meta.pk
    fields = list(meta.concrete_fields)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), pk.column, len(objs)],
        )
        for obj, (key,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, key)
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs
