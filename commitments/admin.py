from django.contrib import admin

from compacts.admin import CompactItemAdmin

from .models import Commitment, Figure, RelatedTerms, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    search_fields = ["name", "description"]


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["kind", "ref", "value", "unit", "quote"]


@admin.register(Commitment)
class CommitmentAdmin(CompactItemAdmin):
    list_display = ["__str__", "sector", "theme", "section", "compact"]
    list_filter = ["compact", "sector", "theme"]
    list_select_related = ["compact", "section", "theme"]
    search_fields = ["ref", "number", "text"]
    inlines = [FigureInline]


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "compact", "commitment", "case_study", "section"]
    list_filter = ["compact", "kind"]
    list_select_related = ["compact", "commitment__compact", "case_study", "section"]
    search_fields = ["quote"]
    raw_id_fields = ["commitment", "case_study", "section"]


@admin.register(RelatedTerms)
class RelatedTermsAdmin(admin.ModelAdmin):
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]
