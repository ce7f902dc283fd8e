"""A Compact with a three-stage procedure, and one person in every role."""

from types import SimpleNamespace

import pytest

from commitments.tests.factories import CommitmentFactory
from compacts.tests.factories import (
    CompactFactory,
    OrganisationFactory,
    SectionFactory,
    SignatoryFactory,
    UserFactory,
    compact_role,
    member,
)
from disputes.models import Handler, TimeUnit
from disputes.tests.factories import ProcedureFactory, StageFactory


@pytest.fixture
def world(db):
    compact = CompactFactory(slug="testshire", short_name="Testshire", reference_prefix="TST")
    section = SectionFactory(compact=compact)
    council = OrganisationFactory(name="Testshire Council", sector="public", kind="council")
    charity = OrganisationFactory(name="Testshire Helpers", sector="vcs", kind="charity")
    bystander_org = OrganisationFactory(name="Other Charity", sector="vcs", kind="charity")
    cvs = OrganisationFactory(name="Testshire CVS", sector="vcs", kind="infrastructure")
    for organisation in (council, charity, bystander_org, cvs):
        SignatoryFactory(section=section, organisation=organisation)
    procedure = ProcedureFactory(compact=compact)
    stages = [
        StageFactory(
            procedure=procedure,
            order=1,
            section=section,
            handler=Handler.CHAMPIONS,
            time_limit=20,
            time_unit=TimeUnit.WORKING_DAYS,
        ),
        StageFactory(
            procedure=procedure,
            order=2,
            section=section,
            handler=Handler.PANEL,
            name="Panel",
            time_limit=21,
            time_unit=TimeUnit.CALENDAR_DAYS,
        ),
        StageFactory(
            procedure=procedure,
            order=3,
            section=section,
            handler=Handler.NATIONAL_BODY,
            name="National",
            time_limit=None,
            time_unit="",
            time_limit_origin="",
            time_limit_source="",
        ),
    ]
    people = SimpleNamespace(
        vcs_member=UserFactory(username="member@helpers.example"),
        complainant_champion=UserFactory(username="champion@helpers.example"),
        respondent_champion=UserFactory(username="champion@council.example"),
        officer=UserFactory(username="officer@council.example"),
        council_member=UserFactory(username="staff@council.example"),
        chair=UserFactory(username="chair@cvs.example"),
        panellist=UserFactory(username="panel@cvs.example"),
        critical_friend=UserFactory(username="friend@cvs.example"),
        administrator=UserFactory(username="admin@cvs.example"),
        bystander=UserFactory(username="someone@other.example"),
        bystander_champion=UserFactory(username="champion@other.example"),
    )
    member(people.vcs_member, charity)
    member(people.complainant_champion, charity, champion_of=compact)
    member(people.respondent_champion, council, champion_of=compact)
    member(people.officer, council)
    member(people.council_member, council)
    member(people.chair, cvs)
    member(people.panellist, cvs)
    member(people.bystander, bystander_org)
    member(people.bystander_champion, bystander_org, champion_of=compact)
    compact_role(people.chair, compact, "chair")
    compact_role(people.critical_friend, compact, "critical_friend")
    compact_role(people.administrator, compact, "administrator")
    commitments = [
        CommitmentFactory(section=section, ref=f"{n}.1", number=f"{n}.1", text=f"Promise {n}.") for n in (1, 2)
    ]
    return SimpleNamespace(
        compact=compact,
        council=council,
        charity=charity,
        cvs=cvs,
        stages=stages,
        people=people,
        commitments=commitments,
    )
