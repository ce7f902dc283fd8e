"""Who may record Compact working, answer a record and correct it: the one place for these rules. Views ask here
what to offer; services ask again before they change anything, and raise Refused (compacts.exceptions) with the
reason in words."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from compacts.exceptions import Refused
from compacts.models import Membership, MembershipStatus, Organisation, Signatory
from compacts.permissions import administered, administers, email_confirmed
from compacts.selectors import answering, who_answers_for


def _organisations_of(user):
    """The organisations this person is a confirmed member or Champion of."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, status=MembershipStatus.CONFIRMED).values_list(
            "organisation_id", flat=True
        )
    )


def organisations_of(user):
    """The organisations this person is a confirmed member or Champion of (ids): whose answers to a record are
    "your organisation's"."""
    return _organisations_of(user)


def recording_for(user, compact):
    """The signatory organisations of this Compact the person may record for (confirmed members and Champions,
    with a confirmed address), A to Z."""
    if not email_confirmed(user):
        return []
    signed = Signatory.objects.filter(compact=compact, organisation__in=_organisations_of(user))
    return list(Organisation.objects.filter(pk__in=signed.values("organisation_id")).order_by("name"))


@dataclass(frozen=True)
class Recorder:
    """Whom a person may record for in one Compact: the signatory organisations they belong to (recording_for), and
    whether they may record as its administrator, for no organisation."""

    compact: object
    organisations: list
    administrator: bool

    def choices(self, record=None):
        """The form's choices of whom a record is made for: (organisation id, name) each, then ("", as an
        administrator); a record being corrected keeps whom it was made for, first, whoever corrects it."""
        choices = [(str(o.pk), o.name) for o in self.organisations]
        if self.administrator:
            choices.append(("", f"As an administrator of the {self.compact.short_name} Compact"))
        if record is not None and record.recorded_for_id and str(record.recorded_for_id) not in dict(choices):
            choices.insert(0, (str(record.recorded_for_id), record.recorded_for.name))
        return choices

    def organisation(self, choice):
        """The organisation a form's choice names, if the person may record for it; else None (as the Compact's
        administrator: require_recorder checks that they are one)."""
        return next((o for o in self.organisations if str(o.pk) == choice), None)


def recorder(user, compact):
    """Whom this person may record for in this Compact (Recorder)."""
    return Recorder(
        compact=compact, organisations=recording_for(user, compact), administrator=administers(user, compact)
    )


def may_record(user, compact):
    return administers(user, compact) or bool(recording_for(user, compact))


def require_recorder(user, compact, organisation):
    """Check the person may record for `organisation` (None: as the Compact's administrator)."""
    if not email_confirmed(user):
        raise Refused("Confirm your email address before you record anything: follow the link we emailed you.")
    if organisation is None:
        if not administers(user, compact):
            raise Refused(f"Only the {compact.short_name} Compact's administrators can record without an organisation.")
        return
    if organisation not in recording_for(user, compact):
        raise Refused(
            f"Only members of organisations that signed the {compact.short_name} Compact can record its working.",
            field="recorded_for",
        )


def is_own(record):
    """Whether the record is of the recording organisation's own doing (its own consultation, funding or payment)."""
    return record.recorded_for_id is not None and record.recorded_for_id == record.about_id


def other_sides(record):
    """The organisations asked to confirm or dispute the record: the one whose doing it is; or, where that is the
    organisation that recorded it, the organisation funded or paid and the others it names (those consulted). Reads
    `record.others` (prefetched by selectors.record_detail)."""
    if not is_own(record):
        return [record.about]
    sides = [record.counterpart] if record.counterpart_id else []
    return sides + [organisation for organisation in record.others.all() if organisation.pk != record.counterpart_id]


# Who answers for an organisation: compacts.selectors.answering, the rule complaints follow too.


