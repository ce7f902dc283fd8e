"""Reads of complaints, for the person asking, each in a fixed number of queries."""

from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, Min, OuterRef, Prefetch, Q, When
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst

from commitments import permissions as record_permissions
from commitments.models import CheckOutcome, Commitment, Record, RecordVerdict
from compacts import deadlines
from compacts.models import (
    Compact,
    CompactRole,
    CompactRoleKind,
    Email,
    Membership,
    MembershipStatus,
    Signatory,
)
from compacts.selectors import CHAMPIONS, administrators_of, answering, who_answers_for
from compacts.text import is_id, long_date

from . import permissions, workflow
from .models import (
    Attachment,
    CitedCommitment,
    Complaint,
    ComplaintEvent,
    EventKind,
    Panel,
    ResponseTemplate,
    Stage,
    StageClock,
    Status,
)
from .workflow import Action


@dataclass
class ComplaintView:
    """A complaint as one person sees it: everything loaded, their roles and open actions."""

    complaint: object
    who: permissions.Person
    visible: bool  # whether the person may see it at all (permissions.may_see)
    roles: set
    state: workflow.State
    actions: list
    stages: list
    clocks: list
    events: list
    panel: Panel | None
    today: object
    officers: list  # the officers named to answer it
    citations: list = field(default_factory=list)  # the commitments it cites: read for the page (complaint_detail)
    answerers: dict = field(default_factory=dict)  # organisation id to compacts.selectors.Answerers, both sides
    told: list = field(default_factory=list)  # who was told of it and when: Told, per side (complaint_detail)

    @property
    def respondent_answerers(self):
        return self.answerers.get(self.complaint.respondent_id)

    @property
    def procedure(self):
        """The Compact's dispute procedure (read with its stages)."""
        if self.stages:
            return self.stages[0].procedure
        return getattr(self.complaint.compact, "procedure", None)

    @property
    def next_stage(self):
        """The stage after the current one, if there is one (read with the stages, its body with it)."""
        orders = [stage.pk for stage in self.stages]
        current = self.complaint.current_stage_id
        index = orders.index(current) if current in orders else None
        return self.stages[index + 1] if index is not None and index + 1 < len(self.stages) else None

    @property
    def action_links(self):
        return [(action, workflow.LABELS[action]) for action in self.actions]

    @property
    def restriction(self):
        """Why this person's roles count for less here (workflow.restriction), for the page to explain."""
        return workflow.restriction(self.roles)


COMPLAINT_COLUMNS = tuple(f.name for f in Complaint._meta.concrete_fields)
# What the complaint's page (and the email or form it may lead to) shows of its Compact and parties.
RELATED_SHOWN = (
    ("compact", "slug"),
    ("compact", "title"),
    ("compact", "short_name"),
    ("compact", "reference_prefix"),
    ("complainant", "name"),
    ("respondent", "name"),
    ("raised_by", "first_name"),  # who raised it: told of it, on the complainant's side
    ("raised_by", "last_name"),
    ("raised_by", "email"),
)


EVENT_COLUMNS = tuple(f.name for f in ComplaintEvent._meta.concrete_fields)


def _person_columns(relation=None):
    """What a complaint's page shows of a person (their name, else their email address): the columns to read."""
    return tuple(f"{relation}__{name}" if relation else name for name in ("first_name", "last_name", "email"))


def complaint_detail(user, pk, today=None):
    """One complaint for this person, with their roles and the actions open to them; 404 if they may not see it."""
    who = permissions.person(user)
    # Its own columns and, of its Compact and parties, what the page shows: one row, read without ordering.
    complaint = next(
        iter(
            Complaint.objects.select_related("compact", "complainant", "respondent", "raised_by")
            .only(*COMPLAINT_COLUMNS, *(f"{relation}__{name}" for relation, name in RELATED_SHOWN))
            .filter(pk=pk)
        ),
        None,
    )
    view = view_for(who, complaint, today or timezone.localdate()) if complaint else None
    if view is None or not view.visible:
        raise Http404("There is no complaint with that number that you can see.")
    citations = (
        CitedCommitment.objects.filter(complaint=complaint)
        .select_related("commitment__section")
        .defer("commitment__search_vector")
        .order_by("id")
    )
    view.citations = list(citations)
    for citation in view.citations:
        citation.commitment.compact = complaint.compact  # a complaint cites its own Compact's commitments
    view.told = told(view)
    return view


