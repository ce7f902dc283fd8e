"""This app's kinds of a Compact's content (commitments and the figures they commit to), declared into the registry
of compacts.content, and the other models its public pages show."""

from compacts.content import Block, Kind

from .models import Commitment, Figure, Record, RelatedTerms, Theme


def _write_commitment(compact, change):
    for commitment in Commitment.objects.filter(compact=compact, ref=change.ref):
        commitment.text = change.value
        commitment.save(update_fields=["text"])  # the search indexes follow (their triggers)


def _figure_source(figure):
    if figure.commitment_id:
        return f"commitment:{figure.commitment.ref}"
    if figure.case_study_id:
        return f"case_study:{figure.case_study.ref}"
    return f"section:{figure.section.ref}"


def _write_figure(compact, change):
    kind, ref = change.ref.split(":", 1)
    Figure.objects.filter(compact=compact, kind=kind, ref=ref).update(
        value=int(change.value) if change.value else None, quote=change.quote
    )


COMMITMENT = Kind(
    name="commitment",
    model=Commitment,
    label="Commitment",
    text="text",
    version=lambda c: {
        "ref": c.ref,
        "label": c.number or c.ref,
        "text": c.text,
        "number": c.number,
        "lead_in": c.lead_in,
        "sector": c.sector,
    },
    rows=lambda compact: Commitment.objects.filter(compact=compact),
    place=2,
    block=Block(attributes=("ref", "number", "sector", "theme", "lead_in"), listed=2),
    write=_write_commitment,
)
# A figure is referred to as "kind:ref" ("consultation_standard:main"); a version keeps where it is printed
# ("source") and the commitment it belongs to ("of").
FIGURE = Kind(
    name="figure",
    model=Figure,
    label="Figure",
    text="quote",
    version=lambda f: {
        "ref": f"{f.kind}:{f.ref}",
        "label": f.get_kind_display(),
        "value": f.value,
        "unit": f.unit,
        "quote": f.quote,
        "of": f.commitment.ref if f.commitment_id else "",
        "source": _figure_source(f),
    },
    rows=lambda compact: (
        Figure.objects.filter(compact=compact)
        .select_related("commitment", "case_study", "section")
        .order_by("kind", "ref")
    ),
    write=_write_figure,
)
KINDS = [COMMITMENT, FIGURE]
# What else public pages show of this app's: the themes commitments are grouped by, the search's related terms, and
# records of Compact working once public.
SHOWN = [Theme, RelatedTerms, Record]
