"""Each Compact's procedure for when a commitment is broken, as data, and the
complaints taken through it: their timelines, files, stage clocks, panels and
the emails they send."""

import datetime
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment
from compacts.deadlines import TimeUnit
from compacts.models import CaseStudy, Compact, Organisation, Section
from compacts.text import long_date

from .choices import Capacity, EventKind, Handler, Outcome, Status


def private_storage():
    """Evidence files, never served directly: in the bucket settings.EVIDENCE_BUCKET names, if any, else in a folder
    outside the static and media trees."""
    if not settings.EVIDENCE_BUCKET:
        return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
    from botocore.config import Config  # only needed where there is a bucket
    from storages.backends.s3 import S3Storage

    return S3Storage(
        **settings.EVIDENCE_BUCKET,
        default_acl=None,  # no ACL is sent, so each file is as private as the bucket: never public-read
        file_overwrite=False,  # a name already taken gets a suffix: nobody's file is ever replaced
        querystring_auth=True,  # any URL made for a file is signed, and expires within a minute
        querystring_expire=60,
        # Whatever the uploader's browser claimed: no browser renders a file that leaves the bucket another way.
        object_parameters={"ContentType": "application/octet-stream", "ContentDisposition": "attachment"},
        # A download larger than an upload Django keeps in memory waits in a temporary file, as such uploads do.
        max_memory_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        # An endpoint that is down or hung fails a request within seconds, rather than holding it for minutes.
        client_config=Config(connect_timeout=5, read_timeout=10, retries={"mode": "standard", "max_attempts": 3}),
    )


def random_name(instance, filename):
    """Files are stored under random names: a name someone uploaded is never a path."""
    return f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Origin(models.TextChoices):
    DOCUMENT = "document", "The Compact's document"
    CASE_STUDY = "case_study", "A case study in the document"
    PORTAL_DEFAULT = "portal_default", "The portal's default"


class ProcedureManager(models.Manager):
    def get_by_natural_key(self, compact_slug):
        return self.get(compact__slug=compact_slug)


class Procedure(models.Model):
    """A Compact's dispute procedure: an ordered list of stages."""

    compact = models.OneToOneField(Compact, on_delete=models.CASCADE, related_name="procedure")
    origin = models.CharField(
        max_length=20,
        choices=[(Origin.DOCUMENT, Origin.DOCUMENT.label), (Origin.PORTAL_DEFAULT, Origin.PORTAL_DEFAULT.label)],
    )
    summary = models.TextField(help_text="The portal's own summary of how the procedure works.")

    objects = ProcedureManager()

    def __str__(self):
        return f"Procedure of {self.compact}"

    def natural_key(self):
        return self.compact.natural_key()

    natural_key.dependencies = ["compacts.compact"]


class StageManager(models.Manager):
    def get_by_natural_key(self, compact_slug, order):
        return self.get(procedure__compact__slug=compact_slug, order=order)


