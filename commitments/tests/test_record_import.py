"""Importing records from CSV: consultations and grants in the portal's columns, grants in 360Giving's; every row
checked first, bad rows listed by line, nothing partly imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments import permissions, services
from commitments.models import Record, RecordImport
from compacts.models import Email
from compacts.tests.document_check import page_text

URL = "/compacts/testshire/records/import/"
CONSULTATIONS = """run_by,title,opened,closed,link,commitments
Testshire Council,Library opening hours,2026-06-01,2026-08-10,https://testshire.example/libraries,3.6
testshire council,Bus routes,05/01/2026,30/03/2026,,
"""
THREESIXTY = "".join(
    [
        ",".join(
            [
                "Identifier",
                "Title",
                "Currency",
                "Amount Awarded",
                "Award Date",
                "Recipient Org:Identifier",
                "Recipient Org:Name",
                "Funding Org:Identifier",
                "Funding Org:Name",
                "Planned Dates:Start Date",
                "Planned Dates:End Date",
            ]
        )
        + "\n",
        ",".join(
            [
                "360G-TC-0001",
                "Community transport",
                "GBP",
                "25000",
                "2026-01-15",
                "GB-CHC-1123456",
                "Testshire Voluntary Action",
                "GB-LAE-TST",
                "Testshire Council",
                "2026-04-01",
                "2029-03-31",
            ]
        )
        + "\n",
        ",".join(
            [
                "360G-TC-0002",
                "Youth club",
                "GBP",
                "4000",
                "2026-03-20",
                "",
                "Hilltop Youth",
                "GB-LAE-TST",
                "Testshire County Council",
                "2026-04-01",
                "2027-03-31",
            ]
        )
        + "\n",
        ",".join(
            [
                "360G-TC-0003",
                "Food bank",
                "GBP",
                "1200.50",
                "2026-03-31T00:00:00",
                "",
                "Food Share",
                "",
                "Testshire Council",
                "2026-04-01",
                "2027-03-31",
            ]
        )
        + "\n",
    ]
)


def post(client, kind, text=None, upload=None):
    data = {"kind": kind, "text": text or ""}
    if upload is not None:
        data["file"] = SimpleUploadedFile("records.csv", upload.encode(), content_type="text/csv")
    return client.post(URL, data)


def test_only_administrators_import(client, recording):
    for who in ("vcs", "champion", "other_administrator"):
        client.force_login(getattr(recording.people, who))
        assert client.get(URL).status_code == 403
        assert post(client, "consultation", CONSULTATIONS).status_code == 403
    assert not Record.objects.exists()


def test_consultations_in_the_portals_columns(client, recording, django_capture_on_commit_callbacks):
    client.force_login(recording.people.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "consultation", upload=CONSULTATIONS)
    job = RecordImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/compacts/testshire/records/imports/{job.pk}/"
    assert (job.status, job.rows, job.made, job.by) == ("done", 2, 2, recording.people.administrator)
    library, buses = Record.objects.order_by("title")[1], Record.objects.order_by("title")[0]
    assert [c.working for c in library.checks.all()] == ["10 weeks, against 12 weeks: missed"]
    # With no commitments named, every commitment its dates can be held against.
    assert {c.commitment.ref: c.working for c in buses.checks.all()} == {
        "3.6": "12 weeks, against 12 weeks: met",
        "4.8": "12 weeks, against 8 weeks: met",
    }
    assert library.recorded_for is None and library.versions.get().note == "Imported from a file."
    emails = Email.objects.filter(subject="Records about Testshire Council were imported")
    assert emails.count() == 1 and "imported 2 records" in emails.first().body  # the council's Champion, once


def test_a_360giving_file_with_a_bad_row_imports_nothing_until_it_is_corrected(
    client, funding, django_capture_on_commit_callbacks
):
    client.force_login(funding.people.administrator)
    response = post(client, "funding", upload=THREESIXTY)
    assert response.status_code == 400
    text = page_text(response.content)
    assert "Nothing was imported: 1 problem in the file" in text
    assert "Line 3, funder: “Testshire County Council” is not an organisation that signed this Compact" in text
    assert not Record.objects.exists()
    html = response.content.decode()
    assert "360G-TC-0003,Food bank" in html  # the file's text, kept to correct
    corrected = THREESIXTY.replace("Testshire County Council", "Testshire Council")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, "funding", corrected).status_code == 302
    transport = Record.objects.get(identifier="360G-TC-0001")
    assert transport.counterpart == funding.group and transport.amount == 25000
    # The file names no commitments: it is held against those its dates can be measured by. 9.1's "up to three
    # years" is a ceiling, not a promise, so it is not one of them.
    assert {c.commitment.ref: c.working for c in transport.checks.all()} == {
        "9.2": "2 months 17 days, against 3 months: missed",
    }
    food = Record.objects.get(identifier="360G-TC-0003")
    assert food.decided_on.isoformat() == "2026-03-31" and food.recipient == "Food Share"
    assert food.checks.get(commitment__ref="9.2").working == "1 day, against 3 months: missed"
    # The same file again: every identifier is taken.
    again = post(client, "funding", corrected)
    assert again.status_code == 400 and Record.objects.count() == 3
    assert "A record with this identifier is already in this Compact" in page_text(again.content)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("title,opened\nx,2026-01-01\n", "Line 1, run_by, closed: These columns are missing from the first line"),
        ("run_by,title,opened,closed\nTestshire Council,x,1 June,2026-08-10\n", "“1 June” is not a date"),
        ("run_by,title,opened,closed\nTestshire Council,x,2026-08-10,2026-06-01\n", "This day is before the first one"),
        (
            "run_by,title,opened,closed,commitments\nTestshire Council,x,2026-06-01,2026-08-10,1.1\n",
            "“1.1” is not a commitment",
        ),
        ("run_by,title,opened,closed\n", "The file has no rows under its first line"),
    ],
)
def test_each_bad_row_is_named_with_its_reason(client, recording, text, problem):
    client.force_login(recording.people.administrator)
    response = post(client, "consultation", text)
    assert response.status_code == 400 and problem in page_text(response.content)
    assert not Record.objects.exists()


def test_templates_download(client, recording):
    response = client.get("/compacts/testshire/records/import/funding-template.csv")
    assert response["Content-Disposition"] == 'attachment; filename="grants-template.csv"'
    assert response.content.decode().splitlines()[0].startswith("funder,recipient,title,identifier,amount,decided")
    assert client.get("/compacts/testshire/records/import/payment-template.csv").status_code == 404


def test_an_imported_record_is_answered_for_the_organisation_whose_doing_it_is(
    client, recording, django_capture_on_commit_callbacks
):
    """An import is made for no organisation: its other side is who ran the consultation (or funds), asked by the
    same rule as any record; where nobody can answer for it, the Compact's administrators are told."""
    recording.people.vcs.memberships.all().delete()
    recording.people.unconfirmed.memberships.all().delete()
    rows = "run_by,title,opened,closed\nTestshire Voluntary Action,Members' survey,2026-06-01,2026-08-10\n"
    client.force_login(recording.people.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, "consultation", rows).status_code == 302
    record = Record.objects.get()
    assert permissions.other_sides(record) == [recording.group]
    told = Email.objects.get(about=f"import:{recording.compact.pk}")
    assert (told.to, told.subject) == (
        "admin@testshire.example",
        "Nobody can answer for Testshire Voluntary Action yet: records about it were imported",
    )


def test_the_service_reads_the_file_itself_and_hands_over_only_a_good_one(recording):
    """The view hands the file's text over; the service reads and checks every row, and refuses a file with any bad
    row whole, naming each problem and the columns it read, before anything is queued."""
    bad = CONSULTATIONS.replace("2026-08-10", "10 August")
    with pytest.raises(services.ImportRefused) as refused:
        services.records_import_queue(
            compact=recording.compact, by=recording.people.administrator, kind="consultation", text=bad
        )
    assert [(line, column) for line, column, _ in refused.value.problems] == [(2, "closed")]
    assert refused.value.standard == "portal"
    assert not RecordImport.objects.exists()
    job = services.records_import_queue(
        compact=recording.compact, by=recording.people.administrator, kind="consultation", text=CONSULTATIONS
    )
    assert (job.status, job.rows, job.text) == ("queued", 2, CONSULTATIONS)
