"""A local Compact as data: the agreement, its document's sections, and the
structured items printed in them (principles, signatories, contacts, glossary
terms, codes of practice, case studies).

Every printed text is stored exactly as printed. A `Section` is one heading of
the source document, in document order; structured items point at the section
they are printed under, so a Compact page can show the whole document in its
own order.
"""

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


class Precision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class OrganisationSector(models.TextChoices):
    PUBLIC = "public", "Public body"
    VCS = "vcs", "Voluntary and community sector"
    OTHER = "other", "Other"


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    HEALTH = "health", "NHS and health"
    GOVERNMENT = "government", "Government body or agency"
    PARTNERSHIP = "partnership", "Partnership"
    INFRASTRUCTURE = "infrastructure", "VCS infrastructure body"
    CHARITY = "charity", "Voluntary or community organisation"
    OTHER = "other", "Other"


class IdentifierScheme(models.TextChoices):
    CHARITY = "charity", "Registered charity number"
    COMPANY = "company", "Company number"
    PUBLIC_BODY = "public_body", "Public body code"
    NONE = "", "None"


# The 360Giving / org-id.guide prefix of each scheme, so identifiers read the same as in open grants data.
ORG_ID_PREFIXES = {IdentifierScheme.CHARITY: "GB-CHC", IdentifierScheme.COMPANY: "GB-COH"}

# The public registers with a page for each number: which numbers each holds (the page's number is the first group),
# its name, and the page's address. The Charity Commission's register holds England and Wales's charity numbers (a
# linked charity, 1123456-1, is listed on its main charity's page), not Scotland's (SC) or Northern Ireland's (NI).
PUBLIC_REGISTERS = {
    IdentifierScheme.CHARITY: (
        re.compile(r"^(\d{6,7})(-\d{1,2})?$"),
        "the Charity Commission's register",
        "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{}",
    ),
    IdentifierScheme.COMPANY: (
        re.compile(r"^([A-Z0-9]{8})$"),
        "Companies House",
        "https://find-and-update.company-information.service.gov.uk/company/{}",
    ),
}


class OrganisationManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Organisation(models.Model):
    """A public body or VCS organisation, shared by every Compact it takes part in.

    Organisations named when a group registers are unconfirmed until an
    administrator confirms them.
    """

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=10, choices=OrganisationSector.choices)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    confirmed = models.BooleanField(default=True)
    identifier_scheme = models.CharField(max_length=20, choices=IdentifierScheme.choices, blank=True)
    identifier = models.CharField(max_length=20, blank=True, help_text="As its register gives it, e.g. 1123456.")
    # A body a document names that no longer exists (the Commission for the Compact, closed in 2011): the portal's
    # note says so, dated, with what a complainant can do instead, wherever the body appears.
    closed_in = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The year it closed.")
    closed_note = models.TextField(blank=True, help_text="The portal's note: what a complainant can do instead.")
    closed_note_written = models.DateField(null=True, blank=True, help_text="When the portal wrote the note.")

    objects = OrganisationManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_scheme", "identifier"],
                condition=~models.Q(identifier=""),
                name="organisation_identifier_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_in__isnull=True, closed_note="", closed_note_written__isnull=True)
                | models.Q(closed_in__isnull=False, closed_note_written__isnull=False) & ~models.Q(closed_note=""),
                name="organisation_closed_has_note",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def closed(self):
        return self.closed_in is not None

    @property
    def closed_label(self):
        return f"{self.name}: closed in {self.closed_in}." if self.closed else ""

    @property
    def org_id(self):
        """The identifier as open data writes it (GB-CHC-1123456), or ""."""
        if not self.identifier:
            return ""
        prefix = ORG_ID_PREFIXES.get(self.identifier_scheme)
        return f"{prefix}-{self.identifier}" if prefix else self.identifier

    @property
    def public_register(self):
        """Its page on a public register, as {"name": the register's, "url": the page's}, or None."""
        if self.identifier_scheme not in PUBLIC_REGISTERS:
            return None
        pattern, name, url = PUBLIC_REGISTERS[self.identifier_scheme]
        found = pattern.match(self.identifier)
        return {"name": name, "url": url.format(found[1])} if found else None


