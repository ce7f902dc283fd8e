import factory

from compacts.tests.factories import CompactFactory, SectionFactory
from disputes.models import Handler, Origin, Procedure, Stage, TimeUnit


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    compact = factory.SubFactory(CompactFactory)
    origin = Origin.DOCUMENT
    summary = "Talk first, then write."


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    procedure = factory.SubFactory(ProcedureFactory)
    order = factory.Sequence(lambda n: n + 1)
    origin = Origin.DOCUMENT
    section = factory.SubFactory(SectionFactory, compact=factory.SelfAttribute("..procedure.compact"))
    name = "Informal resolution"
    text = "Stage 1: talk to each other."
    handler = Handler.CHAMPIONS
    moves_on = "No agreement."
    time_limit = 20
    time_unit = TimeUnit.WORKING_DAYS
    time_limit_origin = Origin.PORTAL_DEFAULT
    time_limit_source = "The portal's default."
