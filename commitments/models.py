"""What each sector of a Compact undertakes to do, tied together by shared
themes, and the figures (weeks, months, years) the undertakings commit to."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from compacts.models import CaseStudy, Compact, CompactItem, CompactItemManager, Organisation, Section


class ThemeManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Theme(models.Model):
    """A theme shared across all Compacts, so they can be compared."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(unique=True)
    work_plan_actions = models.ManyToManyField("compacts.WorkPlanAction", blank=True, related_name="themes")

    objects = ThemeManager()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class RelatedTermsManager(models.Manager):
    def get_by_natural_key(self, terms):
        return self.get(terms=terms)


class RelatedTerms(models.Model):
    """Words people use for the same thing (commissioning, procurement, tendering), searched together unless
    someone asks for their exact words only. Kept by administrators; each term may be a word or a short phrase."""

    terms = models.CharField(
        max_length=300, unique=True, help_text="Comma-separated, e.g. commissioning, procurement, tendering"
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why these go together (for administrators).")

    objects = RelatedTermsManager()

    class Meta:
        ordering = ["terms"]
        verbose_name_plural = "related terms"

    def __str__(self):
        return self.terms

    def natural_key(self):
        return (self.terms,)

    def term_list(self):
        return [term.strip().lower() for term in self.terms.split(",") if term.strip()]


class CommitmentSector(models.TextChoices):
    PUBLIC = "public", "Public bodies"
    VCS = "vcs", "Voluntary and community sector"
    ALL = "all", "All partners"


class CommitmentManager(CompactItemManager):
    """Commitments without their search vector. The database keeps it for search, which filters and ranks on it
    there (commitments.search) and never reads it: every query through this manager leaves it out (its related
    managers and prefetches too; `.defer(None)` would read it). A join from another model (select_related) does
    not pass through a manager, so such a query defers `commitment__search_vector` itself."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


class Commitment(CompactItem):
    """One numbered (or portal-referenced) undertaking, its text exactly as printed.

    `number` is the printed number where there is one ("3.6"); `ref` is the
    stable reference used in addresses: the printed number, or the portal's
    own ("consultation-2") where the document prints none. `lead_in` is the
    printed words that introduce it ("All partners are committed to:").
    """

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="commitments")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="commitments")
    ref = models.CharField(max_length=80)
    number = models.CharField(max_length=20, blank=True)
    sector = models.CharField(max_length=10, choices=CommitmentSector.choices)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="commitments")
    lead_in = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    # The text as an English tsvector, kept by a PostgreSQL trigger (migration
    # 0004) and indexed; unused, and empty, on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    work_plan_actions = models.ManyToManyField("compacts.WorkPlanAction", blank=True, related_name="commitments")

    objects = CommitmentManager()

    class Meta(CompactItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["compact", "ref"], name="commitment_ref_unique"),
            models.CheckConstraint(
                condition=~models.Q(ref="") & ~models.Q(ref__contains="/"), name="commitment_ref_path_safe"
            ),
        ]

    def __str__(self):
        return f"{self.compact.short_name} {self.label}" if self.number else f"{self.compact.short_name}: {self.label}"

    def get_absolute_url(self):
        return reverse("commitments:detail", args=[self.compact.slug, self.ref])

    @property
    def label(self):
        """How the portal names it in words: by its printed number ("commitment 3.6"), else by its place under the
        printed heading ("the first commitment under “Independence”"). Its `ref` is for addresses only."""
        if self.number:
            return f"commitment {self.number}"
        return f"the {ordinal(self.order)} commitment {self._under()}"

    @property
    def short_label(self):
        """Its printed number ("3.6"), else its place under the printed heading ("First under “Independence”")."""
        return self.number or f"{ordinal(self.order).capitalize()} {self._under()}"

    def _under(self):
        heading = " ".join(filter(None, [self.section.number, self.section.title]))
        return f"under “{heading}”" if heading else "in a part of the document with no heading"


ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]


def ordinal(n):
    """1 as "first" up to "ninth", then 10th, 11th, 12th, 21st (numerals from 10, as the GOV.UK style guide asks)."""
    if 1 <= n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class FigureKind(models.TextChoices):
    CONSULTATION_STANDARD = "consultation_standard", "Standard consultation period"
    CONSULTATION_MINIMUM = "consultation_minimum", "Minimum consultation period"
    FUNDING_END_NOTICE = "funding_end_notice", "Notice before funding ends or changes"
    FUNDING_DECISION_NOTICE = "funding_decision_notice", "Funding decision ahead of the start date"
    FUNDING_TERM = "funding_term", "Multi-year funding"
    REVIEW_CYCLE = "review_cycle", "Review cycle"
    PAYMENT_IN_ADVANCE = "payment_in_advance", "Payment in advance of expenditure"


class FigureUnit(models.TextChoices):
    DAYS = "days", "days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"
    YEARS = "years", "years"


class FigureBound(models.TextChoices):
    """How the number binds: as stated, as a floor, or as a ceiling (which is not a promise of that much)."""

    AS_STATED = "as_stated", "as stated"
    AT_LEAST = "at_least", "at least (a minimum)"
    UP_TO = "up_to", "up to (a ceiling, not a promise)"


class FigureFirmness(models.TextChoices):
    """How firmly the document says it: without qualification, usually, where possible, or only as an example."""

    FIRM = "firm", "without qualification"
    USUALLY = "usually", "usually or generally"
    WHERE_POSSIBLE = "where_possible", "where possible or appropriate"
    EXAMPLE = "example", "as an example, not a duty"


class FigureSource(models.TextChoices):
    COMMITMENT = "commitment", "a commitment"
    SECTION = "section", "the document's running text"
    CASE_STUDY = "case_study", "a case study"


class FigureManager(models.Manager):
    def get_by_natural_key(self, compact_slug, kind, ref):
        return self.get(compact__slug=compact_slug, kind=kind, ref=ref)


class Figure(models.Model):
    """A figure a Compact commits to, as data, with where it is printed.

    It comes from exactly one place: a commitment, a case study, or the
    running text of a section. `quote` is the printed words it is read from,
    qualifiers included; `qualifier_words` the printed words that qualify it
    (each part, separated by " … ", is in the quote). `value` is empty where the
    document commits to the thing without a number ("multi-year funding where
    appropriate"). `whose` is the sector whose commitment it is (empty where the
    document does not say), `measures` the sector whose actions it is held against.
    """

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(max_length=30, choices=FigureKind.choices)
    ref = models.SlugField(max_length=80, default="main")
    value = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty where no number is printed.")
    unit = models.CharField(max_length=10, choices=FigureUnit.choices, blank=True)
    bound = models.CharField(max_length=10, choices=FigureBound.choices, default=FigureBound.AS_STATED)
    firmness = models.CharField(max_length=15, choices=FigureFirmness.choices, default=FigureFirmness.FIRM)
    qualifier_words = models.CharField(
        max_length=300, blank=True, help_text='The printed words that qualify it, parts separated by " … ".'
    )
    whose = models.CharField(
        max_length=10,
        choices=CommitmentSector.choices,
        blank=True,
        help_text="Whose commitment it is; empty where the document does not say.",
    )
    measures = models.CharField(
        max_length=10,
        choices=CommitmentSector.choices,
        default=CommitmentSector.PUBLIC,
        help_text="Whose actions (consultations, funding, payments) it is held against.",
    )
    quote = models.TextField()
    commitment = models.ForeignKey(Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="figures")
    case_study = models.ForeignKey(CaseStudy, null=True, blank=True, on_delete=models.CASCADE, related_name="figures")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="figures")

    objects = FigureManager()

    class Meta:
        ordering = ["compact", "kind", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "kind", "ref"], name="figure_unique"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True, unit="") | models.Q(value__isnull=False) & ~models.Q(unit=""),
                name="figure_value_has_unit",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(commitment__isnull=False, case_study__isnull=True, section__isnull=True)
                    | models.Q(commitment__isnull=True, case_study__isnull=False, section__isnull=True)
                    | models.Q(commitment__isnull=True, case_study__isnull=True, section__isnull=False)
                ),
                name="figure_has_one_source",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Its kind and amount ("Minimum consultation period: at least 8 weeks"); payment in advance is its kind."""
        if self.kind == FigureKind.PAYMENT_IN_ADVANCE:
            return self.get_kind_display()
        return f"{self.get_kind_display()}: {self.amount}"

    def natural_key(self):
        return (*self.compact.natural_key(), self.kind, self.ref)

    @property
    def amount(self):
        """The number and unit as words ("at least 3 months", "up to 3 years"), or that none is printed."""
        if self.value is None:
            return "no number printed"
        unit = self.get_unit_display()
        if self.kind == FigureKind.PAYMENT_IN_ADVANCE:
            return "in advance of expenditure"
        amount = f"{self.value} {unit[:-1] if self.value == 1 else unit}"
        prefix = {FigureBound.AT_LEAST: "at least ", FigureBound.UP_TO: "up to "}.get(self.bound, "")
        return prefix + amount

    @property
    def source(self):
        if self.commitment_id:
            return FigureSource.COMMITMENT
        return FigureSource.CASE_STUDY if self.case_study_id else FigureSource.SECTION

    @property
    def qualifiers(self):
        """What qualifies it, in words ("at least (a minimum)", "where possible or appropriate"), or "none"."""
        labels = [self.get_bound_display()] if self.bound != FigureBound.AS_STATED else []
        labels += [self.get_firmness_display()] if self.firmness != FigureFirmness.FIRM else []
        return "; ".join(labels) or "none"

    @property
    def whose_label(self):
        return self.get_whose_display() if self.whose else "Not stated in the document"

    def qualifier_parts(self):
        return [part.strip() for part in self.qualifier_words.split("…") if part.strip()]

    natural_key.dependencies = ["compacts.compact", "commitments.commitment"]


# Records of Compact working: what happened, held against the figures -------------------------------------------------


class RecordKind(models.TextChoices):
    CONSULTATION = "consultation", "A consultation"
    FUNDING = "funding", "A funding decision or grant"
    PAYMENT = "payment", "A payment"
    OTHER = "other", "Something else a commitment's figure measures"


class RecordStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Not confirmed yet"
    CONFIRMED = "confirmed", "Confirmed by the other side"
    DISPUTED = "disputed", "Disputed by the other side"


RECORD_FACTS = [
    "kind",
    "about",
    "counterpart",
    "recipient",
    "title",
    "link",
    "identifier",
    "amount",
    "starts_on",
    "ends_on",
    "decided_on",
    "notice_on",
    "changes_on",
    "due_on",
    "paid_on",
]


class Record(models.Model):
    """A case a figure commitment applies to: a consultation, a funding decision or grant, a payment. It holds
    what happened as its latest version says; every version is kept (RecordVersion), and nothing is deleted."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    commitments = models.ManyToManyField(Commitment, related_name="records")
    about = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="records_about",
        help_text="Whose doing the figures test: who ran the consultation, who funds or who pays.",
    )
    counterpart = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records_as_counterpart",
        help_text="The organisation funded or paid, where it is one the portal knows.",
    )
    others = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="records_as_other",
        help_text="The organisations consulted (or, for funding and payments, others besides the one funded or "
        "paid). On a record an organisation makes of its own doing, they are the other side, asked to confirm or "
        "dispute it.",
    )
    recipient = models.CharField(max_length=300, blank=True, help_text="Who was funded or paid, or the programme.")
    title = models.CharField(max_length=300)
    link = models.URLField(max_length=500, blank=True)
    identifier = models.CharField(max_length=200, blank=True, help_text="The grant's identifier (360Giving).")
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    notice_on = models.DateField(null=True, blank=True)
    changes_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    occurred_on = models.DateField(help_text="The date the record counts under in a period: its first date.")

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="records_made"
    )
    recorded_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=RecordStatus.choices, default=RecordStatus.UNCONFIRMED)
    public_from = models.DateField(help_text="Confirmed, or 20 working days after it was recorded.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["compact", "occurred_on"], name="record_compact_occurred")]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "identifier"], condition=~models.Q(identifier=""), name="record_identifier_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse("commitments:record", args=[self.compact.slug, self.pk])

    def facts(self):
        """What the record says, as plain values (for a version's history)."""
        values = {}
        for name in RECORD_FACTS:
            value = getattr(self, f"{name}_id" if name in ("about", "counterpart") else name)
            values[name] = value if value is None or isinstance(value, (int, str)) else str(value)
        return values


class RecordVersion(models.Model):
    """What a record said at each version: the first as recorded, then each correction, with who and why."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    facts = models.JSONField()
    commitments = models.JSONField(help_text="References of the commitments it named.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["record", "number"]
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="record_version_unique")]

    def __str__(self):
        return f"Version {self.number} of record {self.record_id}"


class RecordVerdict(models.TextChoices):
    CONFIRM = "confirm", "Confirmed"
    DISPUTE = "dispute", "Disputed"


class RecordResponse(models.Model):
    """The other side's word on a record: it confirms it, or disputes it with a comment."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="responses")
    version = models.PositiveIntegerField(help_text="The version of the record responded to.")
    verdict = models.CharField(max_length=10, choices=RecordVerdict.choices)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["record", "at", "id"]

    def __str__(self):
        return f"{self.get_verdict_display()} by {self.organisation_id}"


class CheckOutcome(models.TextChoices):
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    UNKNOWN = "unknown", "Cannot be told"


class RecordCheck(models.Model):
    """One figure of one commitment a record names, held against what the record says (worked out again at each
    version). The Compact, date and publication are copied here so the checker counts in one indexed query."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="checks")
    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="checks")
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="checks")
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="+")
    occurred_on = models.DateField()
    public_from = models.DateField()
    outcome = models.CharField(max_length=10, choices=CheckOutcome.choices)
    working = models.CharField(max_length=300)
    measured_days = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["record", "figure"]
        indexes = [models.Index(fields=["compact", "occurred_on"], name="check_compact_occurred")]
        constraints = [models.UniqueConstraint(fields=["record", "figure"], name="record_check_unique")]

    def __str__(self):
        return f"{self.working}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Being imported"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class RecordImport(models.Model):
    """A file of records that an administrator checked and handed over to be imported, by the task queue's worker
    where there is one, else in the web process once the request has committed (commitments.tasks.import_records).
    The row, not the task's message, is the record of it: the file's text, and what came of it."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="record_imports")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    text = models.TextField(help_text="The file's text, as checked.")
    rows = models.PositiveIntegerField(help_text="How many rows it had when it was checked.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    made = models.PositiveIntegerField(default=0, help_text="How many records it made.")
    problems = models.JSONField(
        default=list, blank=True, help_text="Rows that could not be imported when it ran: [line, column, why] each."
    )
    error = models.TextField(blank=True, help_text="Why it could not be imported at all.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["compact", "created_at"], name="record_import_compact"),
            models.Index(fields=["status", "created_at"], name="record_import_status"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} file of {self.rows} rows, {self.created_at:%d %b %Y %H:%M}"

    def get_absolute_url(self):
        return reverse("commitments:record_import_job", args=[self.compact.slug, self.pk])
