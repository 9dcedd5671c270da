"""The user admin with the erasure of accounts on request (DSGVO)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.services import erase_user

User = get_user_model()


@admin.action(description=_("Erase personal data on request (DSGVO), keep history anonymised"))
def erase_users(modeladmin, request, queryset):
    erased = 0
    for user in queryset:
        if user.pk == request.user.pk:
            modeladmin.message_user(request, _("You cannot erase your own account."), messages.ERROR)
            continue
        erase_user(user=user, by=request.user)
        erased += 1
    if erased:
        modeladmin.message_user(request, ngettext(
            "%(count)d account was anonymised.", "%(count)d accounts were anonymised.", erased
        ) % {"count": erased}, messages.SUCCESS)


class PortalUserAdmin(UserAdmin):
    actions = [erase_users]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
