"""Admin registrations with history (django-simple-history)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from networks import services
from networks.models import (
    AccessRequest,
    Actor,
    ActorType,
    ContactPerson,
    Cooperation,
    Municipality,
    Region,
    ServiceArea,
    TargetGroup,
)


@admin.action(description=_("Erase personal data on request (DSGVO), keep history anonymised"))
def erase_contacts(modeladmin, request, queryset):
    count = 0
    for contact in queryset:
        services.contact_erase(contact=contact, by=request.user)
        count += 1
    modeladmin.message_user(request, ngettext(
        "%(count)d contact person was erased.", "%(count)d contact persons were erased.", count
    ) % {"count": count}, messages.SUCCESS)


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "ags", "bundesland", "parent", "has_youth_office")
    list_filter = ("bundesland", "kind", "has_youth_office")
    search_fields = ("name", "official_name", "ags", "postcode", "seat")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("coordinators",)
    raw_id_fields = ("parent", "verband")  # 401 Kreise and 1,210 Gemeindeverbände: typed, not listed
    list_select_related = ("parent",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """The register's administrative levels: loaded by ``load_register``, read here."""

    list_display = ("name", "kind", "designation", "key", "bundesland")
    list_filter = ("kind", "bundesland")
    search_fields = ("name", "key")
    raw_id_fields = ("parent", "kreis")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Requests are decided on the portal's own review pages (with e-mails and the account); the admin
    only reads them and may delete one."""

    list_display = ("name", "email", "municipality", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("name", "email", "municipality__name")
    raw_id_fields = ("municipality", "decided_by", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActorType)
class ActorTypeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "sector", "recommended", "order")
    list_filter = ("sector", "recommended")
    list_editable = ("order",)
    search_fields = ("name", "slug", "legal_basis")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0
    autocomplete_fields = ("municipality",)
    readonly_fields = ("requested_at", "requested_by", "confirmed_at", "confirmed_by")


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "actor_type", "municipality", "traeger_kind", "is_active", "verified_at")
    list_filter = ("is_active", "traeger_kind", "actor_type__sector", "actor_type", "municipality__bundesland")
    search_fields = ("name", "traeger_name", "city", "email")
    autocomplete_fields = ("municipality",)
    filter_horizontal = ("target_groups",)
    readonly_fields = ("uuid", "version", "created_at", "updated_at")
    list_select_related = ("actor_type", "municipality")
    inlines = [ServiceAreaInline, ContactPersonInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "function", "actor")
    actions = [erase_contacts]
    search_fields = ("name", "actor__name")
    list_select_related = ("actor",)


@admin.register(Cooperation)
class CooperationAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "municipality", "since", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("title", "description")
    filter_horizontal = ("actors",)
    readonly_fields = ("uuid", "version", "created_at", "updated_at")
    list_select_related = ("municipality",)
