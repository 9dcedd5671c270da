"""The authentication backend: Django's, reading a signed-in user's roles with the user."""

from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    """Every signed-in request loads the user; the pages then ask for the user's groups and
    coordinated municipalities (``portal.rules``). Both lists are read as two subqueries of the
    same query that loads the user, which saves one query on every signed-in page."""

    def get_user(self, user_id):
        from django.apps import apps
        from django.contrib.auth import get_user_model
        from django.db.models import OuterRef, Subquery

        from portal.db import JoinedText, split_items

        user_model = get_user_model()
        groups = (
            user_model.groups.through.objects.filter(**{f"{user_model._meta.model_name}_id": OuterRef("pk")})
            .order_by().values(f"{user_model._meta.model_name}_id")
            .annotate(items=JoinedText("group__name")).values("items")
        )
        coordinated = apps.get_model("networks", "Municipality").coordinators.through
        municipalities = (
            coordinated.objects.filter(user_id=OuterRef("pk")).order_by().values("user_id")
            .annotate(items=JoinedText(_as_text("municipality_id"))).values("items")
        )
        try:
            user = user_model._default_manager.annotate(
                portal_group_items=Subquery(groups), portal_municipality_items=Subquery(municipalities),
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        user._portal_groups = {item[0] for item in split_items(user.portal_group_items)}
        user._coordinated_ids = {int(item[0]) for item in split_items(user.portal_municipality_items)}
        return user


def _as_text(field: str):
    from django.db.models import CharField
    from django.db.models.functions import Cast

    return Cast(field, CharField())
