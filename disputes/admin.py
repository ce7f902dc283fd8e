from django.contrib import admin

from compacts.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Attachment,
    CitedCommitment,
    Complaint,
    ComplaintEvent,
    Panel,
    Procedure,
    ResponseTemplate,
    Stage,
    StageClock,
)


class StageInline(admin.StackedInline):
    model = Stage
    extra = 0
    raw_id_fields = ["section", "time_limit_case_study"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["compact", "origin"]
    list_filter = ["origin"]
    search_fields = ["compact__title", "summary"]
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "handler", "time_limit", "time_unit", "origin"]
    list_filter = ["procedure__compact", "handler", "origin"]
    list_select_related = ["procedure__compact"]
    search_fields = ["name", "text"]
    raw_id_fields = ["section", "time_limit_case_study"]


class EventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ["at", "kind", "by", "stage", "text"]


class ClockInline(ReadOnlyInline):
    model = StageClock
    fields = ["stage", "started_on", "time_limit", "time_unit", "due_on", "original_due_on", "ended_at"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """Complaints change only through the portal's own actions, which keep the timeline: here they are read."""

    list_display = ["__str__", "compact", "status", "complainant", "respondent", "current_stage", "stage_due_on"]
    list_filter = ["status", "compact", "outcome"]
    list_select_related = ["compact", "complainant", "respondent", "current_stage"]
    search_fields = ["reference", "summary", "complainant__name", "respondent__name"]
    inlines = [ClockInline, EventInline]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    """The timeline is append-only: it can be read here, never changed."""

    list_display = ["complaint", "kind", "by", "at"]
    list_filter = ["kind"]
    list_select_related = ["complaint", "by"]
    search_fields = ["complaint__reference", "text"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "for_event", "compact"]
    list_filter = ["for_event", "compact"]
    search_fields = ["title", "body"]


admin.site.register([Attachment, CitedCommitment, StageClock, Panel], ReadOnlyAdmin)
