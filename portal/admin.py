"""Admin actions for erasure on request (DSGVO): user accounts and contact persons."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.services import erase_contact_person, erase_user

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


@admin.action(description=_("Erase personal data on request (DSGVO), keep history anonymised"))
def erase_contacts(modeladmin, request, queryset):
    count = 0
    for contact in queryset:
        erase_contact_person(contact=contact, by=request.user)
        count += 1
    modeladmin.message_user(request, ngettext(
        "%(count)d contact person was erased.", "%(count)d contact persons were erased.", count
    ) % {"count": count}, messages.SUCCESS)


class PortalUserAdmin(UserAdmin):
    actions = [erase_users]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)

