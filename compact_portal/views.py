from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commitments.models import Commitment, Theme
from compacts.cache import public_page
from compacts.models import Compact, WorkPlanAction, WorkPlanStatus
from compacts.permissions import Refused, may_edit_work_plan
from compacts.templatetags.portal import TermLinker

from . import pages, services
from .forms import WorkPlanActionForm


def health(request):
    """Liveness check for load balancers; also the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@public_page
def home(request):
    page = pages.compact_page(request.GET.get("page"))
    return render(request, "compacts/home.html", {"page": page, "compacts": page.object_list})


@public_page
def compact(request, slug):
    compact = pages.compact_document(slug)
    linker = TermLinker(compact.document.glossary_terms)
    return render(request, "compacts/detail.html", {"compact": compact, "document": compact.document, "linker": linker})


@public_page
def work_plan(request, slug):
    compact = get_object_or_404(Compact, slug=slug)
    return render(request, "compacts/work_plan.html", {"compact": compact, "years": pages.work_plan(compact)})


@login_required
def manage_work_plan(request, slug):
    compact = get_object_or_404(Compact, slug=slug)
    if not may_edit_work_plan(request.user, compact):
        return _refused(request, compact)
    return render(request, "compacts/manage/work_plan.html", {"compact": compact, "years": pages.work_plan(compact)})


def _refused(request, compact):
    reason = f"Only the {compact.short_name} Compact's administrators and steering group keep its work plan."
    return render(request, "compacts/refused.html", {"reason": reason, "back": compact.get_absolute_url()}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_action(request, slug, pk=None):
    """Add an action to the work plan, or change one."""
    compact = get_object_or_404(Compact, slug=slug)
    if not may_edit_work_plan(request.user, compact):
        return _refused(request, compact)
    action = get_object_or_404(WorkPlanAction.objects.select_related("owner"), pk=pk, compact=compact) if pk else None
    themes = list(Theme.objects.order_by("order"))
    commitments = list(
        Commitment.objects.filter(compact=compact).defer("search_vector").order_by("section__order", "order")
    )
    if action:
        initial = {
            "version": action.version,
            "year": action.year,
            "title": action.title,
            "lead": action.lead,
            "owner_email": action.owner.email if action.owner else "",
            "due_on": action.due_on,
            "status": action.status,
            "notes": action.notes,
            "themes": [theme.pk for theme in action.themes.all()],
            "commitments": [str(c.pk) for c in action.commitments.all()],
        }
    else:
        initial = {"year": timezone.localdate().year, "status": WorkPlanStatus.PLANNED}
    form = WorkPlanActionForm(request.POST or None, initial=initial, themes=themes, commitments=commitments)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {str(c.pk): c for c in commitments}
        try:
            saved = services.work_plan_action_save(
                compact=compact,
                by=request.user,
                action=action,
                version=data["version"],
                themes=data["themes"],
                commitments=[chosen[pk] for pk in data["commitments"]],
                year=data["year"],
                title=data["title"].strip(),
                lead=data["lead"].strip(),
                owner=data["owner_email"],
                due_on=data["due_on"],
                status=data["status"],
                notes=data["notes"].strip(),
            )
        except Refused as refused:
            conflict = str(refused)
        else:
            messages.success(request, f"Saved: {saved.title}")
            return redirect("compacts:manage_work_plan", compact.slug)
    return render(
        request,
        "compacts/manage/work_plan_action.html",
        {"compact": compact, "action": action, "form": form, "conflict": conflict},
        status=409 if conflict else 400 if form.errors else 200,
    )
