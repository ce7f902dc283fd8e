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


def test_queue_pages_are_the_whole_queue_in_order_and_a_page_past_the_end_is_the_last(world):
    from disputes import selectors

    for _ in range(7):
        complaint_with_history(world, 0)
    champion = world.people.respondent_champion
    everything = list(selectors.queue(champion).values_list("pk", flat=True))
    assert len(everything) >= 7
    pages = [selectors.queue_page(selectors.queue(champion), n, 3) for n in (1, 2, 3)]
    assert [c.pk for page in pages for c in page.object_list][: len(everything)] == everything[:9]
    assert {page.paginator.count for page in pages} == {len(everything)}
    assert [c.pk for c in pages[0].object_list[:1]] == everything[:1] and pages[0].object_list[0].compact_short_name
    last = selectors.queue_page(selectors.queue(champion), 99, 3)
    assert last.number == last.paginator.num_pages and [c.pk for c in last] == everything[(last.number - 1) * 3 :]
    assert selectors.queue_page(selectors.queue(champion), "nonsense", 3).number == 1
    nobody = selectors.queue_page(selectors.queue(world.people.bystander), 2, 3)
    assert nobody.number == 1 and nobody.paginator.count == 0 and list(nobody) == []


def test_queue_rows_write_due_dates_as_the_date_filter_does(client, world):
    import datetime

    from django.template.defaultfilters import date as date_filter

    from disputes.models import Complaint

    client.force_login(world.people.respondent_champion)
    complaint = complaint_with_history(world, 0)
    for month in range(1, 13):
        due = datetime.date(2027, month, 9 if month % 2 else 30 if month != 2 else 28)
        Complaint.objects.filter(pk=complaint.pk).update(stage_due_on=due)
        assert date_filter(due, "j M Y") in client.get("/complaints/").content.decode()
