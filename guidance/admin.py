"""Admin of the roadmap, the guidance pages and the municipalities' progress (with history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from guidance.models import (
    ChecklistTask,
    GuidancePage,
    Material,
    ResolutionEvidence,
    RoadmapStep,
    StepProgress,
)


class _VersionBumpMixin:
    """Admin saves bump the version, so portal forms loaded earlier see the conflict."""

    def save_model(self, request, obj, form, change):
        if change and hasattr(obj, "version"):
            obj.version += 1
        super().save_model(request, obj, form, change)


class ChecklistTaskInline(admin.TabularInline):
    model = ChecklistTask
    extra = 1
    fields = ("order", "title", "benchmark")


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 1
    fields = ("order", "kind", "title", "url", "description")


@admin.register(RoadmapStep)
class RoadmapStepAdmin(_VersionBumpMixin, SimpleHistoryAdmin):
    list_display = ("number", "title", "area", "updated_at")
    search_fields = ("title", "summary", "why")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("actor_types",)
    inlines = [ChecklistTaskInline, MaterialInline]


@admin.register(ChecklistTask)
class ChecklistTaskAdmin(SimpleHistoryAdmin):
    list_display = ("title", "step", "order")
    list_filter = ("step",)
    search_fields = ("title", "benchmark")
    list_select_related = ("step",)


@admin.register(Material)
class MaterialAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "step")
    list_filter = ("kind", "step")
    list_select_related = ("step",)


@admin.register(GuidancePage)
class GuidancePageAdmin(_VersionBumpMixin, SimpleHistoryAdmin):
    list_display = ("title", "area", "order", "updated_at")
    list_filter = ("area",)
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}


class ResolutionEvidenceInline(admin.StackedInline):
    model = ResolutionEvidence
    extra = 0


@admin.register(StepProgress)
class StepProgressAdmin(_VersionBumpMixin, SimpleHistoryAdmin):
    list_display = ("municipality", "step", "status", "updated_at", "updated_by")
    list_filter = ("status", "step")
    list_select_related = ("municipality", "step", "updated_by")
    search_fields = ("municipality__name",)
    filter_horizontal = ("done_tasks",)
    raw_id_fields = ("municipality", "updated_by")
    inlines = [ResolutionEvidenceInline]
