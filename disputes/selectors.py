"""Reads of complaints, for the person asking, each in a fixed number of queries."""

import math
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Prefetch, When, Window
from django.http import Http404
from django.utils import timezone

from commitments.models import Commitment
from compacts import deadlines
from compacts.models import CompactVersion, Membership, MembershipStatus, Signatory

from . import permissions, workflow
from .models import Attachment, CitedCommitment, Complaint, ComplaintEvent, EventKind, Panel, Stage, StageClock, Status


@dataclass
class ComplaintView:
    """A complaint as one person sees it: everything loaded, their roles and open actions."""

    complaint: object
    visible: bool  # whether the person may see it at all (permissions.may_see)
    roles: set
    state: workflow.State
    actions: list
    stages: list
    clocks: list
    events: list
    panel: Panel | None
    today: object

    @property
    def action_links(self):
        return [(action, workflow.LABELS[action]) for action in self.actions]

    @property
    def restriction(self):
        """Why this person's roles count for less here (workflow.restriction), for the page to explain."""
        return workflow.restriction(self.roles)


def complaint_detail(user, pk, today=None):
    """One complaint for this person, with their roles and the actions open to them; 404 if they may not see it."""
    who = permissions.person(user)
    complaint = (
        Complaint.objects.select_related("compact", "complainant", "respondent", "current_stage", "raised_by")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=CitedCommitment.objects.select_related("commitment__compact", "commitment__section"),
            ),
            "officers",
        )
        .filter(pk=pk)
        .first()
    )
    view = view_for(who, complaint, today or timezone.localdate()) if complaint else None
    if view is None or not view.visible:
        raise Http404("There is no complaint with that number that you can see.")
    complaint.raised_under = _version_in_force(complaint)
    return view


def _version_in_force(complaint):
    """The number of the Compact's version whose wording the complaint cites: the one published last before it was
    submitted (version 1, the document as loaded, before any other)."""
    when = complaint.submitted_at or timezone.now()
    published = CompactVersion.objects.filter(compact=complaint.compact_id, created_at__lte=when)
    return published.order_by("-number").values_list("number", flat=True).first() or 1


def view_for(who, complaint, today):
    """A complaint as `who` sees it on `today` (the complaint row already loaded)."""
    stages = list(Stage.objects.filter(procedure__compact=complaint.compact_id).order_by("order"))
    events = list(
        ComplaintEvent.objects.filter(complaint=complaint)
        .select_related("by", "by_organisation", "stage")
        .prefetch_related("attachments")
        .order_by("at", "id")
    )
    clocks = list(StageClock.objects.filter(complaint=complaint).select_related("stage").order_by("started_at", "id"))
    panels = list(Panel.objects.filter(complaint=complaint).select_related("chair").prefetch_related("members"))
    panel = next((p for p in panels if complaint.current_stage_id and p.stage_id == complaint.current_stage_id), None)
    stage_events = frozenset(e.kind for e in events if e.stage_id == complaint.current_stage_id)
    current_index = next((i for i, s in enumerate(stages) if s.pk == complaint.current_stage_id), None)
    state = workflow.State(
        status=complaint.status,
        handler=complaint.current_stage.handler if complaint.current_stage_id else None,
        has_next_stage=current_index is not None and current_index + 1 < len(stages),
        overdue=complaint.is_overdue(today),
        has_deadline=complaint.stage_due_on is not None,
        acknowledged=any(e.kind == EventKind.ACKNOWLEDGED for e in events),
        stage_events=stage_events,
        panel_convened=panel is not None,
        referred=any(e.kind == EventKind.REFERRED for e in events),
        referral_result=any(e.kind == EventKind.REFERRAL_RESULT for e in events),
    )
    officers = {o.pk for o in complaint.officers.all()}
    roles = permissions.roles_for(
        who,
        complaint,
        officers=officers,
        panel_people={panel.chair_id, *(m.pk for m in panel.members.all())} if panel else set(),
        acted_at_stages={e.stage_id for e in events if e.by_id == who.user.pk and e.kind in workflow.HANDLING},
        reached_handlers={c.stage.handler for c in clocks},
    )
    for clock in clocks:
        clock.explanation = (
            deadlines.due_date(clock.started_on, clock.time_limit, clock.time_unit) if clock.time_limit else None
        )
    return ComplaintView(
        complaint=complaint,
        visible=permissions.may_see(who, complaint, officers=officers, clocks=clocks, panels=panels, events=events),
        roles=roles,
        state=state,
        actions=workflow.available(state, roles),
        stages=stages,
        clocks=clocks,
        events=events,
        panel=panel,
        today=today,
    )