def asked(record):
    """Each organisation on the record's other side with who answers for it: [(organisation, Answerers)]."""
    sides = other_sides(record)
    found = who_answers_for(record.compact_id, [organisation.pk for organisation in sides])
    return [(organisation, found[organisation.pk]) for organisation in sides]


def answering_for(user, record):
    """The organisation on the record's other side this person answers for (see `answering`), or None."""
    if not user.is_authenticated:
        return None
    sides = other_sides(record)
    if not sides:
        return None
    theirs = set(
        answering(record.compact_id)
        .filter(user=user, organisation__in=[organisation.pk for organisation in sides])
        .values_list("organisation_id", flat=True)
    )
    return next((organisation for organisation in sides if organisation.pk in theirs), None)


def names(organisations, conjunction="or"):
    """Organisations' names as words: "A", "A or B", "A, B or C"."""
    listed = [str(organisation) for organisation in organisations]
    return f" {conjunction} ".join([", ".join(listed[:-1]), listed[-1]]) if len(listed) > 1 else "".join(listed)


def may_respond(user, record):
    return email_confirmed(user) and answering_for(user, record) is not None


def require_responder(user, record):
    sides = other_sides(record)
    if not sides:
        raise Refused("Nobody is asked to confirm this record: it names no organisation on the other side.")
    if not may_respond(user, record):
        raise Refused(
            f"Only whoever answers for {names(sides)} (its Compact Champions, or its members where it has none), "
            "with a confirmed email address, can confirm or dispute this record."
        )


def may_correct(user, record):
    """Who recorded it, their organisation's members, and the Compact's administrators."""
    if not email_confirmed(user):
        return False
    if record.recorded_by_id == user.pk or administers(user, record.compact):
        return True
    return record.recorded_for_id is not None and record.recorded_for_id in _organisations_of(user)


def require_corrector(user, record):
    if not may_correct(user, record):
        raise Refused("Only who made this record, their organisation and the Compact's administrators can correct it.")


def is_public(record, today=None):
    return record.public_from <= (today or timezone.localdate())


def may_see(user, record):
    """Anyone, once it is public; before then, who recorded it and their organisation, whoever answers for its other
    side (`answering`), and the Compact's administrators."""
    if is_public(record):
        return True
    if not user.is_authenticated:
        return False
    if record.recorded_by_id == user.pk or administers(user, record.compact):
        return True
    if record.recorded_for_id is not None and record.recorded_for_id in _organisations_of(user):
        return True
    return answering_for(user, record) is not None


def visible(user, today, record="record__"):
    """The records this person may see (may_see's rule, as a filter), on checks (or, with `record=""`, on records):
    public ones, and for who recorded them and their organisation, whoever answers for their other side and the
    Compact's administrators, theirs before they are public. A check keeps its record's public_from, so for visitors
    the filter needs no join. A test holds this to may_see's answers."""
    public = Q(public_from__lte=today)
    if not user.is_authenticated:
        return public
    compacts = administered(user)
    if compacts is None:
        return Q()
    mine = _organisations_of(user)
    theirs = answering(OuterRef(f"{record}compact")).filter(user=user.pk)
    own = Q(**{f"{record}recorded_for": F(f"{record}about")})
    return (
        public
        | Q(**{f"{record}recorded_by": user.pk})
        | Q(**{f"{record}compact__in": compacts})
        | Q(**{f"{record}recorded_for__in": mine})
        | ~own & Exists(theirs.filter(organisation=OuterRef(f"{record}about")))
        | own
        & Exists(
            theirs.filter(
                Q(organisation=OuterRef(f"{record}counterpart"))
                | Q(organisation__records_as_other=OuterRef(f"{record}pk"))
            )
        )
    )


def may_raise_complaint(user, record):
    """Whether to offer raising the record as a complaint, which would be against the organisation whose doing it
    is: to anyone but that organisation's own people."""
    return not user.is_authenticated or record.about_id not in _organisations_of(user)
