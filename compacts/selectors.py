"""Reads of Compacts, loaded in a fixed number of queries whatever their size."""

import calendar
import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import outbox, permissions
from .models import (
    ChangeRecord,
    Compact,
    CompactEventKind,
    CompactRole,
    CompactRoleKind,
    CompactVersion,
    ConfirmedEmail,
    GlossaryTerm,
    Invitation,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    Precision,
    Review,
    ReviewStatus,
    Signatory,
    SignUp,
    SignUpStatus,
    WorkPlanAction,
    WorkPlanStatus,
    period_has_passed,
)
from .text import is_id


def version_in_force(compact_id, when):
    """The number of the Compact's version in force at `when`: the one published last by then (version 1, the
    document as loaded, before any other)."""
    published = CompactVersion.objects.filter(compact=compact_id, created_at__lte=when).order_by("-number")
    return published.values_list("number", flat=True).first() or 1


def compact(slug):
    """A Compact by its slug; 404 if there is none."""
    return get_object_or_404(Compact, slug=slug)


def compact_or_none(slug):
    """A Compact by its slug; None if none was named or there is none of that slug."""
    return Compact.objects.filter(slug=slug).first() if slug else None


def compacts_by_name():
    """Every Compact, A to Z by short name (to choose one)."""
    return list(Compact.objects.order_by("short_name"))


def glossary_terms():
    """Every glossary term of every Compact, for the index and for linking."""
    return list(
        GlossaryTerm.objects.select_related("compact", "section__compact").order_by("term", "compact__short_name")
    )


def glossary_term(compact_slug, slug):
    """One glossary term by its Compact and slug; 404 if unknown."""
    for term in GlossaryTerm.objects.select_related("compact", "section__compact").filter(compact__slug=compact_slug):
        if term.slug == slug:
            return term
    raise Http404("There is no such term in that Compact's glossary.")


# The manage area and a person's own account -----------------------------------------------------------------------


def _champion_of(compact_id):
    return Membership.objects.filter(
        compact=compact_id, role=MembershipRole.CHAMPION, status=MembershipStatus.CONFIRMED
    ).select_related("user", "organisation")


def _linked_organisations(compact):
    """Organisations whose requests to join the Compact's administrators decide (permissions.membership_compacts):
    those that have signed it, and new organisations that have asked to."""
    signed = Signatory.objects.filter(compact=compact).values("organisation_id")
    asked = SignUp.objects.filter(compact=compact, status=SignUpStatus.PENDING, organisation__confirmed=False)
    return Q(organisation__in=signed) | Q(organisation__in=asked.values("organisation_id"))


def _with_confirmed_email(queryset, user_field):
    confirmed = ConfirmedEmail.objects.filter(user=OuterRef(user_field), email__iexact=OuterRef(f"{user_field}__email"))
    return queryset.annotate(email_confirmed=Exists(confirmed))


def managed_compacts(user, number, per_page=30):
    """A page of the Compacts the person administers (all, for a site administrator), with what waits for them."""
    ids = permissions.administered(user)
    compacts = Compact.objects.all() if ids is None else Compact.objects.filter(pk__in=ids)
    pending = SignUp.objects.filter(compact=OuterRef("pk"), status=SignUpStatus.PENDING).order_by().values("compact")
    compacts = compacts.annotate(
        pending_sign_ups=Coalesce(Subquery(pending.annotate(n=Count("*")).values("n")), 0)
    ).order_by("short_name")
    return Paginator(compacts, per_page).get_page(number)


@dataclass
class ManageOverview:
    """What a Compact's administrators need to act on, and what changed lately."""

    sign_ups: list
    memberships: list
    champions: list
    without_champion: list
    overdue_actions: list
    changes: list
    schedule: object  # ReviewSchedule


def manage_overview(compact, changes_shown=15):
    """One Compact's manage page: requests to decide, Champions and signatories without one, latest changes."""
    sign_ups = _with_confirmed_email(
        SignUp.objects.filter(compact=compact, status=SignUpStatus.PENDING).select_related(
            "organisation", "requested_by"
        ),
        "requested_by",
    ).order_by("requested_at")
    memberships = _with_confirmed_email(
        Membership.objects.filter(_linked_organisations(compact), status=MembershipStatus.PENDING)
        .select_related("user", "organisation")
        .order_by("requested_at"),
        "user",
    )
    champions = list(_champion_of(compact.pk).order_by("organisation__name"))
    championed = {champion.organisation_id for champion in champions}
    signatories = (
        Signatory.objects.filter(compact=compact).select_related("organisation").order_by("organisation__name")
    )
    without = list(
        {s.organisation_id: s.organisation for s in signatories if s.organisation_id not in championed}.values()
    )
    overdue = WorkPlanAction.objects.filter(
        compact=compact,
        due_on__lt=timezone.localdate(),
        status__in=[WorkPlanStatus.PLANNED, WorkPlanStatus.IN_PROGRESS],
    ).order_by("due_on")
    changes = ChangeRecord.objects.filter(compact=compact).select_related("by")[:changes_shown]
    return ManageOverview(
        list(sign_ups), list(memberships), champions, without, list(overdue), list(changes), review_schedule(compact)
    )


