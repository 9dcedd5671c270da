"""Role predicates shared by the apps' rules.py files.

Every predicate has a plain-Python twin used by selectors that build querysets,
so "may do this" and "list what I may see" ask the same question.
"""

import rules

from portal import roles


def in_group(user, group_name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_portal_groups", None)
    if cache is None:
        load_roles(user)
        cache = user._portal_groups
    return group_name in cache


def load_roles(user) -> None:
    """Cache the user's group names and coordinated municipality ids on the user object,
    read together in one query (every signed-in page needs both)."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connection

    through = apps.get_model("networks", "Municipality").coordinators.through._meta.db_table
    user_groups = apps.get_model(settings.AUTH_USER_MODEL).groups.through._meta.db_table
    group = apps.get_model("auth", "Group")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 'g', g.name FROM {group} g INNER JOIN {user_groups} ug ON ug.group_id = g.id "  # noqa: S608
            f"WHERE ug.user_id = %s UNION ALL SELECT 'm', CAST(c.municipality_id AS VARCHAR(20)) "
            f"FROM {through} c WHERE c.user_id = %s",
            [user.pk, user.pk],
        )
        rows = cursor.fetchall()
    user._portal_groups = {value for kind, value in rows if kind == "g"}
    if getattr(user, "_coordinated_ids", None) is None:
        user._coordinated_ids = {int(value) for kind, value in rows if kind == "m"}


@rules.predicate
def is_verwaltung(user) -> bool:
    return in_group(user, roles.VERWALTUNG)


@rules.predicate
def is_koordination(user) -> bool:
    return in_group(user, roles.KOORDINATION)


@rules.predicate
def is_redaktion(user) -> bool:
    return in_group(user, roles.REDAKTION)


@rules.predicate
def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


# Staff of any role: may see personal contact data and the municipalities' progress.
is_portal_staff = is_verwaltung | is_koordination | is_redaktion | is_admin

rules.add_perm("portal.view_internal", is_portal_staff)
