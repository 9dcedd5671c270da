"""The partners' stored search vector (PostgreSQL): the same fields and weights as
``networks.selectors.ACTOR_SEARCH_FIELDS``, written with one UPDATE per call.

Kept in sync by signals (a partner saved, a type or municipality renamed), by the importer
after its bulk insert, by the seed and by the national data generator.
"""

from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver

from networks.models import Actor, ActorType, Municipality

_SQL = """
UPDATE networks_actor AS a SET search_vector =
    setweight(to_tsvector('german', coalesce(a.name, '')), 'A')
    || setweight(to_tsvector('german', coalesce(t.name, '') || ' ' || coalesce(a.traeger_name, '')), 'B')
    || setweight(to_tsvector('german', coalesce(a.offer, '') || ' ' || coalesce(a.city, '') || ' '
                 || coalesce(m.name, '')), 'C')
    || setweight(to_tsvector('german', coalesce(a.languages, '') || ' ' || coalesce(a.accessibility, '')), 'D')
FROM networks_actortype AS t, networks_municipality AS m
WHERE t.id = a.actor_type_id AND m.id = a.municipality_id
"""


def refresh(*, actor_ids=None, actor_type_id=None, municipality_id=None, missing_only=False) -> None:
    """Recompute the vectors of the given partners (all partners when nothing is given;
    ``missing_only``: those without a vector yet)."""
    if connection.vendor != "postgresql":
        return
    sql, params = _SQL, []
    if missing_only:
        sql += " AND a.search_vector IS NULL"
    if actor_ids is not None:
        ids = list(actor_ids)
        if not ids:
            return
        sql += " AND a.id = ANY(%s)"
        params.append(ids)
    if actor_type_id is not None:
        sql += " AND a.actor_type_id = %s"
        params.append(actor_type_id)
    if municipality_id is not None:
        sql += " AND a.municipality_id = %s"
        params.append(municipality_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@receiver(post_save, sender=Actor)
def _actor_saved(sender, instance, raw=False, **kwargs):
    refresh(actor_ids=[instance.pk])


@receiver(post_save, sender=ActorType)
def _type_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created:
        refresh(actor_type_id=instance.pk)


@receiver(post_save, sender=Municipality)
def _municipality_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if not created and (update_fields is None or "name" in update_fields):
        refresh(municipality_id=instance.pk)