def failed_email_count(user):
    """How many emails failed for good (outbox.given_up): the site's administrators' to see to, not one Compact's,
    so 0 for anyone else."""
    return outbox.given_up().count() if user.is_superuser else 0


def sign_up_to_decide(compact, pk):
    """A request to sign this Compact, with the requester's membership of the organisation; 404 if it has none of
    that number."""
    sign_up = get_object_or_404(
        SignUp.objects.select_related("organisation", "requested_by", "decided_by"), pk=pk, compact=compact
    )
    sign_up.requester_membership = membership_of(sign_up.requested_by, sign_up.organisation)
    return sign_up


def membership_to_decide(pk):
    """A request to join an organisation, with whether its person's address is confirmed; 404 if there is none."""
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation", "decided_by"), pk=pk, role=MembershipRole.MEMBER
    )
    membership.email_confirmed = permissions.email_confirmed(membership.user)
    return membership


def organisation_member(organisation, pk):
    """A membership of this organisation by its id (as a form sends it); 404 if it has none of that id."""
    return get_object_or_404(Membership, pk=pk if is_id(pk) else None, organisation=organisation)


def change_log(compact, number, per_page=50):
    """Every change recorded for the Compact, newest first, a page at a time."""
    changes = ChangeRecord.objects.filter(compact=compact).select_related("by")
    return Paginator(changes, per_page).get_page(number)


def signatory_organisation(compact, organisation_id):
    """An organisation that signed the Compact, with its confirmed members and current Champion; 404 if it has not."""
    signatory = (
        Signatory.objects.filter(compact=compact, organisation=organisation_id).select_related("organisation").first()
    )
    if signatory is None:
        raise Http404("That organisation has not signed this Compact.")
    organisation = signatory.organisation
    organisation.confirmed_members = [
        m.user
        for m in _with_confirmed_email(
            Membership.objects.filter(
                organisation=organisation, role=MembershipRole.MEMBER, status=MembershipStatus.CONFIRMED
            ).select_related("user"),
            "user",
        ).order_by("user__first_name", "user__last_name", "user__email")
        if m.email_confirmed
    ]
    organisation.champion = _champion_of(compact.pk).filter(organisation=organisation).first()
    return organisation


def answering_organisation(compact, organisation_id):
    """A signatory organisation with who answers for it now, its confirmed members (each with whether they are its
    contact and have a confirmed address), the requests to join it and its open invitations; 404 if it has not
    signed the Compact."""
    organisation = signatory_organisation(compact, organisation_id)
    organisation.answerers = who_answers_for(compact.pk, [organisation.pk])[organisation.pk]
    organisation.people_in_portal = list(
        _with_confirmed_email(
            Membership.objects.filter(organisation=organisation, role=MembershipRole.MEMBER).exclude(
                status=MembershipStatus.REFUSED
            ),
            "user",
        )
        .select_related("user")
        .order_by("status", "user__first_name", "user__email")
    )
    organisation.open_invitations = list(
        Invitation.objects.filter(compact=compact, organisation=organisation, accepted_at__isnull=True).order_by(
            "-created_at"
        )
    )
    return organisation


@dataclass
class Account:
    """A person's own page: their memberships (each with its organisation's Champions and sign-ups), the Compacts
    they champion an organisation in, and whether their address is confirmed."""

    memberships: list
    champion_of: list
    email_confirmed: bool


def account(user):
    """What the person belongs to, who their organisations' Champions are, and their organisations' sign-ups."""
    mine = list(
        Membership.objects.filter(user=user).select_related("organisation", "compact").order_by("organisation__name")
    )
    memberships = [m for m in mine if m.role == MembershipRole.MEMBER]
    organisations = {m.organisation_id for m in memberships}
    champions, sign_ups = {}, {}
    for champion in Membership.objects.filter(
        organisation__in=organisations, role=MembershipRole.CHAMPION, status=MembershipStatus.CONFIRMED
    ).select_related("user", "compact"):
        champions.setdefault(champion.organisation_id, []).append(champion)
    for sign_up in SignUp.objects.filter(organisation__in=organisations).select_related("compact"):
        sign_ups.setdefault(sign_up.organisation_id, []).append(sign_up)
    for membership in memberships:
        membership.champions = champions.get(membership.organisation_id, [])
        membership.sign_ups = sign_ups.get(membership.organisation_id, [])
    champion_of = [m for m in mine if m.role == MembershipRole.CHAMPION and m.status == MembershipStatus.CONFIRMED]
    return Account(memberships, champion_of, permissions.email_confirmed(user))


