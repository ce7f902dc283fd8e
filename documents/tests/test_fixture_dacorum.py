"""The Dacorum fixture holds the whole Dacorum Compact, exactly as printed.

Counts are what the source document (../shared/sources/dacorum.txt) prints:
11 shared principles; 17 statutory-sector undertakings (1 on independence,
7 on funding and accountability, 5 on policy development and consultation,
4 on improved local government) and 9 voluntary and community sector ones
(the opening paragraph, 3 on funding and accountability, 2 on policy
development and consultation, 3 on good practice); no named signatories
(only "around 60 signatories" in 2002); 11 contacts in Annex C (5 further
information sources and 6 local contacts); 15 jargon-buster entries; 15
good-practice examples in Annex A; no codes of practice of its own; no dispute procedure,
so the portal's default three stages.
"""

import pytest
from django.core.management import call_command

from commitments.models import Commitment, Figure
from compacts.models import (
    CaseStudy,
    CodeOfPractice,
    Compact,
    CompactEvent,
    Contact,
    GlossaryTerm,
    Organisation,
    Principle,
    Section,
    Signatory,
)
from disputes.models import Procedure, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def dacorum():
    call_command("loaddata", "themes", "dacorum", verbosity=0)
    return Compact.objects.get(slug="dacorum")


def counts(compact):
    return {
        "sections": Section.objects.filter(compact=compact).count(),
        "events": CompactEvent.objects.filter(compact=compact).count(),
        "principles": Principle.objects.filter(compact=compact).count(),
        "public": Commitment.objects.filter(compact=compact, sector="public").count(),
        "vcs": Commitment.objects.filter(compact=compact, sector="vcs").count(),
        "all": Commitment.objects.filter(compact=compact, sector="all").count(),
        "signatories": Signatory.objects.filter(compact=compact).count(),
        "contacts": Contact.objects.filter(compact=compact).count(),
        "champions": Contact.objects.filter(compact=compact, is_champion=True).count(),
        "glossary": GlossaryTerm.objects.filter(compact=compact).count(),
        "case_studies": CaseStudy.objects.filter(compact=compact).count(),
        "codes": CodeOfPractice.objects.filter(compact=compact).count(),
        "figures": Figure.objects.filter(compact=compact).count(),
        "stages": Stage.objects.filter(procedure__compact=compact).count(),
        "organisations": Organisation.objects.count(),
    }


EXPECTED = {
    "sections": 20,
    "events": 1,  # 2002 first agreed; the revision is undated
    "principles": 11,
    "public": 17,
    "vcs": 9,
    "all": 0,
    "signatories": 0,
    "contacts": 11,
    "champions": 0,  # the document names no Compact Champions: its six local contacts are contact points
    "glossary": 15,
    "case_studies": 15,
    "codes": 0,  # the glossary entry names what codes cover; it prints no codes of practice of its own
    "figures": 4,
    "stages": 3,
    "organisations": 14,
}


def test_counts_match_the_document(dacorum):
    assert counts(dacorum) == EXPECTED
    assert dacorum.reference_prefix == "DAC"
    assert dacorum.review_cycle_months == 12


def test_commitments_per_section(dacorum):
    per_section = {}
    for commitment in Commitment.objects.filter(compact=dacorum).select_related("section"):
        per_section[commitment.section.ref] = per_section.get(commitment.section.ref, 0) + 1
    assert per_section == {
        "statutory-independence": 1,
        "statutory-funding-and-accountability": 7,
        "statutory-policy-development-and-consultation": 5,
        "improved-local-government": 4,
        "undertakings-by-the-voluntary-and-community-sector": 1,
        "vcs-funding-and-accountability": 3,
        "vcs-policy-development-and-consultation": 2,
        "vcs-good-practice": 3,
    }


def test_dispute_procedure_is_the_portal_default(dacorum):
    procedure = Procedure.objects.get(compact=dacorum)
    assert procedure.origin == "portal_default"
    assert "sets no dispute procedure" in procedure.summary
    stages = list(procedure.stages.order_by("order"))
    assert [(s.order, s.name, s.handler, s.time_limit, s.time_unit) for s in stages] == [
        (1, "Informal resolution", "parties", 20, "working_days"),
        (2, "Formal written response", "respondent", 20, "working_days"),
        (3, "Review by a panel of partners", "panel", 30, "working_days"),
    ]
    for stage in stages:
        assert stage.origin == "portal_default"
        assert stage.time_limit_origin == "portal_default"
        assert stage.section is None
        assert stage.label == ""
        assert stage.time_limit_source == (
            f"The document sets no dispute procedure; the portal's default of {stage.time_limit} working days applies."
        )


