"""'Meine Daten': a signed-in person sees and downloads what the portal stores about them."""

import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.accounts.forms import ThrottledPasswordChangeForm
from portal.accounts.selectors import personal_data


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, with the old password checked through the login throttle."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@login_required
@require_GET
def my_data(request):
    return render(request, "accounts/my_data.html", {"data": personal_data(user=request.user)})


@login_required
@require_GET
def my_data_export(request):
    data = personal_data(user=request.user, history_limit=None)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten-starkes-netz.json"'
    response["Cache-Control"] = "no-store"
    return response