QUEUE_RELATED = ("compact", "complainant", "respondent", "current_stage")


def queue(user, *, compact=None, stage=None, status=None, who=None):
    """The complaints this person may see, soonest due first, overdue at the top."""
    complaints = permissions.visible_complaints(who or permissions.person(user)).select_related(*QUEUE_RELATED)
    if compact:
        complaints = complaints.filter(compact__slug=compact)
    if stage:
        complaints = complaints.filter(current_stage__order=stage)
    if status:
        complaints = complaints.filter(status=status)
    return _queue_order(complaints)


def _queue_order(complaints):
    rank = Case(When(status=Status.OPEN, then=0), When(status=Status.DRAFT, then=1), default=2)
    # Open ones first, the earliest due (so every overdue one) at the top; then drafts; then closed.
    return complaints.annotate(rank=rank).order_by("rank", F("stage_due_on").asc(nulls_last=True), "-pk")


class _Counted(Paginator):
    def __init__(self, count, per_page):
        super().__init__((), per_page)
        self.count = count


def queue_page(complaints, number, per_page):
    """One page of `queue`'s complaints, in two queries however long the queue: the page's ids, chosen and
    ordered from the complaints' own columns, with how many there are in all; then those complaints with their
    Compact, parties and stage. A page past the end is the last page (one count more)."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    chosen = complaints.annotate(total=Window(Count("pk"))).values_list("pk", "total")
    rows = list(chosen[(number - 1) * per_page : number * per_page])
    if rows:
        count = rows[0][1]
    else:
        count = complaints.count()
        number = max(math.ceil(count / per_page), 1)
        if count:
            rows = list(chosen[(number - 1) * per_page : number * per_page])
    order = {pk: n for n, (pk, _) in enumerate(rows)}
    found = Complaint.objects.filter(pk__in=order).select_related(*QUEUE_RELATED)
    return Page(sorted(found, key=lambda complaint: order[complaint.pk]), number, _Counted(count, per_page))


def respondents(compact):
    """The organisations a complaint about this Compact can be made against: its signatories."""
    organisations = {}
    for signatory in Signatory.objects.filter(compact=compact).select_related("organisation"):
        organisations.setdefault(signatory.organisation_id, signatory.organisation)
    return sorted(organisations.values(), key=lambda organisation: organisation.name)


def compact_commitments(compact, q=""):
    """A Compact's commitments to cite, in document order, optionally narrowed by words."""
    commitments = (
        Commitment.objects.filter(compact=compact).select_related("section").order_by("section__order", "order")
    )
    for word in q.split():
        commitments = commitments.filter(text__icontains=word)
    return commitments.defer("search_vector")


def my_organisations(user):
    """The organisations this person is a confirmed member or Champion of (to complain on behalf of)."""
    organisations = {}
    for membership in Membership.objects.filter(user=user, status=MembershipStatus.CONFIRMED).select_related(
        "organisation"
    ):
        organisations.setdefault(membership.organisation_id, membership.organisation)
    return sorted(organisations.values(), key=lambda organisation: organisation.name)


def draft_attachments(complaint):
    return list(Attachment.objects.filter(complaint=complaint, event__isnull=True).order_by("uploaded_at"))
