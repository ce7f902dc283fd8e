"""A record's page after its other side answers (issue 25, item 10): it says what really happens to a disputed
record (it still becomes public on its date, with the answer shown; only a confirmation makes it public sooner), and
labels each answer from the viewer's side: "Your organisation disputed this record" for the organisation that
disputed it, "Disputed by <organisation>" for everyone else."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments import services
from compacts.tests.document_check import page_text

D = datetime.date


def made(world):
    return services.record_create(
        compact=world.compact,
        by=world.people.vcs,
        recorded_for=world.group,
        kind="consultation",
        commitments=[world.consult],
        facts={
            "about": world.council,
            "title": "Library opening hours",
            "starts_on": D(2026, 6, 1),
            "ends_on": D(2026, 8, 10),
        },
    )


def disputed(world):
    record = made(world)
    services.record_respond(
        record=record, by=world.people.champion, version=1, verdict="dispute", comment="It ran for twelve weeks."
    )
    record.refresh_from_db()
    return record


def seen_by(client, person, record):
    client.force_login(person)
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return page_text(response.content)


def test_the_organisation_that_disputed_a_record_sees_its_own_answer_as_its_own(client, recording):
    record = disputed(recording)
    text = seen_by(client, recording.people.champion, record)
    assert "Your organisation disputed this record" in text
    assert "Your organisation, Testshire Council, disputed version 1" in text
    assert "Disputed by the other side" not in text


def test_everyone_else_sees_who_disputed_it(client, recording):
    record = disputed(recording)
    for person in (recording.people.vcs, recording.people.administrator):
        text = seen_by(client, person, record)
        assert "Disputed by Testshire Council" in text
        assert "Testshire Council disputed version 1" in text
        assert "Your organisation" not in text
        assert "Disputed by the other side" not in text


def test_a_disputed_record_says_it_still_becomes_public_on_its_date(client, recording):
    record = disputed(recording)
    date = f"{record.public_from.day} {record.public_from:%B %Y}"
    text = seen_by(client, recording.people.vcs, record)
    assert (
        f"Only the organisations involved and the Compact's administrators can see this record until {date}. Then "
        "it becomes public even though it is disputed, with Testshire Council's answer shown with it. It becomes "
        "public sooner only if Testshire Council changes its answer to confirm it. If the record is corrected, "
        "Testshire Council is asked again."
    ) in text
    assert "or sooner if Testshire Council confirms it" not in text
    assert "with your organisation's answer shown with it" in seen_by(client, recording.people.champion, record)


def test_what_the_page_says_is_what_happens(client, recording):
    """The words are held to the code: on its date the disputed record is public with the answer; a later
    confirmation makes it public at once."""
    record = disputed(recording)
    client.logout()
    assert client.get(record.get_absolute_url()).status_code == 404
    later = timezone.localdate() + datetime.timedelta(days=40)
    type(record).objects.filter(pk=record.pk).update(public_from=timezone.localdate())  # its date has come
    text = page_text(client.get(record.get_absolute_url()).content)
    assert "This record is public. Testshire Council's answer is shown with it." in text
    assert "It ran for twelve weeks." in text
    type(record).objects.filter(pk=record.pk).update(public_from=later)
    services.record_respond(record=record, by=recording.people.champion, version=1, verdict="confirm")
    text = page_text(client.get(record.get_absolute_url()).content)
    assert "Confirmed by Testshire Council" in text and "This record is public." in text


def test_a_record_not_answered_yet_says_when_it_becomes_public(client, recording):
    record = made(recording)
    date = f"{record.public_from.day} {record.public_from:%B %Y}"
    text = seen_by(client, recording.people.vcs, record)
    assert "Not confirmed yet" in text
    assert (
        f"can see this record until {date}. Then it becomes public, or sooner if Testshire Council confirms it."
    ) in text


def test_a_corrected_record_is_not_confirmed_yet_again(client, recording):
    record = disputed(recording)
    services.record_correct(
        record=record,
        by=recording.people.vcs,
        version=1,
        commitments=[recording.consult],
        facts={
            "about": recording.council,
            "title": "Library opening hours",
            "starts_on": D(2026, 6, 1),
            "ends_on": D(2026, 8, 24),
        },
        note="It closed two weeks later.",
    )
    text = seen_by(client, recording.people.champion, record)
    assert "Not confirmed yet" in text and "Your organisation disputed this record" not in text
    assert "Your organisation, Testshire Council, disputed version 1" in text  # its earlier answer, still shown


@pytest.mark.parametrize("who", ["vcs", "champion"])
def test_the_record_page_reads_as_many_queries_however_many_answers(client, recording, who, django_assert_num_queries):
    client.force_login(getattr(recording.people, who))
    record = disputed(recording)
    client.get(record.get_absolute_url())  # the session, read once
    with CaptureQueriesContext(connection) as one_answer:
        client.get(record.get_absolute_url())
    for _ in range(3):  # disputed again: still not public, as before
        services.record_respond(
            record=record, by=recording.people.champion, version=1, verdict="dispute", comment="No."
        )
    with django_assert_num_queries(len(one_answer)):
        client.get(record.get_absolute_url())