class Stage(models.Model):
    """One stage of a procedure: what happens, who handles it and how long it may take.

    `text` is the document's own words for the stage, printed under `section`;
    a stage the portal adds where the document is silent has origin
    "portal_default", no section, and the portal's words. The time limit has
    its own origin, since a document may give one only in a case study.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    origin = models.CharField(
        max_length=20,
        choices=[(Origin.DOCUMENT, Origin.DOCUMENT.label), (Origin.PORTAL_DEFAULT, Origin.PORTAL_DEFAULT.label)],
    )
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="stages")
    label = models.CharField(max_length=50, blank=True, help_text="As printed, e.g. 'Stage 1'.")
    name = models.CharField(max_length=200, help_text="The portal's short name for the stage.")
    text = models.TextField()
    handler = models.CharField(max_length=20, choices=Handler.choices)
    body = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stages_held",
        help_text="The body the document sends this stage to, where it names one (a national body, say).",
    )
    moves_on = models.TextField(help_text="What moves a complaint on from this stage.")
    time_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    time_unit = models.CharField(max_length=15, choices=TimeUnit.choices, blank=True)
    time_limit_origin = models.CharField(max_length=20, choices=Origin.choices, blank=True)
    time_limit_source = models.TextField(blank=True, help_text="Where the time limit comes from, quoted.")
    time_limit_case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.PROTECT, related_name="stage_time_limits"
    )

    objects = StageManager()

    class Meta:
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="stage_order_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(time_limit__isnull=True, time_unit="", time_limit_origin="")
                    | models.Q(time_limit__isnull=False, time_limit__gt=0)
                    & ~models.Q(time_unit="")
                    & ~models.Q(time_limit_origin="")
                ),
                name="stage_time_limit_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(origin=Origin.PORTAL_DEFAULT, section__isnull=True)
                | models.Q(origin=Origin.DOCUMENT, section__isnull=False),
                name="stage_document_has_section",
            ),
        ]

    def __str__(self):
        return f"{self.procedure.compact.short_name} stage {self.order}: {self.name}"

    def natural_key(self):
        return (*self.procedure.compact.natural_key(), self.order)

    natural_key.dependencies = ["disputes.procedure", "compacts.section"]

    @property
    def is_portal_default(self):
        return self.origin == Origin.PORTAL_DEFAULT


# Complaints ---------------------------------------------------------------


class Complaint(models.Model):
    """A complaint that a commitment of a Compact was broken, from draft to outcome.

    The current stage, when it began and when it is due are kept here for the
    lists; every change to them is also a row of the timeline (ComplaintEvent)
    and of the stage clocks (StageClock), which keep the whole history.
    `version` goes up with every change, so two people acting at once can be
    told what changed in between.
    """

    # The complainant's, respondent's and Compact's own indexes would repeat the first column of the indexes below.
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="complaints", db_index=False)
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True, help_text="The number within its Compact and year.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints_raised")
    complainant = models.ForeignKey(
        "compacts.Organisation", on_delete=models.PROTECT, related_name="complaints_made", db_index=False
    )
    respondent = models.ForeignKey(
        "compacts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_received",
        db_index=False,
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="complaints_as_officer",
        help_text="Officers of the organisation complained about whom its Champion names to answer it.",
    )
    summary = models.CharField(max_length=200, blank=True, help_text="A one-line title for the complaint.")
    what_happened = models.TextField(blank=True)
    happened_on = models.DateField(null=True, blank=True)
    outcome_wanted = models.TextField(blank=True)
    current_stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stage_started_on = models.DateField(null=True, blank=True)
    stage_due_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    cited_version = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The number of the Compact's version in force when it was submitted: the wording its citations keep.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "stage_due_on"], name="complaint_queue"),
            models.Index(fields=["respondent", "status", "stage_due_on"], name="complaint_respondent_queue"),
            models.Index(fields=["complainant", "status", "stage_due_on"], name="complaint_complainant_queue"),
            # A Champion's queue: the complaints about or from each organisation they are Champion of in a Compact
            # (drafts left out by the status beside it), and then every visible complaint's place in the queue,
            # each read from the index alone (on PostgreSQL, which keeps the included columns in it).
            models.Index(fields=["compact", "respondent"], include=["status", "id"], name="complaint_champion_resp_id"),
            models.Index(
                fields=["compact", "complainant"], include=["status", "id"], name="complaint_champion_comp_id"
            ),
            models.Index(fields=["id"], include=["status", "stage_due_on"], name="complaint_queue_place"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["compact", "number"], name="complaint_number_unique_in_compact"),
            models.CheckConstraint(
                condition=models.Q(status=Status.DRAFT)
                | models.Q(reference__isnull=False, submitted_at__isnull=False, respondent__isnull=False),
                name="complaint_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.CLOSED) | ~models.Q(outcome=""),
                name="complaint_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.OPEN) | models.Q(current_stage__isnull=False),
                name="complaint_open_has_stage",
            ),
        ]

    def __str__(self):
        return self.reference or f"Draft {self.pk}"

    def get_absolute_url(self):
        return reverse("disputes:detail", args=[self.pk])

    def is_overdue(self, today):
        return self.status == Status.OPEN and self.stage_due_on is not None and self.stage_due_on < today


class CitedCommitment(models.Model):
    """A commitment a complaint says was broken, with its wording as it stood when the complaint was made."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="citations")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="citations")
    number = models.CharField(max_length=80, blank=True)
    lead_in = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True, help_text="Set when the complaint is submitted.")

    class Meta:
        ordering = ["complaint", "id"]
        constraints = [models.UniqueConstraint(fields=["complaint", "commitment"], name="citation_unique")]

    def __str__(self):
        return f"{self.complaint}: {self.commitment}"

    @property
    def label(self):
        """The commitment in words: by the number printed when the complaint was made, else by its label."""
        return f"commitment {self.number}" if self.number and self.commitment.number else self.commitment.label

    @property
    def wording_changed(self):
        return bool(self.text) and self.text != self.commitment.text


