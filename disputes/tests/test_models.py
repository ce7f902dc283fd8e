import pytest
from django.db import IntegrityError, transaction

from commitments.models import Figure
from commitments.tests.factories import CommitmentFactory, FigureFactory
from compacts.models import Compact
from compacts.tests.factories import (
    CaseStudyFactory,
    CompactFactory,
    ContactFactory,
    SectionFactory,
    SignatoryFactory,
)
from disputes.models import Origin
from disputes.tests.factories import ProcedureFactory, StageFactory

pytestmark = pytest.mark.django_db


def refused(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_commitment_refs_are_unique_within_a_compact_only():
    commitment = CommitmentFactory(ref="4.7")
    refused(lambda: CommitmentFactory(ref="4.7", section=SectionFactory(compact=commitment.compact)))
    CommitmentFactory(ref="4.7")  # another Compact


def test_commitment_ref_must_be_safe_in_an_address():
    refused(lambda: CommitmentFactory(ref="a/b"))
    refused(lambda: CommitmentFactory(ref=""))


def test_a_figure_has_exactly_one_source():
    figure = FigureFactory()
    case_study = CaseStudyFactory(compact=figure.compact)
    refused(lambda: Figure.objects.filter(pk=figure.pk).update(case_study=case_study))
    refused(lambda: Figure.objects.filter(pk=figure.pk).update(commitment=None))


def test_an_organisation_signs_a_compact_once_per_role():
    signatory = SignatoryFactory()
    refused(
        lambda: SignatoryFactory(section=signatory.section, organisation=signatory.organisation, role=signatory.role)
    )
    SignatoryFactory(section=signatory.section, organisation=signatory.organisation, role="prepared")


def test_a_contact_prints_details_or_a_placeholder():
    refused(lambda: ContactFactory(details="", placeholder=""))
    assert not ContactFactory(details="", placeholder="To be added").is_published


def test_a_document_stage_sits_in_a_section_and_a_default_stage_does_not():
    procedure = ProcedureFactory()
    refused(lambda: StageFactory(procedure=procedure, origin=Origin.DOCUMENT, section=None))
    refused(lambda: StageFactory(procedure=procedure, origin=Origin.PORTAL_DEFAULT))
    assert StageFactory(procedure=procedure, origin=Origin.PORTAL_DEFAULT, section=None).is_portal_default


def test_a_time_limit_is_complete_or_absent():
    refused(lambda: StageFactory(time_limit=None))  # unit and origin still set
    refused(lambda: StageFactory(time_unit=""))
    StageFactory(time_limit=None, time_unit="", time_limit_origin="", time_limit_source="")


def test_stage_orders_are_unique_in_a_procedure():
    stage = StageFactory(order=1)
    refused(lambda: StageFactory(procedure=stage.procedure, order=1))


def test_sections_are_unique_by_ref_and_order():
    section = SectionFactory()
    refused(lambda: SectionFactory(compact=section.compact, ref=section.ref))
    refused(lambda: SectionFactory(compact=section.compact, order=section.order))


def test_compacts_have_unique_complaint_prefixes():
    CompactFactory(reference_prefix="DAR")
    refused(lambda: CompactFactory(reference_prefix="DAR"))
    assert Compact.objects.get_by_natural_key(Compact.objects.get().slug)
