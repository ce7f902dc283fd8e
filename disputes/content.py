"""This app's kind of a Compact's content (the stages of its dispute procedure the document prints), declared into
the registry of compacts.content, and the other model its public pages show."""

from compacts.content import Kind

from .models import Procedure, Stage


def _write_stage(compact, change):
    Stage.objects.filter(procedure__compact=compact, order=int(change.ref)).update(text=change.value)


def _stages_shown(compact):
    # Every stage of the procedure (the page lists them all; those the portal adds have no section).
    procedure = getattr(compact, "procedure", None)
    return procedure.stages.select_related("body").order_by("order") if procedure else Stage.objects.none()


# A stage is referred to by its order in the procedure ("2").
STAGE = Kind(
    name="stage",
    model=Stage,
    label="Dispute procedure stage",
    text="text",
    version=lambda s: {"ref": str(s.order), "label": s.label or s.name, "text": s.text},
    rows=lambda compact: Stage.objects.filter(procedure__compact=compact, section__isnull=False),
    place=5,
    shown=_stages_shown,
    write=_write_stage,
)
KINDS = [STAGE]
# What else public pages show of this app's: the procedure's own summary.
SHOWN = [Procedure]
