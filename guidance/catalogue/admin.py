"""Admin of the good-practice catalogue.

Examples are written and reviewed through the portal's own pages (services keep revisions and
history); the admin edits the keyword vocabulary and shows examples, revisions and history read-only.
"""

from django.contrib import admin

from guidance.catalogue.models import Example, ExampleEvent, ExampleRevision, Keyword


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Example)
class ExampleAdmin(ReadOnlyAdmin):
    list_display = ("title", "municipality", "status", "last_published_at")
    list_filter = ("status", "legal_form")
    search_fields = ("title",)
    list_select_related = ("municipality",)


@admin.register(ExampleRevision)
class ExampleRevisionAdmin(ReadOnlyAdmin):
    list_display = ("example", "number", "status", "author", "updated_at")
    list_filter = ("status",)
    list_select_related = ("example", "author")


@admin.register(ExampleEvent)
class ExampleEventAdmin(ReadOnlyAdmin):
    list_display = ("example", "action", "user", "created_at")
    list_filter = ("action",)
    list_select_related = ("example", "user")