class CompactStatus(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Draft for consultation"


class CompactManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Compact(models.Model):
    """One local Compact: the agreement between an area's public bodies and its VCS."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200, help_text="The title as printed.")
    short_name = models.CharField(max_length=80, help_text="Used in lists, e.g. 'Darlington'.")
    area = models.CharField(max_length=200)
    reference_prefix = models.CharField(
        max_length=5, unique=True, help_text="Starts complaint references, e.g. DAR-2026-0007."
    )
    status = models.CharField(max_length=20, choices=CompactStatus.choices)
    status_note = models.TextField(blank=True, help_text="What the document says of its status.")
    version = models.CharField(max_length=50, blank=True)
    summary = models.TextField(help_text="The portal's own plain-words summary.")
    owner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_compacts"
    )
    owner_note = models.TextField(blank=True, help_text="Who owns or leads it, as the document says.")
    review_cycle_months = models.PositiveSmallIntegerField(null=True, blank=True)
    review_cycle_note = models.CharField(max_length=300, blank=True)
    pledge = models.TextField(
        blank=True, help_text="The wording an organisation pledges when it signs up, where the document prints one."
    )
    source_file = models.CharField(max_length=100, help_text="The source document's file name.")
    source_description = models.TextField(blank=True)

    objects = CompactManager()

    class Meta:
        ordering = ["short_name"]
        # Lists of commitments are in reading order, Compact by Compact (A to Z): read from this index, a page of
        # them is the first Compacts' commitments, not every commitment joined and sorted.
        indexes = [models.Index(fields=["short_name"], name="compact_reading_order")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class CompactEventKind(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    REVISED = "revised", "Revised"
    DRAFTED = "drafted", "Draft prepared"
    CONSULTATION = "consultation", "Out for consultation"
    DECISION = "decision", "Decision"
    REPORT = "report", "Report"  # a report that proposes or seeks a decision, and records none
    REVIEW_DUE = "review_due", "Review due"


def period_has_passed(day, precision, today):
    """Whether the whole period a date stands for (its year, its month or the day itself) is over by `today`."""
    if precision == Precision.YEAR:
        return day.year < today.year
    if precision == Precision.MONTH:
        return (day.year, day.month) < (today.year, today.month)
    return day < today


class CompactEventManager(models.Manager):
    def get_by_natural_key(self, compact_slug, order):
        return self.get(compact__slug=compact_slug, order=order)


class CompactEvent(models.Model):
    """A dated point in a Compact's history: adopted, revised, drafted, review due."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="events")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=CompactEventKind.choices)
    date = models.DateField(help_text="The first day of the period when only a year or month is printed.")
    precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    description = models.TextField()
    dates_document = models.BooleanField(
        default=False,
        help_text="This event dates the document itself, not an earlier Compact it revises or replaces: a review "
        "cycle is counted from it.",
    )

    objects = CompactEventManager()

    class Meta:
        ordering = ["compact", "order"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "order"], name="compact_event_order_unique"),
            models.UniqueConstraint(
                fields=["compact"], condition=models.Q(dates_document=True), name="one_document_date_per_compact"
            ),
        ]

    def __str__(self):
        return f"{self.compact.short_name}: {self.get_kind_display()} {self.date:%Y}"

    def has_passed(self, today):
        """Whether the whole printed period (the year, the month or the day) is over."""
        return period_has_passed(self.date, self.precision, today)

    def natural_key(self):
        return (*self.compact.natural_key(), self.order)

    natural_key.dependencies = ["compacts.compact"]


class SectionPart(models.TextChoices):
    WRAPPER = "wrapper", "Covering document"
    COMPACT = "compact", "The Compact"
    APPENDIX = "appendix", "Appendix"


class CompactItemManager(models.Manager):
    """Items whose natural key is their Compact and a readable reference."""

    def get_by_natural_key(self, compact_slug, ref):
        return self.get(compact__slug=compact_slug, ref=ref)


class Section(models.Model):
    """One heading of the source document, with the running text printed under it.

    `body` is printed before the section's structured items and `body_after`
    after them. Both use a small plain-text layout: blank lines separate
    paragraphs, lines starting "- " make a list and lines starting "| " make a
    table row.
    """

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="sections")
    ref = models.SlugField(max_length=80, help_text="Stable anchor, e.g. 'resolving-disagreements'.")
    order = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=10, choices=SectionPart.choices, default=SectionPart.COMPACT)
    level = models.PositiveSmallIntegerField(default=2, help_text="2 for a main heading, 3 or 4 below it.")
    number = models.CharField(max_length=30, blank=True, help_text="As printed, e.g. 'Section 3' or '4.'.")
    title = models.CharField(max_length=300, blank=True, help_text="As printed; blank for untitled text.")
    body = models.TextField(blank=True)
    body_after = models.TextField(blank=True)

    objects = CompactItemManager()

    class Meta:
        ordering = ["compact", "order"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "ref"], name="section_ref_unique"),
            models.UniqueConstraint(fields=["compact", "order"], name="section_order_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="section_level_range"),
        ]

    def __str__(self):
        return " ".join(filter(None, [self.number, self.title])) or self.ref

    def get_absolute_url(self):
        return f"{self.compact.get_absolute_url()}#{self.ref}"

    def natural_key(self):
        return (*self.compact.natural_key(), self.ref)

    natural_key.dependencies = ["compacts.compact"]


