from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse

from . import outbox
from .exceptions import Refused
from .models import (
    CaseStudy,
    ChangeRecord,
    CodeOfPractice,
    Compact,
    CompactEvent,
    CompactRole,
    CompactVersion,
    ConfirmedEmail,
    Contact,
    Email,
    GlossaryTerm,
    Invitation,
    Membership,
    Organisation,
    Principle,
    Review,
    ReviewChange,
    Section,
    Signatory,
    SignUp,
    WorkPlanAction,
)
from .services import membership_decide


class CompactEventInline(admin.TabularInline):
    model = CompactEvent
    extra = 0


@admin.register(Compact)
class CompactAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "status", "version", "owner"]
    list_filter = ["status"]
    search_fields = ["title", "area", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [CompactEventInline]


@admin.register(CompactEvent)
class CompactEventAdmin(admin.ModelAdmin):
    list_display = ["compact", "order", "kind", "date", "precision"]
    list_filter = ["compact", "kind"]
    list_select_related = ["compact"]
    search_fields = ["description"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "kind"]
    list_filter = ["sector", "kind", "confirmed"]
    search_fields = ["name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "compact", "order", "part", "level"]
    list_filter = ["compact", "part"]
    search_fields = ["title", "body", "body_after"]
    list_select_related = ["compact"]


class CompactItemAdmin(admin.ModelAdmin):
    list_filter = ["compact"]
    list_select_related = ["compact", "section"]
    autocomplete_fields = ["section"]


@admin.register(Principle)
class PrincipleAdmin(CompactItemAdmin):
    list_display = ["name", "compact", "section", "order"]
    search_fields = ["name", "text"]


@admin.register(Signatory)
class SignatoryAdmin(CompactItemAdmin):
    list_display = ["printed_name", "organisation", "compact", "role", "joined_on"]
    list_filter = ["compact", "role", "organisation__sector"]
    list_select_related = ["compact", "section", "organisation"]
    search_fields = ["printed_name", "organisation__name"]
    autocomplete_fields = ["section", "organisation"]


@admin.register(Contact)
class ContactAdmin(CompactItemAdmin):
    list_display = ["__str__", "name", "compact", "is_champion", "placeholder"]
    list_filter = ["compact", "is_champion"]
    search_fields = ["label", "details", "name", "job_title", "email"]
    autocomplete_fields = ["section", "organisation"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(CompactItemAdmin):
    list_display = ["term", "compact"]
    search_fields = ["term", "text"]


@admin.register(CodeOfPractice)
class CodeOfPracticeAdmin(CompactItemAdmin):
    list_display = ["title", "compact"]
    search_fields = ["title", "text"]


@admin.register(CaseStudy)
class CaseStudyAdmin(CompactItemAdmin):
    list_display = ["__str__", "compact"]
    search_fields = ["title", "body"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "compact", "status", "requested_at"]
    list_filter = ["status", "role", "compact", "organisation__confirmed"]
    list_select_related = ["user", "organisation", "compact"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]
    actions = ["confirm", "refuse"]

    @admin.action(description="Confirm the chosen requests (and any new organisations in them)")
    def confirm(self, request, queryset):
        self._decide(request, queryset, confirm=True)

    @admin.action(description="Refuse the chosen requests")
    def refuse(self, request, queryset):
        """Refusing needs a reason the person is told: a page asks for it, then refuses each."""
        reason = request.POST.get("reason", "").strip() if "refuse_reason" in request.POST else None
        if not reason:
            return TemplateResponse(
                request,
                "admin/compacts/membership/refuse.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Refuse the chosen requests",
                    "opts": self.model._meta,
                    "memberships": queryset.select_related("user", "organisation"),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "missing": reason == "",
                },
                status=400 if reason == "" else 200,
            )
        self._decide(request, queryset, confirm=False, reason=reason)
        return None

    def _decide(self, request, queryset, *, confirm, reason=""):
        """Decide each through the service; those it refuses (not waiting, an address not confirmed) are listed
        with why, and the others are decided."""
        decided = 0
        for membership in queryset.select_related("user", "organisation"):
            try:
                membership_decide(membership=membership, by=request.user, confirm=confirm, reason=reason)
            except Refused as refused:
                self.message_user(
                    request,
                    f"Not decided: {membership.user.email}, {membership.organisation}. {refused}",
                    messages.ERROR,
                )
            else:
                decided += 1
        if decided:
            done = "confirmed" if confirm else "refused"
            self.message_user(request, f"{decided} request{pluralize(decided)} {done}.", messages.SUCCESS)


@admin.register(CompactRole)
class CompactRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "compact", "role"]
    list_filter = ["compact", "role"]
    list_select_related = ["user", "compact"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]


class DeliveryFilter(admin.SimpleListFilter):
    """Sent, still being tried, or failed for good (compacts.outbox says which is which)."""

    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("sent", "Sent"),
            ("waiting", "Not sent yet: still being tried"),
            ("failed", f"Failed: not sent after {outbox.MAX_ATTEMPTS} attempts"),
        ]

    def queryset(self, request, queryset):
        chosen = {"sent": Q(sent_at__isnull=False), "waiting": outbox.WAITING, "failed": outbox.GIVEN_UP}
        return queryset.filter(chosen[self.value()]) if self.value() in chosen else queryset


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "about", "created_at", "sent_at", "attempts"]
    list_filter = [DeliveryFilter, "sent_at"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Email._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the chosen unsent emails again")
    def send_again(self, request, queryset):
        tried = outbox.email_retry(emails=queryset)
        self.message_user(request, f"{tried} unsent email{pluralize(tried)} handed over to be sent again.")


class ReadOnly:
    """Rows written only by the portal's own actions, which keep their record (a timeline, versions, the audit log):
    the admin reads them, and never adds, changes or deletes one. Every app's read-only admins and inlines are made
    of this: ReadOnlyAdmin and ReadOnlyInline."""

    def has_add_permission(self, request, obj=None):  # an inline is asked about its parent row too
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """A model's admin that only reads (ReadOnly)."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Rows shown, read-only, under the row they belong to (ReadOnly)."""

    extra = 0
    can_delete = False


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyAdmin):
    """Sign-ups are decided in the manage area, where each decision is recorded; here they can only be read."""

    list_display = ["organisation", "compact", "status", "requested_at", "decided_at"]
    list_filter = ["status", "compact"]
    list_select_related = ["organisation", "compact"]
    search_fields = ["organisation__name", "signed_by_name"]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "compact", "action", "subject", "by"]
    list_filter = ["compact", "action"]
    list_select_related = ["compact", "by"]
    search_fields = ["subject", "action"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Sent from the manage area's "Who answers for" page, and accepted by following their link; read here."""

    list_display = ["email", "organisation", "compact", "created_at", "accepted_at"]
    list_filter = ["compact"]
    list_select_related = ["organisation", "compact"]
    search_fields = ["email", "organisation__name"]


@admin.register(ConfirmedEmail)
class ConfirmedEmailAdmin(ReadOnlyAdmin):
    list_display = ["user", "email", "confirmed_at"]
    list_select_related = ["user"]
    search_fields = ["email", "user__email"]


@admin.register(WorkPlanAction)
class WorkPlanActionAdmin(ReadOnlyAdmin):
    """Kept in the manage area, where each change is recorded; read here."""

    list_display = ["title", "compact", "year", "due_on", "status"]
    list_filter = ["status", "year", "compact"]
    list_select_related = ["compact"]
    search_fields = ["title", "lead"]


@admin.register(CompactVersion)
class CompactVersionAdmin(ReadOnlyAdmin):
    """Versions are published from a review in the manage area; kept whole, never edited."""

    list_display = ["compact", "number", "published_on", "published_by"]
    list_filter = ["compact"]
    list_select_related = ["compact", "published_by"]
    exclude = ["content"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["compact", "status", "opened_at", "opened_by"]
    list_filter = ["status", "compact"]
    list_select_related = ["compact", "opened_by"]


@admin.register(ReviewChange)
class ReviewChangeAdmin(ReadOnlyAdmin):
    list_display = ["review", "kind", "ref", "changed_at"]
    list_select_related = ["review__compact"]