@dataclass
class Told:
    """One side of a complaint, or the Compact's administrators: who answers or acts for it, and when each was first
    emailed about the complaint (None: not yet)."""

    label: str
    people: list  # (user, first told at, or None)
    can_answer: bool


def told(view):
    """Who has been told of the complaint, side by side, from the outbox (two queries): the complaining
    organisation's author and Champions or contacts, the answerers and officers of the organisation complained
    about, and, where nobody can answer for it yet, the Compact's administrators."""
    complaint = view.complaint
    first = dict(
        Email.objects.filter(about=f"complaint:{complaint.pk}")
        .values_list("to")
        .annotate(at=Min("created_at"))
        .order_by()
    )

    def people(users):
        unique = {user.email: user for user in users if user.email}
        return [(user, first.get(email)) for email, user in unique.items()]

    complainant = view.answerers[complaint.complainant_id]
    respondent = view.answerers[complaint.respondent_id]
    sides = [
        Told(str(complaint.complainant), people([complaint.raised_by, *complainant.people]), True),
        Told(str(complaint.respondent), people([*respondent.people, *view.officers]), not respondent.nobody),
    ]
    if respondent.nobody:
        sides.append(Told("The Compact's administrators", people(administrators_of(complaint.compact_id)), True))
    return sides


def view_for(who, complaint, today):
    """A complaint as `who` sees it on `today` (the complaint row already loaded)."""
    stages = list(
        Stage.objects.filter(procedure__compact=complaint.compact_id)
        .select_related("procedure", "body")
        .order_by("order")
    )
    current = next((stage for stage in stages if stage.pk == complaint.current_stage_id), None)
    if current is not None:
        complaint.current_stage = current  # one of its Compact's stages, just read
    # Events and clocks take their stages from those just read (a stage no longer in the procedure, were there one,
    # would be read when shown), and the events their files from one query.
    by_pk = {stage.pk: stage for stage in stages}
    events = list(
        ComplaintEvent.objects.filter(complaint=complaint)
        .select_related("by", "by_organisation")
        .only(*EVENT_COLUMNS, *_person_columns("by"), "by_organisation__name")
        .order_by("at", "id")
    )
    files = {}
    for attachment in Attachment.objects.filter(complaint=complaint, event__isnull=False).order_by("id"):
        files.setdefault(attachment.event_id, []).append(attachment)
    for event in events:
        event.files = files.get(event.pk, [])
        if event.stage_id in by_pk:
            event.stage = by_pk[event.stage_id]
    clocks = list(StageClock.objects.filter(complaint=complaint).order_by("started_at", "id"))
    for clock in clocks:
        if clock.stage_id in by_pk:
            clock.stage = by_pk[clock.stage_id]
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
    officer_users = list(complaint.officers.only(*_person_columns()))
    officers = {officer.pk for officer in officer_users}
    answerers = who_answers_for(complaint.compact_id, [complaint.complainant_id, complaint.respondent_id])
    roles = permissions.roles_for(
        who,
        complaint,
        officers=officers,
        panel_people={panel.chair_id, *(m.pk for m in panel.members.all())} if panel else set(),
        acted_at_stages={e.stage_id for e in events if e.by_id == who.user.pk and e.kind in workflow.HANDLING},
        reached_handlers={c.stage.handler for c in clocks},
        respondent_has_champion=answerers[complaint.respondent_id].basis == CHAMPIONS,
    )
    for clock in clocks:
        clock.explanation = (
            deadlines.due_date(clock.started_on, clock.time_limit, clock.time_unit) if clock.time_limit else None
        )
    return ComplaintView(
        complaint=complaint,
        who=who,
        visible=permissions.may_see(who, complaint, officers=officers, clocks=clocks, panels=panels, events=events),
        roles=roles,
        state=state,
        actions=workflow.available(state, roles),
        stages=stages,
        clocks=clocks,
        events=events,
        panel=panel,
        today=today,
        officers=officer_users,
        answerers=answerers,
    )