def membership_of(user, organisation):
    """The person's request to join the organisation, or membership of it (None if they never asked)."""
    return Membership.objects.filter(user=user, organisation=organisation, role=MembershipRole.MEMBER).first()


def sign_up_of(pk):
    """A request to sign a Compact, with its Compact and organisation; 404 if there is none."""
    return get_object_or_404(SignUp.objects.select_related("compact", "organisation"), pk=pk)


@dataclass
class SignUpChoices:
    """The organisations a person may sign up (a queryset, for the form's choices), and the first of them, whose
    details the form starts with (None: they may sign none up)."""

    organisations: object
    first: object


def sign_up_choices(user):
    """The organisations this person may sign up (my_organisations_for_sign_up), and the first of them."""
    organisations = my_organisations_for_sign_up(user)
    return SignUpChoices(organisations=organisations, first=organisations.first())


def has_account(email):
    """Whether someone has an account with this address (any case)."""
    return get_user_model().objects.filter(username__iexact=email).exists()


def my_organisations_for_sign_up(user):
    """The organisations the person may sign up (permissions.may_act_for): those they are a confirmed member of, and
    a new organisation they registered, waiting to be confirmed."""
    mine = Q(memberships__user=user, memberships__role=MembershipRole.MEMBER)
    return Organisation.objects.filter(
        mine
        & (
            Q(memberships__status=MembershipStatus.CONFIRMED)
            | Q(memberships__status=MembershipStatus.PENDING, confirmed=False)
        )
    ).distinct()


def registration_organisations():
    """The organisations someone registering may choose, by Compact: each Compact's signatories, as its document
    prints them or as they signed up in the portal, each group by name. National bodies a document only mentions
    (the Cabinet Office, say) are in no group. A list of (Compact, [(organisation id, name)]); two queries."""
    compacts = list(Compact.objects.only("pk", "slug", "short_name").order_by("short_name"))
    rows = (
        Signatory.objects.filter(organisation__confirmed=True)
        .values_list("compact_id", "organisation_id", "organisation__name")
        .distinct()
        .order_by("organisation__name")
    )
    by_compact = {}
    for compact_id, organisation_id, name in rows:
        by_compact.setdefault(compact_id, []).append((organisation_id, name))
    return [(compact, by_compact[compact.pk]) for compact in compacts if compact.pk in by_compact]


def portal_signatories(compact):
    """Organisations that signed the Compact in the portal, in the order they joined."""
    return list(
        Signatory.objects.filter(compact=compact, joined_on__isnull=False)
        .select_related("organisation")
        .order_by("joined_on", "order")
    )


# Who answers for an organisation ------------------------------------------------------------------------------------

CHAMPIONS, CONTACTS, NOBODY = "champions", "contacts", "nobody"


@dataclass(frozen=True)
class Answerers:
    """Who answers for an organisation in one Compact, and why them: its confirmed Compact Champions for that Compact;
    where it has none, its confirmed members named as its contacts in the portal (Membership.is_contact); where it
    has neither, nobody yet, and the Compact's administrators must name someone."""

    organisation_id: int
    people: tuple  # users
    basis: str  # CHAMPIONS, CONTACTS or NOBODY

    @property
    def nobody(self):
        return self.basis == NOBODY


def answering(compact):
    """The memberships through which their organisation answers in `compact` (a Compact, its id, or an OuterRef to
    one): its confirmed Compact Champions for that Compact; where it has none, its confirmed contacts named in the
    portal. Active people only. The one place for this rule: complaints and records ask it who is told, who may see
    and answer, and what a page says was asked (and, where it finds nobody, the Compact's administrators are told)."""
    compact = getattr(compact, "pk", compact)
    champions = Membership.objects.filter(
        organisation=OuterRef("organisation"),
        role=MembershipRole.CHAMPION,
        status=MembershipStatus.CONFIRMED,
        user__is_active=True,
        compact=OuterRef(compact) if isinstance(compact, OuterRef) else compact,
    )
    return Membership.objects.filter(status=MembershipStatus.CONFIRMED, user__is_active=True).filter(
        Q(role=MembershipRole.CHAMPION, compact=compact)
        | Q(role=MembershipRole.MEMBER, is_contact=True) & ~Exists(champions)
    )


