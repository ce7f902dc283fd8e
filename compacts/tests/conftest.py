from types import SimpleNamespace

import pytest

from compacts.models import Membership, OrganisationKind, OrganisationSector
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
def running(db):
    """A Compact being run: its administrator and another Compact's, a site administrator, a signed-up council
    with a member and a Champion, a new group whose person asked to join it, and a bystander."""
    compact = CompactFactory(slug="testshire", short_name="Testshire", title="Testshire Compact")
    other = CompactFactory(slug="elsewhere", short_name="Elsewhere", title="Elsewhere Compact")
    council = OrganisationFactory(name="Testshire Council")
    SignatoryFactory(compact=compact, organisation=council, section=SectionFactory(compact=compact))
    group = OrganisationFactory(
        name="New Group", sector=OrganisationSector.VCS, kind=OrganisationKind.CHARITY, confirmed=False
    )
    people = SimpleNamespace(
        administrator=UserFactory(username="admin@testshire.example"),
        other_administrator=UserFactory(username="admin@elsewhere.example"),
        site_admin=UserFactory(username="root@portal.example", is_superuser=True, is_staff=True),
        officer=UserFactory(username="officer@council.example"),
        champion=UserFactory(username="champion@council.example"),
        newcomer=UserFactory(username="newcomer@group.example", email_confirmed=False),
        bystander=UserFactory(username="someone@other.example"),
    )
    compact_role(people.administrator, compact, "administrator")
    compact_role(people.other_administrator, other, "administrator")
    member(people.officer, council)
    member(people.champion, council)
    champion = member(people.champion, council, champion_of=compact)
    request = Membership.objects.create(user=people.newcomer, organisation=group, job_title="Coordinator")
    return SimpleNamespace(
        compact=compact,
        other=other,
        council=council,
        group=group,
        people=people,
        champion=champion,
        request=request,
    )