def test_texts_exactly_as_printed(dacorum):
    # A jargon-buster entry, with its printed separator " – " (en dash).
    assert GlossaryTerm.objects.get(compact=dacorum, term="Herts Infrastructure Consortium").text == (
        "Herts Infrastructure Consortium – consists of nine Councils for Voluntary Services, ten "
        "Volunteer Centres and other infrastructure organisations and statutory partners. It's main "
        "objective is to encourage sustainable infrastructure within the Third Sector in Herts and to "
        "work in partnership ensuring that the largest possible spread of needs within the community "
        "are met without duplication"
    )
    assert GlossaryTerm.objects.get(compact=dacorum, term="Codes of Practice").text == (
        "Codes of Practice: Guidelines added to the Compact to cover Volunteering, Consultation, "
        "Funding and Procurement, Ethnic Minority Voluntary and Community organisations and "
        "Community groups"
    )
    # Two commitments, one from each sector.
    policy = Commitment.objects.get(compact=dacorum, ref="statutory-policy-2")
    assert policy.text == (
        "consult the Sector on issues that are likely to affect it; and set reasonable timescales for "
        "a response, usually allowing a period of eight weeks for consultation with the wider "
        "voluntary and community sector so that it can consult its users as part of the process;"
    )
    assert policy.lead_in == (
        "Dacorum Borough Council and other statutory agencies will undertake the following commitments "
        "in relation to policy development and consultation with the voluntary and community sector. "
        "It will:"
    )
    assert Commitment.objects.get(compact=dacorum, ref="vcs-funding-2").text == (
        "To respect and be accountable to the law and in the case of charities, observe the appropriate "
        "guidance from the Charity Commission, including that on political activities and campaigning."
    )
    # A contact's details, line for line.
    contact = Contact.objects.get(compact=dacorum, ref="hertfordshire-county-council")
    assert contact.label == "Hertfordshire County Council"
    assert contact.details == "Andrew Burt, Funding & Partnerships Manager\nTel: 01992 555213"
    assert (contact.name, contact.job_title, contact.phone) == (
        "Andrew Burt",
        "Funding & Partnerships Manager",
        "01992 555213",
    )
    # A good-practice example, its markdown emphasis stripped.
    assert CaseStudy.objects.get(compact=dacorum, ref="valuing-volunteers-logo").body == (
        "Adoption of Valuing Volunteers in Hertfordshire logo by local agencies supporting the Herts "
        "Local Area Agreement"
    )
    assert CaseStudy.objects.get(compact=dacorum, ref="chace-group").body == (
        "Setting up the CHACE group – a partnership of Chairs and Chief Officers of core funded "
        "organisations, Dacorum Borough Council Officers and Councillors"
    )
    # A section body sentence, and a principle with its curly-quote neighbour in Challenges.
    assert (
        "Pre Compact, these partnerships developed informally and relied on the networking skills of "
        "individuals from both sectors."
    ) in Section.objects.get(compact=dacorum, ref="introduction").body
    assert "to increase “buy in”" in Section.objects.get(compact=dacorum, ref="challenges").body
    assert Principle.objects.get(compact=dacorum, ref="right-to-campaign").text == (
        "Third Sector organisations are entitled to campaign within the law in order to advance their aims."
    )


def test_figures(dacorum):
    consultation = Figure.objects.get(compact=dacorum, kind="consultation_standard")
    assert (consultation.value, consultation.unit, consultation.commitment.ref) == (8, "weeks", "statutory-policy-2")
    assert consultation.quote in consultation.commitment.text
    review = Figure.objects.get(compact=dacorum, kind="review_cycle")
    assert (review.value, review.unit) == (12, "months")
    assert review.quote in review.commitment.text


def sample(compact):
    return {
        "title": Compact.objects.get(pk=compact.pk).title,
        "intro": Section.objects.get(compact=compact, ref="introduction").body,
        "commitment": Commitment.objects.get(compact=compact, ref="statutory-funding-3").text,
        "theme": Commitment.objects.get(compact=compact, ref="statutory-funding-3").theme.slug,
        "term": GlossaryTerm.objects.get(compact=compact, term="Third Sector").text,
        "contact": Contact.objects.get(compact=compact, ref="dacorum-borough-council").details,
        "stage": Stage.objects.get(procedure__compact=compact, order=3).moves_on,
        "pks": sorted(Commitment.objects.filter(compact=compact).values_list("pk", flat=True)),
    }


def test_loading_twice_changes_nothing(dacorum):
    before_counts, before_sample = counts(dacorum), sample(dacorum)
    call_command("loaddata", "themes", "dacorum", verbosity=0)
    assert counts(dacorum) == before_counts == EXPECTED
    assert sample(dacorum) == before_sample


# Every line of the document is on the Compact page and on its version 1: checked, with one list of page
# furniture for both, in compact_portal/tests/test_version_document.py.