def who_answers_for(compact_id, organisation_ids):
    """Answerers for each of these organisations in one Compact (organisation id to Answerers), in one query."""
    found = {}
    memberships = (
        answering(compact_id)
        .filter(organisation__in=organisation_ids)
        .select_related("user")
        .order_by("user__first_name", "user__email")
    )
    for membership in memberships:
        found.setdefault(membership.organisation_id, {CHAMPIONS: [], CONTACTS: []})[
            CHAMPIONS if membership.role == MembershipRole.CHAMPION else CONTACTS
        ].append(membership.user)
    answerers = {}
    for organisation_id in organisation_ids:
        people = found.get(organisation_id, {CHAMPIONS: [], CONTACTS: []})
        basis = CHAMPIONS if people[CHAMPIONS] else CONTACTS if people[CONTACTS] else NOBODY
        answerers[organisation_id] = Answerers(organisation_id, tuple(people.get(basis, ())), basis)
    return answerers


def administrators_of(compact_id):
    """Who runs the Compact: its administrators, or the site's administrators where it has none yet (one query)."""
    role = CompactRole.objects.filter(user=OuterRef("pk"), compact=compact_id, role=CompactRoleKind.ADMINISTRATOR)
    found = list(
        get_user_model()
        .objects.filter(Q(Exists(role)) | Q(is_superuser=True), is_active=True)
        .annotate(own=Exists(role))
        .order_by("first_name", "email")
    )
    return [user for user in found if user.own] or found


def portal_champions(compact):
    """The Compact's Champions named in the portal, by organisation."""
    return list(_champion_of(compact.pk).order_by("organisation__name"))


# Reviews and versions ----------------------------------------------------------------------------------------------

PORTAL_REVIEW_MONTHS = 36


def _add_months(day, months):
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Dated:
    """A date as printed: the first day of the period `precision` names (its year, its month, or the day itself)."""

    date: datetime.date
    precision: str


@dataclass(frozen=True)
class NextReview:
    """When a Compact's next review is due, and what says so. `due` is None where nothing gives a date: the document
    prints none and is not dated, and no version has been published from a review."""

    due: Dated | None
    overdue: bool
    printed: str  # the printed words that give the date, where the document prints it; else ""
    months: int  # the review cycle counted: the document's own, or the portal's default
    cycle_from_document: bool
    start: Dated | None  # what the cycle is counted from: the document's own date, or the version's
    version: int | None  # the version published from a review it is counted from; None: the document


def with_review_dates(compacts):
    """Compacts (a queryset) with what their next review is worked out from, read with them: their dated events, and
    the number and date of their latest version published from a review (`reviewed_version`, `reviewed_on`)."""
    published = CompactVersion.objects.filter(compact=OuterRef("pk"), number__gt=1, published_on__isnull=False)
    latest = published.order_by("-number")
    return compacts.prefetch_related("events").annotate(
        reviewed_version=Subquery(latest.values("number")[:1]),
        reviewed_on=Subquery(latest.values("published_on")[:1]),
    )


def document_dated(compact):
    """The event that dates the Compact's document itself, from its (prefetched) events; None if it is not dated."""
    return next((event for event in compact.events.all() if event.dates_document), None)


def next_review(compact, today):
    """The Compact's next review, by one rule for every page: once a version is published from a review, its review
    cycle counted from that version's date; before, the date its document prints, else its cycle counted from the
    document's own date. The cycle is the document's own, else the portal's default (and says so). `compact` as
    with_review_dates reads it."""
    months = compact.review_cycle_months or PORTAL_REVIEW_MONTHS
    printed = None
    if compact.reviewed_on:
        start, version = Dated(compact.reviewed_on, Precision.DAY), compact.reviewed_version
    else:
        version = None
        printed = next((e for e in reversed(compact.events.all()) if e.kind == CompactEventKind.REVIEW_DUE), None)
        own = document_dated(compact)
        start = Dated(own.date, own.precision) if own and not printed else None
    if printed:
        due = Dated(printed.date, printed.precision)
    elif start:
        due = Dated(_add_months(start.date, months), start.precision)
    else:
        due = None
    return NextReview(
        due=due,
        overdue=bool(due and period_has_passed(due.date, due.precision, today)),
        printed=printed.description if printed else "",
        months=months,
        cycle_from_document=bool(compact.review_cycle_months),
        start=start,
        version=version,
    )


@dataclass
class ReviewSchedule:
    """A Compact's next review, the review under way if any, its versions, and the date its document gives itself
    (version 1's)."""

    next_review: NextReview
    open_review: object
    versions: list
    document_date: Dated | None


def review_schedule(compact):
    """The Compact's next review, its open review and its versions, in a fixed number of queries."""
    versions = list(CompactVersion.objects.filter(compact=compact).defer("content").order_by("number"))
    for version in versions:
        version.compact = compact  # for their addresses
    open_review = Review.objects.filter(compact=compact, status=ReviewStatus.OPEN).select_related("opened_by").first()
    dated = with_review_dates(Compact.objects.filter(pk=compact.pk)).get()
    own = document_dated(dated)
    return ReviewSchedule(
        next_review=next_review(dated, timezone.localdate()),
        open_review=open_review,
        versions=versions,
        document_date=Dated(own.date, own.precision) if own else None,
    )