def queue(user, *, compact=None, stage=None, status=None, who=None, nobody_answers=False, overdue=False):
    """The complaints this person may see, soonest due first, overdue at the top; or, `nobody_answers`, the open ones
    nobody in the portal can answer for the organisation complained about, oldest first. `overdue`: only the open
    ones whose stage is past its due date today."""
    complaints = permissions.visible_complaints(who or permissions.person(user))
    if compact:
        complaints = complaints.filter(compact__slug=compact)
    if stage:
        complaints = complaints.filter(current_stage=stage)
    if status:
        complaints = complaints.filter(status=status)
    if overdue:
        complaints = complaints.filter(status=Status.OPEN, stage_due_on__lt=timezone.localdate())
    if nobody_answers:
        return unanswered(complaints).order_by("submitted_at", "pk")
    return _queue_order(complaints)


def unanswered(complaints):
    """Of these complaints, the open ones whose respondent nobody in the portal answers for (no confirmed Champion of
    it in the Compact, no confirmed contact: compacts.selectors.answering)."""
    answerer = answering(OuterRef("compact_id")).filter(organisation=OuterRef("respondent_id"))
    return complaints.filter(status=Status.OPEN).exclude(Exists(answerer))


def _queue_order(complaints):
    rank = Case(When(status=Status.OPEN, then=0), When(status=Status.DRAFT, then=1), default=2)
    # Open ones first, the earliest due (so every overdue one) at the top; then drafts; then closed.
    return complaints.order_by(rank.asc(), F("stage_due_on").asc(nulls_last=True), "-pk")


@dataclass
class QueueFilters:
    """What the list of complaints may be filtered by, for this person: the Compacts of their roles and of the
    organisations they belong to (each {"slug", "short_name"}), A to Z, and those Compacts' stages, grouped by
    Compact as (short name, [(stage id, its words)])."""

    compacts: list
    stage_groups: list


def queue_filters(who):
    """The Compacts and stages the person's list of complaints may be filtered by (two queries)."""
    ids = {c for _, c in who.champion_of} | who.administrator_of | who.chair_of | who.critical_friend_of
    signed = Signatory.objects.filter(organisation__in=who.member_of).values("compact_id")
    compacts = list(
        Compact.objects.filter(Q(pk__in=ids) | Q(pk__in=signed)).order_by("short_name").values("slug", "short_name")
    )
    return QueueFilters(compacts=compacts, stage_groups=_stage_choices(compacts))


def _stage_choices(compacts):
    """The stages to filter the list by, each by the words of its own procedure ("Stage 2: Arbitration by the
    Disputes Resolution Panel"), grouped by Compact: a stage number means something different in each."""
    stages = (
        Stage.objects.filter(procedure__compact__slug__in=[compact["slug"] for compact in compacts])
        .order_by("procedure__compact__short_name", "order")
        .values("pk", "label", "name", "procedure__compact__short_name")
    )
    return [
        (name, [(str(stage["pk"]), ": ".join(filter(None, [stage["label"], stage["name"]]))) for stage in group])
        for name, group in groupby(stages, key=lambda stage: stage["procedure__compact__short_name"])
    ]


def queue_export(complaints):
    """`queue`'s complaints for the CSV download, each with its Compact, parties, stage and every stage's clock
    (`clocks`, in the order they started), read 500 at a time."""
    complaints = complaints.select_related("compact", "complainant", "respondent", "current_stage").prefetch_related(
        Prefetch("clocks", queryset=StageClock.objects.select_related("stage").order_by("started_at"))
    )
    return complaints.iterator(chunk_size=500)


