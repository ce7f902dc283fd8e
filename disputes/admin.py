from django.contrib import admin

from .models import Procedure, Stage


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
