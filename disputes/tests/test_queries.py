"""The complaint pages run the same number of queries however long a complaint's history or a queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes import services
from disputes.tests.test_services import PDF, draft
from disputes.workflow import Action


def complaint_with_history(world, notes):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    for n in range(notes):
        complaint.refresh_from_db()
        services.complaint_act(
            complaint=complaint,
            by=world.people.respondent_champion,
            action=Action.EXTEND,
            version=complaint.version,
            text=f"Change {n}",
            new_due_on=complaint.stage_due_on + __import__("datetime").timedelta(days=1),
        )
    complaint.refresh_from_db()
    services.complaint_act(
        complaint=complaint,
        by=world.people.vcs_member,
        action=Action.LODGE,
        version=complaint.version,
        text="In writing",
        files=[SimpleUploadedFile(f"f{n}.pdf", PDF) for n in range(notes // 5 + 1)],
    )
    return complaint


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["vcs_member", "respondent_champion", "administrator"])
def test_complaint_page_queries_do_not_grow_with_its_history(client, world, who):
    short, long = complaint_with_history(world, 1), complaint_with_history(world, 25)
    client.force_login(getattr(world.people, who))
    assert count(client, short.get_absolute_url()) == count(client, long.get_absolute_url())


@pytest.mark.parametrize(
    "url", ["/complaints/", "/complaints/?status=open", "/complaints/?overdue=1&compact=testshire"]
)
def test_queue_queries_do_not_grow_with_the_queue(client, world, url):
    client.force_login(world.people.respondent_champion)
    complaint_with_history(world, 0)
    few = count(client, url)
    for _ in range(12):
        complaint_with_history(world, 0)
    assert count(client, url) == few
