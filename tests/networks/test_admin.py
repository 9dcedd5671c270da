"""The admin lists and change forms of the registry load (with simple-history)."""

import pytest

from networks.models import Actor, ActorType, ContactPerson, Cooperation, Municipality


@pytest.mark.parametrize("model", [Municipality, ActorType, Actor, ContactPerson, Cooperation])
def test_admin_pages(client, demo, admin_user, model):
    client.force_login(admin_user)
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    assert client.get(base).status_code == 200
    obj = model.objects.first()
    assert client.get(f"{base}{obj.pk}/change/").status_code == 200
    assert client.get(f"{base}{obj.pk}/history/").status_code == 200
