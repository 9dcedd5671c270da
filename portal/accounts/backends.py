"""The authentication backend: Django's, reading a signed-in person's roles with the person."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.core import roles


class PortalModelBackend(ModelBackend):
    """Every signed-in request loads the user, and its pages then ask for the person's groups and
    coordinated municipalities (:mod:`portal.core.roles`). Both are read as subqueries of the query
    that loads the user, which saves one query on every signed-in page."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = roles.annotate_roles(user_model._default_manager.all()).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        roles.remember_annotated(user)
        return user
