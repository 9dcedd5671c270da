"""Reads for "Meine Daten": everything the portal stores about one signed-in person (Art. 15 DSGVO)."""

from typing import Any

from django.apps import apps
from django.utils import timezone
from simple_history.models import HistoricalChanges

from guidance.catalogue import selectors as catalogue
from networks import selectors as registry
from portal.core import roles

HISTORY_LIST_LIMIT = 200


def _history_models() -> list[Any]:
    """Every simple_history model (they all carry ``history_user``)."""
    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges) and hasattr(m, "history_user")]


def authored_history(*, user: Any, limit: int | None = HISTORY_LIST_LIMIT) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per kind of record, how many history entries ``user`` authored, and the newest entries."""
    counts: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for model in _history_models():
        rows = model.objects.filter(history_user=user)
        count = rows.count()
        if not count:
            continue
        label = str(model.instance_type._meta.verbose_name)
        counts.append({"kind": label, "count": count})
        for row in rows.order_by("-history_date")[: limit or None]:
            entries.append({
                "kind": label,
                "object": str(row.instance),
                "when": row.history_date,
                "type": row.get_history_type_display(),
            })
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    counts.sort(key=lambda item: item["kind"])
    return counts, entries[:limit] if limit else entries


def personal_data(*, user: Any, history_limit: int | None = HISTORY_LIST_LIMIT) -> dict[str, Any]:
    """The person's account, roles, municipalities, authored history and submitted examples."""
    roles.forget(user)  # read what is stored now
    role_names = [name for name in user.groups.values_list("name", flat=True) if name in roles.ROLE_GROUPS]
    counts, entries = authored_history(user=user, limit=history_limit)
    return {
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "is_superuser": user.is_superuser,
        },
        "roles": role_names,
        "municipalities": list(
            registry.municipalities(ids=roles.roles_of(user).coordinated).values_list("name", flat=True)
        ),
        "history_counts": counts,
        "history_total": sum(item["count"] for item in counts),
        "history": entries,
        "examples": catalogue.examples_of_person(user=user),
        "generated_at": timezone.now(),
    }
