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
        cache = set(user.groups.values_list("name", flat=True))
        user._portal_groups = cache
    return group_name in cache


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
