"""Each Compact's procedure for when a commitment is broken, as data."""

from django.db import models

from compacts.models import CaseStudy, Compact, Section


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


class Handler(models.TextChoices):
    COMPLAINANT = "complainant", "The organisation raising the concern"
    CHAMPIONS = "champions", "The Compact Champions of the organisations in dispute"
    RESPONDENT = "respondent", "The organisation complained about"
    CRITICAL_FRIEND = "critical_friend", "A named critical friend"
    PANEL = "panel", "A disputes panel"
    PARTNERS_GROUP = "partners_group", "A small group of partners"
    DECISION_MAKERS = "decision_makers", "The key decision makers"
    NATIONAL_BODY = "national_body", "A national body"


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"


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