class ReferralBody(models.TextChoices):
    NATIONAL_BODY = "national_body", "A national body (such as Compact Voice)"
    COMPLAINTS_PROCEDURE = "complaints_procedure", "The public body's own complaints procedure"
    OMBUDSMAN = "ombudsman", "An ombudsman"
    OTHER = "other", "Somewhere else"


def _long_date(value):
    """An ISO date kept in an event's data, as people read it: 22 November 2026."""
    return long_date(datetime.date.fromisoformat(value))


class ComplaintEvent(models.Model):
    """One thing that happened to a complaint: who, when, at which stage, what was said, which files.

    Events are only ever created: nothing edits or deletes one.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    by_organisation = models.ForeignKey(
        "compacts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The side of the complaint they acted for, if they acted for one.",
    )
    acting_as = models.CharField(
        max_length=20,
        choices=Capacity.choices,
        blank=True,
        help_text="The side or role of the Compact's in which they acted.",
    )
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["complaint", "at", "id"]
        indexes = [
            models.Index(fields=["complaint", "at"], name="event_timeline"),
            # The complaints someone acted on, which they may go on seeing (read from the index alone).
            models.Index(fields=["by", "complaint"], name="event_by_person"),
        ]

    def __str__(self):
        return f"{self.complaint}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Timeline events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Timeline events are never deleted.")

    @property
    def acted_for(self):
        """For whom, or as what, they acted: "for Testshire Helpers", "as critical friend"."""
        if self.by_organisation_id:
            return f"for {self.by_organisation}"
        return self.get_acting_as_display() if self.acting_as else ""

    def details(self):
        """What the event's data records, in words: outcomes, dates and choices as people read them."""
        data = self.data
        lines = []
        if data.get("outcome"):
            lines.append(f"Outcome: {Outcome(data['outcome']).label}.")
        if data.get("held_on"):
            attendees = f", with {data['attendees']}" if data.get("attendees") else ""
            lines.append(f"Meeting held on {_long_date(data['held_on'])}{attendees}.")
        if self.kind == EventKind.ESCALATED and data.get("to"):
            lines.append(f"From {data['from']} to {data['to']}.")
        if self.kind == EventKind.EXTENDED and data.get("from"):
            lines.append(f"Due date changed from {_long_date(data['from'])} to {_long_date(data.get('to'))}.")
        elif self.kind == EventKind.EXTENDED:
            lines.append(f"Due date set to {_long_date(data.get('to'))}.")
        if data.get("body"):
            lines.append(f"Referred to: {ReferralBody(data['body']).label}.")
        if data.get("officers"):
            lines.append(f"Officers named: {data['officers']}.")
        if data.get("chair"):
            independent = " (an independent chair)" if data.get("independent_chair") else ""
            lines.append(f"Chair: {data['chair']}{independent}. Members: {data['members']}.")
        return lines


class Attachment(models.Model):
    """An evidence file, stored privately under a random name and served only through a checked view."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        ComplaintEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        help_text="Empty while the complaint is a draft.",
    )
    file = models.FileField(storage=private_storage, upload_to=random_name)
    original_name = models.CharField(max_length=255)
    mime = models.CharField(max_length=100)
    label = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["complaint", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class StageClock(models.Model):
    """A complaint's time at one stage: when it began, when it is due, and why.

    Due dates are worked out by compacts.deadlines and can be changed only by
    an "extended" event with a reason and the new date.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="clocks")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    started_at = models.DateTimeField()
    time_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    time_unit = models.CharField(max_length=15, choices=TimeUnit.choices, blank=True)
    due_on = models.DateField(null=True, blank=True)
    original_due_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_before = models.BooleanField(default=False)
    reminded_overdue = models.BooleanField(default=False)

    class Meta:
        ordering = ["complaint", "started_at", "id"]
        indexes = [models.Index(fields=["ended_at", "due_on"], name="clock_open_due")]

    def __str__(self):
        return f"{self.complaint} at {self.stage.name}"


class Panel(models.Model):
    """A panel convened for one complaint at one stage: its chair and members."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="panels")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panels_chaired")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="panels")
    independent_chair = models.BooleanField(
        default=False, help_text="Nominated because the usual chair's organisation is a party."
    )
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "stage"], name="one_panel_per_stage")]

    def __str__(self):
        return f"Panel for {self.complaint}"


class ResponseTemplate(models.Model):
    """Wording Champions and panels can start a reply from."""

    title = models.CharField(max_length=200)
    for_event = models.CharField(max_length=20, choices=EventKind.choices)
    body = models.TextField()
    compact = models.ForeignKey(Compact, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["for_event", "title"]

    def __str__(self):
        return self.title
