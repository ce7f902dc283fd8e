"""Who may see a complaint, answered three ways that must agree, over many worlds made at random: the rule as a plain
filter (permissions.visible_by_rule, the oracle), the faster query the queue asks (permissions.visible_complaints),
and one complaint from the facts loaded with it (permissions.may_see)."""

import datetime
import random

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from compacts.models import CompactRole, CompactRoleKind, Membership, MembershipRole, MembershipStatus
from compacts.tests.factories import CompactFactory, OrganisationFactory, UserFactory
from disputes import permissions
from disputes.models import (
    Complaint,
    ComplaintEvent,
    EventKind,
    Handler,
    Outcome,
    Panel,
    StageClock,
    Status,
)
from disputes.tests.factories import ProcedureFactory, StageFactory

WORLDS = 30


def random_world(rng):
    """Two Compacts with random procedures, five organisations, eight people with random memberships and roles, and
    twelve complaints in random states with random officers, clocks, panels and events."""
    compacts = [CompactFactory() for _ in range(2)]
    stages = {
        compact.pk: [
            StageFactory(procedure=procedure, order=order, handler=rng.choice(Handler.values)) for order in range(1, 4)
        ]
        for compact in compacts
        for procedure in [ProcedureFactory(compact=compact)]
    }
    organisations = [OrganisationFactory() for _ in range(5)]
    people = [UserFactory() for _ in range(8)]
    for user in people:
        for organisation in rng.sample(organisations, rng.randint(0, 2)):
            Membership.objects.create(
                user=user,
                organisation=organisation,
                status=rng.choice(MembershipStatus.values),
                is_contact=rng.random() < 0.3,
            )
            for compact in compacts:
                if rng.random() < 0.3:
                    Membership.objects.create(
                        user=user,
                        organisation=organisation,
                        role=MembershipRole.CHAMPION,
                        compact=compact,
                        status=rng.choice(MembershipStatus.values),
                    )
        for compact in compacts:
            for role in CompactRoleKind.values:
                if rng.random() < 0.15:
                    CompactRole.objects.create(user=user, compact=compact, role=role)
    now = timezone.now()
    for n in range(12):
        compact = rng.choice(compacts)
        status = rng.choice(Status.values)
        complaint = Complaint.objects.create(
            compact=compact,
            status=status,
            reference=None if status == Status.DRAFT else f"R{n}",
            submitted_at=None if status == Status.DRAFT else now,
            raised_by=rng.choice(people),
            complainant=rng.choice(organisations),
            respondent=rng.choice(organisations) if status != Status.DRAFT or rng.random() < 0.5 else None,
            current_stage=rng.choice(stages[compact.pk]) if status != Status.DRAFT else None,
            outcome=rng.choice(Outcome.values) if status == Status.CLOSED else "",
        )
        complaint.officers.set(rng.sample(people, rng.choice([0, 0, 1, 2])))
        if status == Status.DRAFT:
            continue
        for stage in stages[compact.pk][: rng.randint(1, 3)]:
            StageClock.objects.create(
                complaint=complaint, stage=stage, started_on=datetime.date(2026, 1, 5), started_at=now
            )
            if rng.random() < 0.3:
                panel = Panel.objects.create(
                    complaint=complaint, stage=stage, chair=rng.choice(people), convened_by=rng.choice(people)
                )
                panel.members.set(rng.sample(people, rng.randint(0, 2)))
        for _ in range(rng.randint(0, 3)):
            ComplaintEvent.objects.create(complaint=complaint, kind=rng.choice(EventKind.values), by=rng.choice(people))
    return people


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(WORLDS))
def test_the_queue_and_the_complaint_page_see_what_the_rule_sees(seed):
    people = random_world(random.Random(seed))  # noqa: S311 made-up worlds, reproducible by their seed
    complaints = list(
        Complaint.objects.prefetch_related(
            "officers",
            Prefetch("clocks", queryset=StageClock.objects.select_related("stage")),
            "panels__members",
            "events",
        )
    )
    seen = 0
    for user in people:
        who = permissions.person(user)
        by_rule = set(permissions.visible_by_rule(who).values_list("pk", flat=True))
        assert set(permissions.visible_complaints(who).values_list("pk", flat=True)) == by_rule, user
        one_by_one = {
            complaint.pk
            for complaint in complaints
            if permissions.may_see(
                who,
                complaint,
                officers={officer.pk for officer in complaint.officers.all()},
                clocks=complaint.clocks.all(),
                panels=complaint.panels.all(),
                events=complaint.events.all(),
            )
        }
        assert one_by_one == by_rule, user
        seen += len(by_rule)
    assert 0 < seen < len(people) * len(complaints)  # each world shows some complaints to some people, not all to all