class CompactItem(models.Model):
    """What everything printed under a section shares: its place and natural key.

    Subclasses add `compact`, `section` and `ref` with their own related names.
    """

    order = models.PositiveSmallIntegerField(help_text="Order within the section.")

    objects = CompactItemManager()

    class Meta:
        abstract = True
        ordering = ["compact", "section__order", "order"]

    def natural_key(self):
        return (*self.compact.natural_key(), self.ref)

    natural_key.dependencies = ["compacts.compact", "compacts.section"]


class Principle(CompactItem):
    """A shared principle. `text` is the whole printed item, its name included."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="principles")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="principles")
    ref = models.SlugField(max_length=80)
    name = models.CharField(max_length=200, help_text="The principle's name, e.g. 'Partnership'.")
    text = models.TextField()

    class Meta(CompactItem.Meta):
        constraints = [models.UniqueConstraint(fields=["compact", "ref"], name="principle_ref_unique")]

    def __str__(self):
        return self.name


class SignatoryRole(models.TextChoices):
    SIGNED = "signed", "Signed"
    SUPPORTS = "supports", "Supports the principles"
    PREPARED = "prepared", "Involved in preparing"
    LEAD = "lead", "Led the preparation"


class SignatoryManager(models.Manager):
    def get_by_natural_key(self, compact_slug, organisation_name, role):
        return self.get(compact__slug=compact_slug, organisation__name=organisation_name, role=role)


class Signatory(models.Model):
    """An organisation named in a Compact as signing, supporting or preparing it."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signatures")
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatories",
        help_text="Where the document prints it; none for an organisation that signed up in the portal.",
    )
    order = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=10, choices=SignatoryRole.choices)
    printed_name = models.CharField(max_length=300, help_text="The name exactly as printed.")
    joined_on = models.DateField(null=True, blank=True, help_text="Set when a pledge is approved.")

    objects = SignatoryManager()

    class Meta:
        verbose_name_plural = "signatories"
        ordering = ["compact", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "organisation", "role"], name="signatory_unique_per_role"),
        ]

    def __str__(self):
        return f"{self.printed_name} ({self.get_role_display()}, {self.compact.short_name})"

    def natural_key(self):
        return (*self.compact.natural_key(), *self.organisation.natural_key(), self.role)

    natural_key.dependencies = ["compacts.compact", "compacts.organisation"]


class Contact(CompactItem):
    """A printed contact: a Compact Champion only where the document names it one (`is_champion`); a point of
    contact about the Compact where the document gives it as one (`is_contact_point`: every Champion, and such
    contacts as County Durham's and Dacorum's, whose documents name no Champions).

    `details` is what is printed under the contact's heading, line for line;
    name, job title, phone, email and website are also kept apart, as found
    in it, for links and search. `placeholder` keeps a printed stand-in such
    as "[Insert details]" or "To be added": such a contact's details have not
    been published, and the portal says so rather than inventing them.
    """

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="contacts")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="contacts")
    ref = models.SlugField(max_length=80)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    label = models.CharField(max_length=300, blank=True, help_text="The heading printed for it.")
    details = models.TextField(blank=True, help_text="The printed lines, in the section body layout.")
    placeholder = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=200, blank=True)
    website = models.CharField(max_length=200, blank=True)
    is_champion = models.BooleanField(default=False, help_text="The document names it a Compact Champion.")
    is_contact_point = models.BooleanField(
        default=False, help_text="The document gives it as a point of contact about the Compact."
    )

    class Meta(CompactItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["compact", "ref"], name="contact_ref_unique"),
            models.CheckConstraint(
                condition=models.Q(is_champion=False) | models.Q(is_contact_point=True),
                name="contact_champion_is_contact_point",
            ),
            models.CheckConstraint(
                condition=~models.Q(details="", placeholder=""), name="contact_has_details_or_placeholder"
            ),
        ]

    def __str__(self):
        return self.label or self.name or self.ref

    @property
    def is_published(self):
        return not self.placeholder


class GlossaryTermManager(models.Manager):
    def get_by_natural_key(self, compact_slug, term):
        return self.get(compact__slug=compact_slug, term=term)


