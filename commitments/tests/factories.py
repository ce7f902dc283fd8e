import factory

from commitments.models import Commitment, CommitmentSector, Figure, FigureKind, FigureUnit, Theme
from compacts.tests.factories import SectionFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")
    description = "A theme."
    order = factory.Sequence(lambda n: 100 + n)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    section = factory.SubFactory(SectionFactory)
    compact = factory.SelfAttribute("section.compact")
    order = factory.Sequence(int)
    ref = factory.Sequence(lambda n: f"c-{n}")
    sector = CommitmentSector.PUBLIC
    theme = factory.SubFactory(ThemeFactory)
    text = "Consult for twelve weeks."


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    commitment = factory.SubFactory(CommitmentFactory)
    compact = factory.SelfAttribute("commitment.compact")
    kind = FigureKind.CONSULTATION_STANDARD
    ref = factory.Sequence(lambda n: f"f-{n}")
    value = 12
    unit = FigureUnit.WEEKS
    quote = "12 weeks"
    # Whose commitment it is and whose actions it measures: its commitment's sector, unless a test says otherwise.
    whose = factory.LazyAttribute(lambda figure: figure.commitment.sector)
    measures = factory.LazyAttribute(lambda figure: figure.commitment.sector)
