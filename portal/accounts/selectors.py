"""Reads for "Meine Daten": everything the portal stores about one signed-in person (Art. 15 DSGVO)."""

from django.apps import apps
from django.utils import timezone
from simple_history.models import HistoricalChanges

from portal import roles

HISTORY_LIST_LIMIT = 200


def _history_models():
    """Every simple_history model (they all carry ``history_user``)."""
    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges) and hasattr(m, "history_user")]


def authored_history(user, *, limit: int | None = HISTORY_LIST_LIMIT) -> tuple[list[dict], list[dict]]:
    """Per kind of record, how many history entries ``user`` authored, and the newest entries."""
    counts, entries = [], []
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


def submitted_examples(user) -> list[dict]:
    from guidance.models.catalogue import Example, ExampleEvent

    submitted = set(
        ExampleEvent.objects.filter(user=user, action=ExampleEvent.Action.SUBMITTED).values_list("example_id", flat=True)
    )
    created = set(Example.objects.filter(created_by=user).values_list("pk", flat=True))
    examples = Example.objects.filter(pk__in=submitted | created).order_by("title")
    return [
        {"title": e.title, "status": e.get_status_display(), "created": e.created_at, "submitted": e.pk in submitted}
        for e in examples
    ]


def personal_data(user, *, history_limit: int | None = HISTORY_LIST_LIMIT) -> dict:
    """The person's account, roles, municipalities, authored history and submitted examples."""
    from networks.models import Municipality

    role_names = [name for name in user.groups.values_list("name", flat=True) if name in roles.ROLE_GROUPS]
    counts, entries = authored_history(user, limit=history_limit)
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
            Municipality.objects.filter(coordinators=user).order_by("name").values_list("name", flat=True)
        ),
        "history_counts": counts,
        "history_total": sum(item["count"] for item in counts),
        "history": entries,
        "examples": submitted_examples(user),
        "generated_at": timezone.now(),
    }