class GlossaryTerm(models.Model):
    """A term a Compact defines (Dacorum's jargon buster, for one)."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="glossary_terms")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="glossary_terms")
    order = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=200)
    text = models.TextField(help_text="The whole printed entry, the term included.")

    objects = GlossaryTermManager()

    class Meta:
        ordering = ["compact", "section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["compact", "term"], name="glossary_term_unique")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("compacts:term", args=[self.compact.slug, self.slug])

    def natural_key(self):
        return (*self.compact.natural_key(), self.term)

    natural_key.dependencies = ["compacts.compact", "compacts.section"]

    @property
    def slug(self):
        return slugify(self.term)


class CodeOfPractice(CompactItem):
    """A code of practice a Compact names; `text` is what the document prints of it."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="codes_of_practice")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="codes_of_practice")
    ref = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)

    class Meta(CompactItem.Meta):
        verbose_name_plural = "codes of practice"
        constraints = [models.UniqueConstraint(fields=["compact", "ref"], name="code_ref_unique")]

    def __str__(self):
        return self.title


class CaseStudy(CompactItem):
    """A case study or good-practice example printed in a Compact."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="case_studies")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="case_studies")
    ref = models.SlugField(max_length=80)
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Same layout as a section body.")

    class Meta(CompactItem.Meta):
        verbose_name_plural = "case studies"
        constraints = [models.UniqueConstraint(fields=["compact", "ref"], name="case_study_ref_unique")]

    def __str__(self):
        return self.title or self.ref


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    CHAMPION = "champion", "Compact Champion"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an administrator"
    CONFIRMED = "confirmed", "Confirmed"
    REFUSED = "refused", "Refused"


class Membership(models.Model):
    """A person's place in an organisation: a member, or its Compact Champion for one Compact.

    Roles are data: a person may belong to several organisations, and be the
    Champion of one of them for several Compacts. A membership counts only
    once an administrator has confirmed it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    compact = models.ForeignKey(
        Compact,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="champions",
        help_text="For a Champion: the Compact they champion their organisation in.",
    )
    status = models.CharField(max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING)
    job_title = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why it was refused, as the person was told.")
    public_contact = models.BooleanField(
        default=False, help_text="For a Champion: they agreed to their name and email being shown on the Compact page."
    )
    is_contact = models.BooleanField(
        default=False,
        help_text="For a member: named as the organisation's contact in the portal (who signed it up, or was named or "
        "invited by an administrator). Contacts answer for it where it has no Compact Champion.",
    )

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role", "compact"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(compact__isnull=True),
                name="membership_unique_without_compact",
            ),
            models.CheckConstraint(
                condition=models.Q(role=MembershipRole.MEMBER, compact__isnull=True)
                | models.Q(role=MembershipRole.CHAMPION, compact__isnull=False),
                name="membership_champion_has_compact",
            ),
        ]

    def __str__(self):
        where = f" for {self.compact.short_name}" if self.compact_id else ""
        return f"{self.user} – {self.get_role_display()} of {self.organisation}{where}"


class Invitation(models.Model):
    """An administrator's invitation to someone, by email, to answer for an organisation of their Compact that has
    nobody in the portal: following the link, they make an account (or sign in) and become its confirmed member and
    contact. Kept, accepted or not."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True, help_text="Their name, if known.")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.email}, to answer for {self.organisation}"


class CompactRoleKind(models.TextChoices):
    CHAIR = "chair", "Steering group or panel chair"
    STEERING_GROUP = "steering_group", "Steering group or theme group member"
    CRITICAL_FRIEND = "critical_friend", "Critical friend"
    ADMINISTRATOR = "administrator", "Compact administrator"


class CompactRole(models.Model):
    """A person's role in one Compact: its chair, a critical friend or an administrator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compact_roles")
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=CompactRoleKind.choices)

    class Meta:
        ordering = ["compact", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "compact", "role"], name="compact_role_unique")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.compact.short_name}"


class Email(models.Model):
    """An email to send, kept until it is sent: written in the same transaction
    as the change it reports, sent after that commits, retried if sending fails
    (compacts.outbox). `about` says what it is about ("complaint:42", "sign-up:7")."""

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    about = models.CharField(max_length=100, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sending_until = models.DateTimeField(
        null=True, blank=True, help_text="An attempt is being made: nobody else makes it before this time."
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["sent_at", "created_at"], name="outbox_unsent"),
            models.Index(fields=["about", "created_at"], name="outbox_about"),  # who was told of a complaint
        ]

    def __str__(self):
        return f"{self.subject} to {self.to}"


