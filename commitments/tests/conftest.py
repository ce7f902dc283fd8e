from types import SimpleNamespace

import pytest

from commitments.tests.factories import CommitmentFactory, FigureFactory, ThemeFactory
from compacts.models import OrganisationKind, OrganisationSector
from compacts.tests.factories import (
    CompactFactory,
    OrganisationFactory,
    SectionFactory,
    SignatoryFactory,
    UserFactory,
    compact_role,
    member,
)


@pytest.fixture
def recording(db):
    """A Compact whose working is recorded: a council and a VCS group that signed it, their members and the
    council's Champion, the Compact's administrator and another Compact's, a bystander, and three figure
    commitments (a 12-week consultation for public bodies, an 8-week minimum for all, three months' notice)."""
    compact = CompactFactory(slug="testshire", short_name="Testshire", title="Testshire Compact")
    other = CompactFactory(slug="elsewhere", short_name="Elsewhere", title="Elsewhere Compact")
    section = SectionFactory(compact=compact)
    council = OrganisationFactory(name="Testshire Council")
    group = OrganisationFactory(
        name="Testshire Voluntary Action", sector=OrganisationSector.VCS, kind=OrganisationKind.CHARITY
    )
    outsider = OrganisationFactory(name="Faraway Council")
    for organisation in (council, group):
        SignatoryFactory(compact=compact, organisation=organisation, section=section)
    theme = ThemeFactory(slug="consultation", name="Consultation")
    consult = CommitmentFactory(
        compact=compact,
        section=section,
        ref="3.6",
        number="3.6",
        sector="public",
        theme=theme,
        text="Conduct 12-weeks formal consultations.",
    )
    minimum = CommitmentFactory(
        compact=compact,
        section=section,
        ref="4.8",
        number="4.8",
        sector="all",
        theme=theme,
        text="Eight weeks for replies will generally be the minimum.",
    )
    notice = CommitmentFactory(
        compact=compact,
        section=section,
        ref="13.2",
        number="13.2",
        sector="public",
        theme=theme,
        text="Give a minimum of three months' notice in writing.",
    )
    plain = CommitmentFactory(
        compact=compact, section=section, ref="1.1", number="1.1", sector="all", theme=theme, text="Work together."
    )
    FigureFactory(commitment=consult, kind="consultation_standard", value=12, unit="weeks", quote="12-weeks")
    FigureFactory(commitment=minimum, kind="consultation_minimum", value=8, unit="weeks", quote="Eight weeks")
    FigureFactory(commitment=notice, kind="funding_end_notice", value=3, unit="months", quote="three months' notice")
    people = SimpleNamespace(
        vcs=UserFactory(username="member@voluntary.example"),
        officer=UserFactory(username="officer@council.example"),
        champion=UserFactory(username="champion@council.example"),
        administrator=UserFactory(username="admin@testshire.example"),
        other_administrator=UserFactory(username="admin@elsewhere.example"),
        unconfirmed=UserFactory(username="new@voluntary.example", email_confirmed=False),
        outsider=UserFactory(username="officer@faraway.example"),
        bystander=UserFactory(username="someone@nowhere.example"),
    )
    member(people.vcs, group, contact=True)  # the group has no Champion: its contact answers for it
    member(people.unconfirmed, group)
    member(people.officer, council)
    member(people.champion, council, champion_of=compact)
    member(people.outsider, outsider)
    compact_role(people.administrator, compact, "administrator")
    compact_role(people.other_administrator, other, "administrator")
    return SimpleNamespace(
        compact=compact,
        other=other,
        council=council,
        group=group,
        outsider=outsider,
        consult=consult,
        minimum=minimum,
        notice=notice,
        plain=plain,
        people=people,
    )


@pytest.fixture
def funding(recording):
    """The recording Compact with the VCS group's charity number and two funding figures (9.1, 9.2)."""
    recording.group.identifier_scheme, recording.group.identifier = "charity", "1123456"
    recording.group.save()
    section = recording.consult.section
    term = CommitmentFactory(compact=recording.compact, section=section, ref="9.1", number="9.1", sector="public")
    decision = CommitmentFactory(compact=recording.compact, section=section, ref="9.2", number="9.2", sector="public")
    FigureFactory(commitment=term, kind="funding_term", value=3, unit="years", bound="up_to", quote="up to three years")
    FigureFactory(commitment=decision, kind="funding_decision_notice", value=3, unit="months", quote="three months")
    return recording