# What the list of complaints shows of each (disputes/list.html): the only columns its page reads. Its own are read
# as fields; its Compact's, parties' and stage's with it, named by their path with "_" for "__" (compact_short_name).
QUEUE_SHOWS = (
    "reference",
    "summary",
    "status",
    "outcome",
    "stage_due_on",
    "created_at",
    "compact__short_name",
    "complainant__name",
    "respondent__name",
    "current_stage__name",
)


def queue_page(complaints, number, per_page, today=None):
    """One page of `queue`'s complaints for the list, each with what the list shows of it (QUEUE_SHOWS) and whether
    it is `overdue` on `today`. A page past the end is the last page.

    The page's complaints are chosen from their own columns (an index holds those the queue is ordered by), and
    only those read with their Compact, parties and stage: joining every complaint in the queue to them before
    choosing the page took longer than the rest of the page together."""
    page = Paginator(complaints.values_list("pk", flat=True), per_page).get_page(number)
    own = [path for path in QUEUE_SHOWS if "__" not in path]
    related = {path.replace("__", "_"): F(path) for path in QUEUE_SHOWS if "__" in path}
    page.object_list = list(
        Complaint.objects.filter(pk__in=page.object_list)
        .order_by(*complaints.query.order_by)
        .only(*own)
        .annotate(**related)
    )
    today = today or timezone.localdate()
    for complaint in page:
        complaint.overdue = complaint.is_overdue(today)
    return page


def respondents(compact, *, excluding=()):
    """The organisations a complaint about this Compact can be made against: its signatories (less `excluding`: the
    complaining person's own organisations, which a complaint they make cannot be about)."""
    excluded = {organisation.pk for organisation in excluding}
    organisations = {}
    for signatory in Signatory.objects.filter(compact=compact).select_related("organisation"):
        if signatory.organisation_id not in excluded:
            organisations.setdefault(signatory.organisation_id, signatory.organisation)
    return sorted(organisations.values(), key=lambda organisation: organisation.name)


def compact_commitments(compact, q=""):
    """A Compact's commitments to cite, in document order, optionally narrowed by words."""
    commitments = (
        Commitment.objects.filter(compact=compact).select_related("section").order_by("section__order", "order")
    )
    for word in q.split():
        commitments = commitments.filter(text__icontains=word)
    return commitments


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


def complaint_version(pk):
    """The complaint's version now (the number a form sent again must carry)."""
    return Complaint.objects.values_list("version", flat=True).get(pk=pk)


def attachment(complaint, attachment_id):
    """A file of this complaint; 404 if it has none of that number."""
    found = Attachment.objects.filter(pk=attachment_id, complaint=complaint).first()
    if found is None:
        raise Http404("There is no such file on this complaint.")
    return found


# Raising a complaint -----------------------------------------------------------------------------------------------


def cited_commitment(compact, ref):
    """The commitment of this Compact a "Report a breach" link names (by its reference), or None."""
    return Commitment.objects.filter(compact=compact, ref=ref).first()


def cited_ids(complaint):
    """The ids (as text, as a form sends them) of the commitments a draft cites."""
    return {str(pk) for pk in complaint.citations.values_list("commitment_id", flat=True)}


def commitments_to_cite(compact, find, chosen):
    """The complaint form's list of commitments: the Compact's, narrowed by the words found (compact_commitments),
    and after them any chosen (ids, as text) the words left out, so that they stay chosen. The list, and how many
    the words found."""
    listed = list(compact_commitments(compact, find))
    found = len(listed)
    listed_ids = {str(c.pk) for c in listed}
    wanted = [pk for pk in chosen if is_id(pk) and pk not in listed_ids]
    if wanted:
        listed += list(Commitment.objects.filter(pk__in=wanted, compact=compact))
    return listed, found


def commitments_chosen(compact, ids):
    """The commitments of this Compact with these ids (a form's choices): those a complaint cites."""
    return list(Commitment.objects.filter(compact=compact, pk__in=ids))


