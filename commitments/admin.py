from django.contrib import admin

from compacts.admin import CompactItemAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Commitment,
    Figure,
    Record,
    RecordCheck,
    RecordImport,
    RecordResponse,
    RecordVersion,
    RelatedTerms,
    Theme,
)


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


# Records change only through the portal's pages (a correction is a new version); the admin only reads them.
class RecordCheckInline(ReadOnlyInline):
    model = RecordCheck
    fields = ["commitment", "figure", "outcome", "working"]
    readonly_fields = fields


class RecordResponseInline(ReadOnlyInline):
    model = RecordResponse
    fields = ["version", "verdict", "organisation", "by", "at", "comment"]
    readonly_fields = fields


class RecordVersionInline(ReadOnlyInline):
    model = RecordVersion
    fields = ["number", "by", "at", "note", "facts", "commitments"]
    readonly_fields = fields


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "compact", "about", "status", "occurred_on", "public_from"]
    list_filter = ["compact", "kind", "status"]
    list_select_related = ["compact", "about"]
    search_fields = ["title", "identifier", "about__name", "recipient"]
    inlines = [RecordCheckInline, RecordResponseInline, RecordVersionInline]


@admin.register(RecordCheck)
class RecordCheckAdmin(ReadOnlyAdmin):
    list_display = ["working", "outcome", "commitment", "compact", "occurred_on"]
    list_filter = ["compact", "outcome"]
    list_select_related = ["commitment__compact", "compact"]


@admin.register(RecordResponse)
class RecordResponseAdmin(ReadOnlyAdmin):
    list_display = ["record", "verdict", "organisation", "at"]
    list_select_related = ["record", "organisation"]


@admin.register(RecordVersion)
class RecordVersionAdmin(ReadOnlyAdmin):
    list_display = ["record", "number", "by", "at"]
    list_select_related = ["record", "by"]


@admin.register(RecordImport)
class RecordImportAdmin(ReadOnlyAdmin):
    """Files handed over to be imported and what came of each; the Compact's own page is the import page's list."""

    list_display = ["created_at", "compact", "kind", "rows", "status", "made", "by"]
    list_filter = ["status", "kind", "compact"]
    list_select_related = ["compact", "by"]
    date_hierarchy = "created_at"