class ConfirmedEmail(models.Model):
    """A person showed, by following a link sent to it, that an email address is theirs. Raising a complaint,
    signing an organisation up and being confirmed as a member all need the address they sign in with confirmed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="confirmed_email")
    email = models.EmailField()
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.email}, confirmed {self.confirmed_at:%Y-%m-%d}"


class SignUpStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an administrator"
    CONFIRMED = "confirmed", "Signed up"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SignUp(models.Model):
    """An organisation's pledge to a Compact, made in the portal: asked for by one of its people, confirmed or
    declined by the Compact's administrators. Once confirmed the organisation is a signatory (`signatory`), listed
    apart from the document's own; withdrawing ends that. Nothing here is deleted."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="sign_ups")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sign_ups")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_ups")
    signed_by_name = models.CharField(max_length=200)
    signed_by_role = models.CharField(max_length=200)
    pledge = models.TextField(help_text="The wording pledged, as shown to the person who signed.")
    pledge_source = models.CharField(max_length=200, help_text="Where that wording comes from.")
    status = models.CharField(max_length=10, choices=SignUpStatus.choices, default=SignUpStatus.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    signatory = models.OneToOneField(
        Signatory, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_up"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "organisation"],
                condition=models.Q(status__in=[SignUpStatus.PENDING, SignUpStatus.CONFIRMED]),
                name="one_live_sign_up_per_organisation",
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.compact.short_name} ({self.get_status_display()})"


class ChangeRecord(models.Model):
    """One change made in the manage area: who, when, what, and the thing before and after, for the Compact's
    administrators to see. Only ever added to."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=100)
    subject = models.CharField(max_length=300, help_text="What was changed, in words.")
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["compact", "-at"], name="change_by_compact")]

    def __str__(self):
        return f"{self.action}: {self.subject}"


class WorkPlanStatus(models.TextChoices):
    PLANNED = "planned", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class WorkPlanAction(models.Model):
    """One action of a Compact's work plan for a year: what, who leads, by when, how it stands. The themes and
    commitments it serves are linked from the commitments side (Theme.work_plan_actions and
    Commitment.work_plan_actions)."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="work_plan")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    lead = models.CharField(max_length=200, help_text="Who leads it: an organisation, group or person.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_plan_actions",
        help_text="Who is reminded when it falls overdue.",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=WorkPlanStatus.choices, default=WorkPlanStatus.PLANNED)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "due_on", "id"]
        indexes = [models.Index(fields=["compact", "year"], name="work_plan_by_year")]

    def __str__(self):
        return f"{self.compact.short_name} {self.year}: {self.title}"

    @property
    def is_open(self):
        return self.status in (WorkPlanStatus.PLANNED, WorkPlanStatus.IN_PROGRESS)

    def is_overdue(self, today):
        return self.is_open and self.due_on < today


class CompactVersion(models.Model):
    """One published version of a Compact's text, kept whole (`content`, as documents.versions writes it) so
    that it stays readable at its own address after later versions change the text. Version 1 is the document as
    loaded; each later one is published from a review."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    published_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="What this version changed, in the administrators' words.")
    content = models.JSONField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["compact", "number"]
        constraints = [models.UniqueConstraint(fields=["compact", "number"], name="compact_version_unique")]

    def __str__(self):
        return f"{self.compact.short_name}, version {self.number}"

    def get_absolute_url(self):
        return reverse("documents:version", args=[self.compact.slug, self.number])


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    PUBLISHED = "published", "Published"


class Review(models.Model):
    """A review of a Compact's text: drafted changes, previewed, then published as its next version."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="reviews")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    published = models.OneToOneField(
        CompactVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="review"
    )

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact"], condition=models.Q(status=ReviewStatus.OPEN), name="one_open_review_per_compact"
            )
        ]

    def __str__(self):
        return f"Review of {self.compact.short_name} ({self.get_status_display().lower()})"


class ReviewChange(models.Model):
    """One drafted change in a review: the new wording (or figure) of one item of the text, by its stable reference.
    `kind` names what is changed: a section's body, a principle's, a commitment's or a stage's text, or a figure's
    value (empty where the figure has no number) and `quote`, the words it will be read from. `reason` says why a
    figure and the wording it is read from will not say the same, where the reviewer let them differ."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20)
    ref = models.CharField(max_length=120)
    value = models.TextField(blank=True)
    quote = models.TextField(blank=True, help_text="A figure's quote after the review; empty for other kinds.")
    reason = models.TextField(blank=True, help_text="Why a figure and its wording will differ, where they will.")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "kind", "ref"], name="review_change_unique")]

    def __str__(self):
        return f"{self.kind} {self.ref}"