def record_to_raise(user, compact, pk):
    """The record of Compact working a complaint is raised from (?record=), if the person may see it and the
    complaint would not be against their own organisation; else None."""
    if not is_id(pk):
        return None
    record = (
        Record.objects.select_related("compact", "about", "counterpart", "recorded_for")
        .prefetch_related("checks__commitment__section", "commitments", "others", "responses__organisation")
        .filter(compact=compact, pk=pk)
        .first()
    )
    if record is None or not record_permissions.may_raise_complaint(user, record):
        return None
    return record if record_permissions.may_see(user, record) else None


def draft_from_record(record, organisations):
    """A complaint's first draft from a record: who (the complainant: the person's organisation on the record's
    other side), which commitments (those it missed first), what happened, what the other side said disputing it,
    and the record's address. Reads only what record_to_raise loaded."""
    missed = [check.commitment for check in record.checks.all() if check.outcome == CheckOutcome.MISSED]
    commitments = missed or list(record.commitments.all())
    working = "\n".join(f"- {capfirst(check.commitment.label)}: {check.working}" for check in record.checks.all())
    disputed = "".join(
        f"{response.organisation} disputed version {response.version} of the record on "
        f"{long_date(timezone.localtime(response.at))}:\n{response.comment}\n\n"
        for response in record.responses.all()
        if response.verdict == RecordVerdict.DISPUTE
    )
    initial = {
        "respondent": record.about_id,
        "commitments": [str(c.pk) for c in commitments],
        "summary": f"{record.get_kind_display()}: {record.title}"[:200],
        "what_happened": (
            f"{record.get_kind_display()} by {record.about}: {record.title}.\n\n"
            f"Against the Compact's figures, as the portal worked them out:\n{working}\n\n{disputed}"
            f"The record: {settings.SITE_URL}{record.get_absolute_url()}"
        ),
        "happened_on": record.occurred_on,
    }
    mine = {o.pk for o in organisations}
    sides = [record.recorded_for_id, record.counterpart_id, *(o.pk for o in record.others.all())]
    complainant = next((pk for pk in sides if pk in mine and pk != record.about_id), None)
    if complainant is not None:
        initial["complainant"] = complainant
    return initial


# Acting on a complaint ---------------------------------------------------------------------------------------------

# The kinds of response template each action's text may start from.
TEMPLATE_KINDS = {
    Action.RESPOND: [EventKind.RESPONSE],
    Action.FINDINGS: [EventKind.FINDINGS],
    Action.MEETING: [EventKind.MEETING],
    Action.ACKNOWLEDGE: [EventKind.ACKNOWLEDGED],
    Action.RESOLVE: [EventKind.RESOLVED],
}


def response_templates(action):
    """The response templates an action's text may start from."""
    return list(ResponseTemplate.objects.filter(for_event__in=TEMPLATE_KINDS.get(action, [])))


def response_template(pk):
    """The response template chosen (?template=), or None."""
    return ResponseTemplate.objects.filter(pk=pk).first() if is_id(pk) else None


def _people(ids):
    return list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name"))


def panel_candidates(complaint):
    """Who may sit on the complaint's panel (permissions.panel_pool, less anyone permissions.conflicts rules out),
    by name; and those ruled out, each with why, to say so beside the list."""
    ids = permissions.panel_pool(complaint.compact_id)
    people = _people(ids)
    conflicts = permissions.conflicts(complaint, ids)
    return (
        [p for p in people if p.pk not in conflicts],
        {p: conflicts[p.pk] for p in people if p.pk in conflicts},
    )


def officer_candidates(complaint):
    """Whom the Champion of the organisation complained about may name as its officers: its confirmed people, by
    name (one query)."""
    return _people(permissions.respondent_staff(complaint).values("user_id"))


def usual_chairs(compact_id):
    """The Compact's chairs: a panel chaired by anyone else has an independent chair."""
    return [
        role.user
        for role in CompactRole.objects.filter(compact=compact_id, role=CompactRoleKind.CHAIR).select_related("user")
    ]
