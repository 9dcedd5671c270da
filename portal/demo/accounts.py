"""The role groups and the demo accounts (one per role, with a published password)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from portal.core import roles

DEMO_PASSWORD = "Starkes-Netz-Demo"  # noqa: S105 - documented demo password, never used in production

# user name -> (role group or None for the superuser, first name, last name)
DEMO_USERS = {
    "verwaltung": (roles.VERWALTUNG, "Vera", "Verwaltung"),
    "koordination": (roles.KOORDINATION, "Kai", "Koordination"),
    "koordination2": (roles.KOORDINATION, "Kira", "Koordination"),
    "redaktion": (roles.REDAKTION, "Rita", "Redaktion"),
    "admin": (None, "Ada", "Admin"),
}


def ensure_role_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLE_GROUPS}


@transaction.atomic
def ensure_demo_users() -> list[str]:
    """Create the demo accounts once; a second run changes nothing. Returns the names created."""
    groups = ensure_role_groups()
    user_model = get_user_model()
    created = []
    for username, (group, first_name, last_name) in DEMO_USERS.items():
        user, was_created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.starkes-netz.invalid",
                "is_staff": group is None or group == roles.REDAKTION,
                "is_superuser": group is None,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(username)
        if group is not None:
            user.groups.add(groups[group])
    return created
