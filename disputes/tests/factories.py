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


def raise_complaint(world, *, submit=True, files=(), **fields):
    """A complaint by the world's VCS member about the council, citing its first commitment (submitted unless not)."""
    from disputes import services

    complaint, _ = services.complaint_save_draft(
        by=world.people.vcs_member,
        compact=world.compact,
        complainant=world.charity,
        fields={"summary": "Cut", "what_happened": "Cut.", "outcome_wanted": "Undo.", "respondent": world.council}
        | fields,
        commitments=world.commitments[:1],
        files=list(files),
    )
    if submit:
        services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    complaint.refresh_from_db()
    return complaint
