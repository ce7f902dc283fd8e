"""What each sector of a Compact undertakes to do, tied together by shared
themes, and the figures (weeks, months, years) the undertakings commit to."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from compacts.models import CaseStudy, Compact, CompactItem, Section


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

    class Meta(CompactItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["compact", "ref"], name="commitment_ref_unique"),
            models.CheckConstraint(
                condition=~models.Q(ref="") & ~models.Q(ref__contains="/"), name="commitment_ref_path_safe"
            ),
        ]

    def __str__(self):
        return f"{self.compact.short_name} {self.number or self.ref}"

    def get_absolute_url(self):
        return reverse("commitments:detail", args=[self.compact.slug, self.ref])

    @property
    def statement(self):
        """The undertaking as one sentence: its lead-in and its text, where the
        lead-in is the start of a sentence ("Public bodies are committed to:")."""
        text = " ".join(line.removeprefix("- ") for line in self.text.splitlines() if line.strip())
        if not self.lead_in.endswith(":"):
            return text
        if len(text) > 1 and text[1].islower():
            text = text[0].lower() + text[1:]
        return f"{self.lead_in[:-1]} {text}"


class FigureKind(models.TextChoices):
    CONSULTATION_STANDARD = "consultation_standard", "Standard consultation period"
    CONSULTATION_MINIMUM = "consultation_minimum", "Minimum consultation period"
    FUNDING_END_NOTICE = "funding_end_notice", "Notice before funding ends or changes"
    FUNDING_DECISION_NOTICE = "funding_decision_notice", "Funding decision ahead of the start date"
    FUNDING_TERM = "funding_term", "Multi-year funding"
    REVIEW_CYCLE = "review_cycle", "Review cycle"


class FigureUnit(models.TextChoices):
    DAYS = "days", "days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"
    YEARS = "years", "years"


class FigureManager(models.Manager):
    def get_by_natural_key(self, compact_slug, kind, ref):
        return self.get(compact__slug=compact_slug, kind=kind, ref=ref)


class Figure(models.Model):
    """A figure a Compact commits to, as data, with where it is printed.

    It comes from exactly one place: a commitment, a case study, or the
    running text of a section. `quote` is the printed words it is read from.
    """

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(max_length=30, choices=FigureKind.choices)
    ref = models.SlugField(max_length=80, default="main")
    value = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=10, choices=FigureUnit.choices)
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
                condition=(
                    models.Q(commitment__isnull=False, case_study__isnull=True, section__isnull=True)
                    | models.Q(commitment__isnull=True, case_study__isnull=False, section__isnull=True)
                    | models.Q(commitment__isnull=True, case_study__isnull=True, section__isnull=False)
                ),
                name="figure_has_one_source",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value} {self.get_unit_display()}"

    def natural_key(self):
        return (*self.compact.natural_key(), self.kind, self.ref)

    natural_key.dependencies = ["compacts.compact", "commitments.commitment"]
